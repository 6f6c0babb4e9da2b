package io.carteiro.unsubscribe;

import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;

import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Secrets this feature keeps in {@code app_setting}: created once by whichever replica gets there first, then read
 * by all (insert-if-absent, then read back, so concurrent first starts agree).
 */
@ApplicationScoped
class AppSettingsStore {

    static final String GENERATED_LINK_KEY = "links.generated-key";
    private static final SecureRandom RANDOM = new SecureRandom();

    @Inject
    EntityManager em;

    /** The setting's value, creating it from {@code initial} in its own transaction when absent. */
    String getOrCreate(String name, Supplier<String> initial) {
        return QuarkusTransaction.requiringNew().call(() -> {
            em.createNativeQuery("insert ignore into app_setting (name, value) values (:name, :value)")
                    .setParameter("name", name).setParameter("value", initial.get()).executeUpdate();
            return read(name);
        });
    }

    /** The setting's value in the caller's transaction, creating it when absent. */
    String getOrCreateHere(String name, Supplier<String> initial) {
        em.createNativeQuery("insert ignore into app_setting (name, value) values (:name, :value)")
                .setParameter("name", name).setParameter("value", initial.get()).executeUpdate();
        return read(name);
    }

    /** The setting's value, if it exists. */
    Optional<String> find(String name) {
        return QuarkusTransaction.requiringNew().call(() -> {
            @SuppressWarnings("unchecked")
            List<String> values = em.createNativeQuery("select value from app_setting where name = :name")
                    .setParameter("name", name).getResultList();
            return values.stream().findFirst();
        });
    }

    private String read(String name) {
        @SuppressWarnings("unchecked")
        List<String> values = em.createNativeQuery("select value from app_setting where name = :name")
                .setParameter("name", name).getResultList();
        return values.get(0);
    }

    static String randomHex(int bytes) {
        byte[] b = new byte[bytes];
        RANDOM.nextBytes(b);
        return HexFormat.of().formatHex(b);
    }
}
