package io.carteiro.delivery.dkim;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RelaxedBodyTest {

    private static String relaxed(String body) {
        return new String(DkimSigner.relaxedBody(body.getBytes(StandardCharsets.UTF_8)), StandardCharsets.UTF_8);
    }

    @Test
    void theExampleOfRfc6376ShouldCanonicalizeAsTheRfcShows() {
        assertEquals(" C\r\nD E\r\n", relaxed(" C \r\nD \t E\r\n\r\n\r\n"));
    }

    @Test
    void emptyLinesInsideTheBodyShouldStayAndTrailingOnesGo() {
        assertEquals("a\r\n\r\n\r\nb\r\n", relaxed("a\r\n\r\n  \r\nb\r\n \t\r\n\r\n"));
    }

    @Test
    void aLastLineWithoutLineBreakShouldGetOne() {
        assertEquals("abc\r\n", relaxed("abc"));
    }

    @Test
    void anEmptyOrBlankBodyShouldBeEmpty() {
        assertEquals("", relaxed(""));
        assertEquals("", relaxed("\r\n \r\n\t\r\n"));
    }

    @Test
    void bareLineFeedsShouldEndLinesLikeCrlf() {
        assertEquals("a b\r\n\r\nc\r\n", relaxed("a  b\n\nc\n"));
    }

    @Test
    void bytesOutsideAsciiShouldPassUnchanged() {
        assertEquals("Olá mundo?\r\n", relaxed("Olá \t mundo? \r\n"));
    }
}
