package io.carteiro.web;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;

class FormWordsTest {

    final FormWords words = FormWords.of("fromEmail", "From address", "legalBasis", "Legal basis",
            "mapping", "Column mapping", "windowStart", "From", "window", "Window");

    @Test
    void aFieldNameBecomesTheFormsLabel() {
        assertEquals("“From address” is not an e-mail address", words.speak("fromEmail is not an e-mail address"));
    }

    @Test
    void fieldEqualsValueAndPassFieldEqualsValueReadAsTheFormIsFilledIn() {
        assertEquals("“Legal basis” is required, e.g. “Legal basis”: consent at the fair",
                words.speak("legalBasis is required, e.g. legalBasis=consent at the fair"));
        assertEquals("The header [a, b] has no column named email; name one so or enter in “Column mapping”:"
                        + " email=<column>",
                words.speak("the header [a, b] has no column named email; name one so or pass mapping=email=<column>"));
    }

    @Test
    void onlyWholeNamesAreReplacedLongestFirst() {
        assertEquals("“From” and “Window”, not windows or fromEmails",
                words.speak("windowStart and window, not windows or fromEmails"));
        assertEquals(null, words.speak((String) null));
    }
}
