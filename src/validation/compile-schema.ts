import { Ajv, type ValidateFunction } from 'ajv';
import addFormatsModule from 'ajv-formats';
import type { TSchema } from '@sinclair/typebox';
import { describeValidationError } from './describe-validation-error.js';
import { isTimestamp } from './timestamp.js';

const addFormats = ((addFormatsModule as unknown as { default?: unknown }).default ?? addFormatsModule) as (a: Ajv) => void;

/** An ajv configured like the HTTP layer: unknown fields refused, never dropped; optional coercion. */
export function makeAjv(coerceTypes: boolean): Ajv {
  const ajv = new Ajv({ allErrors: false, coerceTypes, useDefaults: true, removeAdditional: false, strict: false });
  addFormats(ajv);
  // date-time as PostgreSQL takes it: ajv's own lets offsets up to ±23:59 and year 0000 through.
  ajv.addFormat('date-time', { type: 'string', validate: isTimestamp });
  return ajv;
}

/** Made on first use: an ajv and its meta-schema cost tens of milliseconds a service start does not need. */
export function makeAjvOnFirstUse(coerceTypes: boolean): () => Ajv {
  let ajv: Ajv | undefined;
  return () => (ajv ??= makeAjv(coerceTypes));
}

const strict = makeAjvOnFirstUse(false);

/**
 * Validates plain values (CLI input, CSV rows) with the same schemas and messages as the API.
 * The schema compiles at the first call, not when the module loads.
 */
export function compileValidator<T>(schema: TSchema): (value: unknown) => { ok: true; value: T } | { ok: false; message: string } {
  let validate: ValidateFunction | undefined;
  return (value) => {
    validate ??= strict().compile(schema);
    return validate(value) ? { ok: true, value: value as T } : { ok: false, message: describeValidationError(validate.errors ?? [], 'body') };
  };
}
