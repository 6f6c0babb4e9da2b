package io.carteiro.subscribers;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class SuppressionsTest {

    @Inject
    Suppressions suppressions;

    @Test
    void addingTwiceKeepsOneEntryAndRemovingLiftsIt() {
        String address = TestData.address("Twice");
        Suppressions.Entry first = suppressions.add(SuppressionKind.ADDRESS, address, SuppressionReason.MANUAL, null);
        Suppressions.Entry second = suppressions.add(SuppressionKind.ADDRESS, address.toUpperCase(),
                SuppressionReason.BOUNCE, null);

        assertEquals(first.id(), second.id());
        assertEquals(address.toLowerCase(), first.value());
        assertTrue(suppressions.isSuppressed(EmailAddress.of(address)));
        assertTrue(suppressions.list(first.id() - 1, 10).stream().anyMatch(e -> e.id() == first.id()));

        assertTrue(suppressions.remove(first.id()));
        assertFalse(suppressions.isSuppressed(EmailAddress.of(address)));
    }

    @Test
    void aSuppressedInternationalDomainMatchesItsSubdomainsInPunycode() {
        String domain = TestData.unique("straße") + ".example";
        suppressions.add(SuppressionKind.DOMAIN, domain, SuppressionReason.COMPLAINT, null);
        assertTrue(suppressions.isSuppressed(EmailAddress.of("x@mail." + domain)));
        assertFalse(suppressions.isSuppressed(EmailAddress.of("x@other.example")));
    }

    @Test
    void erasedEntriesHoldASaltedHashNotTheAddress() {
        String address = TestData.address("hashme");
        Suppressions.Entry entry = suppressions.addErased(EmailAddress.of(address));
        assertTrue(entry.value().matches("[0-9a-f]{64}"));
        assertEquals(entry.value(), suppressions.erasureHash(address.toUpperCase()));
        assertNotEquals(entry.value(), suppressions.erasureHash(TestData.address("other")));
        assertTrue(suppressions.isSuppressed(EmailAddress.of(address)));
    }

    @Test
    void invalidValuesAreRefused() {
        assertThrows(IllegalArgumentException.class,
                () -> suppressions.add(SuppressionKind.ADDRESS, "nope", SuppressionReason.MANUAL, null));
        assertThrows(IllegalArgumentException.class,
                () -> suppressions.add(SuppressionKind.ERASED, "not-a-hash", SuppressionReason.ERASURE, null));
    }
}
