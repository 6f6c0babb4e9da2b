-- Issue 16: a subscriber can refuse tracking in the preference centre. The choice is the subscriber's, not a
-- list's, so it lives on the subscriber row (read by the renderer in the query that already personalises each
-- message, so honouring it costs no extra query); every change is also a consent event. Written only by the
-- subscribers package. MariaDB adds a column with a default at the end of the table instantly, whatever its size.
ALTER TABLE subscriber
    ADD COLUMN tracking_refused BOOLEAN NOT NULL DEFAULT FALSE;
