import {
  type DoctorAccount,
  printable,
  type TokenDoctorReport,
  type TokenRepairReport,
} from '@ebay-connector/contracts';

/** Plain-text tables of the doctor's and the repair's reports, for `npm run cli -- tokens …`. */

/** Cells hold stored strings (house names set by org admins): printed with control characters escaped. */
export function formatTable(header: readonly string[], cells: readonly (readonly string[])[]): string[] {
  const rows = cells.map((r) => r.map(printable));
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((c, i) => (i === cells.length - 1 ? c : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [line(header), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)];
}

const accountLabel = (a: { house_name: string; ebay_account_id: string }) =>
  `${a.house_name} (${a.ebay_account_id.slice(0, 8)})`;

function problemsOf(account: DoctorAccount): string {
  return account.problems.map((p) => `${p.cause}${p.token ? ` [${p.token}]` : ''} → ${p.repair}`).join('; ');
}

export function formatDoctorReport(report: TokenDoctorReport): string[] {
  const lines = [
    `Token doctor: ${report.total} accounts checked, ${report.healthy} healthy, ${report.with_problems} with problems`,
    `Keys: current "${report.current_key_id}", ring ${report.key_ids.map((k) => `"${k}"`).join(', ')}`,
  ];
  if (report.with_problems === 0)
    return [...lines, '', 'Every token decrypts under the current key into a valid eBay token.'];
  const causes = Object.entries(report.by_cause).sort((a, b) => b[1] - a[1]);
  lines.push(
    '',
    ...formatTable(
      ['CAUSE', 'ACCOUNTS'],
      causes.map(([cause, n]) => [cause, String(n)]),
    ),
  );
  lines.push(
    '',
    ...formatTable(
      ['ACCOUNT', 'ENV', 'STATUS', 'ACCESS', 'REFRESH', 'PROBLEMS → REPAIR'],
      report.accounts.map((a) => [
        accountLabel(a),
        a.environment,
        a.status,
        a.access_token.state,
        a.refresh_token.state,
        problemsOf(a),
      ]),
    ),
  );
  if (report.truncated) lines.push(`… ${report.with_problems - report.accounts.length} more (use --json)`);
  lines.push('', 'Preview the repairs with `npm run cli -- tokens repair`; apply them with `--apply`.');
  return lines;
}

export function formatRepairReport(report: TokenRepairReport): string[] {
  const verb = report.apply ? 'changed' : 'would change';
  const lines = [
    `Token repair${report.apply ? '' : ' (dry run)'}: ${report.checked} accounts checked, ${report.changed} ${verb}` +
      (report.conflicts || report.busy
        ? `, ${report.conflicts} changed meanwhile, ${report.busy} busy (run again)`
        : ''),
  ];
  if (report.accounts.length > 0) {
    lines.push(
      '',
      ...formatTable(
        ['ACCOUNT', 'ENV', 'OUTCOME', 'STEPS'],
        report.accounts.map((a) => [
          accountLabel(a),
          a.environment,
          a.outcome,
          a.steps.map((s) => `${s.token ?? 'account'}: ${s.action} (${s.cause})`).join('; '),
        ]),
      ),
    );
    if (report.truncated) lines.push('… more accounts (use --json)');
  }
  if (report.needs_seller > 0) {
    lines.push(
      '',
      `${report.needs_seller} accounts ${report.apply ? 'need' : 'will need'} the seller to reconnect (Workers page → Token doctor → Reconnect).`,
    );
  }
  if (report.waiting_for_key > 0) {
    lines.push(
      '',
      `${report.waiting_for_key} accounts have tokens under a key that is not in the key ring: they were left alone. Add the key back (TOKEN_ENCRYPTION_KEYS, or the key file in DATA_DIR) and they work again; only if it is lost for good, run again with --mark-unknown-key.`,
    );
  }
  if (!report.apply && report.changed > 0)
    lines.push('', 'Dry run: nothing was changed. Run again with --apply to apply.');
  return lines;
}
