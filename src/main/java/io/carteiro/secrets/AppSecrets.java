package io.carteiro.secrets;

import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.runtime.StartupEvent;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Secrets an installation makes for itself once and shares through the database (the link signing key, the VERP key,
 * the erasure salt, the session key): created by whichever instance asks first, then read by all — insert-if-absent,
 * then read back, so instances starting together agree. They are kept in {@code app_setting} marked as secret and
 * encrypted by {@link SecretBox}; at every start the ones still in plain text (from before encryption) or under an
 * older key are sealed under the current key.
 */
@ApplicationScoped
public class AppSecrets {

    private static final Logger LOG = Logger.getLogger(AppSecrets.class);

    @Inject
    EntityManager em;

    @Inject
    SecretBox box;

    /**
     * The secret called {@code name}, created from {@code initial} when no instance made it yet. Runs in a
     * transaction of its own, so the secret is there for every instance as soon as this returns.
     */
    public String getOrCreate(String name, Supplier<String> initial) {
        return QuarkusTransaction.requiringNew().call(() -> {
            em.createNativeQuery("insert ignore into app_setting (name, value, secret) values (:name, :value, true)")
                    .setParameter("name", name).setParameter("value", box.seal(initial.get(), context(name)))
                    .executeUpdate();
            return read(name).orElseThrow();
        });
    }

    /** The secret called {@code name}, if some instance made it. */
    public Optional<String> find(String name) {
        return QuarkusTransaction.requiringNew().call(() -> read(name));
    }

    /**
     * Loads the secrets key (making the key file at the first start, failing the start when the key is unusable), then
     * seals what is not sealed under the current key, in one transaction.
     */
    void sealAtStart(@Observes StartupEvent start) {
        LOG.infof("Secrets are encrypted with key %s", box.currentKeyId());
        int sealed = QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<Object[]> rows = em.createNativeQuery(
                    "select name, value from app_setting where secret order by name for update").getResultList();
            int n = 0;
            for (Object[] row : rows) {
                String name = (String) row[0];
                String value = (String) row[1];
                if (!box.isCurrent(value)) {
                    em.createNativeQuery("update app_setting set value = :value where name = :name")
                            .setParameter("value", box.seal(box.open(value, context(name)), context(name)))
                            .setParameter("name", name).executeUpdate();
                    n++;
                }
            }
            return n;
        });
        if (sealed > 0) {
            LOG.infof("Encrypted %d secret(s) in app_setting under the current secrets key", sealed);
        }
    }

    private Optional<String> read(String name) {
        @SuppressWarnings("unchecked")
        List<String> values = em.createNativeQuery("select value from app_setting where name = :name")
                .setParameter("name", name).getResultList();
        return values.stream().findFirst().map(v -> box.open(v, context(name)));
    }

    /** What a secret is bound to, so that its ciphertext opens in its own row only. */
    private static String context(String name) {
        return "app_setting/" + name;
    }
}
