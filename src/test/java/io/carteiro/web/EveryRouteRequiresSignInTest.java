package io.carteiro.web;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaMethod;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.response.Response;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import org.junit.jupiter.api.Test;

import java.lang.annotation.Annotation;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Finds every JAX-RS route in the application's classes and calls it without credentials: admin pages must send the
 * caller to the sign-in page, API routes must answer 401. Routes meant for the public are listed here on purpose.
 */
@QuarkusTest
class EveryRouteRequiresSignInTest {

    /** Path prefixes open to anyone: sign-in, and the signed pages subscribers reach from their mail. */
    static final Set<String> PUBLIC_PREFIXES = Set.of("/login", "/j_security_check", "/subscribe", "/confirm", "/u/", "/p/", "/f/");

    static final Map<Class<? extends Annotation>, String> VERBS = Map.of(
            GET.class, "GET", POST.class, "POST", PUT.class, "PUT", DELETE.class, "DELETE", PATCH.class, "PATCH");

    /** A route, and whether it sends mail ({@link SendsMail}: an API token needs the send scope). */
    record Route(String verb, String path, boolean sendsMail) {
        Route(String verb, String path) {
            this(verb, path, false);
        }

        String concrete() {
            return path.replaceAll("\\{[^}]+}", "1");
        }

        /** The scope an API token needs for it. */
        String scope() {
            return sendsMail ? "send" : verb.equals("GET") ? "read" : "write";
        }

        @Override
        public String toString() {
            return verb + " " + path;
        }
    }

    @Test
    void everyAdminAndApiRouteRefusesAnonymousCallers() {
        List<Route> routes = routes();
        assertFalse(routes.isEmpty(), "no routes found");
        List<String> problems = new ArrayList<>();
        int checked = 0;
        for (Route route : routes) {
            if (PUBLIC_PREFIXES.stream().anyMatch(route.path()::startsWith)) {
                continue;
            }
            Response response = given().redirects().follow(false).contentType("application/json").body("{}")
                    .request(route.verb(), route.concrete());
            int status = response.statusCode();
            if (route.path().startsWith("/api/")) {
                if (status != 401) {
                    problems.add(route + " answered " + status + " instead of 401");
                }
            } else if (route.path().startsWith("/admin")) {
                String location = response.header("Location");
                if (status != 302 || location == null || !location.contains("/login")) {
                    problems.add(route + " answered " + status + " (Location " + location
                            + ") instead of a redirect to /login");
                }
            } else {
                problems.add(route + " is neither under /admin nor /api nor declared public");
            }
            checked++;
        }
        assertTrue(checked > 0);
        if (!problems.isEmpty()) {
            fail(String.join("\n", problems));
        }
        System.out.printf("Checked %d routes without credentials (%d found in all)%n", checked, routes.size());
    }

    /**
     * Issue 12.20, "What must be shown": every API route refuses a wrong account password, a revoked token and a
     * token without the scope it needs; every admin page refuses a revoked session and an API token.
     */
    @Test
    void everyRouteRefusesWrongPasswordsRevokedCredentialsAndMissingScopes() {
        String revoked = token("revoked", List.of("read", "write", "send"));
        api().delete("/api/tokens/" + tokenId(revoked)).then().statusCode(204);
        Map<String, String> withoutScope = Map.of(
                "read", token("no read", List.of("write", "send")),
                "write", token("no write", List.of("read", "send")),
                "send", token("no send", List.of("read", "write")));
        String owner = "routes-" + System.nanoTime() + "@carteiro.test";
        api().body(Map.of("email", owner, "password", PASSWORD)).post("/api/admin-users").then().statusCode(201);
        String signedOut = given().redirects().follow(false).header("X-Forwarded-For", "10.201.0.1")
                .formParam("j_username", owner).formParam("j_password", PASSWORD).post("/j_security_check")
                .cookie("carteiro-session");
        String csrf = given().cookie("carteiro-session", signedOut).get("/admin").htmlPath()
                .getString("**.find { it.@name == 'csrf-token' }.@value");
        given().cookie("carteiro-session", signedOut).formParam("csrf-token", csrf).redirects().follow(false)
                .post("/admin/sign-out").then().statusCode(303);

        List<String> problems = new ArrayList<>();
        int api = 0;
        int admin = 0;
        for (Route route : routes()) {
            if (PUBLIC_PREFIXES.stream().anyMatch(route.path()::startsWith)) {
                continue;
            }
            if (route.path().startsWith("/api/")) {
                api++;
                expect(problems, route, "a wrong password", 401, given().header("X-Forwarded-For", "10.201.1.1")
                        .auth().preemptive().basic(ADMIN, "not the password"));
                expect(problems, route, "a revoked token", 401, given().header("Authorization", "Bearer " + revoked));
                expect(problems, route, "a token without the " + route.scope() + " scope", 403,
                        given().header("Authorization", "Bearer " + withoutScope.get(route.scope())));
            } else if (route.path().startsWith("/admin")) {
                admin++;
                expectSignIn(problems, route, "a signed-out session", given().cookie("carteiro-session", signedOut));
                expectSignIn(problems, route, "an API token",
                        given().header("Authorization", "Bearer " + withoutScope.get("send")));
            }
        }
        System.out.printf("Checked %d API routes and %d admin routes with wrong credentials%n", api, admin);
        assertTrue(api > 20 && admin > 20, api + " API routes, " + admin + " admin routes");
        if (!problems.isEmpty()) {
            fail(String.join("\n", problems));
        }
    }

    private static void expect(List<String> problems, Route route, String what, int status,
                               io.restassured.specification.RequestSpecification request) {
        int got = request.redirects().follow(false).contentType("application/json").body("{}")
                .request(route.verb(), route.concrete()).statusCode();
        if (got == 415) {
            // a route that takes only CSV refuses JSON before any check: send it what it takes
            got = request.contentType("text/csv").body("email\n").request(route.verb(), route.concrete())
                    .statusCode();
        }
        if (got != status) {
            problems.add(route + " with " + what + " answered " + got + " instead of " + status);
        }
    }

    private static void expectSignIn(List<String> problems, Route route, String what,
                                     io.restassured.specification.RequestSpecification request) {
        Response response = request.redirects().follow(false).contentType("application/json").body("{}")
                .request(route.verb(), route.concrete());
        if (response.statusCode() != 302 || !"/login".equals(response.header("Location"))) {
            problems.add(route + " with " + what + " answered " + response.statusCode() + " (Location "
                    + response.header("Location") + ") instead of a redirect to /login");
        }
    }

    static final String ADMIN = "admin@carteiro.test";
    static final String PASSWORD = "correct horse battery staple";

    private static io.restassured.specification.RequestSpecification api() {
        return given().auth().preemptive().basic(ADMIN, PASSWORD).contentType("application/json");
    }

    private static String token(String name, List<String> scopes) {
        return api().body(Map.of("name", name + " " + System.nanoTime(), "scopes", scopes)).post("/api/tokens")
                .then().statusCode(201).extract().jsonPath().getString("token");
    }

    private static long tokenId(String token) {
        return api().get("/api/tokens").then().extract().jsonPath()
                .getLong("find { '" + token + "'.startsWith(it.prefix) }.id");
    }

    static List<Route> routes() {
        List<Route> routes = new ArrayList<>();
        for (JavaClass type : new ClassFileImporter().withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.carteiro")) {
            String base = type.tryGetAnnotationOfType(Path.class).map(Path::value).orElse(null);
            if (base == null) {
                continue;
            }
            for (JavaMethod method : type.getMethods()) {
                for (Map.Entry<Class<? extends Annotation>, String> verb : VERBS.entrySet()) {
                    if (method.isAnnotatedWith(verb.getKey())) {
                        String sub = method.tryGetAnnotationOfType(Path.class).map(Path::value).orElse("");
                        boolean sends = method.isAnnotatedWith(SendsMail.class)
                                || type.isAnnotatedWith(SendsMail.class);
                        routes.add(new Route(verb.getValue(), join(base, sub), sends));
                    }
                }
            }
        }
        return routes;
    }

    private static String join(String base, String sub) {
        String path = ("/" + base + "/" + sub).replaceAll("/+", "/");
        path = path.replaceAll("\\{([^}:]+):[^}]*}", "{$1}");
        return path.length() > 1 && path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
    }
}
