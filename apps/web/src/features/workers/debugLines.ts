import { type Environment, printable, type RefreshDebugResult } from '@ebay-connector/contracts';
import { describeError } from '../../api/apiError.ts';
import { formatDateTime, formatDuration } from '../../lib/time.ts';
import { explainDiagnosis } from '../terminal/diagnosis.ts';
import { httpTranscript } from '../terminal/httpTranscript.ts';
import type { TerminalLine, TerminalTone } from '../terminal/terminalLine.ts';

export interface DebugTarget {
  id: string;
  house_name: string;
  environment: Environment;
}

export interface DebugRunState {
  result: RefreshDebugResult | undefined;
  error: Error | null;
  pending: boolean;
}

function resultLines(result: RefreshDebugResult): [string, TerminalTone][] {
  const lines: [string, TerminalTone][] = [];
  for (const line of httpTranscript(result.request, result.response)) {
    lines.push([line.text, line.kind === 'heading' ? 'debug' : 'plain']);
  }
  if (!result.request) lines.push(['No HTTP request was made.', 'warning']);
  lines.push(['', 'muted'], ['=== RESULT ===', result.success ? 'success' : 'error']);
  if (result.success) {
    const expiry = formatDateTime(result.access_token_expires_at);
    lines.push([
      `success — new access token expires ${expiry} (${formatDuration(result.duration_ms)})`,
      'success',
    ]);
  } else {
    const description = result.error_description ? `: ${result.error_description}` : '';
    lines.push([`failed — ${result.error ?? 'unknown_error'}${description}`, 'error']);
    if (result.diagnosis) lines.push([`diagnosis: ${explainDiagnosis(result.diagnosis)}`, 'error']);
  }
  return lines;
}

/**
 * What the "Token refresh (debug)" terminal prints for one run: the exact HTTP
 * exchange, or, when none was made, the reason and the decrypt diagnosis.
 */
export function debugLines(target: DebugTarget, run: DebugRunState): TerminalLine[] {
  const lines: [string, TerminalTone][] = [
    [`$ refresh-debug account="${target.house_name}" (${target.environment}) id=${target.id}`, 'muted'],
    ['', 'muted'],
  ];
  if (run.pending) lines.push(['Refreshing… the request is being sent now.', 'muted']);
  else if (run.error) lines.push([`Request failed: ${describeError(run.error)}`, 'error']);
  else if (run.result) lines.push(...resultLines(run.result));
  // The house name and eBay's answer are stored strings: control characters shown escaped.
  return lines.map(([text, tone], index) => ({ key: `debug:${index}`, text: printable(text), tone }));
}
