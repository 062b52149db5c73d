/**
 * Stored strings (house names set by org admins, usernames and messages from eBay) are printed as
 * text in CLI tables, terminal lines and copied or downloaded logs. A control character there can
 * clear an operator's screen, set the window title, or start a forged line (CR, LF); a bidi
 * override can reverse what a line appears to say. `printable` shows each such character as a
 * visible escape instead (`\x1b`, `\r`, `\u202e`), so the text stays on its own line and is still
 * legible to someone investigating.
 */

// C0 controls (tab, CR and LF included), DEL, C1 controls, the line and paragraph separators and
// the bidirectional embedding, override and isolate marks.
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNPRINTABLE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/g;
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching control characters is the point
const UNPRINTABLE_ONE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069]/;

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeChar(c: string): string {
  const named = NAMED[c];
  if (named) return named;
  const code = c.charCodeAt(0);
  return code <= 0xff
    ? `\\x${code.toString(16).padStart(2, '0')}`
    : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** The text with every control character shown as a visible escape. */
export function printable(text: string): string {
  return text.replace(UNPRINTABLE, escapeChar);
}

/** Whether printing the text raw could move the cursor, start a line or reorder what it shows. */
export function hasControlCharacters(text: string): boolean {
  return UNPRINTABLE_ONE.test(text);
}
