import { checkTokensAfterFaults } from './lib/faultChecks.ts';
import { machineFigures, recordFigures } from './lib/figures.ts';
import { type SuiteEnv, startSuiteEnv, stopSuiteEnv } from './lib/suiteEnv.ts';
import { runCaseVariantStage } from './stages/caseVariantLimit.ts';
import { runControlCharactersStage } from './stages/controlCharacters.ts';
import { KNOWN_ERROR_CODES, runFaultsStage } from './stages/faults.ts';
import { runFuzzStage } from './stages/fuzz.ts';
import { runLoadStage } from './stages/load.ts';
import { runSecretsStage } from './stages/secrets.ts';
import { runStreamAfterLogoutStage } from './stages/streamAfterLogout.ts';

const LOAD_SECONDS = Number(process.env.RELIABILITY_LOAD_SECONDS ?? 60);
const SEED = Number(process.env.RELIABILITY_SEED ?? Math.floor(Math.random() * 2 ** 31));

describe.sequential('reliability', () => {
  let env: SuiteEnv;
  let loadAccountIds: string[] = [];
  beforeAll(async () => {
    recordFigures('machine', { at_start: machineFigures() });
    env = await startSuiteEnv();
  });
  afterAll(async () => {
    recordFigures('machine', { at_end: machineFigures() });
    await stopSuiteEnv(env);
  });

  it('load: 50 clients on tokens/status and terminal-logs during a 2,000-account cycle, zero errors', async () => {
    const r = await runLoadStage(env, {
      accounts: 2000,
      clients: 50,
      durationMs: LOAD_SECONDS * 1000,
      simLatencyMs: 20,
    });
    loadAccountIds = r.accountIds;
    recordFigures('load', {
      ...r,
      accountIds: undefined,
      errors: r.errors.length,
      first_errors: r.errors.slice(0, 5),
    });
    expect(r.errors).toEqual([]);
    expect(r.failedRefreshesInWindow).toBe(0);
    expect(r.maxConcurrentRefreshesOfOneToken).toBe(1);
    expect(r.workerExit).toBe(0);
  });

  it('faults: fault mix, a worker SIGKILLed and PostgreSQL cut mid-cycle; nothing lost, no duplicate refreshes', async () => {
    const r = await runFaultsStage(env, {
      accounts: 2000,
      simLatencyMs: 20,
      faults: {
        rate5xx: 0.1,
        rate429: 0.05,
        retryAfterSeconds: 1,
        rateTimeout: 0.03,
        rateReset: 0.03,
        rateHtml5xx: 0.03,
      },
      outageMs: 5_000,
    });
    const check = await checkTokensAfterFaults(env.ctx, env.sim, r.orgId, r.accounts, 50);
    recordFigures('faults', {
      ...r,
      accounts: r.accounts.length,
      orgId: undefined,
      check: { ...check, problems: check.problems.slice(0, 10) },
    });
    expect(r.roundA.settled).toBe(2000);
    expect(r.roundA.unclassified).toBe(0);
    expect(r.roundB.leasesHeldByKilledWorker).toBeGreaterThan(0);
    expect(r.roundC.healthzDuringOutage).toBe(503);
    expect(r.roundC.loginDuringOutage).toBe(503);
    expect(Object.values(r.roundC.databaseErrorsLogged).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
    expect(r.roundC.healthzAfter).toBe(200);
    expect(r.workersAliveAfterOutage).toBe(true);
    expect(r.roundC.refreshed).toBe(2000);
    expect(r.workerExitCodes).toEqual([0, 0]);
    expect(r.maxConcurrentRefreshesOfOneToken).toBe(1);
    expect(Object.keys(r.failuresByCode).filter((code) => !KNOWN_ERROR_CODES.has(code))).toEqual([]);
    expect(check.rows).toBe(2000);
    expect(check.problems).toEqual([]);
  }, 600_000);

  it('bad input: a generated fuzz of every API route, zero 5xx, zero crashes', async () => {
    const r = await runFuzzStage(env, {
      seed: SEED,
      perOperation: 60,
      foreignAccountIds: loadAccountIds.slice(0, 5),
    });
    recordFigures('fuzz', {
      ...r,
      serverErrors: r.serverErrors.length,
      clientErrors: r.clientErrors.length,
      nonStandardErrorBodies: r.nonStandardErrorBodies.length,
      first_server_errors: r.serverErrors.slice(0, 5),
    });
    expect(r.secretPaths.connectedAccountId).not.toBeNull();
    expect(Object.entries(r.secretPaths.statuses).filter(([, status]) => status >= 400)).toEqual([]);
    expect(r.secretPaths.replayOutcome).not.toBe('none');
    expect(r.operations.length).toBeGreaterThanOrEqual(19);
    expect(r.serverErrors).toEqual([]);
    expect(r.clientErrors).toEqual([]);
    expect(r.nonStandardErrorBodies).toEqual([]);
    expect(r.rawMismatches).toEqual([]);
    expect(r.keepAliveAfterRejection).toBe('431 then 200');
    expect(r.healthzAfter).toBe(200);
    expect(r.webAlive).toBe(true);
    expect(r.unhandledErrorLogLines).toBe(0);
  });

  it('attack: one account id in 6 spellings gets one limit of 6 debug refreshes a minute, not 6 limits', async () => {
    const r = await runCaseVariantStage(env, { requests: 30 });
    recordFigures('attack_case_variant_limit', { ...r });
    expect(r.spellings).toBeGreaterThanOrEqual(5);
    expect(r.otherStatuses).toEqual([]);
    expect(r.answered200).toBe(6);
    expect(r.answered429).toBe(24);
    expect(r.ebayTokenCalls).toBe(6);
  });

  it('attack: the terminal stream ends within 5 s of logout, and one session opens at most 5 streams', async () => {
    const r = await runStreamAfterLogoutStage(env, { waitMs: 8_000, streamsAsked: 20 });
    recordFigures('attack_stream_after_logout', { ...r });
    expect(r.endedAfterMs).not.toBeNull();
    expect(r.endedAfterMs!).toBeLessThan(5_000);
    expect(r.lastEvent).toBe('error');
    expect(r.entriesWrittenAfterLogout).toBeGreaterThan(0);
    expect(r.entriesAfterLogout).toBe(0);
    expect(r.streamsOpened).toBe(5);
    expect(r.streamsRefused429).toBe(15);
  });

  it('attack: a house name with escape sequences and a forged line is refused, and printed escaped by the CLI', async () => {
    const r = await runControlCharactersStage(env);
    recordFigures('attack_control_characters', { ...r });
    expect(r.connectStatus).toBe(400);
    expect(r.connectMessage).toContain('house_name must not contain control characters');
    expect(r.cliExit).toBe(0);
    expect(r.rawControlCharacters).toBe(0);
    expect(r.linesNamingTheFakeAction).toBe(1);
    expect(r.escapedNameShown).toBe(true);
  });

  it('secrets: no issued token, client secret or API key in the database dump, the response bodies or the logs', async () => {
    const r = await runSecretsStage(env);
    recordFigures('secrets', { ...r, hits: r.hits.length, first_hits: r.hits.slice(0, 10) });
    expect(r.webExit).toBe(0);
    // An issued token raw and percent-encoded, and the API key used during the stage.
    expect(r.controlHits).toBe(3);
    expect(r.apiKeyCalls).toMatchObject({ accounts: 200, proxy_attack: 400, malformed_key: 401 });
    expect(r.tokenRows).toBeGreaterThan(0);
    expect(r.encryptedValuesInDump).toBeGreaterThanOrEqual(2 * r.tokenRows);
    expect(r.scanned.every((s) => s.files > 0 && s.bytes > 0)).toBe(true);
    expect(r.hits).toEqual([]);
  });
});
