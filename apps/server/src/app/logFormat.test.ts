import { Writable } from 'node:stream';
import pretty from 'pino-pretty';
import { parseEnv } from '../config/env.ts';
import { createLogger, logFormatOf } from './runtime.ts';

function sink(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk, _enc, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
}

describe('console format', () => {
  it('is readable on a terminal and JSON lines otherwise or when asked', () => {
    expect(logFormatOf({ LOG_FORMAT: undefined }, true)).toBe('pretty');
    expect(logFormatOf({ LOG_FORMAT: undefined }, false)).toBe('json');
    expect(logFormatOf({ LOG_FORMAT: 'json' }, true)).toBe('json');
    expect(logFormatOf({ LOG_FORMAT: 'pretty' }, false)).toBe('pretty');
    expect(() => parseEnv({ LOG_FORMAT: 'xml' })).toThrow(/LOG_FORMAT/);
  });

  it('prints time, level, message and fields, with secrets still redacted', () => {
    const out = sink();
    const env = parseEnv({ LOG_FORMAT: 'pretty' });
    const logger = createLogger(env, pretty({ sync: true, colorize: false, destination: out.stream }));
    logger.info({ account: 'acc-1', body: { refresh_token: 'v^1.1#secret' } }, 'Refreshed');
    expect(out.text()).toMatch(/^\[\d\d:\d\d:\d\d\.\d{3}\] INFO .*Refreshed/);
    expect(out.text()).toContain('acc-1');
    expect(out.text()).not.toContain('secret');
    expect(out.text().trim().startsWith('{')).toBe(false);
  });
});
