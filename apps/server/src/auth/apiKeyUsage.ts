import { sql } from 'drizzle-orm';
import type { Logger } from 'pino';
import type { Db } from '../db/client.ts';

/**
 * `last_used_at` of API keys and of the accounts services use (the demand signal), written
 * batched: at most once per second per row and process, off the request's path (the answer
 * never waits for it). The update itself also skips a row written less than a second ago, so
 * replicas together stay near one write per second per row.
 */

const MIN_INTERVAL_MS = 1000;

export class UsageRecorder {
  private readonly lastWritten = new Map<string, number>();
  private readonly pending = new Set<Promise<void>>();

  constructor(
    private readonly db: Db,
    private readonly logger: Logger,
    private readonly now: () => Date,
  ) {}

  keyUsed(keyId: string): void {
    if (!this.due(`key:${keyId}`)) return;
    const at = this.now().toISOString();
    this.run(
      sql`update api_keys set last_used_at = ${at}::timestamptz
          where id = ${keyId}
            and (last_used_at is null or last_used_at < ${at}::timestamptz - interval '1 second')`,
    );
  }

  accountUsed(accountId: string, keyId: string): void {
    if (!this.due(`account:${accountId}:${keyId}`)) return;
    const at = this.now().toISOString();
    this.run(
      sql`update ebay_accounts set last_used_at = ${at}::timestamptz, last_used_key_id = ${keyId}::uuid
          where id = ${accountId}
            and (last_used_at is null or last_used_key_id is distinct from ${keyId}::uuid
                 or last_used_at < ${at}::timestamptz - interval '1 second')`,
    );
  }

  /** Resolves once every write started so far has finished (tests; shutdown). */
  async flush(): Promise<void> {
    await Promise.all([...this.pending]);
  }

  private due(row: string): boolean {
    const nowMs = this.now().getTime();
    const last = this.lastWritten.get(row);
    if (last !== undefined && nowMs - last < MIN_INTERVAL_MS && nowMs >= last) return false;
    this.lastWritten.set(row, nowMs);
    if (this.lastWritten.size > 100_000) this.lastWritten.clear();
    return true;
  }

  private run(statement: ReturnType<typeof sql>): void {
    const write = this.db
      .execute(statement)
      .then(
        () => {},
        (err: unknown) => this.logger.warn({ err }, 'could not record API key use'),
      )
      .finally(() => this.pending.delete(write));
    this.pending.add(write);
  }
}
