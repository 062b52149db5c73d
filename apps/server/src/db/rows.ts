import { z } from 'zod';

/**
 * Column shapes of raw query rows (`queryRows` in client.ts checks every row against one). The
 * two drivers differ: node-postgres returns a timestamptz as a Date and an int8 (`count(*)`) as
 * text, PGlite returns some timestamps as text; these normalise both once, here.
 */

/** A timestamp column: a Date, whichever driver read it. Text that is not a time is an error. */
export const dbDate = z
  .union([z.date(), z.string()])
  .transform((value) => (value instanceof Date ? value : new Date(value)))
  .pipe(z.date());

export const dbDateOrNull = dbDate.nullable();

/** A number column: int4 and float8 arrive as numbers, int8 and numeric as text. */
export const dbNumber = z
  .union([z.number(), z.string()])
  .transform((value) => Number(value))
  .pipe(z.number());

/** An integer column or count. */
export const dbInt = dbNumber.pipe(z.number().int());

/** A text[] column; null reads as empty. */
export const dbTextArray = z
  .array(z.string())
  .nullable()
  .transform((value) => value ?? []);

/** A jsonb column: parsed already by node-postgres, text in some PGlite positions. */
export function dbJson<T extends z.ZodType>(shape: T) {
  return z
    .unknown()
    .transform((value) => (typeof value === 'string' ? (JSON.parse(value) as unknown) : value))
    .pipe(shape);
}

/** A row whose columns are not checked one by one (tests that scan every column for secrets). */
export const anyRow = z.record(z.string(), z.unknown());

/** `count(*)::int as n` and the like. */
export const countRow = z.object({ n: dbInt });
