package io.carteiro.delivery.mtasts;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The {@code _mta-sts.<domain>} TXT record (RFC 8461 §3.1), which says that a policy exists and which version of
 * it ({@code id}) is current.
 */
public final class StsRecord {

    private static final Pattern ID = Pattern.compile("[A-Za-z0-9]{1,32}");
    private static final Pattern EXTENSION =
            Pattern.compile("[A-Za-z0-9][A-Za-z0-9_.-]{0,31}=[\\x21-\\x3a\\x3c\\x3e-\\x7e]+");
    private static final Pattern VERSION_PREFIX = Pattern.compile("^v=STSv1[ \\t]*;.*", Pattern.DOTALL);

    private StsRecord() {
    }

    /** What the TXT lookup said. */
    public sealed interface Lookup {
        /** Exactly one valid record: a policy with this id exists. */
        record Published(String id) implements Lookup {
        }

        /** No record, several, or a malformed one: the domain is treated as publishing no policy (§3.1). */
        record NotPublished(String reason) implements Lookup {
        }

        /** The DNS answer could not be had (SERVFAIL, timeout): nothing is known either way. */
        record Unavailable(String reason) implements Lookup {
        }
    }

    /**
     * Reads the TXT records of {@code _mta-sts.<domain>}, each already joined from its character strings. Records
     * not starting with {@code v=STSv1;} are not ours and are dropped; the rest must be exactly one valid record.
     */
    public static Lookup read(List<String> txtRecords) {
        List<String> ours = txtRecords.stream().filter(r -> VERSION_PREFIX.matcher(r).matches()).toList();
        if (ours.isEmpty()) {
            return new Lookup.NotPublished("no v=STSv1 TXT record");
        }
        if (ours.size() > 1) {
            return new Lookup.NotPublished(ours.size() + " v=STSv1 TXT records (exactly one is allowed)");
        }
        String[] fields = ours.get(0).split(";", -1);
        String id = null;
        for (int i = 1; i < fields.length; i++) {
            String field = fields[i].strip();
            if (field.isEmpty() && i == fields.length - 1) {
                break;
            }
            if (field.startsWith("id=")) {
                if (id != null) {
                    return new Lookup.NotPublished("TXT record has more than one id");
                }
                id = field.substring(3);
                if (!ID.matcher(id).matches()) {
                    return new Lookup.NotPublished("TXT record id '" + shorten(id)
                            + "' is not 1 to 32 letters or digits");
                }
            } else if (!EXTENSION.matcher(field).matches()) {
                return new Lookup.NotPublished("TXT record field '" + shorten(field) + "' is malformed");
            }
        }
        if (id == null) {
            return new Lookup.NotPublished("TXT record has no id");
        }
        return new Lookup.Published(id);
    }

    static String shorten(String text) {
        return text.length() <= 60 ? text : text.substring(0, 60) + "…";
    }
}
