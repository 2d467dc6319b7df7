import type { FastifyInstance, FastifySchema } from 'fastify';
import { makeAjvOnFirstUse } from '../../validation/compile-schema.js';
import { compileOnFirstUse } from './compile-on-first-use.js';
export { describeValidationError } from '../../validation/describe-validation-error.js';

/** Bodies are strict JSON (no "12" for 12); query strings and params are text, so they are coerced. */
export function installValidators(app: FastifyInstance): void {
  // Both made when a route first validates, not at start.
  const strict = makeAjvOnFirstUse(false);
  const coercing = makeAjvOnFirstUse(true);
  app.setValidatorCompiler(({ schema, httpPart }) =>
    compileOnFirstUse(() => (httpPart === 'body' ? strict : coercing)().compile(schema as FastifySchema & object)),
  );
}

