package io.carteiro.campaigns;

/** Where a campaign stands; stored by name in {@code campaign.status}. */
enum CampaignStatus {
    draft, scheduled, running, paused, finished, cancelled;

    /** Whether content and targets may still be changed. */
    boolean editable() {
        return this == draft;
    }
}
