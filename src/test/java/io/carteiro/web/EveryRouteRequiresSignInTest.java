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

    record Route(String verb, String path) {
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
            String concrete = route.path().replaceAll("\\{[^}]+}", "1");
            Response response = given().redirects().follow(false).contentType("application/json").body("{}")
                    .request(route.verb(), concrete);
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
                        routes.add(new Route(verb.getValue(), join(base, sub)));
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
