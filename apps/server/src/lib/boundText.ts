/**
 * Bounds a string before it is stored: at most `max` characters, the cut said in the text
 * itself (`… [921600 characters in all]`), so a reader knows it is not the whole. For text kept
 * for people (transcripts, error messages); keys and identities are refused instead (identity.ts).
 */
export function boundText(value: string, max: number): string {
  if (value.length <= max) return value;
  const note = `… [${value.length} characters in all]`;
  return `${value.slice(0, Math.max(0, max - note.length))}${note}`;
}

/** Bodies of a logged HTTP exchange: eBay's answers are a few KB; more is cut. */
export const LOGGED_BODY_MAX_CHARS = 32 * 1024;
/** An error message kept on a token row or a log entry. */
export const STORED_MESSAGE_MAX_CHARS = 2000;
