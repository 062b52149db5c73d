import type { HttpRequestView, HttpResponseView } from '@ebay-connector/contracts';

export const REQUEST_HEADING = '=== HTTP REQUEST ===';
export const RESPONSE_HEADING = '=== HTTP RESPONSE ===';

export interface TranscriptLine {
  text: string;
  kind: 'heading' | 'start' | 'header' | 'body' | 'blank';
}

/** JSON bodies are pretty-printed for reading; anything else is shown exactly as sent. */
export function bodyLines(body: string): string[] {
  if (!body) return ['(empty body)'];
  const trimmed = body.trim();
  if (trimmed.startsWith('{') || trimmed.startsWith('[')) {
    try {
      return JSON.stringify(JSON.parse(trimmed), null, 2).split('\n');
    } catch {
      // not JSON after all: fall through to the raw text
    }
  }
  return body.split(/\r?\n/);
}

function headerLines(headers: Record<string, string>): TranscriptLine[] {
  return Object.entries(headers).map(([name, value]) => ({ text: `${name}: ${value}`, kind: 'header' }));
}

export function requestLines(request: HttpRequestView): TranscriptLine[] {
  return [
    { text: REQUEST_HEADING, kind: 'heading' },
    { text: `${request.method} ${request.url}`, kind: 'start' },
    ...headerLines(request.headers),
    { text: '', kind: 'blank' },
    ...bodyLines(request.body).map((text): TranscriptLine => ({ text, kind: 'body' })),
  ];
}

export function responseLines(response: HttpResponseView): TranscriptLine[] {
  return [
    { text: RESPONSE_HEADING, kind: 'heading' },
    { text: `HTTP ${response.status_code} ${response.reason}`.trimEnd(), kind: 'start' },
    ...headerLines(response.headers),
    { text: '', kind: 'blank' },
    ...bodyLines(response.body).map((text): TranscriptLine => ({ text, kind: 'body' })),
  ];
}

/**
 * The exchange as a terminal prints it: the request block, then the response
 * block (or a note that none came back). Values are shown as the server gave
 * them: tokens arrive masked and stay that way.
 */
export function httpTranscript(
  request: HttpRequestView | null,
  response: HttpResponseView | null,
): TranscriptLine[] {
  if (!request && !response) return [];
  const lines: TranscriptLine[] = request ? requestLines(request) : [];
  if (response) lines.push(...responseLines(response));
  else
    lines.push({ text: RESPONSE_HEADING, kind: 'heading' }, { text: '(no response received)', kind: 'body' });
  return lines;
}
