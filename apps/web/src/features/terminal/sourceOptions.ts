import type { Action, Source } from '@ebay-connector/contracts';
import type { TerminalFilter } from '../../api/terminal.ts';

/** Which sources a terminal kind can show, with the chip colour matching the line colour. */
const tokenSources: { value: Source; color: string }[] = [
  { value: 'scheduled', color: 'green' },
  { value: 'debug', color: 'blue' },
  { value: 'manual', color: 'yellow' },
  { value: 'on_demand', color: 'violet' },
];
const connectSources: { value: Source; color: string }[] = [
  { value: 'connect', color: 'cyan' },
  { value: 'debug', color: 'blue' },
  { value: 'manual', color: 'yellow' },
];

export function sourceOptionsFor(kind: TerminalFilter['kind']) {
  if (kind === 'token') return tokenSources;
  if (kind === 'connect') return connectSources;
  return [...tokenSources, connectSources[0]!];
}

/** The actions a terminal kind shows (the server's TERMINAL_ACTIONS), for the action filter. */
const tokenActions: Action[] = [
  'token_refreshed',
  'token_refresh_failed',
  'token_refresh_debug',
  'token_refresh_cycle',
  'token_info_viewed',
  'token_call_blocked_missing_scopes',
  'token_repaired',
  'account_deleted',
];
const connectActions: Action[] = [
  'connect_started',
  'token_exchanged',
  'connect_completed',
  'connect_failed',
  'account_disabled',
  'account_enabled',
  'account_removed',
  'account_deleted',
];

export function actionOptionsFor(kind: TerminalFilter['kind']): Action[] {
  if (kind === 'token') return tokenActions;
  if (kind === 'connect') return connectActions;
  return [...new Set([...tokenActions, ...connectActions])];
}
