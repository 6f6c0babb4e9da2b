package io.carteiro.admin;

import io.carteiro.web.LogSafe;
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
        if (config.password().isPresent()) {
            // the operator knows it; a password is never written to the log (issue 12.2)
            accounts.create(config.email(), config.password().get(), "admin");
            LOG.infof("Created the first admin %s with the configured password (CARTEIRO_ADMIN_PASSWORD). Sign in at"
                    + " %s/login", LogSafe.quote(config.email()), publicUrl);
            return;
        }
        String password = randomPassword();
        accounts.create(config.email(), password, "admin");
        // shown this once, when the account is made: the only way the operator learns it
        LOG.infof("%nCreated the first admin. Sign in at %s/login as %s with password %s (generated and shown only"
                + " now; change it on the account page, or set CARTEIRO_ADMIN_PASSWORD before the first start to"
                + " choose it)%n", publicUrl, config.email(), password);
    }

    private static String randomPassword() {
        byte[] bytes = new byte[15];
        new SecureRandom().nextBytes(bytes);
        return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
    }
}
