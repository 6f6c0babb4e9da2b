package io.carteiro.web;

import jakarta.ws.rs.core.NewCookie;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * A one-time message shown on the page an action redirects to ("List created"), carried in a short-lived cookie so
 * the address bar holds no text an outsider could plant; {@link FlashExpiry} removes the cookie once shown.
 */
public record Flash(String kind, String message) {

    public static final String COOKIE = "carteiro-flash";

    public static Flash ok(String message) {
        return new Flash("ok", message);
    }

    public static Flash error(String message) {
        return new Flash("error", message);
    }

    /** A 303 redirect to {@code location} that shows this message there. */
    public Response redirectTo(String location) {
        String value = kind + "." + Base64.getUrlEncoder().withoutPadding()
                .encodeToString(message.getBytes(StandardCharsets.UTF_8));
        NewCookie cookie = new NewCookie.Builder(COOKIE).value(value).path("/admin").maxAge(60).httpOnly(true)
                .sameSite(NewCookie.SameSite.STRICT).build();
        return Response.seeOther(URI.create(location)).cookie(cookie).build();
    }

    /** The message in a flash cookie value, or null when there is none or it is not one of ours. */
    public static Flash read(String cookieValue) {
        if (cookieValue == null || cookieValue.isBlank()) {
            return null;
        }
        int dot = cookieValue.indexOf('.');
        if (dot < 0) {
            return null;
        }
        String kind = cookieValue.substring(0, dot);
        if (!kind.equals("ok") && !kind.equals("error")) {
            return null;
        }
        try {
            String message = new String(Base64.getUrlDecoder().decode(cookieValue.substring(dot + 1)),
                    StandardCharsets.UTF_8);
            return new Flash(kind, message);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }
}
