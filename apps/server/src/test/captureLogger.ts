import pino, { type Logger } from 'pino';

/** A pino logger whose lines a test can read. */
export function captureLogger(): {
  logger: Logger;
  messages: () => string[];
  lines: () => Record<string, unknown>[];
} {
  const lines: Record<string, unknown>[] = [];
  const logger = pino(
    { level: 'info' },
    {
      write(line: string) {
        lines.push(JSON.parse(line) as Record<string, unknown>);
      },
    },
  );
  return { logger, lines: () => lines, messages: () => lines.map((l) => String(l.msg)) };
}
