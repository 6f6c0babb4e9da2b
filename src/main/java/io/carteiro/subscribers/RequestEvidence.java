package io.carteiro.subscribers;

import io.carteiro.web.ClientAddress;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;

/** Builds consent evidence from an admin's request: who is signed in, from which IP, with which browser. */
final class RequestEvidence {

    private RequestEvidence() {
    }

    static ConsentEvidence of(ConsentSource source, SecurityIdentity identity, HttpServerRequest request) {
        String ip = ClientAddress.of(request);
        String actor = identity == null || identity.isAnonymous() ? null : identity.getPrincipal().getName();
        return ConsentEvidence.of(source, actor, ip, request.getHeader("User-Agent"));
    }
}
