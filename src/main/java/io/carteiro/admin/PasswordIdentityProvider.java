package io.carteiro.admin;

import io.carteiro.web.ClientAddress;
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

/** HTTP Basic with an account's e-mail and password, checked by {@link PasswordCheck}. */
@ApplicationScoped
class PasswordIdentityProvider implements IdentityProvider<UsernamePasswordAuthenticationRequest> {

    @Inject
    PasswordCheck passwords;

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
        RoutingContext rc = HttpSecurityUtils.getRoutingContextAttribute(request);
        String address = rc == null ? "unknown" : clientAddress.address(rc.request());
        return context.runBlocking(() -> {
            PasswordCheck.Outcome outcome = passwords.check(email, password, address);
            if (outcome instanceof PasswordCheck.Verified ok) {
                return QuarkusSecurityIdentity.builder()
                        .setPrincipal(new QuarkusPrincipal(ok.user().email))
                        .addRole(ok.user().role)
                        .addAttribute(SessionIdentityProvider.USER_ID, ok.user().id)
                        .build();
            }
            throw new AuthenticationFailedException(outcome instanceof PasswordCheck.Throttled
                    ? "too many failed sign-ins from this address" : "wrong e-mail or password");
        });
    }
}
