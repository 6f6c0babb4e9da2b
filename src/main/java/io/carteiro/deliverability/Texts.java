package io.carteiro.deliverability;

/** Text shortening for details that quote what a peer sent (a record, a report field): never a page of it. */
final class Texts {

    private Texts() {
    }

    static String shorten(String text) {
        return shorten(text, 80);
    }

    static String shorten(String text, int max) {
        if (text == null) {
            return "";
        }
        String clean = text.replaceAll("\\p{Cntrl}", "?");
        return clean.length() <= max ? clean : clean.substring(0, max) + "…";
    }
}
