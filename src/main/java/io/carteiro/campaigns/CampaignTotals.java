package io.carteiro.campaigns;

import io.carteiro.web.DashboardTotals;
import io.carteiro.web.Words;
import jakarta.enterprise.context.ApplicationScoped;

import java.util.List;

/** The dashboard's count of campaigns sending (or paused) and scheduled. */
@ApplicationScoped
class CampaignTotals implements DashboardTotals {

    private final CampaignRepository campaigns;

    CampaignTotals(CampaignRepository campaigns) {
        this.campaigns = campaigns;
    }

    @Override
    public List<Line> lines() {
        long sending = campaigns.countIn(List.of(CampaignStatus.running, CampaignStatus.paused));
        long scheduled = campaigns.countIn(List.of(CampaignStatus.scheduled));
        return List.of(new Line(30, "/admin/campaigns", Words.count(sending, "campaign", "campaigns")
                + " sending or paused, " + scheduled + " scheduled"));
    }
}
