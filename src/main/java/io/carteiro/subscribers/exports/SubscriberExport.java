package io.carteiro.subscribers.exports;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.carteiro.text.CsvCells;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.apache.commons.csv.CSVFormat;
import org.apache.commons.csv.CSVPrinter;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Writes subscribers as CSV while reading them in keyset-ordered pages (by subscriber id), so memory stays flat and
 * no long-running query or transaction holds the database, whatever the number of rows. Attributes become one column
 * per key; the keys are collected with one query first. Every cell a spreadsheet could run as a formula is neutralised
 * ({@link CsvCells}); the import takes the mark off again.
 */
@ApplicationScoped
class SubscriberExport {

    static final List<String> FIXED_COLUMNS = List.of("email", "name", "status", "subscription_status",
            "subscribed_at");
    static final int PAGE = 1000;

    @Inject
    AgroalDataSource dataSource;

    @Inject
    ObjectMapper json;

    boolean listExists(long listId) throws SQLException {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT 1 FROM mailing_list WHERE id = ?")) {
            s.setLong(1, listId);
            try (ResultSet r = s.executeQuery()) {
                return r.next();
            }
        }
    }

    void write(ExportFilter filter, OutputStream out) throws IOException, SQLException {
        List<String> keys = attributeKeys(filter);
        List<String> header = new ArrayList<>(FIXED_COLUMNS);
        for (String key : keys) {
            header.add(CsvCells.neutralise(FIXED_COLUMNS.contains(key.toLowerCase(Locale.ROOT)) ? "attribute." + key
                    : key));
        }
        CSVPrinter csv = new CSVPrinter(new BufferedWriter(new OutputStreamWriter(out, StandardCharsets.UTF_8),
                1 << 16), CSVFormat.DEFAULT.builder().setRecordSeparator("\n").get());
        csv.printRecord(header);
        long after = 0;
        List<Object> record = new ArrayList<>(header.size());
        while (true) {
            int rows = 0;
            try (Connection c = dataSource.getConnection();
                 PreparedStatement s = c.prepareStatement(pageQuery(filter))) {
                int p = bindFilter(s, filter, 1);
                s.setLong(p++, after);
                s.setInt(p, PAGE);
                try (ResultSet r = s.executeQuery()) {
                    while (r.next()) {
                        rows++;
                        after = r.getLong(1);
                        record.clear();
                        record.add(CsvCells.neutralise(r.getString(2)));
                        record.add(CsvCells.neutralise(r.getString(3)));
                        record.add(r.getString(4));
                        record.add(r.getString(6));
                        Timestamp subscribed = r.getTimestamp(7);
                        record.add(subscribed == null ? null : subscribed.toInstant().toString());
                        JsonNode attributes = parse(r.getString(5));
                        for (String key : keys) {
                            JsonNode value = attributes == null ? null : attributes.get(key);
                            record.add(value == null || value.isNull() ? null
                                    : CsvCells.neutralise(value.isValueNode() ? value.asText() : value.toString()));
                        }
                        csv.printRecord(record);
                    }
                }
            }
            csv.flush();
            if (rows < PAGE) {
                break;
            }
        }
        csv.close();
    }

    private List<String> attributeKeys(ExportFilter filter) throws SQLException {
        String sql = "SELECT DISTINCT jt.k FROM " + from(filter)
                + ", JSON_TABLE(JSON_KEYS(s.attributes), '$[*]' COLUMNS (k VARCHAR(255) PATH '$')) jt"
                + where(filter) + " AND s.attributes IS NOT NULL ORDER BY jt.k";
        try (Connection c = dataSource.getConnection(); PreparedStatement s = c.prepareStatement(sql)) {
            bindFilter(s, filter, 1);
            List<String> keys = new ArrayList<>();
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    keys.add(r.getString(1));
                }
            }
            return keys;
        }
    }

    private static String pageQuery(ExportFilter filter) {
        String idColumn = filter.listId().isPresent() ? "sub.subscriber_id" : "s.id";
        String subscription = filter.listId().isPresent() ? "sub.status, sub.subscribed_at" : "NULL, NULL";
        return "SELECT s.id, s.email, s.name, s.status, s.attributes, " + subscription + " FROM " + from(filter)
                + where(filter) + " AND " + idColumn + " > ? ORDER BY " + idColumn + " LIMIT ?";
    }

    private static String from(ExportFilter filter) {
        return filter.listId().isPresent()
                ? "subscription sub JOIN subscriber s ON s.id = sub.subscriber_id"
                : "subscriber s";
    }

    private static String where(ExportFilter filter) {
        StringBuilder sql = new StringBuilder(" WHERE 1 = 1");
        filter.listId().ifPresent(id -> sql.append(" AND sub.list_id = ?"));
        filter.q().ifPresent(q -> sql.append(" AND (s.email_key LIKE ? OR s.name LIKE ?)"));
        filter.status().ifPresent(status -> sql.append(" AND s.status = ?"));
        return sql.toString();
    }

    private static int bindFilter(PreparedStatement s, ExportFilter filter, int first) throws SQLException {
        int p = first;
        if (filter.listId().isPresent()) {
            s.setLong(p++, filter.listId().get());
        }
        if (filter.q().isPresent()) {
            String prefix = filter.q().get().replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%";
            s.setString(p++, prefix.toLowerCase(Locale.ROOT));
            s.setString(p++, prefix);
        }
        if (filter.status().isPresent()) {
            s.setString(p++, filter.status().get());
        }
        return p;
    }

    private JsonNode parse(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            JsonNode node = json.readTree(text);
            return node.isObject() ? node : null;
        } catch (IOException e) {
            return null;
        }
    }
}
