package io.carteiro.subscribers;

import org.junit.jupiter.api.Test;

import java.net.IDN;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;

class EmailAddressTest {

    @Test
    void anAsciiDomainIsKeptAsGivenAndMatchesWhatIdnMakesOfIt() {
        for (String domain : new String[]{"example.org", "Mail.Example.ORG", "xn--bcher-kva.example", "a-b.c1.io"}) {
            EmailAddress address = valid("Ana@" + domain);
            assertEquals(IDN.toASCII(domain, IDN.USE_STD3_ASCII_RULES), address.domain());
            assertEquals("Ana@" + domain, address.value());
            assertEquals(("ana@" + domain).toLowerCase(java.util.Locale.ROOT), address.key());
        }
    }

    @Test
    void anInternationalDomainIsStoredInALabelForm() {
        assertEquals("xn--bcher-kva.example", valid("ana@bücher.example").domain());
        assertEquals("xn--mnchen-3ya.de", valid("ana@MÜNCHEN.de").domainKey());
    }

    @Test
    void aBadDomainIsNamedWithWhatIsWrong() {
        assertEquals("domain 'a..example' has an empty label in 'x@a..example'", invalid("x@a..example"));
        assertEquals("domain 'example.org.' has an empty label in 'x@example.org.'", invalid("x@example.org."));
        assertEquals("domain label '-bad' starts or ends with a hyphen in 'x@-bad.example'", invalid("x@-bad.example"));
        assertEquals("a domain label is longer than 63 characters in 'x@" + "a".repeat(64) + ".example'",
                invalid("x@" + "a".repeat(64) + ".example"));
        assertEquals("domain 'localhost' has no dot (a public domain such as example.org is needed) in 'x@localhost'",
                invalid("x@localhost"));
        assertEquals("domain 'exa_mple.org' is not a valid domain name", invalid("x@exa_mple.org"));
    }

    private static EmailAddress valid(String text) {
        return assertInstanceOf(EmailAddress.Valid.class, EmailAddress.parse(text)).address();
    }

    private static String invalid(String text) {
        return assertInstanceOf(EmailAddress.Invalid.class, EmailAddress.parse(text)).reason();
    }
}
