import { ConfigError, configWarnings, parseEnv, scopesOf } from './env.ts';

describe('configuration', () => {
  it('applies the documented defaults to an empty environment', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({
      PORT: 3000,
      HOST: '127.0.0.1',
      DATA_DIR: './data',
      TOKEN_REFRESH_INTERVAL_SECONDS: 600,
      TOKEN_REFRESH_THRESHOLD_SECONDS: 900,
      LOG_RETENTION_DAYS: 30,
    });
    expect(scopesOf(env)).toContain('https://api.ebay.com/oauth/api_scope/commerce.identity.readonly');
  });

  it('names every bad variable at once', () => {
    let message = '';
    try {
      parseEnv({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        TOKEN_REFRESH_CONCURRENCY: '0',
        EBAY_ENVIRONMENT: 'staging',
      });
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      message = (err as Error).message;
    }
    for (const name of ['PORT', 'DATABASE_URL', 'TOKEN_REFRESH_CONCURRENCY', 'EBAY_ENVIRONMENT']) {
      expect(message).toContain(name);
    }
  });

  it('checks the claim passes: interval 0 or ≥ 10 s, margin at least two claim intervals, each error naming its variable', () => {
    expect(parseEnv({})).toMatchObject({
      TOKEN_REFRESH_CLAIM_INTERVAL_SECONDS: 60,
      TOKEN_REFRESH_CLAIM_MARGIN_SECONDS: 180,
    });
    expect(parseEnv({ TOKEN_REFRESH_CLAIM_INTERVAL_SECONDS: '0' }).TOKEN_REFRESH_CLAIM_INTERVAL_SECONDS).toBe(
      0,
    );
    expect(() => parseEnv({ TOKEN_REFRESH_CLAIM_INTERVAL_SECONDS: '5' })).toThrow(
      /TOKEN_REFRESH_CLAIM_INTERVAL_SECONDS: must be 0 \(claim passes off\) or at least 10 seconds/,
    );
    expect(() => parseEnv({ TOKEN_REFRESH_CLAIM_INTERVAL_SECONDS: 'soon' })).toThrow(
      /TOKEN_REFRESH_CLAIM_INTERVAL_SECONDS/,
    );
    expect(() => parseEnv({ TOKEN_REFRESH_CLAIM_INTERVAL_SECONDS: '120' })).toThrow(
      /TOKEN_REFRESH_CLAIM_MARGIN_SECONDS: must be at least twice the claim interval/,
    );
    // Cycles look at the tokens too: a claim interval past the cycle interval counts as the cycle's.
    expect(() =>
      parseEnv({ TOKEN_REFRESH_CLAIM_INTERVAL_SECONDS: '900', TOKEN_REFRESH_INTERVAL_SECONDS: '60' }),
    ).not.toThrow();
  });

  it('stops on an unknown EBAY_/TOKEN_ variable, naming it (a typo must not be ignored)', () => {
    expect(() => parseEnv({ EBAY_CLIENTID: 'x' })).toThrow(/EBAY_CLIENTID: unknown variable/);
    expect(() => parseEnv({ TOKEN_REFRESH_INTERVAL: '60' })).toThrow(/TOKEN_REFRESH_INTERVAL: unknown/);
  });

  it('checks the notification verification token as eBay does (32–80 of A-Za-z0-9_-)', () => {
    expect(() => parseEnv({ EBAY_NOTIFICATION_VERIFICATION_TOKEN: 'short' })).toThrow(
      /EBAY_NOTIFICATION_VERIFICATION_TOKEN: must be 32 to 80/,
    );
    expect(() => parseEnv({ EBAY_NOTIFICATION_VERIFICATION_TOKEN: `${'a'.repeat(40)}!` })).toThrow(
      /EBAY_NOTIFICATION_VERIFICATION_TOKEN/,
    );
    const token = `${'a'.repeat(30)}_-09`;
    expect(
      parseEnv({ EBAY_NOTIFICATION_VERIFICATION_TOKEN: token }).EBAY_NOTIFICATION_VERIFICATION_TOKEN,
    ).toBe(token);
  });

  it('stops on a bad refresh policy or budget, naming the variable', () => {
    expect(() => parseEnv({ TOKEN_REFRESH_POLICY: 'sometimes' })).toThrow(/TOKEN_REFRESH_POLICY: /);
    expect(() => parseEnv({ EBAY_DAILY_REFRESH_LIMIT: '0' })).toThrow(/EBAY_DAILY_REFRESH_LIMIT: /);
    expect(() => parseEnv({ EBAY_REFRESH_RESERVE: '95' })).toThrow(
      /EBAY_REFRESH_RESERVE: must be a percentage from 0 to 90/,
    );
    expect(parseEnv({ TOKEN_REFRESH_POLICY: 'on_demand', EBAY_DAILY_REFRESH_LIMIT: '100000' })).toMatchObject(
      {
        TOKEN_REFRESH_POLICY: 'on_demand',
        EBAY_DAILY_REFRESH_LIMIT: 100_000,
        EBAY_REFRESH_RESERVE: 20,
      },
    );
  });

  it('wants all three eBay credentials or none', () => {
    expect(() => parseEnv({ EBAY_CLIENT_ID: 'id' })).toThrow(
      /EBAY_CLIENT_SECRET.*\n.*EBAY_RU_NAME|EBAY_RU_NAME/s,
    );
    expect(
      parseEnv({ EBAY_CLIENT_ID: 'id', EBAY_CLIENT_SECRET: 's', EBAY_RU_NAME: 'r' }).EBAY_CLIENT_ID,
    ).toBe('id');
  });

  it('requires a key ring in production', () => {
    expect(() => parseEnv({ NODE_ENV: 'production' })).toThrow(
      /TOKEN_ENCRYPTION_KEYS: required in production/,
    );
  });

  it('refuses a common ADMIN_PASSWORD, in any case', () => {
    expect(() => parseEnv({ ADMIN_PASSWORD: 'BaseBall1' })).toThrow(
      /ADMIN_PASSWORD: password is one of the most common passwords/,
    );
    expect(parseEnv({ ADMIN_PASSWORD: 'a-long-password' }).ADMIN_PASSWORD).toBe('a-long-password');
  });

  it('refuses an unsigned alert webhook in production, and warns about one elsewhere', () => {
    const prod = { NODE_ENV: 'production', TOKEN_ENCRYPTION_KEYS: 'k1:AAAA' };
    expect(() => parseEnv({ ...prod, ALERT_WEBHOOK_URL: 'https://hooks.example/a' })).toThrow(
      /ALERT_WEBHOOK_SECRET: required in production when ALERT_WEBHOOK_URL is set/,
    );
    const signed = { ALERT_WEBHOOK_URL: 'https://hooks.example/a', ALERT_WEBHOOK_SECRET: 'x'.repeat(16) };
    expect(parseEnv({ ...prod, ...signed }).ALERT_WEBHOOK_SECRET).toBe('x'.repeat(16));
    expect(configWarnings(parseEnv(signed))).toEqual([]);
    expect(configWarnings(parseEnv({ ALERT_WEBHOOK_URL: 'https://hooks.example/a' }))).toEqual([
      expect.stringMatching(/without ALERT_WEBHOOK_SECRET: alert events are sent UNSIGNED/),
    ]);
  });

  it('warns that the threshold does not schedule refreshes while claim passes are on', () => {
    expect(configWarnings(parseEnv({}))).toEqual([]);
    expect(configWarnings(parseEnv({ TOKEN_REFRESH_THRESHOLD_SECONDS: '7500' }))).toEqual([
      expect.stringMatching(
        /^TOKEN_REFRESH_THRESHOLD_SECONDS=7500 does not change when warm tokens are refreshed while claim passes are on .*TOKEN_REFRESH_CLAIM_MARGIN_SECONDS \(180 s\)/,
      ),
    ]);
    const cycleOnly = { TOKEN_REFRESH_THRESHOLD_SECONDS: '7500', TOKEN_REFRESH_CLAIM_INTERVAL_SECONDS: '0' };
    expect(configWarnings(parseEnv(cycleOnly))).toEqual([]);
  });

  it('reads TRUST_PROXY as off, on, or a list of proxy addresses', () => {
    expect(parseEnv({}).TRUST_PROXY).toBe(false);
    expect(parseEnv({ TRUST_PROXY: 'true' }).TRUST_PROXY).toBe(true);
    expect(parseEnv({ TRUST_PROXY: 'TRUE' }).TRUST_PROXY).toBe(true);
    expect(parseEnv({ TRUST_PROXY: 'False' }).TRUST_PROXY).toBe(false);
    const oneHop = parseEnv({ TRUST_PROXY: '1' }).TRUST_PROXY as (address: string, hop: number) => boolean;
    expect([oneHop('10.0.0.1', 0), oneHop('10.0.0.2', 1)]).toEqual([true, false]);
    expect(parseEnv({ TRUST_PROXY: '10.0.0.0/8, 127.0.0.1' }).TRUST_PROXY).toEqual([
      '10.0.0.0/8',
      '127.0.0.1',
    ]);
  });

  it('reads EBAY_SCOPES separated by spaces or commas', () => {
    expect(scopesOf(parseEnv({ EBAY_SCOPES: 'a b,c' }))).toEqual(['a', 'b', 'c']);
  });
});
