package io.carteiro.admin;

import io.quarkus.runtime.StartupEvent;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;
import org.jboss.logging.Logger;

import java.security.SecureRandom;
import java.util.Base64;

/** Creates the first admin from configuration when the database has none, and says how to sign in. */
@ApplicationScoped
class FirstAdmin {

    private static final Logger LOG = Logger.getLogger(FirstAdmin.class);

    @Inject
    AdminAccounts accounts;

    @Inject
    AdminConfig config;

    @ConfigProperty(name = "carteiro.public-url", defaultValue = "http://localhost:8080")
    String publicUrl;

    void onStart(@Observes StartupEvent event) {
        QuarkusTransaction.requiringNew().run(this::createIfNone);
    }

    void createIfNone() {
        if (accounts.count() > 0) {
            return;
        }
        boolean generated = config.password().isEmpty();
        String password = config.password().orElseGet(FirstAdmin::randomPassword);
        accounts.create(config.email(), password, "admin");
        LOG.infof("%nCreated the first admin. Sign in at %s/login as %s with password %s%s%n",
                publicUrl, config.email(), password,
                generated ? " (generated; set CARTEIRO_ADMIN_PASSWORD to choose it)" : "");
    }

    private static String randomPassword() {
        byte[] bytes = new byte[12];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
