package io.carteiro.subscribers.imports;

import io.carteiro.text.CsvCells;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;

/**
 * Which CSV columns hold the address and the name, and which to leave out; every other column becomes an attribute.
 *
 * <p>Written as {@code email=E-mail,name=Full name,ignore=status,ignore=notes}; without it the column called
 * {@code email} or {@code e-mail} (any case) is the address and {@code name} the name. Column names match
 * case-insensitively.
 */
record ColumnMapping(Optional<String> emailColumn, Optional<String> nameColumn, Set<String> ignored) {

    static final ColumnMapping DEFAULT = new ColumnMapping(Optional.empty(), Optional.empty(), Set.of());

    /** The columns of one header, resolved to positions. {@code name} is -1 when the file has no name column. */
    record Columns(List<String> header, int email, int name, List<Attribute> attributes) {
    }

    /** A column stored under {@code key} in the subscriber's attributes. */
    record Attribute(int index, String key) {
    }

    /** The result of parsing or resolving: a value, or the reason it cannot be used. */
    record Result<T>(T value, String error) {
        static <T> Result<T> ok(T value) {
            return new Result<>(value, null);
        }

        static <T> Result<T> error(String error) {
            return new Result<>(null, error);
        }

        boolean failed() {
            return error != null;
        }
    }

    static Result<ColumnMapping> parse(String text) {
        if (text == null || text.isBlank()) {
            return Result.ok(DEFAULT);
        }
        String email = null;
        String name = null;
        Set<String> ignored = new HashSet<>();
        for (String part : text.split(",")) {
            int eq = part.indexOf('=');
            if (eq <= 0 || eq == part.length() - 1) {
                return Result.error("mapping part '" + part.strip()
                        + "' is not key=Column (expected e.g. email=E-mail,name=Full name,ignore=notes)");
            }
            String key = part.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            String column = part.substring(eq + 1).strip();
            switch (key) {
                case "email" -> {
                    if (email != null) {
                        return Result.error("mapping names the email column twice");
                    }
                    email = column;
                }
                case "name" -> {
                    if (name != null) {
                        return Result.error("mapping names the name column twice");
                    }
                    name = column;
                }
                case "ignore" -> ignored.add(column.toLowerCase(Locale.ROOT));
                default -> {
                    return Result.error("mapping key '" + key + "' is unknown (use email, name or ignore)");
                }
            }
        }
        return Result.ok(new ColumnMapping(Optional.ofNullable(email), Optional.ofNullable(name), Set.copyOf(ignored)));
    }

    /** Finds the mapped columns in a header row, or says what is missing or ambiguous. */
    Result<Columns> resolve(List<String> rawHeader) {
        List<String> header = rawHeader.stream().map(h -> CsvCells.restore(h).strip()).toList();
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < header.size(); i++) {
            String column = header.get(i);
            if (column.isEmpty()) {
                return Result.error("column " + (i + 1) + " of the header has no name");
            }
            if (!seen.add(column.toLowerCase(Locale.ROOT))) {
                return Result.error("column '" + column + "' appears twice in the header");
            }
        }
        int email;
        if (emailColumn.isPresent()) {
            email = indexOf(header, emailColumn.get());
            if (email < 0) {
                return Result.error("mapping names email column '" + emailColumn.get()
                        + "', which is not in the header " + header);
            }
        } else {
            email = indexOf(header, "email");
            if (email < 0) {
                email = indexOf(header, "e-mail");
            }
            if (email < 0) {
                return Result.error("the header " + header
                        + " has no column named email or e-mail; name one so or pass mapping=email=<column>");
            }
        }
        int name = indexOf(header, nameColumn.orElse("name"));
        if (nameColumn.isPresent() && name < 0) {
            return Result.error("mapping names name column '" + nameColumn.get() + "', which is not in the header "
                    + header);
        }
        for (String column : ignored) {
            if (indexOf(header, column) < 0) {
                return Result.error("mapping ignores column '" + column + "', which is not in the header " + header);
            }
        }
        if (name == email) {
            return Result.error("the same column '" + header.get(email) + "' cannot be both the address and the name");
        }
        List<Attribute> attributes = new ArrayList<>();
        for (int i = 0; i < header.size(); i++) {
            if (i != email && i != name && !ignored.contains(header.get(i).toLowerCase(Locale.ROOT))) {
                attributes.add(new Attribute(i, header.get(i)));
            }
        }
        return Result.ok(new Columns(header, email, name, List.copyOf(attributes)));
    }

    private static int indexOf(List<String> header, String column) {
        for (int i = 0; i < header.size(); i++) {
            if (header.get(i).equalsIgnoreCase(column.strip())) {
                return i;
            }
        }
        return -1;
    }
}
