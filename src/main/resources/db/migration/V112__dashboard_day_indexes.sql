-- The dashboard charts messages queued, delivered, new subscriptions and unsubscribes per day over the last 30 days
-- (issue 15.9), each with one grouped query bounded by time. Without these indexes each would read the whole table
-- at every visit of the landing page. created_at and subscribed_at are written once, at insert, in rising order (the
-- index grows at its end); sent_at and unsubscribed_at are written once more, when a message is delivered or a
-- subscription ends, a cost the engine's hot path (state changes, V62) does not pay on every retry.
CREATE INDEX ix_outbound_created ON outbound_message (created_at);
CREATE INDEX ix_outbound_sent ON outbound_message (sent_at);
CREATE INDEX ix_subscription_subscribed ON subscription (subscribed_at);
CREATE INDEX ix_subscription_unsubscribed ON subscription (unsubscribed_at);
