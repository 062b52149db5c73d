import type { Db } from '../db/client.ts';
import { type ClaimedAccount, claimDueAccounts } from '../tokens/sql/claimDue.ts';
import { releaseLeases } from '../tokens/sql/leases.ts';

type ClaimParams = Omit<Parameters<typeof claimDueAccounts>[1], 'owner'>;

/**
 * Feeds a cycle's concurrent runners with claimed accounts, claiming a small batch at a time
 * (one claim in flight at once) so several instances share the due accounts evenly and no
 * instance sits on leases it will not get to soon.
 */
export class ClaimSource {
  private readonly buffer: ClaimedAccount[] = [];
  private readonly seen = new Set<string>();
  private exhausted = false;
  private refilling: Promise<void> | null = null;

  constructor(
    private readonly db: Db,
    private readonly owner: string,
    /** Called per claim, so the lease times follow the (injectable) clock. */
    private readonly params: () => ClaimParams,
    private readonly onClaimed: (account: ClaimedAccount) => void,
    /** Claims no more than this many accounts in all (what is left of the warm budget). */
    private readonly maxClaims = Number.POSITIVE_INFINITY,
  ) {}

  /** The next claimed account, or undefined when nothing is due any more. */
  async next(): Promise<ClaimedAccount | undefined> {
    for (;;) {
      const account = this.buffer.shift();
      if (account) return account;
      if (this.exhausted) return undefined;
      this.refilling ??= this.refill().finally(() => {
        this.refilling = null;
      });
      await this.refilling;
    }
  }

  /**
   * Stops claiming and gives back the leases of claimed accounts no runner has started
   * (the buffer, plus `taken`: ones runners took but did not start); returns them all.
   */
  async releaseUnstarted(taken: readonly ClaimedAccount[] = []): Promise<ClaimedAccount[]> {
    this.exhausted = true;
    await this.refilling?.catch(() => {});
    const left = [...taken, ...this.buffer.splice(0)];
    await releaseLeases(
      this.db,
      left.map((a) => a.accountId),
      this.owner,
    );
    return left;
  }

  private async refill(): Promise<void> {
    if (this.exhausted) return;
    const params = this.params();
    const room = this.maxClaims - this.seen.size;
    if (room <= 0) {
      this.exhausted = true;
      return;
    }
    const batch = await claimDueAccounts(this.db, {
      ...params,
      limit: Math.min(params.limit, room),
      owner: this.owner,
    });
    const again = batch.filter((a) => this.seen.has(a.accountId));
    if (again.length > 0) {
      // Handled in this cycle yet due again (eBay granted a very short expiry): leave it to
      // the next cycle rather than loop on it.
      await releaseLeases(
        this.db,
        again.map((a) => a.accountId),
        this.owner,
      );
    }
    const fresh = batch.filter((a) => !this.seen.has(a.accountId));
    if (fresh.length === 0) {
      this.exhausted = true;
      return;
    }
    for (const account of fresh) {
      this.seen.add(account.accountId);
      this.onClaimed(account);
      this.buffer.push(account);
    }
  }
}
