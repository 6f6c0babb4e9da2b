package io.carteiro.web;

import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerResponseContext;
import jakarta.ws.rs.core.HttpHeaders;
import jakarta.ws.rs.core.NewCookie;
import org.jboss.resteasy.reactive.server.ServerResponseFilter;

/** Expires the flash cookie on the first page that could show it, so a message appears once. */
class FlashExpiry {

    @ServerResponseFilter
    void expireShownFlash(ContainerRequestContext request, ContainerResponseContext response) {
        if (!request.getCookies().containsKey(Flash.COOKIE) || response.getStatus() / 100 == 3
                || response.getHeaders().containsKey(HttpHeaders.SET_COOKIE)
                && String.valueOf(response.getHeaders().get(HttpHeaders.SET_COOKIE)).contains(Flash.COOKIE)) {
            return;
        }
        NewCookie expired = new NewCookie.Builder(Flash.COOKIE).value("").path("/admin").maxAge(0).httpOnly(true)
                .sameSite(NewCookie.SameSite.STRICT).build();
        response.getHeaders().add(HttpHeaders.SET_COOKIE, expired);
    }
}
