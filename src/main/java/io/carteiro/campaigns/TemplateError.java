package io.carteiro.campaigns;

/**
 * Why a campaign's content was refused, precise enough to fix it: the part (subject, html, text, layout), and for a
 * template syntax error the line and column in that part.
 */
record TemplateError(String part, String message, Integer line, Integer column) {

    static TemplateError of(String part, String message) {
        return new TemplateError(part, message, null, null);
    }

    /** One sentence for a person: "html, line 3, column 7: ...". */
    String describe() {
        return part + (line == null ? "" : ", line " + line + (column == null ? "" : ", column " + column))
                + ": " + message;
    }
}
