import { createHash, randomBytes } from 'node:crypto';

/** 32 random bytes, URL-safe: a session id or a sign-in token (256 bits, never guessable). */
export const newSecret = (): string => randomBytes(32).toString('base64url');

/** What the database keeps instead of the secret itself. */
export const digestOf = (secret: string): string => createHash('sha256').update(secret, 'utf8').digest('hex');

/** Our secrets are 43 base64url characters; anything else is not worth a query. */
export const isWellFormedSecret = (value: string): boolean => /^[A-Za-z0-9_-]{43}$/.test(value);
