import { createTokenCipher, generateKeySpec, parseKeyRing } from '../../crypto/tokenCipher.ts';
import { checkStoredToken } from './doctorCheck.ts';
import { diagnoseRow, type TokenRowSnapshot } from './doctorDiagnose.ts';

const current = createTokenCipher(parseKeyRing(generateKeySpec('new')));
const TOKEN = 'v^1.1#i^1#p^3#r^1#I^3#f^0#t^Ul4xMF8xOkVGNzQ=';
const SCOPES = ['https://api.ebay.com/oauth/api_scope'];
const NOW = new Date('2026-06-01T00:00:00Z');

function row(overrides: Partial<TokenRowSnapshot> = {}): TokenRowSnapshot {
  return {
    accountId: '00000000-0000-0000-0000-000000000001',
    orgId: '00000000-0000-0000-0000-0000000000aa',
    environment: 'production',
    houseName: 'Shop',
    ebayUsername: 'seller1',
    status: 'active',
    statusReason: null,
    accessToken: current.encrypt(TOKEN),
    refreshToken: current.encrypt(TOKEN),
    refreshExpiresAt: new Date('2027-06-01T00:00:00Z'),
    scopes: SCOPES,
    version: 1,
    leaseUntil: null,
    ...overrides,
  };
}

const diagnose = (r: TokenRowSnapshot) =>
  diagnoseRow(r, { cipher: current, requiredScopes: SCOPES, now: NOW });

describe('checkStoredToken', () => {
  it('unwraps any number of layers up to four, but only into a valid token', () => {
    const triple = current.encrypt(current.encrypt(current.encrypt(TOKEN)));
    expect(checkStoredToken(current, triple)).toMatchObject({
      state: 'double_encrypted',
      recovered: { plaintext: TOKEN, via: 'unwrap' },
    });
    const wrappedJunk = current.encrypt(current.encrypt('Bearer abc'));
    expect(checkStoredToken(current, wrappedJunk)).toMatchObject({
      state: 'double_encrypted',
      recovered: null,
    });
  });

  it('encrypts legacy plaintext only when it is an eBay token', () => {
    expect(checkStoredToken(current, TOKEN)).toMatchObject({
      state: 'plaintext_legacy',
      recovered: { via: 'encrypt_plaintext' },
    });
    expect(checkStoredToken(current, 'abc')).toMatchObject({ state: 'plaintext_legacy', recovered: null });
  });
});

describe('diagnoseRow', () => {
  it('finds nothing wrong with a healthy row', () => {
    const { account, plan, needsSeller } = diagnose(row());
    expect(account.problems).toEqual([]);
    expect(plan.steps).toEqual([]);
    expect(needsSeller).toBe(false);
  });

  it('repairs crypto on accounts of any status, but changes the status of active ones only', () => {
    const broken = 'ENC:v1:garbage';
    for (const status of ['needs_reconnect', 'disabled'] as const) {
      const { plan } = diagnose(row({ status, refreshToken: broken, accessToken: TOKEN }));
      expect(plan.steps.map((s) => s.action)).toEqual(['encrypt_plaintext']);
      expect(plan.needsReconnectReason).toBeNull();
    }
    const active = diagnose(row({ refreshToken: broken })).plan;
    expect(active.needsReconnectReason).toBe('token doctor: refresh token malformed');
  });

  it('treats an empty granted scope list as unknown, not as missing everything', () => {
    expect(diagnose(row({ scopes: [] })).account.missing_scopes).toEqual([]);
    expect(diagnose(row({ scopes: ['other'] })).account.missing_scopes).toEqual(SCOPES);
  });

  it('warns 30 days before the refresh token expires', () => {
    const soon = diagnose(row({ refreshExpiresAt: new Date('2026-06-20T00:00:00Z') }));
    expect(soon.account.problems).toEqual([
      expect.objectContaining({
        cause: 'refresh_token_expiring',
        severity: 'warning',
        repair: 'seller_reconnect',
      }),
    ]);
    expect(soon.plan.steps).toEqual([]);
  });

  it('never copies a token into what it reports or logs (only the plan holds it, to write it)', () => {
    const { account, plan } = diagnose(
      row({ refreshToken: TOKEN, accessToken: current.encrypt(`x${TOKEN}`) }),
    );
    const text = JSON.stringify({ account, steps: plan.steps });
    expect(text).not.toContain('v^1.1#');
    expect(text).not.toContain('Ul4xMF8x');
  });
});
