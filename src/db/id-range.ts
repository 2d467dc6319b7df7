/**
 * A condition on `id` for statements that read a set of rows by `id = ANY($1::uuid[])`: the
 * same rows, bounded by the smallest and largest id given. PostgreSQL plans `= ANY` over a
 * thousand ids as a scan of the whole table when it estimates that cheaper than a thousand
 * probes; with the bounds it walks the primary key between them instead, which for a full-run
 * batch (consecutive ids) is the batch's own rows. Use only where `$1` is the uuid array.
 * (PostgreSQL 15 has no min(uuid), hence the sorts.)
 */
export const ID_RANGE =
  'id BETWEEN (SELECT x FROM unnest($1::uuid[]) x ORDER BY x LIMIT 1) AND (SELECT x FROM unnest($1::uuid[]) x ORDER BY x DESC LIMIT 1)';
