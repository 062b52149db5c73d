import { type Action, type Source, TERMINAL_ACTIONS } from '@ebay-connector/contracts';
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

/** The actions a terminal kind shows (the server filters by the same lists), for the action filter. */
export function actionOptionsFor(kind: TerminalFilter['kind']): Action[] {
  return [...TERMINAL_ACTIONS[kind]];
}
