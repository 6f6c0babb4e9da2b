-- Secrets kept in app_setting are marked, so that every start can find them and encrypt them with the key kept
-- outside the database (issue 12.19): the link signing key, the VERP key and the erasure salt were plain text, and
-- a dump alone forged every link. The values themselves are encrypted by the application at start (io.carteiro.secrets),
-- as are the DKIM private keys in dkim_key; SQL has no access to the key, so this migration only marks the rows.
ALTER TABLE app_setting ADD COLUMN secret BOOLEAN NOT NULL DEFAULT FALSE;

UPDATE app_setting SET secret = TRUE WHERE name IN ('links.generated-key', 'delivery.verp-key', 'erasure.salt');
