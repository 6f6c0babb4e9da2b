package io.carteiro.campaigns;

import io.carteiro.delivery.DeliveryOutcome;
import io.carteiro.delivery.DeliveryOutcomeListener;
import io.carteiro.delivery.OutcomeKind;
import jakarta.enterprise.context.ApplicationScoped;
import org.jboss.logging.Logger;

import java.time.Clock;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Pauses a running campaign after a few messages failed for Carteiro's own reasons (no content, a message that
 * could not be built — a template bug reaches everyone), with the reason on the campaign's page, instead of working
 * through the whole list. Counted in the engine's transaction, together with the outcomes.
 */
@ApplicationScoped
class OwnFailureBrake implements DeliveryOutcomeListener {

    private static final Logger LOG = Logger.getLogger(OwnFailureBrake.class);

    private final CampaignRepository campaigns;
    private final CampaignsConfig config;
    private final Clock clock;

    OwnFailureBrake(CampaignRepository campaigns, CampaignsConfig config, Clock clock) {
        this.campaigns = campaigns;
        this.config = config;
        this.clock = clock;
    }

    @Override
    public void onFinalOutcomes(List<DeliveryOutcome> outcomes) {
        Map<Long, Integer> failures = new LinkedHashMap<>();
        Map<Long, DeliveryOutcome> last = new LinkedHashMap<>();
        for (DeliveryOutcome o : outcomes) {
            if (ownFailure(o) && o.campaignId() != null) {
                failures.merge(o.campaignId(), 1, Integer::sum);
                last.put(o.campaignId(), o);
            }
        }
        Instant now = clock.instant();
        failures.forEach((campaign, count) -> {
            String reason = "paused by itself after %d messages failed for a reason of Carteiro's or the campaign's"
                    + " own, not their recipients' (last: " + describe(last.get(campaign)) + "); fix it, then"
                    + " resume. Once the campaign has finished, \"resend to failed\" sends those messages again.";
            if (campaigns.addOwnFailures(campaign, count, config.ownFailureLimit(), reason, now)) {
                LOG.warnf("campaign %d paused: %d or more of its messages failed for Carteiro's own reasons (last: %s)",
                        campaign, config.ownFailureLimit(), describe(last.get(campaign)));
            }
        });
    }

    /**
     * Carteiro's own failure: FAILED with no reply from any server and not for want of a route (5.4.x) — the
     * message had no content or could not be built. A remote server's refusal is left to the streak brake of
     * {@link CampaignPacer}.
     */
    static boolean ownFailure(DeliveryOutcome o) {
        return o.kind() == OutcomeKind.FAILED && o.code() == null && o.exchanger() == null
                && (o.enhancedStatus() == null || !o.enhancedStatus().startsWith("5.4."));
    }

    private static String describe(DeliveryOutcome o) {
        String text = o.text() == null ? "no reason given" : o.text().replace('%', ' ');
        return (o.enhancedStatus() == null ? "" : o.enhancedStatus() + " ") + text;
    }
}
