package io.carteiro.engagement;

import io.carteiro.campaigns.CampaignFacts;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import jakarta.inject.Named;
import jakarta.transaction.Transactional;

import java.util.Optional;

/**
 * A campaign's optional UTM parameters, off unless its owner turns them on, and changed only while the campaign is a
 * draft: every replica keeps a sending campaign's link targets in memory, so a change later would reach some
 * redirects and not others. The campaign page includes this feature's form, which reads it as
 * {@code inject:campaignUtm}.
 */
@ApplicationScoped
@Named("campaignUtm")
public class UtmSettings {

    /** The UTM settings as the API and the page show them. */
    public record View(boolean enabled, String source, String medium, String campaign, boolean editable) {
    }

    /** What a change came to. */
    sealed interface Outcome permits Saved, NoCampaign, Refused {
    }

    record Saved(View view) implements Outcome {
    }

    record NoCampaign() implements Outcome {
    }

    /** {@code status} 409 when the campaign is no longer a draft, 400 for a value that cannot be used. */
    record Refused(int status, String field, String message) implements Outcome {
    }

    @Inject
    LinkRegistry registry;

    @Inject
    CampaignFacts campaigns;

    /** The campaign's settings (off and empty when it has none); empty when there is no such campaign. */
    @Transactional
    public Optional<View> of(long campaignId) {
        return campaigns.find(campaignId).map(c -> view(registry.utmSetting(campaignId), c.draft()));
    }

    @Transactional
    Outcome save(long campaignId, boolean enabled, String source, String medium, String campaign) {
        Optional<CampaignFacts.Fact> fact = campaigns.find(campaignId);
        if (fact.isEmpty()) {
            return new NoCampaign();
        }
        for (String[] field : new String[][]{{"source", source}, {"medium", medium}, {"campaign", campaign}}) {
            Optional<String> problem = Utm.problem(field[0], field[1]);
            if (problem.isPresent()) {
                return new Refused(400, field[0], problem.get());
            }
        }
        Utm utm = new Utm(source, medium, campaign);
        if (enabled && utm.none()) {
            return new Refused(400, "enabled", "UTM parameters can be turned on once at least one is given");
        }
        if (!fact.get().draft()) {
            return new Refused(409, "campaign", "UTM parameters can be changed only while the campaign is a draft");
        }
        Utm.Setting setting = new Utm.Setting(enabled, utm);
        registry.setUtm(campaignId, setting);
        return new Saved(view(registry.utmSetting(campaignId), true));
    }

    private static View view(Utm.Setting s, boolean editable) {
        return new View(s.enabled(), s.utm().source(), s.utm().medium(), s.utm().campaign(), editable);
    }
}
