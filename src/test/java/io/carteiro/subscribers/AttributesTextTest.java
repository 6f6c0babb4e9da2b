package io.carteiro.subscribers;

import com.fasterxml.jackson.databind.ObjectMapper;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AttributesTextTest {

    final ObjectMapper json = new ObjectMapper();

    @Test
    void keyValueLinesBecomeTextAttributes() {
        AttributesText.Parsed parsed = AttributesText.parse("city = Lisbon\n\nplan=gold=plus\r\n", json);
        assertEquals(Map.of("city", "Lisbon", "plan", "gold=plus"), parsed.attributes());
    }

    @Test
    void aJsonObjectKeepsItsTypes() {
        AttributesText.Parsed parsed = AttributesText.parse("{\"tier\": 2, \"vip\": true}", json);
        assertEquals(Map.of("tier", 2, "vip", true), parsed.attributes());
    }

    @Test
    void aLineWithoutEqualsIsRefusedNamingTheLine() {
        AttributesText.Parsed parsed = AttributesText.parse("city=Lisbon\njust words", json);
        assertNull(parsed.attributes());
        assertTrue(parsed.error().contains("line 2"), parsed.error());
    }

    @Test
    void brokenJsonIsRefused() {
        assertTrue(AttributesText.parse("{\"city\": ", json).error().startsWith("attributes are not a valid JSON"));
    }
}
