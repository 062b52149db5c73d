import { sql } from 'drizzle-orm';
import { z } from 'zod';
import { describeEachDb } from '../test/db.ts';
import { queryRows, RowShapeError } from './client.ts';
import { countRow, dbDate, dbDateOrNull, dbInt, dbJson, dbTextArray } from './rows.ts';

describeEachDb('queryRows: every raw row checked and normalised once', (getDb) => {
  it('gives Dates for timestamps however the driver sends them, numbers for counts and ints, arrays and json', async () => {
    const [row] = await queryRows(
      getDb().db,
      sql`select '2030-01-01T00:00:00.000Z'::timestamptz as at,
                 '2030-01-01T00:00:00.000Z'::timestamptz::text as at_text,
                 null::timestamptz as never,
                 count(*) as n_int8, 7::int as n_int4,
                 '{a,b}'::text[] as scopes, null::text[] as no_scopes,
                 '{"k": [1]}'::jsonb as doc, '{"k": [2]}'::jsonb::text as doc_text
          from generate_series(1, 3)`,
      z.object({
        at: dbDate,
        at_text: dbDate,
        never: dbDateOrNull,
        n_int8: dbInt,
        n_int4: dbInt,
        scopes: dbTextArray,
        no_scopes: dbTextArray,
        doc: dbJson(z.object({ k: z.array(z.number()) })),
        doc_text: dbJson(z.object({ k: z.array(z.number()) })),
      }),
    );
    const at = new Date('2030-01-01T00:00:00.000Z');
    expect(row).toEqual({
      at,
      at_text: at,
      never: null,
      n_int8: 3,
      n_int4: 7,
      scopes: ['a', 'b'],
      no_scopes: [],
      doc: { k: [1] },
      doc_text: { k: [2] },
    });
    expect(
      (await queryRows(getDb().db, sql`select count(*) as n from generate_series(1, 5)`, countRow))[0],
    ).toEqual({ n: 5 });
  });

  it('refuses a row that does not have the promised shape, naming the column but never its value', async () => {
    const secret = 'v^1.1#i^1#r^1#p^3#f^0#t^SECRET';
    const attempt = queryRows(
      getDb().db,
      sql`select ${secret}::text as refresh_token, 'soon'::text as access_expires_at`,
      z.object({ refresh_token: z.number(), access_expires_at: dbDateOrNull }),
    );
    await expect(attempt).rejects.toThrow(RowShapeError);
    const message = await attempt.catch((e: unknown) => (e instanceof Error ? e.message : ''));
    expect(message).toContain('refresh_token');
    expect(message).toContain('access_expires_at');
    expect(message).not.toContain('SECRET');
    expect(message).not.toContain('soon');
  });
});
