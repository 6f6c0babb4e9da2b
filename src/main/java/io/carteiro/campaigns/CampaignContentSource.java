package io.carteiro.campaigns;

import io.carteiro.delivery.MessageContentSource;
import io.carteiro.delivery.OutboundRow;
import io.carteiro.delivery.RenderedMessage;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * How campaign rows get their content: the delivery engine asks this source for the claimed rows that carry a
 * campaign id, and each is rendered for its subscriber at that moment (templates compiled once per campaign,
 * subscribers read with one query per batch). A row whose subscriber was erased gets no content, which the engine
 * records as failed instead of sending anything.
 */
@ApplicationScoped
class CampaignContentSource implements MessageContentSource {

    @Inject
    CampaignRenderer renderer;

    @Override
    public Optional<RenderedMessage> render(OutboundRow row) {
        return Optional.ofNullable(renderAll(List.of(row)).get(row.id()));
    }

    @Override
    public Map<Long, RenderedMessage> renderAll(List<OutboundRow> rows) {
        Map<Long, Map<Long, long[]>> byCampaign = new LinkedHashMap<>();
        for (OutboundRow row : rows) {
            if (row.campaignId() != null && row.subscriberId() != null) {
                byCampaign.computeIfAbsent(row.campaignId(), c -> new LinkedHashMap<>())
                        .put(row.id(), new long[]{row.subscriberId(), row.listId() == null ? 0 : row.listId()});
            }
        }
        Map<Long, RenderedMessage> rendered = new HashMap<>();
        byCampaign.forEach((campaignId, keys) -> renderer.renderAll(campaignId, keys)
                .forEach((rowId, message) -> rendered.put(rowId, message.content())));
        return rendered;
    }

    @Override
    public int order() {
        return 50;
    }
}
