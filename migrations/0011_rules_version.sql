-- The trigger rule set (RULES_VERSION) an application was last evaluated under: the full
-- prioritization run evaluates again an application stored under another version, as it does for
-- another SCORING_VERSION (docs/workflow.md §6, "What it skips"). NULL: written before this column,
-- or by the analytics-only recompute: never skipped.
ALTER TABLE application_analytics ADD COLUMN rules_version TEXT;
