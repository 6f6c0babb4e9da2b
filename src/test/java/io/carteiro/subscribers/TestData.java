package io.carteiro.subscribers;

import io.carteiro.lists.ListDraft;
import io.carteiro.lists.OptIn;

import java.util.UUID;

/** Unique names and addresses, so tests sharing one database never collide. */
final class TestData {

    private TestData() {
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String address(String local) {
        return unique(local) + "@example.org";
    }

    static ListDraft list(OptIn optIn, String consentText) {
        return new ListDraft(unique("list"), "a test list", optIn, "news@example.org", "News", null, consentText);
    }

    static ConsentEvidence admin() {
        return ConsentEvidence.of(ConsentSource.ADMIN, "admin@carteiro.test", "127.0.0.1", "JUnit");
    }
}
