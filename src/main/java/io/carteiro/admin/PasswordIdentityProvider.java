package io.carteiro.admin;

import io.carteiro.web.ClientAddress;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.security.AuthenticationFailedException;
import io.quarkus.security.identity.AuthenticationRequestContext;
import io.quarkus.security.identity.IdentityProvider;
import io.quarkus.security.identity.SecurityIdentity;
import io.quarkus.security.identity.request.UsernamePasswordAuthenticationRequest;
import io.quarkus.security.runtime.QuarkusPrincipal;
import io.quarkus.security.runtime.QuarkusSecurityIdentity;
import io.quarkus.vertx.http.runtime.security.HttpSecurityUtils;
import io.smallrye.mutiny.Uni;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.util.List;
import java.util.Optional;

/**
 * Checks e-mail and password (form sign-in and HTTP Basic alike) against the admin accounts, refusing at once while
 * the account or the client IP is locked by {@link SignInThrottle}.
 */
@ApplicationScoped
class PasswordIdentityProvider implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

    private static final Logger LOG = Logger.getLogger(PasswordIdentityProvider.class);

    @Inject
    AdminAccounts accounts;

    @Inject
    SignInThrottle throttle;

    @Inject
    VerifiedPasswords verified;

    @Inject
    ClientAddress clientAddress;

    @Override
    public Class<UsernamePasswordAuthenticationRequest> getRequestType() {
        return UsernamePasswordAuthenticationRequest.class;
    }

    @Override
    public Uni<SecurityIdentity> authenticate(UsernamePasswordAuthenticationRequest request,
                                              AuthenticationRequestContext context) {
        String email = request.getUsername();
        String password = new String(request.getPassword().getPassword());
        String ip = clientIp(request, clientAddress);
        return context.runBlocking(() -> verify(email, password, ip));
    }

    private SecurityIdentity verify(String email, String password, String ip) {
        String accountKey = SignInThrottle.accountKey(email);
        List<String> keys = List.of(accountKey, SignInThrottle.ipKey(ip));
        if (throttle.isLocked(keys)) {
            LOG.warnf("Sign-in refused: too many failures for %s or from %s", email, ip);
            throw new AuthenticationFailedException("too many failed sign-ins");
        }
        Optional<AdminUser> user = QuarkusTransaction.requiringNew().call(() -> accounts.findByEmail(email));
        if (user.isPresent() && verified.recentlyVerified(user.get(), password)) {
            return identity(user.get());
        }
        if (user.isEmpty() || !AdminAccounts.matches(user.get(), password)) {
            throttle.recordFailure(keys);
            throw new AuthenticationFailedException("wrong e-mail or password");
        }
        throttle.recordSuccess(accountKey);
        verified.remember(user.get(), password);
        return identity(user.get());
    }

    private static SecurityIdentity identity(AdminUser user) {
        return QuarkusSecurityIdentity.builder()
                .setPrincipal(new QuarkusPrincipal(user.email))
                .addRole(user.role)
                .build();
    }

    private static String clientIp(UsernamePasswordAuthenticationRequest request, ClientAddress clientAddress) {
        RoutingContext rc = HttpSecurityUtils.getRoutingContextAttribute(request);
        return rc == null ? "unknown" : clientAddress.address(rc.request());
    }
}
