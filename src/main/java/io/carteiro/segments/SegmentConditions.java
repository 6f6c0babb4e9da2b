package io.carteiro.segments;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.carteiro.engagement.EngagementSegments;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The conditions of a segment, all of which a subscriber meets: a JSON array of objects, each with a {@code type}
 * and the list it is about ({@code listId}). Engagement types count people only (machine clicks and opens never do):
 * {@code clicked}, {@code opened}, {@code engaged} (clicked or opened) with {@code days}, the last N days; and
 * {@code inactive} with {@code campaigns}, no human engagement in the last N campaign messages delivered to them.
 * Parsing is a value: the conditions, or the first thing wrong with them, naming where.
 */
final class SegmentConditions {

    static final int MAX_CONDITIONS = 20;
    static final int MAX_DAYS = 3650;
    static final int MAX_CAMPAIGNS = 1000;

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> DAYS_TYPES = Set.of("clicked", "opened", "engaged");

    /** What parsing came to. */
    sealed interface Parsed permits Valid, Invalid {
    }

    record Valid(List<EngagementSegments.Condition> conditions) implements Parsed {
    }

    record Invalid(String field, String message) implements Parsed {
    }

    private SegmentConditions() {
    }

    static Parsed parse(JsonNode node) {
        if (node == null || node.isNull() || node.isMissingNode()) {
            return new Invalid("conditions", "conditions is required: a list of conditions, e.g. "
                    + "[{\"type\":\"clicked\",\"listId\":1,\"days\":30}]");
        }
        if (!node.isArray()) {
            return new Invalid("conditions", "conditions must be a list of conditions");
        }
        if (node.isEmpty() || node.size() > MAX_CONDITIONS) {
            return new Invalid("conditions", "conditions must hold 1 to " + MAX_CONDITIONS + " conditions");
        }
        List<EngagementSegments.Condition> out = new ArrayList<>();
        for (int i = 0; i < node.size(); i++) {
            String at = "conditions[" + i + "]";
            JsonNode c = node.get(i);
            if (!c.isObject()) {
                return new Invalid(at, at + " must be an object with a type");
            }
            JsonNode typeNode = c.get("type");
            String type = typeNode != null && typeNode.isTextual() ? typeNode.asText().toLowerCase(Locale.ROOT) : "";
            boolean days = DAYS_TYPES.contains(type);
            if (!days && !type.equals("inactive")) {
                return new Invalid(at + ".type", at + ".type must be 'clicked', 'opened', 'engaged' or 'inactive'");
            }
            String amount = days ? "days" : "campaigns";
            for (Iterator<String> names = c.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (!name.equals("type") && !name.equals("listId") && !name.equals(amount)) {
                    return new Invalid(at + "." + clip(name), at + " of type '" + type + "' takes listId and " + amount
                            + ", not '" + clip(name) + "'");
                }
            }
            Long listId = whole(c.get("listId"), 1, Long.MAX_VALUE);
            if (listId == null) {
                return new Invalid(at + ".listId", at + ".listId must be the id of a list");
            }
            int max = days ? MAX_DAYS : MAX_CAMPAIGNS;
            Long n = whole(c.get(amount), 1, max);
            if (n == null) {
                return new Invalid(at + "." + amount, at + "." + amount + " must be a whole number from 1 to " + max);
            }
            out.add(new EngagementSegments.Condition(EngagementSegments.Kind.parse(type), listId, n.intValue()));
        }
        return new Valid(List.copyOf(out));
    }

    /** The conditions as stored and shown: the same shape as written, normalised. */
    static String write(List<EngagementSegments.Condition> conditions) {
        ArrayNode array = JSON.createArrayNode();
        for (EngagementSegments.Condition c : conditions) {
            ObjectNode o = array.addObject();
            o.put("type", c.kind().name().toLowerCase(Locale.ROOT));
            o.put("listId", c.listId());
            o.put(c.kind() == EngagementSegments.Kind.INACTIVE ? "campaigns" : "days", c.n());
        }
        return array.toString();
    }

    static JsonNode read(String text) {
        try {
            return JSON.readTree(text);
        } catch (java.io.IOException e) {
            throw new IllegalStateException("segment conditions are not JSON: " + e.getMessage(), e);
        }
    }

    private static Long whole(JsonNode n, long min, long max) {
        if (n == null || !n.isIntegralNumber() || !n.canConvertToLong()) {
            return null;
        }
        long v = n.asLong();
        return v < min || v > max ? null : v;
    }

    private static String clip(String s) {
        return s.length() <= 40 ? s : s.substring(0, 40) + "…";
    }
}
