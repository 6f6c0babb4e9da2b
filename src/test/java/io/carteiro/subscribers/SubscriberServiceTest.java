package io.carteiro.subscribers;

import io.carteiro.lists.ListService;
import io.carteiro.lists.MailingList;
import io.carteiro.lists.OptIn;
import io.carteiro.subscribers.SubscriberService.Added;
import io.carteiro.subscribers.SubscriberService.AddOutcome;
import io.carteiro.subscribers.SubscriberService.AlreadyOnList;
import io.carteiro.subscribers.SubscriberService.Change;
import io.carteiro.subscribers.SubscriberService.Duplicate;
import io.carteiro.subscribers.SubscriberService.Invalid;
import io.carteiro.subscribers.SubscriberService.NewSubscriber;
import io.carteiro.subscribers.SubscriberService.Suppressed;
import io.carteiro.subscribers.Views.ConsentEventView;
import io.carteiro.subscribers.Views.SubscriberView;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class SubscriberServiceTest {

    @Inject
    SubscriberService subscribers;

    @Inject
    ListService lists;

    @Inject
    Suppressions suppressions;

    @Inject
    EntityManager em;

    @Test
    void addingToASingleOptInListConfirmsAtOnceAndLogsTheEvidence() {
        MailingList list = lists.create(TestData.list(OptIn.SINGLE, "Yes please."), "admin@carteiro.test");
        Added added = (Added) subscribers.add(list.id,
                new NewSubscriber(TestData.address("ana"), "Ana", Map.of("city", "Lisbon")), TestData.admin());

        assertEquals(SubscriptionStatus.CONFIRMED, added.status());
        List<ConsentEventView> history = subscribers.history(added.subscriberId());
        assertEquals(List.of(ConsentEventKind.SUBSCRIBED, ConsentEventKind.CONFIRMED),
                history.stream().map(ConsentEventView::event).toList());
        assertEquals("127.0.0.1", history.get(0).ip());
        assertEquals(ConsentSource.ADMIN, history.get(0).source());
        assertEquals(list.name, history.get(0).listName());
        assertEquals("Lisbon", subscribers.find(added.subscriberId()).orElseThrow().attributes().get("city"));
    }

    @Test
    void everySubscriptionStatusChangeAppendsAConsentEvent() {
        MailingList list = lists.create(TestData.list(OptIn.DOUBLE, null), "admin@carteiro.test");
        Added added = (Added) subscribers.add(list.id, new NewSubscriber(TestData.address("bo"), null, null),
                TestData.admin());
        assertEquals(SubscriptionStatus.UNCONFIRMED, added.status());
        long id = added.subscriberId();

        assertEquals(Change.CHANGED, subscribers.changeSubscription(id, list.id, SubscriptionStatus.CONFIRMED,
                TestData.admin()));
        assertEquals(Change.UNCHANGED, subscribers.changeSubscription(id, list.id, SubscriptionStatus.CONFIRMED,
                TestData.admin()));
        assertEquals(Change.CHANGED, subscribers.changeSubscription(id, list.id, SubscriptionStatus.UNSUBSCRIBED,
                ConsentEvidence.of(ConsentSource.FORM, null, "127.0.0.2", "Mail client")));
        assertEquals(Change.CHANGED, subscribers.changeStatus(id, SubscriberStatus.BLOCKLISTED, TestData.admin()));

        List<ConsentEventView> history = subscribers.history(id);
        assertEquals(List.of(ConsentEventKind.SUBSCRIBED, ConsentEventKind.CONFIRMED, ConsentEventKind.UNSUBSCRIBED,
                ConsentEventKind.STATUS_CHANGED), history.stream().map(ConsentEventView::event).toList());
        assertEquals("confirmed → unsubscribed", history.get(2).detail());
        assertEquals("127.0.0.2", history.get(2).ip());
        assertEquals("active → blocklisted", history.get(3).detail());
        SubscriberView view = subscribers.find(id).orElseThrow();
        assertEquals(SubscriberStatus.BLOCKLISTED, view.status());
        assertEquals(SubscriptionStatus.UNSUBSCRIBED, view.subscriptions().get(0).status());
        assertTrue(view.subscriptions().get(0).unsubscribedAt() != null);
    }

    @Test
    void theConsentLogRefusesUpdatesInTheDatabase() {
        MailingList list = lists.create(TestData.list(OptIn.SINGLE, null), "admin@carteiro.test");
        long id = ((Added) subscribers.add(list.id, new NewSubscriber(TestData.address("cy"), null, null),
                TestData.admin())).subscriberId();
        assertThrows(Exception.class, () -> QuarkusTransaction.requiringNew().run(() ->
                em.createNativeQuery("update consent_event set detail = 'forged' where subscriber_id = :id")
                        .setParameter("id", id).executeUpdate()));
        assertTrue(subscribers.history(id).stream().noneMatch(e -> "forged".equals(e.detail())));
    }

    @Test
    void theSameAddressInAnotherCaseIsTheSameSubscriber() {
        MailingList list = lists.create(TestData.list(OptIn.SINGLE, null), "admin@carteiro.test");
        String address = TestData.address("Dora");
        Added added = (Added) subscribers.add(list.id, new NewSubscriber(address, null, null), TestData.admin());

        AddOutcome again = subscribers.add(list.id, new NewSubscriber(address.toUpperCase(), null, null),
                TestData.admin());

        assertEquals(new AlreadyOnList(added.subscriberId()), again);
        MailingList other = lists.create(TestData.list(OptIn.SINGLE, null), "admin@carteiro.test");
        Added onOther = (Added) subscribers.add(other.id, new NewSubscriber(address.toUpperCase(), null, null),
                TestData.admin());
        assertEquals(added.subscriberId(), onOther.subscriberId());
        assertEquals(address, subscribers.find(added.subscriberId()).orElseThrow().email());
    }

    @Test
    void editingToAnAddressAnotherSubscriberHasIsRefusedCaseInsensitively() {
        MailingList list = lists.create(TestData.list(OptIn.SINGLE, null), "admin@carteiro.test");
        String taken = TestData.address("eve");
        long first = ((Added) subscribers.add(list.id, new NewSubscriber(taken, null, null), TestData.admin()))
                .subscriberId();
        long second = ((Added) subscribers.add(list.id, new NewSubscriber(TestData.address("fay"), null, null),
                TestData.admin())).subscriberId();

        assertEquals(new Duplicate(first), subscribers.edit(second, new NewSubscriber(taken.toUpperCase(), "F", null)));
    }

    @Test
    void internationalDomainsAreStoredAsPunycode() {
        MailingList list = lists.create(TestData.list(OptIn.SINGLE, null), "admin@carteiro.test");
        String local = TestData.unique("jose");
        long id = ((Added) subscribers.add(list.id, new NewSubscriber(local + "@bücher.example", null, null),
                TestData.admin())).subscriberId();

        SubscriberView view = subscribers.find(id).orElseThrow();
        assertEquals(local + "@xn--bcher-kva.example", view.email());
        String domain = QuarkusTransaction.requiringNew().call(() -> (String) em
                .createNativeQuery("select domain from subscriber where id = :id").setParameter("id", id)
                .getSingleResult());
        assertEquals("xn--bcher-kva.example", domain);
    }

    @Test
    void invalidAddressesAndOversizedNamesAreRefusedNamingTheField() {
        MailingList list = lists.create(TestData.list(OptIn.SINGLE, null), "admin@carteiro.test");
        Invalid email = assertInstanceOf(Invalid.class,
                subscribers.add(list.id, new NewSubscriber("not an address", null, null), TestData.admin()));
        assertEquals("email", email.field());
        Invalid name = assertInstanceOf(Invalid.class, subscribers.add(list.id,
                new NewSubscriber(TestData.address("long"), "x".repeat(201), null), TestData.admin()));
        assertEquals("name", name.field());
    }

    @Test
    void suppressedAddressesAndDomainsCannotBeAdded() {
        MailingList list = lists.create(TestData.list(OptIn.SINGLE, null), "admin@carteiro.test");
        String address = TestData.address("gil");
        suppressions.add(SuppressionKind.ADDRESS, address.toUpperCase(), SuppressionReason.BOUNCE, "550 5.1.1");
        String domain = TestData.unique("blocked") + ".example";
        suppressions.add(SuppressionKind.DOMAIN, domain, SuppressionReason.MANUAL, null);

        Suppressed byAddress = assertInstanceOf(Suppressed.class,
                subscribers.add(list.id, new NewSubscriber(address, null, null), TestData.admin()));
        assertTrue(byAddress.reason().contains("suppression list (bounce)"), byAddress.reason());
        assertInstanceOf(Suppressed.class,
                subscribers.add(list.id, new NewSubscriber("someone@mail." + domain, null, null), TestData.admin()));
    }

    @Test
    void erasureLeavesOnlyTheSaltedHashAndBlocksReAdding() {
        MailingList list = lists.create(TestData.list(OptIn.SINGLE, "Consent."), "admin@carteiro.test");
        String address = TestData.address("Hal");
        long id = ((Added) subscribers.add(list.id, new NewSubscriber(address, "Hal", Map.of("a", 1)),
                TestData.admin())).subscriberId();
        subscribers.changeSubscription(id, list.id, SubscriptionStatus.UNSUBSCRIBED, TestData.admin());

        assertTrue(subscribers.erase(id));

        assertTrue(subscribers.find(id).isEmpty());
        assertTrue(subscribers.history(id).isEmpty());
        long leftovers = QuarkusTransaction.requiringNew().call(() -> ((Number) em.createNativeQuery("""
                        select (select count(*) from subscription where subscriber_id = :id)
                             + (select count(*) from consent_event where subscriber_id = :id)
                             + (select count(*) from subscriber where email_key = :key)
                             + (select count(*) from suppression where value = :key)""")
                .setParameter("id", id).setParameter("key", address.toLowerCase()).getSingleResult()).longValue());
        assertEquals(0, leftovers);
        Suppressions.Entry entry = suppressions.match(EmailAddress.of(address)).orElseThrow();
        assertEquals(SuppressionKind.ERASED, entry.kind());
        assertTrue(entry.value().matches("[0-9a-f]{64}"), entry.value());
        Suppressed again = assertInstanceOf(Suppressed.class, subscribers.add(list.id,
                new NewSubscriber(address.toUpperCase(), null, null), TestData.admin()));
        assertTrue(again.reason().contains("erased"), again.reason());
    }

    @Test
    void deletingASubscriberKeepsARemovalInTheConsentLog() {
        MailingList list = lists.create(TestData.list(OptIn.SINGLE, null), "admin@carteiro.test");
        long id = ((Added) subscribers.add(list.id, new NewSubscriber(TestData.address("ivy"), null, null),
                TestData.admin())).subscriberId();

        assertTrue(subscribers.delete(id, TestData.admin()));

        assertTrue(subscribers.find(id).isEmpty());
        List<ConsentEventKind> kinds = subscribers.history(id).stream().map(ConsentEventView::event).toList();
        assertEquals(List.of(ConsentEventKind.SUBSCRIBED, ConsentEventKind.CONFIRMED, ConsentEventKind.REMOVED,
                ConsentEventKind.DELETED), kinds);
    }

    @Test
    void formAndImportEvidenceIsKeptOnTheSubscriptionAndInTheLog() {
        MailingList list = lists.create(TestData.list(OptIn.DOUBLE, "Form words."), "admin@carteiro.test");
        ConsentEvidence imported = ConsentEvidence.of(ConsentSource.IMPORT, "admin@carteiro.test", null, null)
                .withLegalBasis("contract (Art. 6(1)(b))");
        ConsentEvidence form = ConsentEvidence.of(ConsentSource.FORM, null, "127.0.0.9", "Firefox")
                .withPage("https://example.org/join");
        long viaImport = ((Added) subscribers.add(list.id, new NewSubscriber(TestData.address("imp"), null, null),
                imported, SubscriptionStatus.CONFIRMED)).subscriberId();
        long viaForm = ((Added) subscribers.add(list.id, new NewSubscriber(TestData.address("frm"), null, null),
                form)).subscriberId();

        Views.SubscriptionEvidence importEvidence = subscribers.export(viaImport).orElseThrow().subscriptions().get(0);
        assertEquals(ConsentSource.IMPORT, importEvidence.source());
        assertEquals("contract (Art. 6(1)(b))", importEvidence.legalBasis());
        assertEquals(SubscriptionStatus.CONFIRMED, importEvidence.status());
        assertEquals("contract (Art. 6(1)(b))", subscribers.history(viaImport).get(0).legalBasis());
        Views.SubscriptionEvidence formEvidence = subscribers.export(viaForm).orElseThrow().subscriptions().get(0);
        assertEquals("https://example.org/join", formEvidence.page());
        assertEquals("127.0.0.9", formEvidence.ip());
        assertEquals("Firefox", formEvidence.userAgent());
        assertEquals("Form words.", formEvidence.consentText());
        assertEquals(SubscriptionStatus.UNCONFIRMED, formEvidence.status());
    }

    @Test
    void exportHoldsTheSubscriptionEvidenceWithTheAgreedTextAndTheHistory() {
        MailingList list = lists.create(TestData.list(OptIn.SINGLE, "The words agreed to."), "admin@carteiro.test");
        long id = ((Added) subscribers.add(list.id, new NewSubscriber(TestData.address("jo"), "Jo", null),
                TestData.admin())).subscriberId();

        Views.SubscriberExport export = subscribers.export(id).orElseThrow();

        assertEquals("Jo", export.name());
        assertEquals("The words agreed to.", export.subscriptions().get(0).consentText());
        assertEquals(1, export.subscriptions().get(0).consentTextVersion());
        assertEquals(2, export.consentHistory().size());
    }
}
