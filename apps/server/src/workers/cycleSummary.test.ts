import { cycleSummarySchema } from '@ebay-connector/contracts';
import { CycleRecorder } from './cycleSummary.ts';

describe('CycleRecorder', () => {
  it('counts outcomes overall and per org, and produces a summary the contract accepts', () => {
    const started = new Date('2025-01-01T12:00:00Z');
    const recorder = new CycleRecorder('cycle-1', 'instance-1', started);
    recorder.checked = 5;
    for (const org of ['org-a', 'org-a', 'org-b', 'org-b']) recorder.addDue(org);
    recorder.addOutcome('org-a', { kind: 'refreshed' });
    recorder.addOutcome('org-a', { kind: 'failed', code: 'invalid_grant' });
    recorder.addOutcome('org-b', { kind: 'failed', code: 'timeout' });
    recorder.addOutcome('org-b', { kind: 'skipped', reason: 'circuit_open' });
    recorder.addAttempt(false);
    recorder.addAttempt(true);

    const summary = recorder.finish(new Date(started.getTime() + 1500));
    expect(cycleSummarySchema.parse(summary)).toEqual(summary);
    expect(summary).toMatchObject({
      cycle_id: 'cycle-1',
      instance_id: 'instance-1',
      duration_ms: 1500,
      checked: 5,
      due: 4,
      refreshed: 1,
      failed: 2,
      skipped: 1,
      failed_by_code: { invalid_grant: 1, timeout: 1 },
      skipped_by_reason: { circuit_open: 1 },
      attempts: 2,
      retries: 1,
      circuit_open: false,
    });
    expect(summary.by_org).toEqual({
      'org-a': { due: 2, refreshed: 1, failed: 1, failed_by_code: { invalid_grant: 1 } },
      'org-b': { due: 2, refreshed: 0, failed: 1, failed_by_code: { timeout: 1 } },
    });
  });

  it('an empty cycle has zero counts', () => {
    const summary = new CycleRecorder('c', 'i', new Date()).finish(new Date());
    expect(summary).toMatchObject({
      due: 0,
      refreshed: 0,
      failed: 0,
      skipped: 0,
      by_org: {},
      failed_by_code: {},
    });
  });
});
