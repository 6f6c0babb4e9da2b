package io.carteiro.unsubscribe;

/** What the public pages show of a list: its name, who sends it, how one joins, and the consent text in force. */
record ListInfo(long id, String name, String description, boolean doubleOptIn, String fromEmail, String fromName,
                boolean publicForm, Long consentTextId, String consentText) {

    /** The From header of mail about this list (its sender, the display name quoted), or {@code fallback}. */
    String fromHeader(String fallback) {
        if (fromEmail == null) {
            return fallback;
        }
        return fromName == null ? fromEmail
                : "\"" + fromName.replace("\\", "\\\\").replace("\"", "\\\"") + "\" <" + fromEmail + ">";
    }

    /** The sender as a subscriber would recognise it. */
    public String sender() {
        if (fromName != null && !fromName.isBlank()) {
            return fromEmail == null ? fromName : fromName + " <" + fromEmail + ">";
        }
        return fromEmail == null ? "" : fromEmail;
    }
}
