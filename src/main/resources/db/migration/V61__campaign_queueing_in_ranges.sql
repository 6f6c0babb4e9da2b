-- A campaign's recipients are queued in subscriber id ranges, one transaction each, so that the first messages
-- go out while later ranges are still being queued. Subscribers with ids up to queued_through are queued; queueing
-- ends at queue_end (the highest subscriber id when the campaign started). Both are NULL once every range is queued.
ALTER TABLE campaign
    ADD COLUMN queued_through BIGINT NULL,
    ADD COLUMN queue_end BIGINT NULL;
