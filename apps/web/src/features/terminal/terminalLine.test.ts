import { describe, expect, it } from 'vitest';
import { toneColor, wrapLines } from './terminalLine.ts';

describe('soft wrap', () => {
  it('splits only long lines into rows with their own keys, keeping the tone', () => {
    const lines = [
      { key: 'a', text: 'short', tone: 'plain' as const },
      { key: 'b', text: 'x'.repeat(45), tone: 'debug' as const },
    ];
    const rows = wrapLines(lines, 20);
    expect(rows.map((row) => [row.key, row.text.length, row.tone])).toEqual([
      ['a', 5, 'plain'],
      ['b', 20, 'debug'],
      ['b~1', 20, 'debug'],
      ['b~2', 5, 'debug'],
    ]);
    expect(wrapLines(lines, 0)).toBe(lines);
  });
});

describe('tone colours', () => {
  it('a cycle marker with failures is not a yellow or orange that reads as a manual entry', () => {
    const hue = (color: string) => color.split('.')[0];
    expect(hue(toneColor.manual)).toBe('yellow');
    expect(['yellow', 'orange']).not.toContain(hue(toneColor.warning));
    expect(hue(toneColor.warning)).not.toBe(hue(toneColor.scheduled));
  });
});
