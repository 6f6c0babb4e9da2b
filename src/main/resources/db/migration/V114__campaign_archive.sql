-- An archived campaign leaves the campaign list (issue 15.6) but keeps its report and its delivery log: archiving
-- hides, it deletes nothing. NULL: not archived.
ALTER TABLE campaign ADD COLUMN archived_at DATETIME(6) NULL;
