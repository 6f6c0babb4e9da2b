-- Each state change of a queued message rewrites every index that holds its state. Two did not earn that cost:
-- (campaign_id, state) is a prefix of ix_outbound_campaign_held (V60), which serves the same queries, and no query
-- reads by (recipient_domain, state).
DROP INDEX ix_outbound_campaign_state ON outbound_message;
DROP INDEX ix_outbound_domain_state ON outbound_message;
