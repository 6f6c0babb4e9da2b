package io.carteiro.web;

import io.quarkus.test.common.http.TestHTTPResource;
import io.quarkus.test.junit.QuarkusTest;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URL;

import static io.restassured.RestAssured.given;
import static org.hamcrest.Matchers.containsString;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Issue 12.13: queue depth, bounce counters and the API description were open to anyone on the main port. Health and
 * metrics now answer only on the management interface, bound to 127.0.0.1; OpenAPI and Swagger UI need a sign-in.
 */
@QuarkusTest
class ManagementInterfaceTest {

    @TestHTTPResource(value = "/health/ready", management = true)  // relative to the management root, /q
    URL ready;

    @TestHTTPResource(value = "/metrics", management = true)
    URL metrics;

    @Test
    void healthAndMetricsAreNotOnTheMainPort() {
        for (String path : new String[]{"/q/metrics", "/q/health", "/q/health/ready", "/q/health/live"}) {
            int status = given().redirects().follow(false).get(path).statusCode();
            assertEquals(404, status, path + " on the main port");
        }
    }

    @Test
    void healthAndMetricsAnswerOnTheManagementPort() {
        given().get(ready).then().statusCode(200).body(containsString("\"UP\""));
        given().get(metrics).then().statusCode(200).body(containsString("jvm_memory_used_bytes"));
    }

    @Test
    void theManagementPortListensOnLoopback127001Only() throws IOException {
        assertEquals("127.0.0.1", ready.getHost(), "the management URL's host");
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", ready.getPort()), 2000);
            assertTrue(socket.isConnected());
        }
        // 127.0.0.2 is loopback too, but another address: a listener on 0.0.0.0 would accept it
        assertThrows(ConnectException.class, () -> {
            try (Socket socket = new Socket()) {
                socket.connect(new InetSocketAddress("127.0.0.2", ready.getPort()), 2000);
            }
        });
    }

    @Test
    void openApiAndSwaggerUiNeedASignIn() {
        for (String path : new String[]{"/q/openapi", "/q/openapi.json", "/q/swagger-ui", "/q/swagger-ui/"}) {
            int status = given().redirects().follow(false).get(path).statusCode();
            assertTrue(status == 401 || status == 302, path + " answered " + status + " without credentials");
        }
        AdminBrowser admin = AdminBrowser.signIn();
        admin.request().get("/q/openapi").then().statusCode(200).body(containsString("/api/tokens"));
        admin.request().get("/q/swagger-ui/").then().statusCode(200);
    }
}
