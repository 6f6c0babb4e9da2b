package io.carteiro.campaigns;

/**
 * What a change to a campaign came to: done (with the campaign's id), or refused with a reason the resource maps to
 * 404, 400 or 409.
 *
 * @param template the template error behind an {@link Kind#INVALID} outcome, when that is the reason
 */
record CampaignOutcome(Kind kind, long id, String error, TemplateError template) {

    /** The kinds of outcome. */
    enum Kind {
        DONE, NOT_FOUND, INVALID, CONFLICT
    }

    static CampaignOutcome done(long id) {
        return new CampaignOutcome(Kind.DONE, id, null, null);
    }

    static CampaignOutcome notFound(long id) {
        return new CampaignOutcome(Kind.NOT_FOUND, id, "campaign " + id + " does not exist", null);
    }

    static CampaignOutcome invalid(String error) {
        return new CampaignOutcome(Kind.INVALID, 0, error, null);
    }

    static CampaignOutcome invalid(TemplateError error) {
        return new CampaignOutcome(Kind.INVALID, 0, error.describe(), error);
    }

    static CampaignOutcome conflict(long id, String error) {
        return new CampaignOutcome(Kind.CONFLICT, id, error, null);
    }

    boolean done() {
        return kind == Kind.DONE;
    }
}
