-- Issue 16: each list says how its campaigns' clicks and opens are tracked. `tracking` is 'off' (links are left as
-- written), 'aggregate' (links go through signed redirects and are counted, but nothing stored names the
-- recipient) or 'subscriber' (clicks and opens are kept per subscriber, for their page, segments and the sunset
-- rule). 'aggregate' is the default: it answers "which links work" without keeping personal data, so it needs no
-- consent of its own. Open tracking (a 1x1 image) reads from the subscriber's device and is off unless the list
-- owner turns it on (ePrivacy Art. 5(3); see docs/privacy.md). Written only by the lists package.
ALTER TABLE mailing_list
    ADD COLUMN tracking VARCHAR(10) NOT NULL DEFAULT 'aggregate',
    ADD COLUMN open_tracking BOOLEAN NOT NULL DEFAULT FALSE,
    ADD CONSTRAINT ck_mailing_list_tracking CHECK (tracking IN ('off', 'aggregate', 'subscriber'));
