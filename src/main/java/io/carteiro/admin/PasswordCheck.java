package io.carteiro.admin;

import io.carteiro.web.LogSafe;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.quarkus.elytron.security.common.BcryptUtil;
import io.quarkus.narayana.jta.QuarkusTransaction;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Checks an e-mail and password from a client address, for the sign-in form and HTTP Basic alike. It does the same
 * work whether or not the account exists (a missing account is checked against a dummy bcrypt hash of the same
 * cost), so the answer's timing does not tell which addresses have accounts (issue 12.5), and it asks
 * {@link SignInThrottle} first, so a throttled attempt costs no bcrypt at all.
 */
@ApplicationScoped
public class PasswordCheck {

    /** What a sign-in attempt came to. */
    public sealed interface Outcome permits Verified, Refused, Throttled {
    }

    /** The password is the account's. */
    public record Verified(AdminUser user) implements Outcome {
    }

    /** Wrong e-mail or password (which of the two is not said). */
    public record Refused() implements Outcome {
    }

    /** Too many failures from this address (to this account, or to any): not checked; try again after the wait. */
    public record Throttled(Duration retryAfter) implements Outcome {
    }

    private static final Logger LOG = Logger.getLogger(PasswordCheck.class);

    /** A bcrypt hash of a random secret nobody knows, at the accounts' cost; made at the first sign-in. */
    private volatile String dummy;

    @Inject
    AdminAccounts accounts;

    @Inject
    SignInThrottle throttle;

    @Inject
    VerifiedPasswords verified;

    @Inject
    Clock clock;

    @Inject
    MeterRegistry registry;

    private Timer hashChecks;

    @PostConstruct
    void registerMeter() {
        hashChecks = Timer.builder("carteiro.sign_in.hash_checks")
                .description("bcrypt checks of sign-in passwords, against real and dummy hashes alike")
                .register(registry);
    }

    public Outcome check(String email, String password, String clientAddress) {
        List<String> keys = SignInThrottle.keys(email == null ? "" : email, clientAddress);
        Optional<Instant> blocked = throttle.blockedUntil(keys);
        if (blocked.isPresent()) {
            throttle.recordFailure(keys);
            LOG.debugf("sign-in not checked for %s from %s: too many failures", LogSafe.quote(email), clientAddress);
            return new Throttled(Duration.between(clock.instant(), blocked.get()));
        }
        Optional<AdminUser> user = QuarkusTransaction.requiringNew().call(() -> accounts.findByEmail(email));
        String secret = password == null ? "" : password;
        if (user.isPresent() && verified.recentlyVerified(user.get(), secret)) {
            return new Verified(user.get());
        }
        boolean matches;
        if (user.isPresent()) {
            matches = hashChecks.record(() -> AdminAccounts.matches(user.get(), secret));
        } else {
            String hash = dummy();
            hashChecks.record(() -> BcryptUtil.matches(secret, hash));
            matches = false;
        }
        if (!matches) {
            throttle.recordFailure(keys);
            LOG.infof("sign-in refused for %s from %s", LogSafe.quote(email), clientAddress);
            return new Refused();
        }
        throttle.recordSuccess(keys);
        verified.remember(user.get(), secret);
        return new Verified(user.get());
    }

    private String dummy() {
        String hash = dummy;
        if (hash == null) {
            hash = dummyHash();
            dummy = hash;
        }
        return hash;
    }

    private static String dummyHash() {
        byte[] secret = new byte[24];
        new SecureRandom().nextBytes(secret);
        return BcryptUtil.bcryptHash(Base64.getEncoder().encodeToString(secret), AdminAccounts.BCRYPT_COST);
    }
}
