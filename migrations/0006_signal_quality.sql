-- Signal quality (SPEC §10): when the email with a link went out, and what each click's request
-- said about its network and device. The client address itself is still never stored.

-- When the email carrying this link was sent; NULL means "at the application's applied_at".
ALTER TABLE tracked_links ADD COLUMN sent_at TIMESTAMPTZ;

-- The autonomous system the client address belongs to (from the shipped IP-to-ASN table), and
-- for a network on the list (src/tracking/networks/known-networks.ts) its label and kind.
ALTER TABLE link_clicks ADD COLUMN network_asn INTEGER;
ALTER TABLE link_clicks ADD COLUMN network_label VARCHAR(40);
ALTER TABLE link_clicks ADD COLUMN network_kind VARCHAR(10) CHECK (network_kind IN ('gateway', 'cloud'));
-- Parsed from the user agent: desktop / mobile / tablet / bot, and the browser family.
ALTER TABLE link_clicks ADD COLUMN device_class VARCHAR(10) CHECK (device_class IN ('desktop', 'mobile', 'tablet', 'bot'));
ALTER TABLE link_clicks ADD COLUMN browser_family VARCHAR(40);
