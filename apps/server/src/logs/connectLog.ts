import type {
  Action,
  Environment,
  HttpRequestView,
  HttpResponseView,
  Source,
} from '@ebay-connector/contracts';
import { type SQL, sql } from 'drizzle-orm';
import { z } from 'zod';
import { type Db, queryRows } from '../db/client.ts';
import { dbInt } from '../db/rows.ts';
import { boundText, LOGGED_BODY_MAX_CHARS, STORED_MESSAGE_MAX_CHARS } from '../lib/boundText.ts';

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
  const [row] = await queryRows(
    db,
    sql`insert into ebay_connect_logs ${connectLogRow(input)} returning id`,
    z.object({ id: dbInt }),
  );
  return row!.id;
}

/**
 * Every row is bounded, whatever eBay (or a simulator) sent: bodies at 32 KB, the error
 * message at 2000 characters, each cut marked in the text.
 */
function bounded(input: ConnectLogInput): ConnectLogInput {
  const { request, response, error } = input;
  return {
    ...input,
    request: request ? { ...request, body: boundText(request.body, LOGGED_BODY_MAX_CHARS) } : null,
    response: response ? { ...response, body: boundText(response.body, LOGGED_BODY_MAX_CHARS) } : null,
    error: error ? { ...error, message: boundText(error.message, STORED_MESSAGE_MAX_CHARS) } : null,
  };
}

/**
 * `(columns) select values` of one connect-log row: `insert into ebay_connect_logs` plus this,
 * optionally followed by a `where` (the refresh write inserts it only if its token update matched).
 */
export function connectLogRow(unbounded: ConnectLogInput): SQL {
  const input = bounded(unbounded);
  return sql`(org_id, account_id, environment, action, source, request, response, error, summary, duration_ms, created_at)
    select ${input.orgId}::uuid, ${input.accountId}::uuid, ${input.environment}::text, ${input.action}::text,
      ${input.source}::text, ${json(input.request)}, ${json(input.response)}, ${json(input.error)},
      ${json(input.summary)}, ${input.durationMs ?? null}::int,
      coalesce(${input.createdAt?.toISOString() ?? null}::timestamptz, now())`;
}

function json(value: unknown): SQL {
  return value == null ? sql`null::jsonb` : sql`${JSON.stringify(value)}::jsonb`;
}
