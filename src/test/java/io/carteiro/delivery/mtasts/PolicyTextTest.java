package io.carteiro.delivery.mtasts;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** RFC 8461 §3.2: the policy file, parsed strictly. */
class PolicyTextTest {

    @Test
    void rfcExampleShouldParse() {
        StsPolicy policy = valid("version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\n"
                + "mx: backupmx.example.com\r\nmax_age: 604800\r\n");
        assertEquals(StsPolicy.Mode.ENFORCE, policy.mode());
        assertEquals(List.of("mail.example.com", "*.example.net", "backupmx.example.com"), policy.mxPatterns());
        assertEquals(604800, policy.maxAgeSeconds());
    }

    @Test
    void lineFeedsAloneAndMissingLastNewlineShouldParse() {
        StsPolicy policy = valid("version: STSv1\nmode: testing\nmx: MX.Example.COM.\nmax_age: 10");
        assertEquals(StsPolicy.Mode.TESTING, policy.mode());
        assertEquals(List.of("mx.example.com"), policy.mxPatterns());
    }

    @Test
    void unknownFieldsShouldBeIgnoredAndNoneNeedsNoMx() {
        StsPolicy policy = valid("version: STSv1\r\nmode: none\r\nfuture_field: something\r\nmax_age: 86400\r\n");
        assertEquals(StsPolicy.Mode.NONE, policy.mode());
        assertEquals(List.of(), policy.mxPatterns());
    }

    @Test
    void maxAgeAboveAYearShouldBeReadAsAYear() {
        assertEquals(StsPolicy.MAX_AGE_LIMIT,
                valid("version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 9999999999\n").maxAgeSeconds());
    }

    @Test
    void missingOrWrongRequiredFieldsShouldBeRefused() {
        invalid("mode: enforce\nmx: mx.example.com\nmax_age: 1\n", "version");
        invalid("version: STSv2\nmode: enforce\nmx: mx.example.com\nmax_age: 1\n", "STSv1");
        invalid("version: STSv1\nmx: mx.example.com\nmax_age: 1\n", "mode");
        invalid("version: STSv1\nmode: Enforce\nmx: mx.example.com\nmax_age: 1\n", "mode");
        invalid("version: STSv1\nmode: enforce\nmx: mx.example.com\n", "max_age");
        invalid("version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: -1\n", "max_age");
        invalid("version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 12345678901\n", "max_age");
        invalid("version: STSv1\nmode: enforce\nmax_age: 1\n", "mx");
    }

    @Test
    void ambiguousOrMalformedLinesShouldBeRefused() {
        invalid("version: STSv1\nmode: testing\nmode: enforce\nmx: mx.example.com\nmax_age: 1\n", "more than once");
        invalid("version: STSv1\nmode: enforce\nmx: mx.example.com\nmax_age: 1\ngarbage\n", "key: value");
        invalid("version: STSv1\nmode: enforce\nmx:\nmax_age: 1\n", "no value");
        invalid("version: STSv1\nmode: enforce\nmx: mx.example.com\n\nmax_age: 1\n", "key: value");
        invalid("version: STSv1\r\rmode: enforce\nmx: mx.example.com\nmax_age: 1\n", "CR");
        invalid("<html><body>version: STSv1</body></html>", "key");
    }

    @Test
    void badMxPatternsShouldBeRefused() {
        for (String mx : List.of("*", "*.com", "mx*.example.com", "mx.*.example.com", "-mx.example.com",
                "localhost", "mx..example.com", "mx_1.example.com")) {
            invalid("version: STSv1\nmode: enforce\nmx: " + mx + "\nmax_age: 1\n", "mx");
        }
    }

    @Test
    void nonAsciiBytesShouldBeRefused() {
        PolicyText.Parse parse = PolicyText.parse("version: STSv1\nmode: enforce\nmx: mx.exämple.com\nmax_age: 1\n"
                .getBytes(StandardCharsets.UTF_8));
        assertInstanceOf(PolicyText.Parse.Invalid.class, parse);
        assertInstanceOf(PolicyText.Parse.Invalid.class, PolicyText.parse(new byte[]{'v', 0, '\n'}));
    }

    private static StsPolicy valid(String text) {
        PolicyText.Parse parse = PolicyText.parse(text.getBytes(StandardCharsets.US_ASCII));
        return assertInstanceOf(PolicyText.Parse.Valid.class, parse, parse.toString()).policy();
    }

    private static void invalid(String text, String reasonMentions) {
        PolicyText.Parse parse = PolicyText.parse(text.getBytes(StandardCharsets.US_ASCII));
        String reason = assertInstanceOf(PolicyText.Parse.Invalid.class, parse, text).reason();
        assertTrue(reason.contains(reasonMentions), reason);
    }
}
