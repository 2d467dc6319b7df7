/** A UUID as PostgreSQL prints it (any case). ajv's `uuid` format also takes a `urn:uuid:` prefix, which PostgreSQL refuses. */
export const UUID_PATTERN = '^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$';
const UUID_RE = new RegExp(UUID_PATTERN);

/** Internal callers (CLI, engine) check ids before a query; the HTTP layer refuses malformed ids in its schemas (400). */
export const isUuid = (value: string): boolean => UUID_RE.test(value);
