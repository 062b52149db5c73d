import type {
  Action,
  Environment,
  HttpRequestView,
  HttpResponseView,
  Source,
} from '@ebay-connector/contracts';
import type { Db } from '../db/client.ts';
import { ebayConnectLogs } from '../db/schema.ts';

/** One row of `ebay_connect_logs`. Request and response must already be masked. */
export interface ConnectLogInput {
  orgId: string | null;
  accountId: string | null;
  environment: Environment | null;
  action: Action;
  source: Source;
  request?: HttpRequestView | null;
  response?: HttpResponseView | null;
  error?: { code: string; message: string; diagnosis?: string } | null;
  summary?: Record<string, unknown> | null;
  durationMs?: number | null;
  createdAt?: Date;
}

export async function writeConnectLog(db: Db, input: ConnectLogInput): Promise<number> {
  const [row] = await db
    .insert(ebayConnectLogs)
    .values({
      orgId: input.orgId,
      accountId: input.accountId,
      environment: input.environment,
      action: input.action,
      source: input.source,
      request: input.request ?? null,
      response: input.response ?? null,
      error: input.error ?? null,
      summary: input.summary ?? null,
      durationMs: input.durationMs ?? null,
      ...(input.createdAt ? { createdAt: input.createdAt } : {}),
    })
    .returning({ id: ebayConnectLogs.id });
  return row!.id;
}
