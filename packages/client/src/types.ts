import type { ServiceAccount as Account, endpoints, QueryOf, ResponseOf } from '@ebay-connector/contracts';

/** The service API's types, from the contracts (type-only: nothing of them is loaded at run time). */

export type ServiceAccount = Account;
export type ServiceAccountsFilter = QueryOf<typeof endpoints.serviceAccounts>;
export type AccessTokenResponseBody = ResponseOf<typeof endpoints.serviceAccessToken>;
