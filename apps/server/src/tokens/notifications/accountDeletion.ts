import { createHash } from 'node:crypto';
import type { Environment } from '@ebay-connector/contracts';
import { sql } from 'drizzle-orm';
import { z } from 'zod';
import type { Db } from '../../db/client.ts';
import { queryRows } from '../../db/client.ts';
import { connectLogRow } from '../../logs/connectLog.ts';

/**
 * Processing a verified MARKETPLACE_ACCOUNT_DELETION notification, in one transaction with its
 * audit row: every account of every org with that eBay user id in that environment loses its
 * tokens and its eBay personal data (username, user id, identity answers in stored transcripts),
 * keeps its row with status `deleted` (never refreshed: only `active` is due, dueRule.ts) and an
 * `account_deleted` entry. The user id is replaced by `deleted:<account id>`, so a new consent of
 * the same seller creates a fresh account and never revives this one. The audit row's unique
 * notification id makes a redelivery change nothing.
 */

export const DELETED_REASON = "Deleted at eBay's request";

export const deletionMessageSchema = z.object({
  metadata: z.object({ topic: z.string().max(100) }),
  notification: z.object({
    notificationId: z.string().min(1).max(200),
    data: z
      .object({
        userId: z.string().min(1).max(200),
        username: z.string().max(200).optional(),
        eiasToken: z.string().max(500).optional(),
      })
      .optional(),
  }),
});
export type DeletionMessage = z.infer<typeof deletionMessageSchema>;

export type DeletionOutcome = {
  duplicate: boolean;
  outcome: 'accounts_deleted' | 'unknown_user' | 'ignored_topic';
  accounts: Array<{ id: string; orgId: string }>;
};

export function sha256Hex(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

export async function processNotification(
  db: Db,
  message: DeletionMessage,
  environment: Environment,
  now: Date,
): Promise<DeletionOutcome> {
  const topic = message.metadata.topic;
  const data = message.notification.data;
  return db.transaction(async (tx) => {
    const inserted = await queryRows(
      tx,
      sql`insert into ebay_notifications (notification_id, topic, environment, user_id_sha256, received_at, outcome)
          values (${message.notification.notificationId}, ${topic}, ${environment},
                  ${data ? sha256Hex(data.userId) : null}, ${now.toISOString()}::timestamptz, 'received')
          on conflict (notification_id) do nothing returning id`,
      z.object({ id: z.coerce.number() }),
    );
    const auditId = inserted[0]?.id;
    if (auditId === undefined) return { duplicate: true, outcome: 'ignored_topic', accounts: [] };
    if (topic !== 'MARKETPLACE_ACCOUNT_DELETION' || !data) {
      await finish(tx, auditId, 'ignored_topic', 0, now);
      return { duplicate: false, outcome: 'ignored_topic', accounts: [] };
    }
    const accounts = await queryRows(
      tx,
      sql`select id, org_id from ebay_accounts
          where ebay_user_id = ${data.userId} and environment = ${environment} for update`,
      z.object({ id: z.string(), org_id: z.string() }),
    );
    const ids = `{${accounts.map((a) => a.id).join(',')}}`;
    if (accounts.length > 0) {
      await tx.execute(sql`delete from ebay_tokens where account_id = any(${ids}::uuid[])`);
      // Transcripts that hold the seller's identity (the code exchange's identity call, connect
      // entries) lose their bodies; codes, times and outcomes stay so the history still reads.
      const needles = [data.userId, data.username, data.eiasToken].filter((v): v is string => !!v);
      for (const needle of needles) {
        await tx.execute(
          sql`update ebay_connect_logs set request = null, response = null, summary = null
              where account_id = any(${ids}::uuid[])
                and strpos(coalesce(request::text, '') || coalesce(response::text, '') || coalesce(summary::text, ''), ${needle}) > 0`,
        );
      }
      await tx.execute(
        sql`update ebay_accounts set status = 'deleted', status_reason = ${DELETED_REASON},
              ebay_username = null, ebay_user_id = 'deleted:' || id::text, updated_at = ${now.toISOString()}::timestamptz
            where id = any(${ids}::uuid[])`,
      );
      for (const a of accounts) {
        await tx.execute(
          sql`insert into ebay_connect_logs ${connectLogRow({
            orgId: a.org_id,
            accountId: a.id,
            environment,
            action: 'account_deleted',
            source: 'notification',
            summary: { reason: DELETED_REASON, notification: 'MARKETPLACE_ACCOUNT_DELETION' },
            createdAt: now,
          })}`,
        );
      }
    }
    const outcome = accounts.length > 0 ? 'accounts_deleted' : 'unknown_user';
    await finish(tx, auditId, outcome, accounts.length, now);
    return { duplicate: false, outcome, accounts: accounts.map((a) => ({ id: a.id, orgId: a.org_id })) };
  });
}

async function finish(tx: Db, id: number, outcome: string, affected: number, now: Date): Promise<void> {
  await tx.execute(
    sql`update ebay_notifications set outcome = ${outcome}, accounts_affected = ${affected},
          processed_at = ${now.toISOString()}::timestamptz where id = ${id}`,
  );
}

export async function recordVerificationFailure(db: Db, reason: string, httpStatus: number): Promise<void> {
  await db.execute(
    sql`insert into ebay_notification_failures (reason, http_status) values (${reason.slice(0, 200)}, ${httpStatus})`,
  );
}

export type NotificationStatus = {
  configured: boolean;
  endpoint_url: string | null;
  last_received_at: string | null;
  last_failure_at: string | null;
  last_failure_reason: string | null;
};

export async function notificationStatus(db: Db, endpointUrl: string | null): Promise<NotificationStatus> {
  const [row] = await queryRows(
    db,
    sql`select (select max(received_at) from ebay_notifications)::text as received,
               f.created_at::text as failed, f.reason
        from (select 1) one left join lateral
          (select created_at, reason from ebay_notification_failures order by id desc limit 1) f on true`,
    z.object({
      received: z.string().nullable(),
      failed: z.string().nullable(),
      reason: z.string().nullable(),
    }),
  );
  const iso = (v: string | null | undefined) => (v ? new Date(v).toISOString() : null);
  return {
    configured: endpointUrl !== null,
    endpoint_url: endpointUrl,
    last_received_at: iso(row?.received),
    last_failure_at: iso(row?.failed),
    last_failure_reason: row?.reason ?? null,
  };
}
