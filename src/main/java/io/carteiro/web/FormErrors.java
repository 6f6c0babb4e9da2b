package io.carteiro.web;

import jakarta.validation.ConstraintViolation;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Field errors of a submitted form, keyed by field name, for showing next to each input. */
public record FormErrors(Map<String, String> byField) {

    public static FormErrors none() {
        return new FormErrors(Map.of());
    }

    public static FormErrors of(String field, String message) {
        return new FormErrors(Map.of(field, message));
    }

    public static FormErrors of(Set<? extends ConstraintViolation<?>> violations) {
        Map<String, String> errors = new LinkedHashMap<>();
        for (ConstraintViolation<?> violation : violations) {
            errors.putIfAbsent(violation.getPropertyPath().toString(), violation.getMessage());
        }
        return new FormErrors(errors);
    }

    public boolean any() {
        return !byField.isEmpty();
    }

    public boolean has(String field) {
        return byField.containsKey(field);
    }

    public String get(String field) {
        return byField.getOrDefault(field, "");
    }
}
