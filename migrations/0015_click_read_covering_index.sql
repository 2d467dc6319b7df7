-- The clicks read of an evaluation (src/analytics/read-model/load-scoring-inputs.ts) from the
-- index alone (issue 9). A batch of 1 000 applications' 10 000 clicks sat on ~9 000 heap pages
-- (clicks arrive over time, spread over the table); a cold full run over 1 000 000 clicks spent
-- ~200 ms per batch fetching them. With the columns the read needs in the index, the same clicks
-- are ~200 contiguous leaf pages (the batch's ids are consecutive, and so are their entries),
-- read without the heap once vacuum has marked the pages all-visible (autovacuum does for
-- inserts). Same name and key: the burst-window reads keep their plans.
DROP INDEX idx_link_clicks_application_time;
CREATE INDEX idx_link_clicks_application_time ON link_clicks (application_id, clicked_at)
  INCLUDE (id, link_id, is_bot, ip_hash, device_class, network_kind);
