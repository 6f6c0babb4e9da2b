-- The consent log is evidence: rows are appended, and removed only by erasure, never changed.
DELIMITER //
CREATE TRIGGER consent_event_append_only BEFORE UPDATE ON consent_event FOR EACH ROW
BEGIN
    SIGNAL SQLSTATE '45000' SET MESSAGE_TEXT = 'consent_event is append-only';
END//
DELIMITER ;
