package io.carteiro.subscribers;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the attributes box of the subscriber forms: a JSON object, or {@code key=value} lines for people who do not
 * write JSON. Values in lines stay text.
 */
final class AttributesText {

    /** Parsed attributes, or the reason they could not be read. */
    record Parsed(Map<String, Object> attributes, String error) {
    }

    private AttributesText() {
    }

    static Parsed parse(String text, ObjectMapper json) {
        if (text == null || text.isBlank()) {
            return new Parsed(null, null);
        }
        String trimmed = text.strip();
        if (trimmed.startsWith("{")) {
            try {
                return new Parsed(json.readValue(trimmed, new TypeReference<LinkedHashMap<String, Object>>() {
                }), null);
            } catch (JsonProcessingException e) {
                return new Parsed(null, "attributes are not a valid JSON object: " + e.getOriginalMessage());
            }
        }
        Map<String, Object> attributes = new LinkedHashMap<>();
        String[] lines = trimmed.split("\\R");
        for (int i = 0; i < lines.length; i++) {
            String line = lines[i].strip();
            if (line.isEmpty()) {
                continue;
            }
            int equals = line.indexOf('=');
            if (equals <= 0) {
                return new Parsed(null, "attributes line " + (i + 1) + " is not key=value: '" + line + "'");
            }
            attributes.put(line.substring(0, equals).strip(), line.substring(equals + 1).strip());
        }
        return new Parsed(attributes, null);
    }

    /** The attributes as pretty JSON for the edit box. */
    static String format(Map<String, Object> attributes, ObjectMapper json) {
        if (attributes == null || attributes.isEmpty()) {
            return "";
        }
        try {
            return json.writerWithDefaultPrettyPrinter().writeValueAsString(attributes);
        } catch (JsonProcessingException e) {
            return attributes.toString();
        }
    }
}
