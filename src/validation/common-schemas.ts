import { Type, type TSchema, type TUnsafe } from '@sinclair/typebox';
import { UUID_PATTERN } from './is-uuid.js';

/**
 * Strings that must not carry control characters (NUL breaks PostgreSQL text; the rest breaks logs and emails)
 * nor unpaired UTF-16 surrogates (they cannot be stored as UTF-8: PostgreSQL would get U+FFFD instead, so
 * what is returned would differ from what was sent). Patterns are compiled with the `u` flag, where
 * \ud800-\udfff matches only a lone surrogate; astral characters (emoji) are single code points.
 */
export const SINGLE_LINE_PATTERN = '^[^\\u0000-\\u001f\\u007f\\ud800-\\udfff]*$';
/** Free text may hold newlines and tabs, but no NUL, other control characters or lone surrogates. */
export const MULTI_LINE_PATTERN = '^[^\\u0000-\\u0008\\u000b\\u000c\\u000e-\\u001f\\u007f\\ud800-\\udfff]*$';

export const PATTERN_MESSAGES: Record<string, string> = {
  [SINGLE_LINE_PATTERN]: 'must not contain control characters (NUL, newlines, tabs…) or unpaired surrogates',
  [MULTI_LINE_PATTERN]: 'must not contain NUL, control characters other than newlines and tabs, or unpaired surrogates',
  [UUID_PATTERN]: 'must be a UUID',
};

export const SingleLine = (opts: { minLength?: number; maxLength: number; description?: string; examples?: string[] }) =>
  Type.String({ ...opts, pattern: SINGLE_LINE_PATTERN });

export const MultiLine = (opts: { maxLength: number; description?: string }) =>
  Type.String({ ...opts, pattern: MULTI_LINE_PATTERN });

export const Nullable = <T extends TSchema>(schema: T) => Type.Union([schema, Type.Null()]);

export const Uuid = Type.String({ pattern: UUID_PATTERN, description: 'UUID' });
export const Timestamp = Type.String({ format: 'date-time', description: 'ISO-8601 timestamp' });

/**
 * A string from a closed set, as a JSON Schema `enum` (not a union of constants), so a refusal
 * names the allowed values: "status must be one of applied, screening, …".
 */
export const StringEnum = <const T extends readonly string[]>(values: T, options: { description?: string; default?: T[number] } = {}): TUnsafe<T[number]> =>
  Type.Unsafe<T[number]>({ type: 'string', enum: [...values], ...options });

/** Largest integer a JSON number carries exactly; the bound of every id or offset a client sends. */
export const MAX_SAFE_ID = Number.MAX_SAFE_INTEGER;

export const ErrorBody = Type.Object(
  {
    error: Type.Object({
      code: Type.String({ description: 'machine-readable code, e.g. invalid_input, not_found' }),
      message: Type.String({ description: 'what was wrong, naming the field' }),
    }),
  },
  { $id: 'ErrorBody', description: 'Every error has this shape.' },
);

export const errorResponses = {
  400: { $ref: 'ErrorBody#' },
  401: { $ref: 'ErrorBody#' },
  404: { $ref: 'ErrorBody#' },
} as const;

export const IdParams = Type.Object({ id: Type.String({ pattern: UUID_PATTERN, description: 'UUID of the application' }) });
export const ApplicationIdParams = Type.Object({ applicationId: Type.String({ pattern: UUID_PATTERN, description: 'UUID of the application' }) });
