-- Times the campaign start statement (CampaignRepository.queueRecipients, one range covering everyone) on a Carteiro schema: N subscribers in
-- 100 domains on two lists (half overlapping), 1% unsubscribed, 1% blocklisted, one suppressed domain.
-- Run through bench/campaign-queue.sh, which sets @n and reports the time of the INSERT ... SELECT.
SET @tag = CONCAT('bq', UNIX_TIMESTAMP());
INSERT INTO mailing_list (name) VALUES (CONCAT(@tag, ' A'));
SET @a = LAST_INSERT_ID();
INSERT INTO mailing_list (name) VALUES (CONCAT(@tag, ' B'));
SET @b = LAST_INSERT_ID();
SET @first = (SELECT COALESCE(MAX(id), 0) + 1 FROM subscriber);
INSERT INTO subscriber (id, email, email_key, domain, name, status)
SELECT @first + seq, CONCAT('u', seq, '@d', seq % 100, '.', @tag, '.test'),
       CONCAT('u', seq, '@d', seq % 100, '.', @tag, '.test'), CONCAT('d', seq % 100, '.', @tag, '.test'),
       CONCAT('Subscriber ', seq), IF(seq % 100 = 7, 'blocklisted', 'active')
FROM seq_0_to_999999 WHERE seq < @n;
INSERT INTO subscription (list_id, subscriber_id, status, source)
SELECT @a, id, IF(id % 100 = 3, 'unsubscribed', 'confirmed'), 'import' FROM subscriber WHERE id >= @first AND (id - @first) < @n * 3 / 4;
INSERT INTO subscription (list_id, subscriber_id, status, source)
SELECT @b, id, 'confirmed', 'import' FROM subscriber WHERE id >= @first AND (id - @first) >= @n / 4;
INSERT INTO suppression (kind, value, reason) VALUES ('domain', CONCAT('d42.', @tag, '.test'), 'admin');
INSERT INTO campaign (name, subject, from_email, html, status) VALUES (@tag, 's', 'news@sender.test', 'x', 'running');
SET @c = LAST_INSERT_ID();
INSERT INTO campaign_list VALUES (@c, @a), (@c, @b);
-- The statement as subscribers.Recipients#mailable and delivery.BulkQueue#enqueue build it: the suppression gate
-- compares one SUBSTRING_INDEX per label count its domain entries have (here one: d42.<tag>.test has 3), found as
-- Suppressions#notSuppressedSql finds them.
SELECT GROUP_CONCAT(DISTINCT CONCAT('SUBSTRING_INDEX(s.domain, ''.'', -',
       LENGTH(value) - LENGTH(REPLACE(value, '.', '')) + 1, ')')) INTO @suffixes
FROM suppression WHERE kind = 'domain';
SET @sql = CONCAT('INSERT IGNORE INTO outbound_message (campaign_id, subscriber_id, list_id, recipient, recipient_domain,
    sender, state, priority, next_attempt_at, expires_at, created_at)
SELECT ', @c, ', s.id, MIN(sub.list_id), s.email, s.domain, ''news@sender.test'', ''queued'', 0, NOW(6),
       NOW(6) + INTERVAL 3 DAY, NOW(6)
FROM subscription sub
JOIN subscriber s ON s.id = sub.subscriber_id AND s.status = ''active''
WHERE sub.status = ''confirmed'' AND sub.subscriber_id > 0 AND sub.subscriber_id <= ', @first + @n, '
  AND sub.list_id IN (', @a, ', ', @b, ')
  AND NOT EXISTS (SELECT 1 FROM suppression sx WHERE sx.kind = ''address'' AND sx.value = s.email_key)
  AND NOT EXISTS (SELECT 1 FROM suppression sx WHERE sx.kind = ''domain'' AND sx.value IN (s.domain, ', @suffixes, '))
GROUP BY s.id');
PREPARE queue FROM @sql;
SELECT NOW(6) INTO @t0;
EXECUTE queue;
SELECT ROW_COUNT() INTO @queued;
SELECT TIMESTAMPDIFF(MICROSECOND, @t0, NOW(6)) / 1e6 INTO @seconds;
SELECT @n AS subscribers, @queued AS queued, @seconds AS seconds_to_queue;
