/** The eBay simulator: OAuth authorize and token endpoints, the Identity API and a few Sell API calls. */
export type { EbaySimOptions } from './context.ts';
export { DEFAULT_GRANT_SCOPES, IDENTITY_SCOPE } from './context.ts';
export type { IssuedGrant, IssueGrantInput, SimControl } from './control.ts';
export { CONTROL_SECRET_HEADER } from './controlRoutes.ts';
export type { SimCounters } from './counters.ts';
export type { FailKind, FaultRates } from './faults.ts';
export type { DeletionDelivery, DeletionInput } from './notifications.ts';
export { INVALID_ACCESS_TOKEN_BODY, ITEMS_PER_SELLER, ORDERS_PER_SELLER } from './sellRoutes.ts';
export { type EbaySim, startEbaySim } from './server.ts';
export type { Seller, SimSnapshot } from './store.ts';
export type { GrantResponse } from './tokenRoute.ts';
