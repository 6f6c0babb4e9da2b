package io.carteiro.engagement;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

class UtmTest {

    final Utm utm = new Utm("newsletter", "email", "Winter sale");

    @Test
    void parametersShouldBeAddedBeforeTheFragmentAndEncoded() {
        assertEquals("https://shop.example/a?utm_source=newsletter&utm_medium=email&utm_campaign=Winter+sale#top",
                utm.applyTo("https://shop.example/a#top"));
        assertEquals("https://shop.example/?q=1&utm_source=newsletter&utm_medium=email&utm_campaign=Winter+sale",
                utm.applyTo("https://shop.example/?q=1"));
    }

    @Test
    void aParameterTheLinkAlreadyHasShouldBeLeftAsWritten() {
        assertEquals("https://shop.example/?utm_source=partner&utm_medium=email&utm_campaign=Winter+sale",
                utm.applyTo("https://shop.example/?utm_source=partner"));
    }

    @Test
    void noParametersShouldLeaveTheLinkAlone() {
        assertEquals("https://shop.example/x?y", Utm.NONE.applyTo("https://shop.example/x?y"));
    }

    @Test
    void valuesShouldBeShortAndPlain() {
        assertEquals(Optional.empty(), Utm.problem("utmSource", "news_letter-2026"));
        assertTrue(Utm.problem("utmSource", "a&b=c").isPresent());
        assertTrue(Utm.problem("utmSource", "x".repeat(101)).isPresent());
    }
}
