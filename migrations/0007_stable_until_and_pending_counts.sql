-- Until when the stored scores of an application stay right with no new input (the full
-- prioritization run skips it until then; see docs/workflow.md, "What the full run skips").
-- NULL: unknown (rows written before this column, or by the analytics-only recompute): never skipped.
ALTER TABLE application_analytics ADD COLUMN stable_until TIMESTAMPTZ;

-- The number of pending queue rows per action type, kept by triggers, so total_pending is read
-- from a handful of rows instead of counted over the queue (1 000 000 rows: issue 9). Each
-- connection adds its changes to rows of its own (shard = its backend pid), so two transactions
-- never wait for each other (nor deadlock) over a count; a reader sums the rows. Shard 0 collects
-- the rows of connections that ended (mergePendingCounts). action_type NULL is stored as ''.
CREATE TABLE queue_pending_counts (
  action_type TEXT     NOT NULL,
  shard       INTEGER  NOT NULL,
  n           BIGINT   NOT NULL,
  PRIMARY KEY (action_type, shard)
);

CREATE FUNCTION queue_pending_counts_apply() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    INSERT INTO queue_pending_counts AS c (action_type, shard, n)
      SELECT coalesce(action_type, ''), pg_backend_pid(), count(*) FROM new_rows WHERE status = 'pending'
       GROUP BY 1 ORDER BY 1
    ON CONFLICT (action_type, shard) DO UPDATE SET n = c.n + EXCLUDED.n;
  ELSIF TG_OP = 'UPDATE' THEN
    INSERT INTO queue_pending_counts AS c (action_type, shard, n)
      SELECT t, pg_backend_pid(), sum(d) FROM (
        SELECT coalesce(action_type, '') AS t, 1 AS d FROM new_rows WHERE status = 'pending'
        UNION ALL
        SELECT coalesce(action_type, ''), -1 FROM old_rows WHERE status = 'pending') x
       GROUP BY t HAVING sum(d) <> 0 ORDER BY t
    ON CONFLICT (action_type, shard) DO UPDATE SET n = c.n + EXCLUDED.n;
  ELSIF TG_OP = 'DELETE' THEN
    INSERT INTO queue_pending_counts AS c (action_type, shard, n)
      SELECT coalesce(action_type, ''), pg_backend_pid(), -count(*) FROM old_rows WHERE status = 'pending'
       GROUP BY 1 ORDER BY 1
    ON CONFLICT (action_type, shard) DO UPDATE SET n = c.n + EXCLUDED.n;
  ELSE -- TRUNCATE
    DELETE FROM queue_pending_counts;
  END IF;
  RETURN NULL;
END $$;

CREATE TRIGGER queue_pending_counts_insert AFTER INSERT ON application_priority_queue
  REFERENCING NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION queue_pending_counts_apply();
CREATE TRIGGER queue_pending_counts_update AFTER UPDATE ON application_priority_queue
  REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows FOR EACH STATEMENT EXECUTE FUNCTION queue_pending_counts_apply();
CREATE TRIGGER queue_pending_counts_delete AFTER DELETE ON application_priority_queue
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION queue_pending_counts_apply();
CREATE TRIGGER queue_pending_counts_truncate AFTER TRUNCATE ON application_priority_queue
  FOR EACH STATEMENT EXECUTE FUNCTION queue_pending_counts_apply();

INSERT INTO queue_pending_counts (action_type, shard, n)
  SELECT coalesce(action_type, ''), 0, count(*) FROM application_priority_queue WHERE status = 'pending' GROUP BY 1;
