const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Ids in paths are checked before any query: a malformed id is simply an unknown one (404). */
export const isUuid = (value: string): boolean => UUID_RE.test(value);
