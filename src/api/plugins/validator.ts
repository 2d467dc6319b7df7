import type { FastifyInstance, FastifySchema } from 'fastify';
import { makeAjv } from '../../validation/compile-schema.js';
import { compileOnFirstUse } from './compile-on-first-use.js';
export { describeValidationError } from '../../validation/describe-validation-error.js';

/** Bodies are strict JSON (no "12" for 12); query strings and params are text, so they are coerced. */
export function installValidators(app: FastifyInstance): void {
  const strict = makeAjv(false);
  const coercing = makeAjv(true);
  app.setValidatorCompiler(({ schema, httpPart }) =>
    compileOnFirstUse(() => (httpPart === 'body' ? strict : coercing).compile(schema as FastifySchema & object)),
  );
}

