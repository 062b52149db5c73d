import { Ajv } from 'ajv';
import type { FastifySerializerCompiler } from 'fastify';
import { z } from 'zod';

/**
 * A response serializer for hot routes: the answer is checked against its contract schema by
 * a validator Ajv compiles from that schema's JSON Schema, then written with JSON.stringify.
 * The zod serializer (app.ts) walks and copies the answer; on the terminal's 200-entry pages
 * that was a tenth of the route's CPU, the compiled check costs a tenth of that.
 *
 * The rules are the schema's, with one difference: an unknown key is a mismatch here, where
 * the zod serializer would drop it. Either way a 500 (logged with what did not match) never
 * lets an unchecked field out.
 */

const ajv = new Ajv({ strict: true, strictNumbers: true, allErrors: false });

export class AnswerMismatchError extends Error {
  readonly statusCode = 500;
}

export const compiledSerializerCompiler: FastifySerializerCompiler<unknown> = ({ schema, method, url }) => {
  if (!(schema instanceof z.core.$ZodType))
    throw new Error(`${method} ${url}: a response schema must be a zod schema`);
  const check = ajv.compile(z.toJSONSchema(schema, { target: 'draft-7', io: 'output' }));
  return (data: unknown) => {
    if (!check(data)) {
      throw new AnswerMismatchError(
        `${method} ${url}: the answer does not match its schema: ${ajv.errorsText(check.errors)}`,
      );
    }
    return JSON.stringify(data);
  };
};
