package io.carteiro.web;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

class LogSafeTest {

    @Test
    void lineBreaksAndControlCharactersCannotStartANewLogLine() {
        String forged = "ana@x.test\n2026-01-01 10:00:00,000 INFO  [io.carteiro] admin signed in\r\u0000\u001b[31m";
        String quoted = LogSafe.quote(forged);
        assertFalse(quoted.contains("\n") || quoted.contains("\r") || quoted.contains("\u0000")
                || quoted.contains("\u001b"), quoted);
        assertEquals("\"ana@x.test\\n2026-01-01 10:00:00,000 INFO  [io.carteiro] admin signed in\\r\\u0000"
                + "\\u001b[31m\"", quoted);
        assertEquals("\"a\\u2028b\\u202ec\"", LogSafe.quote("a\u2028b\u202ec"), "Unicode line and bidi controls");
    }

    @Test
    void quotesAndBackslashesAreEscapedSoTheQuotedValueEndsWhereItSays() {
        assertEquals("\"say \\\"hi\\\" \\\\ bye\"", LogSafe.quote("say \"hi\" \\ bye"));
        assertEquals("null", LogSafe.quote(null));
    }

    @Test
    void longValuesAreCut() {
        String quoted = LogSafe.quote("x".repeat(5000));
        assertTrue(quoted.startsWith("\"" + "x".repeat(LogSafe.MAX) + "\"…(4800 more"), quoted);
    }
}
