package io.carteiro.web;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks an API route that sends mail (starts or resumes a campaign, sends a test or a message): an API token needs
 * the {@code send} scope for it, whatever the HTTP method.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
public @interface SendsMail {
}
