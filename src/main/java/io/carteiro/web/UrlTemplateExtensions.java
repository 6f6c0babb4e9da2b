package io.carteiro.web;

import io.quarkus.qute.TemplateExtension;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Template helpers for building links: {@code {value.urlEncode}} puts any text safely into a query string. */
@TemplateExtension
public final class UrlTemplateExtensions {

    private UrlTemplateExtensions() {
    }

    /** The value as a query-string component ({@code a+b@x.org} becomes {@code a%2Bb%40x.org}). */
    static String urlEncode(String value) {
        return value == null ? "" : URLEncoder.encode(value, StandardCharsets.UTF_8);
    }
}
