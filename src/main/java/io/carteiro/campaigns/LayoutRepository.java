package io.carteiro.campaigns;

import io.quarkus.hibernate.orm.panache.PanacheRepository;
import jakarta.enterprise.context.ApplicationScoped;

/** Stored layouts. */
@ApplicationScoped
class LayoutRepository implements PanacheRepository<CampaignLayout> {

    static CampaignContent.Layout content(CampaignLayout l) {
        return new CampaignContent.Layout(l.headerHtml, l.footerHtml, l.headerText, l.footerText);
    }
}
