import { accountManagementEndpoints } from './accountManagement.ts';
import { accountsEndpoints } from './accounts.ts';
import { apiKeysEndpoints } from './apiKeys.ts';
import { authEndpoints } from './auth.ts';
import { connectEndpoints } from './connect.ts';
import { doctorEndpoints } from './doctor.ts';
import type { Endpoint } from './endpoint.ts';
import { logsEndpoints } from './logs.ts';
import { notificationsEndpoints } from './notifications.ts';
import { systemEndpoints } from './system.ts';
import { tokensEndpoints } from './tokens.ts';
import { usersEndpoints } from './users.ts';
import { workersEndpoints } from './workers.ts';

/**
 * Every endpoint of the API, by name. The server registers one route per entry
 * (apps/server/src/http/routes), the OpenAPI document lists them, the web client calls them.
 */
export const endpoints = {
  ...systemEndpoints,
  ...authEndpoints,
  ...workersEndpoints,
  ...tokensEndpoints,
  ...doctorEndpoints,
  ...logsEndpoints,
  ...accountsEndpoints,
  ...connectEndpoints,
  ...accountManagementEndpoints,
  ...usersEndpoints,
  ...notificationsEndpoints,
  ...apiKeysEndpoints,
} satisfies Record<string, Endpoint>;
