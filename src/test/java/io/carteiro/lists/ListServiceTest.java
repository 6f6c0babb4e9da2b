package io.carteiro.lists;

import io.carteiro.subscribers.ConsentEvidence;
import io.carteiro.subscribers.ConsentEventKind;
import io.carteiro.subscribers.ConsentSource;
import io.carteiro.subscribers.SubscriberService;
import io.carteiro.subscribers.SubscriberService.Added;
import io.carteiro.subscribers.SubscriberService.NewSubscriber;
import io.carteiro.subscribers.Views.ConsentEventView;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class ListServiceTest {

    @Inject
    ListService lists;

    @Inject
    SubscriberService subscribers;

    @Inject
    EntityManager em;

    static final ConsentEvidence ADMIN = ConsentEvidence.of(ConsentSource.ADMIN, "admin@carteiro.test", null, null);

    @Test
    void editingTheConsentTextAddsAVersionAndOldSubscriptionsKeepTheirs() {
        MailingList list = lists.create(draft("I agree to version one."), "admin@carteiro.test");
        long early = ((Added) subscribers.add(list.id, person(), ADMIN)).subscriberId();

        lists.update(list.id, draft("I agree to version two."), "admin@carteiro.test");
        long late = ((Added) subscribers.add(list.id, person(), ADMIN)).subscriberId();

        MailingList reread = lists.find(list.id).orElseThrow();
        assertEquals(2, reread.consentTextVersion);
        assertEquals("I agree to version one.", agreedText(early, list.id));
        assertEquals("I agree to version two.", agreedText(late, list.id));
    }

    @Test
    void savingTheSameConsentTextAgainAddsNoVersion() {
        MailingList list = lists.create(draft("Same words."), "admin@carteiro.test");
        lists.update(list.id, draft("Same words."), "admin@carteiro.test");
        assertEquals(1, lists.find(list.id).orElseThrow().consentTextVersion);
    }

    @Test
    void deletingAListKeepsEachSubscribersHistoryWithTheListName() {
        MailingList list = lists.create(draft(null), "admin@carteiro.test");
        long first = ((Added) subscribers.add(list.id, person(), ADMIN)).subscriberId();
        long second = ((Added) subscribers.add(list.id, person(), ADMIN)).subscriberId();

        assertTrue(lists.delete(list.id, "admin@carteiro.test"));

        assertTrue(lists.find(list.id).isEmpty());
        for (long subscriber : List.of(first, second)) {
            List<ConsentEventView> history = subscribers.history(subscriber);
            ConsentEventView last = history.get(history.size() - 1);
            assertEquals(ConsentEventKind.REMOVED, last.event());
            assertEquals(list.name, last.listName());
            assertEquals("list deleted", last.detail());
            assertTrue(subscribers.find(subscriber).orElseThrow().subscriptions().isEmpty());
        }
    }

    @Test
    void deletingAMissingListReportsIt() {
        assertFalse(lists.delete(Long.MAX_VALUE, "admin@carteiro.test"));
    }

    private String agreedText(long subscriberId, long listId) {
        return QuarkusTransaction.requiringNew().call(() -> (String) em.createNativeQuery("""
                        select c.body from subscription s join consent_text c on c.id = s.consent_text_id
                        where s.subscriber_id = :s and s.list_id = :l""")
                .setParameter("s", subscriberId).setParameter("l", listId).getSingleResult());
    }

    private static ListDraft draft(String consent) {
        return new ListDraft("list-" + UUID.randomUUID(), null, OptIn.SINGLE, null, null, null, consent);
    }

    private static NewSubscriber person() {
        return new NewSubscriber("p-" + UUID.randomUUID() + "@example.org", "P", null);
    }
}
