-- A campaign pauses itself after a few failures that are Carteiro's own (a message with no content, one that could
-- not be built), instead of working through the whole list (issue 14.3). The count is kept on the campaign, written
-- in the same transaction as the outcomes it counts, and starts again at zero when the campaign is resumed.
ALTER TABLE campaign ADD COLUMN own_failures INT NOT NULL DEFAULT 0;
