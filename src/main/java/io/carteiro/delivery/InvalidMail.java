package io.carteiro.delivery;

/**
 * A message the queue refuses, naming the field that is wrong ({@code from}, {@code to}, {@code subject},
 * {@code html}, {@code headers}), so the API can answer 400 with that field.
 */
public final class InvalidMail extends IllegalArgumentException {

    private final String field;

    InvalidMail(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
