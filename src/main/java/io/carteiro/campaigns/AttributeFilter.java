package io.carteiro.campaigns;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.util.Map;
import java.util.TreeMap;

/** The stored form of a campaign's attribute filter: a JSON object of attribute name to required value. */
final class AttributeFilter {

    private static final ObjectMapper JSON = new ObjectMapper();

    private AttributeFilter() {
    }

    static Map<String, String> parse(String json) {
        if (json == null || json.isBlank()) {
            return Map.of();
        }
        try {
            return JSON.readValue(json, new TypeReference<TreeMap<String, String>>() {
            });
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("stored attribute filter is not a JSON object of strings: " + json, e);
        }
    }

    static String format(Map<String, String> filter) {
        if (filter == null || filter.isEmpty()) {
            return null;
        }
        try {
            return JSON.writeValueAsString(new TreeMap<>(filter));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("attribute filter cannot be stored: " + e.getMessage(), e);
        }
    }
}
