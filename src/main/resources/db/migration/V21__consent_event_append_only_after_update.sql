-- MariaDB 11.4 rejects a multi-row INSERT ... SELECT into a table that has a BEFORE UPDATE trigger with
-- "Column 'subscriber_id' cannot be null" (rows after the first lose their values). The consent log is written with
-- such set-based statements (a removal per subscriber when a list is deleted, imports), so the guard moves to an
-- AFTER UPDATE trigger: an UPDATE still fails and InnoDB rolls the statement back, leaving the row unchanged.
DROP TRIGGER IF EXISTS consent_event_append_only;
CREATE TRIGGER consent_event_append_only AFTER UPDATE ON consent_event FOR EACH ROW
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'consent_event is append-only';
