import { hasControlCharacters, printable } from './printable.ts';

describe('printable', () => {
  it('shows escape sequences, line breaks and bidi overrides as visible escapes', () => {
    const forged = 'Shop\x1b[2J\x1b]0;owned\x07\r\nsource=scheduled token_refreshed\u202edcba\u2028';
    const shown = printable(forged);
    expect(shown).toBe(
      'Shop\\x1b[2J\\x1b]0;owned\\x07\\r\\nsource=scheduled token_refreshed\\u202edcba\\u2028',
    );
    expect(hasControlCharacters(shown)).toBe(false);
  });

  it('leaves ordinary text alone, accents, emoji and right-to-left letters included', () => {
    for (const text of ['Summit Outdoor', 'Café Münster 日本 🛒', 'متجر الصحراء', 'a\\nb']) {
      expect(printable(text)).toBe(text);
      expect(hasControlCharacters(text)).toBe(false);
    }
  });

  it('escapes DEL and C1 controls, and tells text that holds any', () => {
    expect(printable('a\x7fb\x9bc')).toBe('a\\x7fb\\x9bc');
    expect(hasControlCharacters('tab\there')).toBe(true);
    expect(hasControlCharacters('isolate\u2066x\u2069')).toBe(true);
  });
});
