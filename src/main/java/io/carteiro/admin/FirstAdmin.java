package io.carteiro.admin;

import io.carteiro.web.LogSafe;
import io.quarkus.runtime.LaunchMode;
import io.quarkus.runtime.StartupEvent;
import io.quarkus.vertx.http.HttpServerStart;
import io.quarkus.vertx.http.HttpsServerStart;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.enterprise.event.ObservesAsync;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.security.SecureRandom;
import java.util.Base64;

/**
 * Creates the first admin from configuration when the database has none, and says how to sign in at the address the
 * HTTP server really listens on (issue 15.9: it named {@code carteiro.public-url}'s default, port 8080, whatever port
 * was configured): the configured port, or for port 0 the one the server got, written once it listens.
 */
@ApplicationScoped
class FirstAdmin {

    private static final Logger LOG = Logger.getLogger(FirstAdmin.class);

    @Inject
    AdminAccounts accounts;

    @Inject
    AdminConfig config;

    @ConfigProperty(name = "quarkus.http.host", defaultValue = "0.0.0.0")
    String host;

    /** The sign-in line, once the account is made, until the server's address is known; then null. */
    private String pending;
    /** The sign-in page's address, once the server listens. */
    private String signInUrl;

    void onStart(@Observes StartupEvent event) {
        // a fixed port is known now, and the line comes before the server takes requests; port 0 (any free one)
        // is known only once the server listens
        int port = port(0, LaunchMode.current() == LaunchMode.TEST ? "quarkus.http.test-port" : "quarkus.http.port");
        if (port > 0) {
            listening(signInUrl("http", host, port));
        }
        QuarkusTransaction.requiringNew().run(this::createIfNone);
    }

    void onHttpStart(@ObservesAsync HttpServerStart start) {
        listening(signInUrl("http", host, port(start.options().getPort(), "quarkus.http.port")));
    }

    /** A server with TLS only (insecure requests disabled) fires no HttpServerStart. */
    void onHttpsStart(@ObservesAsync HttpsServerStart start) {
        listening(signInUrl("https", host, port(start.options().getPort(), "quarkus.http.ssl-port")));
    }

    /** Port 0 is any free one: Quarkus puts the one it got into the port's configuration key. */
    private static int port(int port, String key) {
        return port > 0 ? port : org.eclipse.microprofile.config.ConfigProvider.getConfig()
                .getOptionalValue(key, Integer.class).orElse(port);
    }

    /** Where a browser on this machine reaches the sign-in page of a server bound to {@code host}. */
    static String signInUrl(String scheme, String host, int port) {
        String name = host.equals("0.0.0.0") || host.equals("::") || host.isBlank() ? "localhost"
                : host.contains(":") ? "[" + host + "]" : host;
        return scheme + "://" + name + ":" + port + "/login";
    }

    private synchronized void listening(String url) {
        if (signInUrl != null && (pending == null || url.startsWith("https:"))) {
            return;  // known already (a fixed port), or both listen and the plain address is given
        }
        signInUrl = url;
        if (pending != null) {
            LOG.infof(pending, url);
            pending = null;
        }
    }

    /** Writes the line now if the server already listens, else when it does. */
    private synchronized void tell(String line) {
        if (signInUrl != null) {
            LOG.infof(line, signInUrl);
        } else {
            pending = line;
        }
    }

    void createIfNone() {
        if (accounts.count() > 0) {
            return;
        }
        if (config.password().isPresent()) {
            // the operator knows it; a password is never written to the log (issue 12.2)
            accounts.create(config.email(), config.password().get(), "admin");
            tell("Created the first admin " + LogSafe.quote(config.email()).replace("%", "%%")
                    + " with the configured password (CARTEIRO_ADMIN_PASSWORD). Sign in at %s");
            return;
        }
        String password = randomPassword();
        accounts.create(config.email(), password, "admin");
        // shown this once, when the account is made: the only way the operator learns it
        tell("%nCreated the first admin. Sign in at %s as " + config.email().replace("%", "%%") + " with password "
                + password + " (generated and shown only now; change it on the account page, or set"
                + " CARTEIRO_ADMIN_PASSWORD before the first start to choose it)%n");
    }

    private static String randomPassword() {
        byte[] bytes = new byte[15];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
