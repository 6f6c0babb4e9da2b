package io.carteiro.campaigns;

import java.util.List;

/**
 * How the links and opens of a campaign's messages are tracked. Campaigns own the question and the engagement
 * feature answers it: the renderer finds the links of a campaign's templates once ({@link TrackableLinks}), asks
 * for a {@link Campaign} when it loads the campaign, then for one {@link Links} per message, and writes
 * {@code links.href(n)} where the template had link n.
 */
public interface MessageTracking {

    /**
     * The campaign about to be sent, with its links ({@code urls.get(n - 1)} is link n of the templates); the
     * implementation may record them (the redirect needs to know each link's target), so this is called when a
     * campaign is loaded for sending, not for previews.
     */
    Campaign sending(long campaignId, List<String> urls);

    /** The same campaign for a preview or a test send: links lead straight to their targets, nothing is counted. */
    Campaign untracked(long campaignId, List<String> urls);

    /** One campaign's tracking, asked once per message. */
    interface Campaign {

        /**
         * The links of one message to {@code recipient} (subscriber {@code subscriberId}, sent for list
         * {@code listId}); {@code trackingRefused}: the subscriber turned tracking off.
         */
        Links forMessage(long subscriberId, long listId, String recipient, boolean trackingRefused);

        /** The links of a preview or test send. */
        Links untracked();
    }

    /** What one message carries where its templates had links; thread-confined, one per message. */
    interface Links {

        /** The href of link {@code n} (from 1): a tracked redirect, or the target itself. */
        String href(int n);

        /** HTML placed at the end of the body: the decoy link and the open image, or nothing. */
        String trailer();
    }
}
