package io.carteiro.lists;

import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * What an admin writes about a list, from the API body or the page form; checked with Bean Validation before it
 * reaches {@link ListService}. A missing opt-in mode means double opt-in, the schema's (and GDPR's safer) default;
 * a missing tracking mode means aggregate counting, and missing open tracking means none. A missing
 * {@code publicForm} means "off" for a new list and "unchanged" for an update, so an API client that predates the
 * switch cannot turn a live sign-up form off by saving the list's name.
 */
public record ListDraft(
        @NotBlank(message = "name is required") @Size(max = 200, message = "name is longer than 200 characters")
        @Pattern(regexp = ONE_LINE, message = "name may not hold line breaks or control characters")
        String name,
        @Size(max = 2000, message = "description is longer than 2000 characters") String description,
        OptIn optIn,
        @Email(message = "fromEmail is not an e-mail address") @Size(max = 320, message = "fromEmail is too long")
        String fromEmail,
        @Size(max = 200, message = "fromName is longer than 200 characters")
        @Pattern(regexp = ONE_LINE, message = "fromName may not hold line breaks or control characters")
        String fromName,
        @Email(message = "replyTo is not an e-mail address") @Size(max = 320, message = "replyTo is too long")
        String replyTo,
        @Size(max = 20000, message = "consentText is longer than 20000 characters") String consentText,
        Tracking tracking,
        Boolean openTracking,
        Boolean publicForm) {

    /** A draft without the public-form switch, as code written before the switch existed makes it. */
    public ListDraft(String name, String description, OptIn optIn, String fromEmail, String fromName, String replyTo,
                     String consentText, Tracking tracking, Boolean openTracking) {
        this(name, description, optIn, fromEmail, fromName, replyTo, consentText, tracking, openTracking, null);
    }

    /** A draft with neither tracking choices nor the public-form switch (their defaults apply). */
    public ListDraft(String name, String description, OptIn optIn, String fromEmail, String fromName, String replyTo,
                     String consentText) {
        this(name, description, optIn, fromEmail, fromName, replyTo, consentText, null, null, null);
    }

    /**
     * The list's name and sender name go into mail headers (List-Id, From): no C0 or C1 control but tab, no line or
     * paragraph separator — the same rule as {@code io.carteiro.text.LineText#HEADER}.
     */
    static final String ONE_LINE = "[^\\x00-\\x08\\x0A-\\x1F\\x7F-\\x9F\\u2028\\u2029]*";

    /** A missing (or null) opt-in mode is double opt-in. */
    public ListDraft {
        optIn = optIn == null ? OptIn.DOUBLE : optIn;
    }
}
