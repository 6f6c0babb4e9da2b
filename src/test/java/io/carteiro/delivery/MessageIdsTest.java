package io.carteiro.delivery;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Message-IDs the engine names itself are signed, so a report quoting one names its message and no other. */
@QuarkusTest
class MessageIdsTest {

    @Inject
    MessageIds ids;

    private static OutboundRow row(long id, String messageId) {
        return new OutboundRow(id, 7L, 8L, 9L, "reader@example.org", "example.org", "news@Lists.Example.org",
                messageId, 0, Instant.parse("2026-12-01T10:00:00Z"), null);
    }

    @Test
    void aRowWithoutMessageIdShouldGetASignedOneOnItsSendersDomainThatNamesIt() {
        String id = ids.messageIdOf(row(123456789L, null));
        assertTrue(id.matches("<[0-9a-z]+\\.[0-9a-f]{20}@lists\\.example\\.org>"), id);
        assertEquals(OptionalLong.of(123456789L), ids.decode(id));
        assertEquals(OptionalLong.of(123456789L), ids.decode(id.substring(1, id.length() - 1).toUpperCase()),
                "without brackets, in another case");
        assertEquals(id, ids.messageIdOf(row(123456789L, null)), "the same row always gets the same one");
    }

    @Test
    void aRowThatHasAMessageIdShouldKeepIt() {
        assertEquals("<given.1@example.org>", ids.messageIdOf(row(5L, "<given.1@example.org>")));
    }

    @Test
    void anAlteredIdOrSignatureOrAnotherFormatShouldNameNoMessage() {
        String id = ids.messageIdOf(row(42L, null));
        String other = ids.messageIdOf(row(43L, null));
        assertNotEquals(id.substring(id.indexOf('.')), other.substring(other.indexOf('.')),
                "each row has its own signature, so knowing one Message-ID does not give another");
        String otherRow = "<" + Long.toString(43L, 36) + id.substring(id.indexOf('.'));
        String alteredMac = id.substring(0, id.indexOf('@') - 1) + (id.charAt(id.indexOf('@') - 1) == '0' ? '1' : '0')
                + id.substring(id.indexOf('@'));
        for (String forged : new String[]{otherRow, alteredMac, "<16.mx54a7u7@lists.example.org>",
                "<3k2j1h4g5f6d7s8a9.mx54a7u7@example.org>", "<@x>", "<.@>", "no brackets at all", "", null}) {
            assertEquals(OptionalLong.empty(), ids.decode(forged), forged);
        }
    }
}
