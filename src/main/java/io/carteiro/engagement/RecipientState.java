package io.carteiro.engagement;

import java.time.Instant;
import java.util.Arrays;

/** What is known of one recipient's engagement with one campaign ({@code engagement_recipient}), mutable. */
final class RecipientState {

    /** The highest link number whose unique clicks can be counted (bits of {@code human_links}). */
    static final int MAX_LINK = 128 * 8 - 1;

    final RecipientKey key;
    int humanClicks;
    int machineClicks;
    int humanOpens;
    int machineOpens;
    byte[] humanLinks;
    Instant firstHumanAt;

    RecipientState(RecipientKey key) {
        this.key = key;
        this.humanLinks = new byte[0];
    }

    boolean clickedByPerson(int link) {
        int i = link >> 3;
        return i < humanLinks.length && (humanLinks[i] & (1 << (link & 7))) != 0;
    }

    void markClicked(int link) {
        int i = link >> 3;
        if (i >= humanLinks.length) {
            humanLinks = Arrays.copyOf(humanLinks, i + 1);
        }
        humanLinks[i] |= (byte) (1 << (link & 7));
    }

    /** A person opened the message: an open image loaded by a person, or a person's click. */
    boolean openedByPerson() {
        return humanOpens > 0 || humanClicks > 0;
    }
}
