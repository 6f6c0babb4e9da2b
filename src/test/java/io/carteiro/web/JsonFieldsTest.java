package io.carteiro.web;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.http.ContentType;
import io.restassured.response.Response;
import io.restassured.specification.RequestSpecification;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Supplier;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 14.10: every JSON route answers a missing, null, wrong-typed, unknown-enum or oversized field with 400 naming
 * the field, or takes the field's default; never 5xx. The routes and their fields come from the OpenAPI document, so
 * a new route or field is attacked without anyone adding it here; each known route starts from a body a user would
 * send (accepted as it is), an unknown one from a body made from its schema.
 */
@QuarkusTest
class JsonFieldsTest {

    static final String ADMIN = "admin@carteiro.test";
    static final String PASSWORD = "correct horse battery staple";
    static final ObjectMapper JSON = new ObjectMapper();
    static final JsonNodeFactory NODES = JsonNodeFactory.instance;
    /** Longer than any text column the API writes (the largest bounded ones hold 20,000 characters). */
    static final int OVERSIZED_TEXT = 1_100_000;
    static final int OVERSIZED_ITEMS = 20_000;

    static RequestSpecification api() {
        return given().auth().preemptive().basic(ADMIN, PASSWORD).contentType(ContentType.JSON);
    }

    static String unique(String prefix) {
        return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
    }

    static String address() {
        return unique("json") + "@example.org";
    }

    /** A route with a JSON body: its method and path as the OpenAPI document spells them, and its body schema. */
    record Route(String method, String path, JsonNode schema) {
        String key() {
            return method.toUpperCase() + " " + path;
        }
    }

    /** One attack on one field: what was sent and how it was answered. */
    record Attack(Route route, String field, String variant, int status, String body) {
        @Override
        public String toString() {
            return route.key() + " " + field + " " + variant + " -> " + status + " " + clip(body);
        }
    }

    // Fixtures a user makes through the API; the routes' path parameters point at them.
    long list;
    long subscriber;
    String subscriberEmail;
    long draftCampaign;
    long scheduleCampaign;
    JsonNode openApi;

    @Test
    void everyJsonRouteAnswersBadFieldsWith400NamingTheFieldOrTakesTheDefaultAndNeverFails() throws Exception {
        // the API description is behind the admin sign-in (issue 12.13)
        openApi = JSON.readTree(AdminBrowser.signIn().request().accept(ContentType.JSON)
                .get("/q/openapi?format=json").then().statusCode(200).extract().asString());
        makeFixtures();
        List<Route> routes = jsonRoutes();
        assertTrue(routes.size() >= 10, "the OpenAPI document lists only " + routes.size() + " JSON routes");
        Map<String, Supplier<ObjectNode>> bases = userBodies();

        List<String> problems = new ArrayList<>();
        int sent = 0;
        for (Route route : routes) {
            Supplier<ObjectNode> base = bases.getOrDefault(route.key(), () -> fromSchema(route.schema()));
            Response first = send(route, base.get());
            if (bases.containsKey(route.key()) && first.statusCode() >= 300) {
                problems.add(route.key() + ": the user's body was refused: " + first.statusCode() + " "
                        + clip(first.asString()));
            }
            for (Map.Entry<String, JsonNode> whole : wholeBodies().entrySet()) {
                Response answer = api().body(whole.getValue().toString()).request(route.method().toUpperCase(),
                        path(route));
                sent++;
                if (answer.statusCode() >= 500 || answer.statusCode() < 400) {
                    problems.add("a body that is " + whole.getKey() + " was answered "
                            + answer.statusCode() + ": " + route.key() + " " + clip(answer.asString()));
                }
            }
            JsonNode properties = resolve(route.schema()).path("properties");
            List<String> required = new ArrayList<>();
            resolve(route.schema()).path("required").forEach(n -> required.add(n.asText()));
            for (Iterator<Map.Entry<String, JsonNode>> it = properties.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> property = it.next();
                String field = property.getKey();
                JsonNode schema = resolve(property.getValue());
                String limit = undocumentedLimit(schema);
                if (limit != null) {
                    problems.add(route.key() + " " + field + ": no documented " + limit);
                }
                for (Map.Entry<String, JsonNode> variant : variants(schema).entrySet()) {
                    ObjectNode body = base.get();
                    if (variant.getValue() == null) {
                        body.remove(field);
                    } else {
                        body.set(field, variant.getValue());
                    }
                    Response answer = send(route, body);
                    sent++;
                    Attack attack = new Attack(route, field, variant.getKey(), answer.statusCode(),
                            answer.asString());
                    String problem = judge(attack, required.contains(field)
                            && (variant.getKey().equals("missing") || variant.getKey().equals("null")));
                    if (problem != null) {
                        problems.add(problem + ": " + attack);
                    }
                }
            }
        }
        assertTrue(problems.isEmpty(), problems.size() + " of " + sent + " bad bodies were answered wrongly:\n"
                + String.join("\n", problems));
    }

    /**
     * The limit a field's schema should state and does not: a text its maxLength, a list its maxItems, a map its
     * maxProperties (a user cannot keep under a limit nobody wrote down); null when it states it or needs none.
     */
    static String undocumentedLimit(JsonNode schema) {
        return switch (type(schema)) {
            case "string" -> schema.has("enum") || schema.has("maxLength") ? null : "maxLength";
            case "array" -> schema.has("maxItems") ? null : "maxItems";
            case "object" -> !schema.has("additionalProperties") || schema.has("maxProperties") ? null
                    : "maxProperties";
            default -> null;
        };
    }

    /** Bodies that are not a JSON object at all, each of which must be refused with a 4xx. */
    static Map<String, JsonNode> wholeBodies() {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        out.put("null", NODES.nullNode());
        out.put("an array", NODES.arrayNode().add(1));
        out.put("a string", NODES.textNode("hello"));
        return out;
    }

    @Test
    void theRulesFlagUndocumentedLimitsAndAnswersThatDoNotNameTheField() throws Exception {
        assertTrue("maxLength".equals(undocumentedLimit(JSON.readTree("{\"type\":\"string\"}"))));
        assertTrue(undocumentedLimit(JSON.readTree("{\"type\":\"string\",\"maxLength\":5}")) == null);
        assertTrue(undocumentedLimit(JSON.readTree("{\"type\":\"string\",\"enum\":[\"a\"]}")) == null);
        assertTrue("maxItems".equals(undocumentedLimit(JSON.readTree("{\"type\":\"array\"}"))));
        assertTrue("maxProperties".equals(undocumentedLimit(
                JSON.readTree("{\"type\":\"object\",\"additionalProperties\":{}}"))));
        Route route = new Route("post", "/api/x", NODES.objectNode());
        assertTrue(judge(new Attack(route, "name", "null", 500, "{}"), false) != null);
        assertTrue(judge(new Attack(route, "name", "null", 400, "{\"error\":\"bad\"}"), false) != null);
        assertTrue(judge(new Attack(route, "name", "null", 400, "{\"error\":\"bad\",\"field\":\"other\"}"), false)
                != null);
        assertTrue(judge(new Attack(route, "name", "null", 201, "{}"), true) != null);
        assertTrue(judge(new Attack(route, "listIds", "x", 400, "{\"field\":\"listIds[0]\"}"), false) == null);
        assertTrue(judge(new Attack(route, "name", "null", 201, "{}"), false) == null);
        assertTrue(judge(new Attack(route, "name", "null", 409, "{\"error\":\"taken\"}"), false) == null);
    }

    /** Null when the answer is right: below 500; a 400 names the field; a required field cannot be left out. */
    static String judge(Attack attack, boolean mustRefuse) {
        if (attack.status() >= 500) {
            return "server error";
        }
        if (mustRefuse && attack.status() < 300) {
            return "a required field was accepted without a value";
        }
        if (attack.status() == 400) {
            String named = namedField(attack.body());
            if (named == null || !(named.equals(attack.field()) || named.startsWith(attack.field() + ".")
                    || named.startsWith(attack.field() + "["))) {
                return "400 names " + (named == null ? "no field" : "field '" + named + "'");
            }
        }
        return null;
    }

    static String namedField(String body) {
        try {
            JsonNode error = JSON.readTree(body);
            return error.hasNonNull("field") ? error.get("field").asText() : null;
        } catch (Exception e) {
            return null;
        }
    }

    /** The bad values for a field of this schema, by name; a null value means "leave the field out". */
    Map<String, JsonNode> variants(JsonNode schema) {
        Map<String, JsonNode> out = new LinkedHashMap<>();
        out.put("missing", null);
        out.put("null", NODES.nullNode());
        String type = type(schema);
        switch (type) {
            case "string" -> {
                out.put("wrong type (object)", NODES.objectNode().put("unexpected", "object"));
                int max = schema.path("maxLength").asInt(OVERSIZED_TEXT - 1);
                out.put("oversized (" + (max + 1) + " characters)", NODES.textNode("x".repeat(max + 1)));
                if (schema.has("enum")) {
                    out.put("unknown enum value", NODES.textNode("no-such-value"));
                }
            }
            case "integer" -> {
                out.put("wrong type (string)", NODES.textNode("not a number"));
                out.put("oversized (1e30)", NODES.numberNode(new java.math.BigInteger("1" + "0".repeat(30))));
            }
            case "number" -> {
                out.put("wrong type (string)", NODES.textNode("not a number"));
                out.put("oversized (1e400)", NODES.numberNode(new java.math.BigDecimal("1e400")));
            }
            case "boolean" -> out.put("wrong type (string)", NODES.textNode("not a boolean"));
            case "array" -> {
                out.put("wrong type (string)", NODES.textNode("not a list"));
                out.put("wrong item type (object)", NODES.arrayNode().add(NODES.objectNode().put("a", 1)));
                ArrayNode many = NODES.arrayNode();
                JsonNode item = sample(resolve(schema.path("items")));
                for (int i = 0; i < OVERSIZED_ITEMS; i++) {
                    many.add(item);
                }
                out.put("oversized (" + OVERSIZED_ITEMS + " items)", many);
            }
            default -> { // object or map
                out.put("wrong type (array)", NODES.arrayNode().add("not").add("an object"));
                ObjectNode many = NODES.objectNode();
                for (int i = 0; i < OVERSIZED_ITEMS; i++) {
                    many.put("k" + i, "v" + i);
                }
                out.put("oversized (" + OVERSIZED_ITEMS + " entries)", many);
            }
        }
        return out;
    }

    // --- the routes ----------------------------------------------------------------------------------------------

    /** Every operation of the document whose request body is JSON. */
    List<Route> jsonRoutes() {
        List<Route> routes = new ArrayList<>();
        for (Iterator<Map.Entry<String, JsonNode>> paths = openApi.path("paths").fields(); paths.hasNext(); ) {
            Map.Entry<String, JsonNode> path = paths.next();
            for (Iterator<Map.Entry<String, JsonNode>> ops = path.getValue().fields(); ops.hasNext(); ) {
                Map.Entry<String, JsonNode> op = ops.next();
                JsonNode schema = op.getValue().path("requestBody").path("content").path("application/json")
                        .path("schema");
                if (!schema.isMissingNode() && resolve(schema).has("properties")) {
                    routes.add(new Route(op.getKey(), path.getKey(), schema));
                }
            }
        }
        return routes;
    }

    Response send(Route route, JsonNode body) {
        return api().body(body.toString()).request(route.method().toUpperCase(), path(route));
    }

    /** The route's path with its parameters pointing at the fixtures. */
    String path(Route route) {
        return route.path()
                .replace("/api/lists/{listId}", "/api/lists/" + list)
                .replace("/api/lists/{id}", "/api/lists/" + list)
                .replace("/api/subscribers/{id}", "/api/subscribers/" + subscriber)
                .replace("{listId}", Long.toString(list))
                .replace("/api/campaigns/{id}/schedule", "/api/campaigns/" + scheduleCampaign + "/schedule")
                .replace("/api/campaigns/{id}", "/api/campaigns/" + draftCampaign)
                .replaceAll("\\{[^}]+}", "1");
    }

    /** Bodies a user would send to the routes this test knows, each made fresh (unique names and addresses). */
    Map<String, Supplier<ObjectNode>> userBodies() {
        Map<String, Supplier<ObjectNode>> bodies = new LinkedHashMap<>();
        Supplier<ObjectNode> listBody = () -> object(Map.of("name", unique("json list"), "description", "news",
                "optIn", "single", "fromEmail", "news@example.org", "fromName", "News", "replyTo",
                "reply@example.org", "consentText", "Send me news."));
        bodies.put("POST /api/lists", listBody);
        bodies.put("PUT /api/lists/{id}", listBody);
        bodies.put("POST /api/lists/{listId}/subscribers", () -> object(Map.of("email", address(), "name", "Ana",
                "attributes", Map.of("city", "Porto"))));
        bodies.put("PUT /api/subscribers/{id}", () -> object(Map.of("email", subscriberEmail, "name", "Ana",
                "attributes", Map.of("city", "Porto"), "status", "active")));
        bodies.put("PUT /api/subscribers/{id}/subscriptions/{listId}", () -> object(Map.of("status", "confirmed")));
        bodies.put("POST /api/suppressions", () -> object(Map.of("kind", "address", "value", address(),
                "reason", "manual", "detail", "asked by phone")));
        bodies.put("POST /api/admin-users", () -> object(Map.of("email", address(),
                "password", "a long enough password", "role", "admin")));
        bodies.put("POST /api/tokens", () -> object(Map.of("name", unique("token"), "scopes", List.of("read"),
                "expiresAt", Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString())));
        bodies.put("POST /api/messages", () -> object(Map.of("from", "news@example.org", "to", address(),
                "subject", "Hello", "html", "<p>Hello</p>", "text", "Hello", "headers", Map.of("X-Tag", "json"))));
        Supplier<ObjectNode> campaignBody = () -> object(campaign());
        bodies.put("POST /api/campaigns", campaignBody);
        bodies.put("PUT /api/campaigns/{id}", campaignBody);
        bodies.put("POST /api/campaigns/{id}/schedule", () -> object(Map.of("sendAt",
                Instant.now().plus(30, ChronoUnit.DAYS).truncatedTo(ChronoUnit.SECONDS).toString())));
        bodies.put("POST /api/campaigns/{id}/test", () -> object(Map.of("to", List.of(address()))));
        // the brakes' defaults: each field is judged against the others (a minimum up to the first messages)
        bodies.put("PUT /api/deliverability/brakes", () -> object(Map.of("enabled", true, "firstMessages", 1000,
                "minMessages", 100, "hardBouncePercent", 5, "complaintPercent", 0.3, "minDelivered", 1000,
                "providerRefusalPercent", 50, "providerMinAttempts", 50)));
        return bodies;
    }

    Map<String, Object> campaign() {
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("name", unique("json campaign"));
        body.put("subject", "News for {subscriber.name}");
        body.put("fromEmail", "news@sender.test");
        body.put("fromName", "News");
        body.put("replyTo", "reply@sender.test");
        body.put("listIds", List.of(list));
        body.put("html", "<p>Hi</p><p><a href=\"{unsubscribeUrl}\">Unsubscribe</a></p>");
        body.put("text", "Hi. Unsubscribe: {unsubscribeUrl}");
        body.put("attributeFilter", Map.of("city", "Porto"));
        body.put("perHour", 1000);
        body.put("windowDays", "MON,TUE,WED,THU,FRI");
        body.put("windowStart", "08:00");
        body.put("windowEnd", "18:00");
        body.put("timeZone", "Europe/Lisbon");
        body.put("warmupStart", 100);
        body.put("warmupFactor", 1.5);
        return body;
    }

    void makeFixtures() {
        list = api().body(Map.of("name", unique("json fixture"), "optIn", "single", "fromEmail", "news@sender.test"))
                .post("/api/lists").then().statusCode(201).extract().jsonPath().getLong("id");
        subscriberEmail = address();
        subscriber = api().body(Map.of("email", subscriberEmail)).post("/api/lists/" + list + "/subscribers")
                .then().statusCode(201).extract().jsonPath().getLong("id");
        draftCampaign = api().body(campaign()).post("/api/campaigns").then().statusCode(201)
                .extract().jsonPath().getLong("id");
        scheduleCampaign = api().body(campaign()).post("/api/campaigns").then().statusCode(201)
                .extract().jsonPath().getLong("id");
    }

    // --- schemas -------------------------------------------------------------------------------------------------

    JsonNode resolve(JsonNode schema) {
        JsonNode s = schema;
        while (s.has("$ref")) {
            String ref = s.get("$ref").asText(); // #/components/schemas/Name
            s = openApi.at(ref.substring(1));
        }
        if (s.has("allOf") && s.get("allOf").size() == 1) {
            return resolve(s.get("allOf").get(0));
        }
        return s;
    }

    static String type(JsonNode schema) {
        JsonNode type = schema.path("type");
        if (type.isArray()) { // OpenAPI 3.1: ["string", "null"]
            for (JsonNode t : type) {
                if (!t.asText().equals("null")) {
                    return t.asText();
                }
            }
        }
        return type.isMissingNode() ? (schema.has("enum") ? "string" : "object") : type.asText();
    }

    /** A plausible value of this schema, for bodies of routes this test does not know. */
    JsonNode sample(JsonNode schema) {
        return switch (type(schema)) {
            case "string" -> schema.has("enum") ? schema.get("enum").get(0)
                    : NODES.textNode("email".equals(schema.path("format").asText()) ? address() : "x");
            case "integer", "number" -> NODES.numberNode(1);
            case "boolean" -> NODES.booleanNode(true);
            case "array" -> NODES.arrayNode().add(sample(resolve(schema.path("items"))));
            default -> NODES.objectNode();
        };
    }

    ObjectNode fromSchema(JsonNode schema) {
        ObjectNode body = NODES.objectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = resolve(schema).path("properties").fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> p = it.next();
            body.set(p.getKey(), sample(resolve(p.getValue())));
        }
        return body;
    }

    static ObjectNode object(Map<String, ?> fields) {
        return JSON.valueToTree(fields);
    }

    static String clip(String text) {
        return text == null || text.length() <= 200 ? text : text.substring(0, 197) + "...";
    }
}
