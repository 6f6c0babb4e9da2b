package io.carteiro.campaigns;

/**
 * Why a campaign's content was refused, precise enough to fix it: the part (subject, html, text, layout), and for a
 * template syntax error or an unknown name the line and column in that part.
 */
record TemplateError(String part, String message, Integer line, Integer column, String expression) {

    /** {@code expression}: the expression that names something the message model lacks; null for other errors. */
    TemplateError(String part, String message, Integer line, Integer column) {
        this(part, message, line, column, null);
    }

    static TemplateError of(String part, String message) {
        return new TemplateError(part, message, null, null);
    }

    /** An unknown name: the content parses, but means nothing (HTTP 422 rather than 400). */
    boolean unknownName() {
        return expression != null;
    }

    /** One sentence for a person: "html, line 3, column 7: ...". */
    String describe() {
        return part + (line == null ? "" : ", line " + line + (column == null ? "" : ", column " + column))
                + ": " + message;
    }
}
