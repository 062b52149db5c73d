import type { EbaySim } from '@ebay-connector/ebay-sim';
import { DEFAULT_SCOPES } from '../config/env.ts';
import type { AppContext } from '../context.ts';

/**
 * A simulator as the server's eBay application, in the two forms the server is configured in:
 * an AppContext's `ebay` (a server in this process) and the environment of a role process.
 */

/** What configuring against a simulator needs: its app credentials and its one base URL. */
export type SimulatorApp = Pick<EbaySim, 'clientId' | 'clientSecret' | 'ruName' | 'url'>;

/** The eBay application of a context whose eBay is a simulator (in this process or another). */
export function simulatedEbay(sim: SimulatorApp, timeoutMs: number): AppContext['ebay'] {
  return {
    clientId: sim.clientId,
    clientSecret: sim.clientSecret,
    ruName: sim.ruName,
    scopes: DEFAULT_SCOPES,
    defaultEnvironment: 'production',
    overrides: { authBaseUrl: sim.url, apiBaseUrl: sim.url, apizBaseUrl: sim.url },
    timeoutMs,
    simulated: true,
  };
}

/** The variables that point a role process (`roles/*.ts`) at a simulator: all three eBay hosts. */
export function simulatorEnv(sim: SimulatorApp): Record<string, string> {
  return {
    EBAY_CLIENT_ID: sim.clientId,
    EBAY_CLIENT_SECRET: sim.clientSecret,
    EBAY_RU_NAME: sim.ruName,
    EBAY_AUTH_BASE_URL: sim.url,
    EBAY_API_BASE_URL: sim.url,
    EBAY_APIZ_BASE_URL: sim.url,
  };
}
