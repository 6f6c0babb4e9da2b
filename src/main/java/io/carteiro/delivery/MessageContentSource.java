package io.carteiro.delivery;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Supplies the content of queued messages when they are sent, so a feature can queue rows cheaply (e.g. with
 * INSERT ... SELECT) and render each one lazily. Every CDI bean implementing this is asked, in
 * {@link #order()}, for the rows no earlier source rendered; the engine itself renders transactional rows.
 */
public interface MessageContentSource {

    /** The content of this row's message, or empty when this source does not know the row. */
    Optional<RenderedMessage> render(OutboundRow row);

    /** Renders many rows at once (override to fetch what they need with one query); keyed by row id. */
    default Map<Long, RenderedMessage> renderAll(List<OutboundRow> rows) {
        Map<Long, RenderedMessage> rendered = new HashMap<>();
        for (OutboundRow row : rows) {
            render(row).ifPresent(message -> rendered.put(row.id(), message));
        }
        return rendered;
    }

    /** Lower goes first. */
    default int order() {
        return 100;
    }
}
