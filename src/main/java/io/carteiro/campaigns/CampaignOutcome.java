package io.carteiro.campaigns;

/**
 * What a change to a campaign came to: done (with the campaign's id), or refused with a reason the resource maps to
 * 404, 400 or 409.
 *
 * @param template the template error behind an {@link Kind#INVALID} outcome, when that is the reason
 * @param field    the field of the request that is wrong, for an {@link Kind#INVALID} outcome (null when none is)
 */
record CampaignOutcome(Kind kind, long id, String error, TemplateError template, String field) {

    /** The kinds of outcome. */
    enum Kind {
        DONE, NOT_FOUND, INVALID, CONFLICT
    }

    static CampaignOutcome done(long id) {
        return new CampaignOutcome(Kind.DONE, id, null, null, null);
    }

    static CampaignOutcome notFound(long id) {
        return new CampaignOutcome(Kind.NOT_FOUND, id, "campaign " + id + " does not exist", null, null);
    }

    /** Refused because {@code field} of the request is wrong (null when the refusal is about no one field). */
    static CampaignOutcome invalid(String field, String error) {
        return new CampaignOutcome(Kind.INVALID, 0, error, null, field);
    }

    /** Refused because of a template; the field is the part (a layout's error is its {@code layoutId}'s). */
    static CampaignOutcome invalid(TemplateError error) {
        return new CampaignOutcome(Kind.INVALID, 0, error.describe(), error,
                "layout".equals(error.part()) ? "layoutId" : error.part());
    }

    static CampaignOutcome conflict(long id, String error) {
        return new CampaignOutcome(Kind.CONFLICT, id, error, null, null);
    }

    boolean done() {
        return kind == Kind.DONE;
    }
}
