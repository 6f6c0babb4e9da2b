package io.carteiro.delivery;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import java.io.IOException;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Content of transactional messages, stored with them in outbound_content; fetched with one query per batch. */
@ApplicationScoped
class TransactionalContent implements MessageContentSource {

    private static final TypeReference<LinkedHashMap<String, String>> HEADERS = new TypeReference<>() {
    };

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    @Override
    public int order() {
        return 0;
    }

    @Override
    public Optional<RenderedMessage> render(OutboundRow row) {
        return Optional.ofNullable(renderAll(List.of(row)).get(row.id()));
    }

    @Override
    public Map<Long, RenderedMessage> renderAll(List<OutboundRow> rows) {
        Map<Long, RenderedMessage> found = new HashMap<>();
        if (rows.isEmpty()) {
            return found;
        }
        String marks = String.join(",", java.util.Collections.nCopies(rows.size(), "?"));
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT outbound_message_id, from_header, subject, html, text,"
                     + " headers FROM outbound_content WHERE outbound_message_id IN (" + marks + ")")) {
            for (int i = 0; i < rows.size(); i++) {
                s.setLong(i + 1, rows.get(i).id());
            }
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    String headers = r.getString(6);
                    found.put(r.getLong(1), new RenderedMessage(r.getString(2), r.getString(3), r.getString(4),
                            r.getString(5), headers == null ? Map.of() : json.readValue(headers, HEADERS)));
                }
            }
        } catch (SQLException | IOException e) {
            throw new IllegalStateException("could not read transactional message content", e);
        }
        return found;
    }
}
