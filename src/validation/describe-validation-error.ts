import type { ErrorObject } from 'ajv';
import { PATTERN_MESSAGES } from './common-schemas.js';
import { TIMESTAMP_HINT } from './timestamp.js';

/** One sentence naming the field: "company must NOT have more than 200 characters", "unknown field 'score'". */
export function describeValidationError(errors: readonly ErrorObject[], context: string | undefined): string {
  const err = errors[0];
  const base = err.instancePath.replace(/^\//, '').replace(/\//g, '.');
  const where = base || (context === 'body' ? 'body' : context ?? 'input');
  switch (err.keyword) {
    case 'additionalProperties':
      return `unknown field '${base ? `${base}.` : ''}${(err.params as { additionalProperty: string }).additionalProperty}'`;
    case 'required':
      return `${base ? `${base}.` : ''}${(err.params as { missingProperty: string }).missingProperty} is required`;
    case 'pattern': {
      const known = PATTERN_MESSAGES[(err.params as { pattern: string }).pattern];
      return `${where} ${known ?? 'has an invalid format'}`;
    }
    case 'enum':
      return `${where} must be one of ${(err.params as { allowedValues: unknown[] }).allowedValues.join(', ')}`;
    case 'anyOf':
      return `${where} has an invalid value`;
    case 'minProperties':
      return `${where} must contain at least one field`;
    case 'format': {
      const format = (err.params as { format: string }).format;
      return format === 'date-time' ? `${where} must be ${TIMESTAMP_HINT}` : `${where} must be a valid ${format}`;
    }
    default:
      return `${where} ${err.message ?? 'is invalid'}`;
  }
}
