-- The trigger rule set (RULES_VERSION) an application was last evaluated under: the full
-- prioritization run evaluates again an application stored under another version, as it does for
-- another SCORING_VERSION (docs/workflow.md §6, "What it skips"). NULL: written before this column,
-- or by the analytics-only recompute: never skipped.
ALTER TABLE application_analytics ADD COLUMN rules_version TEXT;

-- click_announcements without its foreign key (issue 9): a cold full run marks every human click
-- announced, and the key's check locked each referenced link_clicks row (FOR KEY SHARE writes the
-- row's header): ~3× the cost of the insert itself. Deleting clicks (an application deleted) still
-- takes their marks with them, by this statement trigger. A mark whose click is deleted while it is
-- being written may stay behind: click ids are never reused, so it is never read.
ALTER TABLE click_announcements DROP CONSTRAINT click_announcements_click_id_fkey;
CREATE FUNCTION click_announcements_forget() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  DELETE FROM click_announcements a USING old_rows o WHERE a.click_id = o.id;
  RETURN NULL;
END $$;
CREATE TRIGGER link_clicks_forget_announcements AFTER DELETE ON link_clicks
  REFERENCING OLD TABLE AS old_rows FOR EACH STATEMENT EXECUTE FUNCTION click_announcements_forget();
