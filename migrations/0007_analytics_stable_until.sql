-- Until when the stored scores of an application stay right with no new input (the full
-- prioritization run skips it until then; see docs/workflow.md, "What the full run skips").
-- NULL: unknown (rows written before this column, or by the analytics-only recompute): never skipped.
ALTER TABLE application_analytics ADD COLUMN stable_until TIMESTAMPTZ;
