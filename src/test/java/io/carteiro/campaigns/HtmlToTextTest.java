package io.carteiro.campaigns;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class HtmlToTextTest {

    @Test
    void paragraphsShouldBecomeBlocksSeparatedByABlankLine() {
        assertEquals("First para.\n\nSecond para.\n",
                HtmlToText.convert("<p>First\n   para.</p><p>Second <b>para</b>.</p>"));
    }

    @Test
    void linksShouldReadTextThenUrl() {
        assertEquals("Read the news (https://example.org/n?a=1&b=2) today.\n",
                HtmlToText.convert("Read <a href=\"https://example.org/n?a=1&amp;b=2\">the news</a> today."));
    }

    @Test
    void aLinkWhoseTextIsItsUrlShouldNotRepeatIt() {
        assertEquals("https://example.org\n",
                HtmlToText.convert("<a href='https://example.org'>https://example.org</a>"));
    }

    @Test
    void listsShouldGetMarkersAndNumbers() {
        assertEquals("Items:\n\n- one\n- two\n\nSteps:\n\n1. first\n2. second\n",
                HtmlToText.convert("<p>Items:</p><ul><li>one</li><li>two</li></ul>"
                        + "<p>Steps:</p><ol><li>first</li><li>second</li></ol>"));
    }

    @Test
    void breaksEntitiesScriptsAndStylesShouldBeHandled() {
        assertEquals("a\nb < c & d —\n",
                HtmlToText.convert("<html><head><style>p{color:red}</style><title>T</title></head>"
                        + "<body><script>alert('x')</script>a<br>b &lt; c &amp; d &#8212;<!-- hidden --></body>"));
    }
}
