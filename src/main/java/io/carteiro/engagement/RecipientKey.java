package io.carteiro.engagement;

/** A recipient of one campaign: a subscriber, or (anonymous) the random number drawn for one message. */
record RecipientKey(long campaignId, boolean anonymous, long key) implements Comparable<RecipientKey> {

    Long subscriberId() {
        return anonymous ? null : key;
    }

    @Override
    public int compareTo(RecipientKey o) {
        int c = Long.compare(campaignId, o.campaignId);
        if (c == 0) {
            c = Boolean.compare(anonymous, o.anonymous);
        }
        return c != 0 ? c : Long.compare(key, o.key);
    }
}
