package io.carteiro.web;

import io.quarkus.qute.TemplateExtension;

/**
 * Counted words for people ("1 list", "2 lists"; issue 15.8), from Java as {@code Words.count(n, "list", "lists")}
 * and from templates as {@code {job.rowsRead.count('row', 'rows')}}. The caller gives both forms: English plurals
 * are not all an added "s", and the Portuguese bundles pass their own.
 */
@TemplateExtension
public final class Words {

    private Words() {
    }

    /** {@code n} and the word that goes with it. */
    public static String count(long n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    /** The same for a template's number, whatever its type. */
    static String count(Number n, String one, String many) {
        return count(n.longValue(), one, many);
    }
}
