package io.carteiro.subscribers;

import io.carteiro.delivery.MailQueue;
import io.carteiro.delivery.OutgoingMail;
import io.carteiro.lists.ListService;
import io.carteiro.lists.MailingList;
import io.carteiro.lists.OptIn;
import io.carteiro.subscribers.SubscriberService.Added;
import io.carteiro.subscribers.SubscriberService.NewSubscriber;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** GDPR erasure leaves the address nowhere: not in the queue, its message bodies, nor the bounce records. */
@QuarkusTest
class ErasureReachesEveryFeatureTest {

    @Inject
    SubscriberService subscribers;

    @Inject
    ListService lists;

    @Inject
    MailQueue queue;

    @Inject
    EntityManager em;

    @Test
    void erasureCancelsQueuedMailAndRemovesTheAddressFromQueueAndBounces() {
        MailingList list = lists.create(TestData.list(OptIn.SINGLE, null), "admin@carteiro.test");
        String address = TestData.address("forget.me");
        long id = ((Added) subscribers.add(list.id, new NewSubscriber(address, "Forget Me", null),
                TestData.admin())).subscriberId();
        long queued = QuarkusTransaction.requiringNew().call(() -> queue.submit(new OutgoingMail(
                "news@example.org", address, "Hello", "<p>Hello Forget Me</p>", "Hello Forget Me", Map.of(), id,
                list.id)));
        QuarkusTransaction.requiringNew().run(() -> em.createNativeQuery("""
                        insert into bounce (subscriber_id, outbound_message_id, email, domain, kind, source, received_at)
                        values (:id, :message, :email, 'example.org', 'soft', 'smtp', current_timestamp(6))""")
                .setParameter("id", id).setParameter("message", queued).setParameter("email", address)
                .executeUpdate());

        assertTrue(subscribers.erase(id));

        List<?> row = QuarkusTransaction.requiringNew().call(() -> List.of((Object[]) em.createNativeQuery(
                        "select state, recipient from outbound_message where id = :id")
                .setParameter("id", queued).getSingleResult()));
        assertEquals("cancelled", row.get(0));
        assertEquals("erased-" + queued + "@erased.invalid", row.get(1));
        long mentions = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery("""
                        select (select count(*) from outbound_message where recipient = :email)
                             + (select count(*) from outbound_content where outbound_message_id = :message)
                             + (select count(*) from bounce where email = :email or subscriber_id = :id)""")
                .setParameter("email", address).setParameter("message", queued).setParameter("id", id)
                .getSingleResult()).longValue());
        assertEquals(0, mentions);
    }
}
