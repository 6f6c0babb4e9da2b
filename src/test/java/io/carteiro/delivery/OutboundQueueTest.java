package io.carteiro.delivery;

import io.agroal.api.AgroalDataSource;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class OutboundQueueTest {

    @Inject
    MailQueue queue;

    @Inject
    AgroalDataSource dataSource;

    static long uniqueSubscriberId() {
        return ThreadLocalRandom.current().nextLong(1_000_000_000L, Long.MAX_VALUE / 2);
    }

    static OutgoingMail mail(String to, Long subscriberId, Long listId) {
        return new OutgoingMail("Carteiro <news@sender.test>", to, "Olá, confirme", "<p>hi</p>", "hi",
                Map.of("List-Id", "<news.sender.test>"), subscriberId, listId);
    }

    @Test
    void submitShouldQueueTheMessageWithItsContentInTheCallersTransaction() throws SQLException {
        long id = QuarkusTransaction.requiringNew().call(() -> queue.submit(mail("Ana@Example.TEST", null, null)));

        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("""
                     SELECT m.recipient, m.recipient_domain, m.sender, m.state, m.message_id, m.next_attempt_at,
                            m.expires_at, c.subject, c.headers
                     FROM outbound_message m JOIN outbound_content c ON c.outbound_message_id = m.id
                     WHERE m.id = ?""")) {
            s.setLong(1, id);
            try (ResultSet r = s.executeQuery()) {
                assertTrue(r.next());
                assertEquals("Ana@example.test", r.getString(1));
                assertEquals("example.test", r.getString(2));
                assertEquals("news@sender.test", r.getString(3));
                assertEquals("queued", r.getString(4));
                assertTrue(r.getString(5).endsWith("@sender.test>"));
                assertNotNull(r.getTimestamp(6));
                assertTrue(r.getTimestamp(7).after(r.getTimestamp(6)));
                assertEquals("Olá, confirme", r.getString(8));
                assertTrue(r.getString(9).contains("List-Id"));
            }
        }
    }

    @Test
    void submitShouldLeaveNothingBehindWhenTheCallersTransactionRollsBack() throws SQLException {
        long[] id = new long[1];
        assertThrows(IllegalStateException.class, () -> QuarkusTransaction.requiringNew().run(() -> {
            id[0] = queue.submit(mail("rollback@example.test", null, null));
            throw new IllegalStateException("the caller fails after queueing");
        }));
        assertTrue(id[0] > 0);
        assertEquals(0, count("SELECT COUNT(*) FROM outbound_message WHERE id = " + id[0]));
    }

    @Test
    void submitShouldRefuseABadRecipientOrAnInjectedHeader() {
        assertThrows(IllegalArgumentException.class,
                () -> QuarkusTransaction.requiringNew().run(() -> queue.submit(mail("not an address", null, null))));
        var injected = new OutgoingMail("news@sender.test", "a@example.test", "s", null, "t",
                Map.of("X-Bad", "a\r\nBcc: victim@example.test"), null, null);
        var error = assertThrows(IllegalArgumentException.class,
                () -> QuarkusTransaction.requiringNew().run(() -> queue.submit(injected)));
        assertTrue(error.getMessage().contains("X-Bad"), error.getMessage());
        var reserved = new OutgoingMail("news@sender.test", "a@example.test", "s", null, "t",
                Map.of("Return-Path", "<x@example.test>"), null, null);
        assertThrows(IllegalArgumentException.class,
                () -> QuarkusTransaction.requiringNew().run(() -> queue.submit(reserved)));
    }

    @Test
    void cancelQueuedShouldCancelOnlyUnsentMessagesOfThatSubscriberAndList() throws SQLException {
        long subscriber = uniqueSubscriberId();
        long onList1 = QuarkusTransaction.requiringNew().call(() -> queue.submit(mail("c1@example.test", subscriber, 1L)));
        long onList2 = QuarkusTransaction.requiringNew().call(() -> queue.submit(mail("c2@example.test", subscriber, 2L)));
        long alreadySent = QuarkusTransaction.requiringNew().call(() -> queue.submit(mail("c3@example.test", subscriber, 1L)));
        update("UPDATE outbound_message SET state = 'sent', next_attempt_at = NULL WHERE id = " + alreadySent);

        int cancelled = QuarkusTransaction.requiringNew().call(() -> queue.cancelQueued(subscriber, 1L));

        assertEquals(1, cancelled);
        assertEquals("cancelled", state(onList1));
        assertEquals("queued", state(onList2));
        assertEquals("sent", state(alreadySent));
        assertEquals(1, QuarkusTransaction.requiringNew().call(() -> queue.cancelQueued(subscriber, null)));
        assertEquals("cancelled", state(onList2));
    }

    private String state(long id) throws SQLException {
        try (Connection c = dataSource.getConnection();
             ResultSet r = c.createStatement().executeQuery("SELECT state FROM outbound_message WHERE id = " + id)) {
            r.next();
            return r.getString(1);
        }
    }

    private long count(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection(); ResultSet r = c.createStatement().executeQuery(sql)) {
            r.next();
            return r.getLong(1);
        }
    }

    private void update(String sql) throws SQLException {
        try (Connection c = dataSource.getConnection()) {
            c.createStatement().executeUpdate(sql);
        }
    }
}
