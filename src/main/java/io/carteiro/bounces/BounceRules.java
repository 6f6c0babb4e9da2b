package io.carteiro.bounces;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The table of text patterns that classify non-standard bounces, read from one readable resource file
 * ({@code bounces/rules.txt}) so an operator can see and extend what the parser recognises.
 */
final class BounceRules {

    static final String RESOURCE = "bounces/rules.txt";

    /** One line of the table: when {@code pattern} is found in the text, the bounce is {@code kind} with {@code status}. */
    record Rule(BounceKind kind, String status, Pattern pattern, int line) {
    }

    private final List<Rule> rules;

    private BounceRules(List<Rule> rules) {
        this.rules = List.copyOf(rules);
    }

    static BounceRules load() {
        try (InputStream in = BounceRules.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("bounce rule table " + RESOURCE + " is missing from the class path");
            }
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads lines of {@code kind status pattern}; blank lines and lines starting with # are skipped. */
    static BounceRules parse(InputStream in) throws IOException {
        List<Rule> rules = new ArrayList<>();
        BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
        String line;
        int number = 0;
        while ((line = reader.readLine()) != null) {
            number++;
            String trimmed = line.strip();
            if (trimmed.isEmpty() || trimmed.startsWith("#")) {
                continue;
            }
            String[] fields = trimmed.split("\\s+", 3);
            if (fields.length < 3) {
                throw new IllegalArgumentException(RESOURCE + " line " + number + ": expected 'kind status pattern'");
            }
            BounceKind kind;
            try {
                kind = BounceKind.fromCode(fields[0]);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException(RESOURCE + " line " + number + ": unknown kind '" + fields[0] + "'");
            }
            if (!EnhancedStatus.isValid(fields[1])) {
                throw new IllegalArgumentException(RESOURCE + " line " + number + ": bad status '" + fields[1] + "'");
            }
            try {
                rules.add(new Rule(kind, fields[1], Pattern.compile(fields[2],
                        Pattern.CASE_INSENSITIVE | Pattern.UNICODE_CASE), number));
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(RESOURCE + " line " + number + ": bad pattern: " + e.getDescription());
            }
        }
        return new BounceRules(rules);
    }

    /** The first rule whose pattern occurs in {@code text}; the file's order is the precedence. */
    Optional<Rule> match(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        for (Rule rule : rules) {
            if (rule.pattern().matcher(text).find()) {
                return Optional.of(rule);
            }
        }
        return Optional.empty();
    }

    int size() {
        return rules.size();
    }
}
