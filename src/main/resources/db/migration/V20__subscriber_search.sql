-- Subscriber search: names match case-insensitively (the table's binary collation made "ana" miss "Ana"), so the
-- name column gets a case-insensitive collation; its (name, id) index is rebuilt with it. E-mail prefix search uses
-- the unique email_key index (already lower-case), keyset paging the primary key.
ALTER TABLE subscriber MODIFY name VARCHAR(200) CHARACTER SET utf8mb4 COLLATE utf8mb4_unicode_ci NULL;
