package io.carteiro.bounces;

import io.agroal.api.AgroalDataSource;
import io.carteiro.delivery.VerpAddress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** Uniquely named lists, subscribers and sent messages for bounce tests, written with plain SQL. */
@ApplicationScoped
class BounceTestData {

    private static final AtomicLong SEQUENCE = new AtomicLong(System.nanoTime() % 1_000_000_000L);

    @Inject
    AgroalDataSource db;

    @Inject
    VerpAddress verp;

    record Sent(long messageId, long subscriberId, long listId, Long campaignId, String email, String returnPath,
                String rfcMessageId) {
    }

    String uniqueEmail(String domain) {
        return "r" + SEQUENCE.incrementAndGet() + "@" + domain;
    }

    long list() throws SQLException {
        return insert("insert into mailing_list (name) values ('bounce test list " + SEQUENCE.incrementAndGet() + "')");
    }

    long subscriber(String email, long... lists) throws SQLException {
        long id = insert("insert into subscriber (email, email_key, domain) values ('" + email + "', '"
                + email.toLowerCase() + "', '" + email.substring(email.indexOf('@') + 1) + "')");
        for (long list : lists) {
            execute("insert into subscription (list_id, subscriber_id, status, source) values (" + list + ", " + id
                    + ", 'confirmed', 'admin')");
        }
        return id;
    }

    /** A message that was sent (accepted by an exchanger) to the subscriber. */
    Sent sent(long subscriberId, long listId, Long campaignId, String email, Instant sentAt) throws SQLException {
        String rfcId = "<bt" + SEQUENCE.incrementAndGet() + "@lists.carteiro.test>";
        long id;
        try (Connection c = db.getConnection(); PreparedStatement ps = c.prepareStatement("""
                insert into outbound_message (campaign_id, subscriber_id, list_id, recipient, recipient_domain, sender,
                                              state, message_id, sent_at, next_attempt_at)
                values (?, ?, ?, ?, ?, 'news@lists.carteiro.test', 'sent', ?, ?, null)""",
                Statement.RETURN_GENERATED_KEYS)) {
            ps.setObject(1, campaignId);
            ps.setLong(2, subscriberId);
            ps.setLong(3, listId);
            ps.setString(4, email);
            ps.setString(5, email.substring(email.indexOf('@') + 1));
            ps.setString(6, rfcId);
            ps.setTimestamp(7, Timestamp.from(sentAt));
            ps.executeUpdate();
            try (ResultSet keys = ps.getGeneratedKeys()) {
                keys.next();
                id = keys.getLong(1);
            }
        }
        return new Sent(id, subscriberId, listId, campaignId, email, verp.returnPath(id), rfcId);
    }

    long nextCampaignId() {
        return 900_000_000L + SEQUENCE.incrementAndGet();
    }

    String string(String sql) throws SQLException {
        List<String> values = strings(sql);
        return values.isEmpty() ? null : values.get(0);
    }

    List<Long> longs(String sql) throws SQLException {
        return strings(sql).stream().map(Long::valueOf).toList();
    }

    List<String> strings(String sql) throws SQLException {
        List<String> values = new ArrayList<>();
        try (Connection c = db.getConnection(); Statement s = c.createStatement(); ResultSet rs = s.executeQuery(sql)) {
            while (rs.next()) {
                values.add(rs.getString(1));
            }
        }
        return values;
    }

    long count(String sql) throws SQLException {
        return Long.parseLong(string(sql));
    }

    void execute(String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate(sql);
        }
    }

    private long insert(String sql) throws SQLException {
        try (Connection c = db.getConnection(); Statement s = c.createStatement()) {
            s.executeUpdate(sql, Statement.RETURN_GENERATED_KEYS);
            try (ResultSet keys = s.getGeneratedKeys()) {
                keys.next();
                return keys.getLong(1);
            }
        }
    }

    /** A minimal RFC 3464 DSN about {@code recipient} quoting {@code originalMessageId}. */
    static byte[] dsn(String recipient, String status, String diagnostic, String originalMessageId) {
        return ("""
                From: MAILER-DAEMON@mx.remote.example (Mail Delivery System)
                To: someone@bounces.carteiro.test
                Subject: Undelivered Mail Returned to Sender
                Message-ID: <dsn-%s@mx.remote.example>
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=delivery-status; boundary="BOUNDARY"

                --BOUNDARY
                Content-Type: text/plain

                Your message could not be delivered.

                --BOUNDARY
                Content-Type: message/delivery-status

                Reporting-MTA: dns; mx.remote.example

                Final-Recipient: rfc822; %s
                Action: %s
                Status: %s
                Diagnostic-Code: smtp; %s

                --BOUNDARY
                Content-Type: text/rfc822-headers

                From: news@lists.carteiro.test
                To: %s
                Message-ID: %s

                --BOUNDARY--
                """.formatted(SEQUENCE.incrementAndGet(), recipient, status.startsWith("4") ? "delayed" : "failed",
                status, diagnostic, recipient, originalMessageId)).replace("\n", "\r\n").getBytes();
    }

    /** An RFC 5965 abuse report about a message to {@code recipient}. */
    static byte[] arf(String recipient, String originalMessageId) {
        return arf(recipient, originalMessageId, "news@lists.carteiro.test");
    }

    /** An RFC 5965 abuse report naming the reported message's envelope sender. */
    static byte[] arf(String recipient, String originalMessageId, String originalMailFrom) {
        return ("""
                From: fbl@isp.example
                To: fbl@bounces.carteiro.test
                Subject: Abuse report
                MIME-Version: 1.0
                Content-Type: multipart/report; report-type=feedback-report; boundary="B"

                --B
                Content-Type: text/plain

                A user reported spam.

                --B
                Content-Type: message/feedback-report

                Feedback-Type: abuse
                User-Agent: TestFBL/1.0
                Version: 1
                Original-Mail-From: <%s>
                Original-Rcpt-To: %s

                --B
                Content-Type: text/rfc822-headers

                From: news@lists.carteiro.test
                To: %s
                Message-ID: %s

                --B--
                """.formatted(originalMailFrom, recipient, recipient, originalMessageId)).replace("\n", "\r\n").getBytes();
    }
}
