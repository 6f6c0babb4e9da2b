package io.carteiro.delivery;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.carteiro.subscribers.EmailAddress;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.mail.internet.AddressException;
import jakarta.mail.internet.InternetAddress;
import jakarta.transaction.Transactional;

import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.sql.Timestamp;
import java.sql.Types;
import java.time.Clock;
import java.time.Instant;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/** The queue in MariaDB behind {@link MailQueue}: rows go in with the caller's transaction, or not at all. */
@ApplicationScoped
class OutboundQueue implements MailQueue {

    /** Transactional mail (confirmations, test sends) goes before campaign mail. */
    static final int TRANSACTIONAL_PRIORITY = 1;

    /** Headers the engine writes itself; a caller may not replace them. */
    static final Set<String> RESERVED_HEADERS = Set.of("from", "to", "cc", "bcc", "subject", "date", "message-id",
            "mime-version", "content-type", "content-transfer-encoding", "return-path", "dkim-signature", "received");

    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    AgroalDataSource dataSource;

    @Inject
    Clock clock;

    @Inject
    DeliveryConfig config;

    @Inject
    ObjectMapper json;

    @Inject
    Event<MessagesDue> due;

    @Override
    @Transactional
    public long submit(OutgoingMail mail) {
        EmailAddress to = address("to", mail.to());
        InternetAddress from = parseFrom(mail.from());
        EmailAddress fromAddress = address("from", from.getAddress());
        if (mail.subject() == null || mail.subject().isBlank()) {
            throw new InvalidMail("subject", "subject is empty");
        }
        if (mail.subject().indexOf('\r') >= 0 || mail.subject().indexOf('\n') >= 0) {
            throw new InvalidMail("subject", "subject may not hold a line break");
        }
        if (isBlank(mail.html()) && isBlank(mail.text())) {
            throw new InvalidMail("html", "message has neither html nor text");
        }
        String headersJson = headersJson(mail.headers());
        Instant now = clock.instant();
        String messageId = newMessageId(fromAddress.domainKey());
        try (Connection c = dataSource.getConnection()) {
            long id;
            try (PreparedStatement insert = c.prepareStatement("""
                    INSERT INTO outbound_message (subscriber_id, list_id, recipient, recipient_domain, sender, state,
                        priority, next_attempt_at, expires_at, message_id, created_at)
                    VALUES (?, ?, ?, ?, ?, 'queued', ?, ?, ?, ?, ?)""", Statement.RETURN_GENERATED_KEYS)) {
                setLong(insert, 1, mail.subscriberId());
                setLong(insert, 2, mail.listId());
                insert.setString(3, to.localPart() + "@" + to.domainKey());
                insert.setString(4, to.domainKey());
                insert.setString(5, fromAddress.localPart() + "@" + fromAddress.domainKey());
                insert.setInt(6, TRANSACTIONAL_PRIORITY);
                insert.setTimestamp(7, Timestamp.from(now));
                insert.setTimestamp(8, Timestamp.from(now.plus(config.giveUpAfter())));
                insert.setString(9, messageId);
                insert.setTimestamp(10, Timestamp.from(now));
                insert.executeUpdate();
                try (ResultSet keys = insert.getGeneratedKeys()) {
                    keys.next();
                    id = keys.getLong(1);
                }
            }
            try (PreparedStatement content = c.prepareStatement("""
                    INSERT INTO outbound_content (outbound_message_id, from_header, subject, html, text, headers)
                    VALUES (?, ?, ?, ?, ?, ?)""")) {
                content.setLong(1, id);
                content.setString(2, from.toUnicodeString());
                content.setString(3, mail.subject());
                content.setString(4, mail.html());
                content.setString(5, mail.text());
                content.setString(6, headersJson);
                content.executeUpdate();
            }
            due.fire(new MessagesDue());
            return id;
        } catch (SQLException e) {
            throw new IllegalStateException("could not queue a message to " + to, e);
        }
    }

    @Override
    @Transactional
    public int cancelQueued(long subscriberId, Long listId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement cancel = c.prepareStatement("""
                     UPDATE outbound_message SET state = 'cancelled', next_attempt_at = NULL
                     WHERE subscriber_id = ? AND (? IS NULL OR list_id = ?) AND state IN ('queued', 'deferred')""")) {
            cancel.setLong(1, subscriberId);
            setLong(cancel, 2, listId);
            setLong(cancel, 3, listId);
            return cancel.executeUpdate();
        } catch (SQLException e) {
            throw new IllegalStateException("could not cancel the queued messages of subscriber " + subscriberId, e);
        }
    }

    private static EmailAddress address(String field, String text) {
        EmailAddress.Parsed parsed = EmailAddress.parse(text);
        if (parsed instanceof EmailAddress.Invalid invalid) {
            throw new InvalidMail(field, field + ": " + invalid.reason());
        }
        return ((EmailAddress.Valid) parsed).address();
    }

    static InternetAddress parseFrom(String from) {
        if (from == null || from.isBlank()) {
            throw new InvalidMail("from", "from is empty");
        }
        if (from.indexOf('\r') >= 0 || from.indexOf('\n') >= 0) {
            throw new InvalidMail("from", "from may not hold a line break");
        }
        try {
            InternetAddress address = new InternetAddress(from, true);
            if (address.getAddress() == null || address.isGroup()) {
                throw new InvalidMail("from", "from '" + from + "' is not a single mailbox");
            }
            return address;
        } catch (AddressException e) {
            throw new InvalidMail("from", "from '" + from + "' is not an address: " + e.getMessage());
        }
    }

    private String headersJson(Map<String, String> headers) {
        if (headers == null || headers.isEmpty()) {
            return null;
        }
        for (Map.Entry<String, String> header : headers.entrySet()) {
            String name = header.getKey();
            if (name == null || name.isEmpty() || !name.chars().allMatch(ch -> ch >= 33 && ch <= 126 && ch != ':')) {
                throw new InvalidMail("headers", "header name '" + name + "' is not a valid field name");
            }
            if (RESERVED_HEADERS.contains(name.toLowerCase(Locale.ROOT))) {
                throw new InvalidMail("headers", "header '" + name + "' is written by Carteiro and cannot be set");
            }
            String value = header.getValue();
            if (value == null || value.indexOf('\r') >= 0 || value.indexOf('\n') >= 0) {
                throw new InvalidMail("headers", "header '" + name + "' has no value or holds a line break");
            }
        }
        try {
            return json.writeValueAsString(headers);
        } catch (JsonProcessingException e) {
            throw new InvalidMail("headers", "headers cannot be stored: " + e.getMessage());
        }
    }

    static String newMessageId(String domain) {
        byte[] random = new byte[12];
        RANDOM.nextBytes(random);
        return "<" + new java.math.BigInteger(1, random).toString(36) + "." + Long.toString(
                System.currentTimeMillis(), 36) + "@" + domain + ">";
    }

    private static boolean isBlank(String s) {
        return s == null || s.isBlank();
    }

    private static void setLong(PreparedStatement s, int index, Long value) throws SQLException {
        if (value == null) {
            s.setNull(index, Types.BIGINT);
        } else {
            s.setLong(index, value);
        }
    }
}
