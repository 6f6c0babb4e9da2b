package io.carteiro.web;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The one mapping from the API's field names to the labels a form shows. Services and validation word their
 * refusals once, in the API's terms ({@code fromEmail is not an e-mail address}, {@code legalBasis=…},
 * {@code pass mapping=email=<column>}); a page passes them through its form's {@code FormWords} so that the admin
 * reads the label they see ({@code “From address” is not an e-mail address}), while the API keeps the field names.
 */
public final class FormWords {

    private final Map<String, String> labels;
    private final List<Pattern> patterns = new ArrayList<>();

    private FormWords(Map<String, String> labels) {
        this.labels = labels;
        // Longest names first, so that "windowStart" is not read as "window" + "Start".
        labels.keySet().stream().sorted(Comparator.comparingInt(String::length).reversed()).forEach(field ->
                patterns.add(Pattern.compile("(pass )?(?<![A-Za-z0-9_])" + Pattern.quote(field)
                        + "(?![A-Za-z0-9_])(=)?")));
    }

    /** Pairs of field name and label, e.g. {@code of("fromEmail", "From address", "replyTo", "Reply-To")}. */
    public static FormWords of(String... fieldThenLabel) {
        if (fieldThenLabel.length % 2 != 0) {
            throw new IllegalArgumentException("field names and labels come in pairs");
        }
        Map<String, String> labels = new LinkedHashMap<>();
        for (int i = 0; i < fieldThenLabel.length; i += 2) {
            labels.put(fieldThenLabel[i], fieldThenLabel[i + 1]);
        }
        return new FormWords(labels);
    }

    /** The label the form shows for this field, or the field name when the form has none. */
    public String label(String field) {
        return labels.getOrDefault(field, field);
    }

    /**
     * The message in the form's words: each field name becomes its quoted label, {@code field=value} becomes
     * {@code “Label”: value} and {@code pass field=value} becomes {@code enter in “Label”: value}; the first letter
     * is capitalised. Null stays null.
     */
    public String speak(String message) {
        if (message == null) {
            return null;
        }
        String text = message;
        List<String> fields = labels.keySet().stream()
                .sorted(Comparator.comparingInt(String::length).reversed()).toList();
        for (int i = 0; i < patterns.size(); i++) {
            String label = "“" + labels.get(fields.get(i)) + "”";
            Matcher m = patterns.get(i).matcher(text);
            StringBuilder out = new StringBuilder();
            while (m.find()) {
                String replacement = (m.group(1) != null ? "enter in " : "") + label + (m.group(2) != null ? ": " : "");
                m.appendReplacement(out, Matcher.quoteReplacement(replacement));
            }
            m.appendTail(out);
            text = out.toString();
        }
        return text.isEmpty() ? text : Character.toUpperCase(text.charAt(0)) + text.substring(1);
    }

    /** Every message of these field errors in the form's words (the fields stay keyed by name). */
    public FormErrors speak(FormErrors errors) {
        Map<String, String> spoken = new LinkedHashMap<>();
        errors.byField().forEach((field, message) -> spoken.put(field, speak(message)));
        return new FormErrors(spoken);
    }
}
