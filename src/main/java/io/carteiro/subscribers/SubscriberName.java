package io.carteiro.subscribers;

import io.carteiro.text.LineText;

import java.util.Optional;

/**
 * The one check of a subscriber's name, wherever it comes from: the API, the admin pages, a CSV import, the public
 * sign-up form and the preference centre. Surrounding white space is dropped and a blank name means none; a name
 * that is too long or holds a character {@link LineText#NAME} forbids is refused with the reason, never stored
 * changed, so that what the person sees saved is what they typed.
 */
public final class SubscriberName {

    public static final int MAX_LENGTH = 200;

    /** Why a name was refused; pages pick their own words for each. */
    public enum Problem {
        TOO_LONG, CONTROL_CHARACTER
    }

    /** The outcome: the name to store (empty when none was given), or why it cannot be stored. */
    public sealed interface Checked permits Valid, Invalid {
    }

    public record Valid(Optional<String> name) implements Checked {
    }

    public record Invalid(Problem problem, String reason) implements Checked {
    }

    private SubscriberName() {
    }

    public static Checked check(String typed) {
        if (typed == null || typed.isBlank()) {
            return new Valid(Optional.empty());
        }
        String name = typed.strip();
        if (name.length() > MAX_LENGTH) {
            return new Invalid(Problem.TOO_LONG, "name is longer than " + MAX_LENGTH + " characters");
        }
        Optional<String> problem = LineText.NAME.problem(name);
        if (problem.isPresent()) {
            return new Invalid(Problem.CONTROL_CHARACTER, "name " + problem.get());
        }
        return new Valid(Optional.of(name));
    }
}
