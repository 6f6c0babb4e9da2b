package io.carteiro.campaigns;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.agroal.api.AgroalDataSource;
import io.carteiro.delivery.RenderedMessage;
import io.carteiro.delivery.SendingIdentity;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.jboss.logging.Logger;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Renders a campaign message for one subscriber at the moment the delivery engine claims its queue row, so nothing
 * per recipient is stored or held in memory before then. The campaign's compiled templates are cached per campaign
 * (content cannot change once a campaign left draft); each render reads only the subscriber's row.
 */
@ApplicationScoped
public class CampaignRenderer {

    private static final Logger LOG = Logger.getLogger(CampaignRenderer.class);

    @Inject
    AgroalDataSource dataSource;

    @Inject
    CampaignTemplates templates;

    @Inject
    CampaignLinks links;

    @Inject
    SendingIdentity identity;

    @Inject
    ObjectMapper json;

    @Inject
    CampaignsConfig config;

    @Inject
    MessageTracking tracking;

    private Map<Long, Prepared> cache;

    /** A campaign ready to render: its templates, its sender, its tracking and the names of lists met so far. */
    private record Prepared(CampaignTemplates.Compiled compiled, String name, String from, String replyTo,
                            Map<Long, String> listNames, MessageTracking.Campaign tracked) {
    }

    private record Recipient(String email, String name, Map<String, Object> attributes, boolean trackingRefused) {
    }

    @jakarta.annotation.PostConstruct
    void init() {
        int size = config.templateCache();
        cache = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<Long, Prepared> eldest) {
                return size() > size;
            }
        });
    }

    /**
     * The message of campaign {@code campaignId} for subscriber {@code subscriberId} on list {@code listId}; empty
     * when the campaign or the subscriber no longer exists (the row should then be cancelled, not sent).
     */
    public Optional<CampaignMessage> render(long campaignId, long subscriberId, long listId) {
        Prepared prepared = cache.get(campaignId);
        if (prepared == null) {
            Optional<Prepared> loaded = load(campaignId, true);
            if (loaded.isEmpty()) {
                return Optional.empty();
            }
            prepared = loaded.get();
            cache.put(campaignId, prepared);
        }
        return render(prepared, campaignId, subscriberId, listId, recipient(subscriberId));
    }

    /**
     * The message as it would be sent to this subscriber now, from the campaign's current content, with its links
     * leading straight to their targets (a preview's clicks are nobody's).
     */
    Optional<CampaignMessage> preview(long campaignId, long subscriberId, long listId) {
        return load(campaignId, false)
                .flatMap(p -> render(p, campaignId, subscriberId, listId, recipient(subscriberId)));
    }

    /** The message for a test send: the sample subscriber, addressed to {@code to}, with inert sample links. */
    Optional<CampaignMessage> sample(long campaignId, String to) {
        MessageModel sample = CampaignTemplates.sample();
        return sample(campaignId, to, new MessageModel(to, sample.name(), sample.attributes(), sample.listId(),
                sample.listName(), sample.campaignName(), sample.unsubscribeUrl(), sample.preferencesUrl(), sample.links()));
    }

    /**
     * The message for a test send with the name and attributes of subscriber {@code subscriberId}, so the tester sees
     * what that subscriber would read ({@code subscriber.email} is theirs too); still addressed to {@code to} with
     * inert sample links, so nobody is unsubscribed by a tester's click. Empty when the campaign or the subscriber no longer exists.
     */
    Optional<CampaignMessage> sampleWithDataOf(long campaignId, String to, long subscriberId) {
        MessageModel sample = CampaignTemplates.sample();
        return recipient(subscriberId).flatMap(r -> sample(campaignId, to, new MessageModel(r.email(), r.name(),
                r.attributes(), sample.listId(), sample.listName(), sample.campaignName(), sample.unsubscribeUrl(),
                sample.preferencesUrl(), sample.links())));
    }

    private Optional<CampaignMessage> sample(long campaignId, String to, MessageModel sample) {
        return load(campaignId, false).flatMap(p -> {
            long listId = p.listNames().keySet().stream().findFirst().orElse(0L);
            MessageModel model = new MessageModel(sample.email(), sample.name(), sample.attributes(), listId,
                    p.listNames().getOrDefault(listId, sample.listName()), p.name(), sample.unsubscribeUrl(),
                    sample.preferencesUrl(), p.tracked().untracked());
            Optional<CampaignTemplates.RenderedBody> rendered = withinBudget(p.compiled().render(model), campaignId,
                    0);
            if (rendered.isEmpty()) {
                return Optional.empty();
            }
            CampaignTemplates.RenderedBody body = rendered.get();
            Map<String, String> headers = new LinkedHashMap<>();
            if (p.replyTo() != null) {
                headers.put("Reply-To", p.replyTo());
            }
            return Optional.of(new CampaignMessage(to, new RenderedMessage(p.from(), body.subject(), body.html(),
                    body.text(), headers)));
        });
    }

    /**
     * The message as a sample subscriber would get it, through the same path as a real send (its headers and the
     * signed links of the first target list, for a subscriber id that is no one's), for the pre-send checklist and
     * the content score.
     */
    Optional<CampaignMessage> checkSample(long campaignId) {
        return load(campaignId, false).flatMap(p -> {
            MessageModel sample = CampaignTemplates.sample();
            long listId = p.listNames().keySet().stream().findFirst().orElse(0L);
            return render(p, campaignId, 0, listId,
                    Optional.of(new Recipient(sample.email(), sample.name(), sample.attributes(), false)));
        });
    }

    void forget(long campaignId) {
        cache.remove(campaignId);
    }

    /**
     * Messages for many claimed rows of one campaign, reading their subscribers with one query; rows whose campaign
     * or subscriber is gone are left out. Keys are the caller's row keys.
     */
    Map<Long, CampaignMessage> renderAll(long campaignId, Map<Long, long[]> subscriberAndListByKey) {
        Map<Long, CampaignMessage> out = new java.util.HashMap<>();
        Prepared prepared = cache.get(campaignId);
        if (prepared == null) {
            Optional<Prepared> loaded = load(campaignId, true);
            if (loaded.isEmpty()) {
                return out;
            }
            prepared = loaded.get();
            cache.put(campaignId, prepared);
        }
        Map<Long, Recipient> recipients = recipients(subscriberAndListByKey.values().stream()
                .map(v -> v[0]).distinct().toList());
        int failed = 0;
        RuntimeException first = null;
        for (Map.Entry<Long, long[]> e : subscriberAndListByKey.entrySet()) {
            long subscriberId = e.getValue()[0];
            try {
                render(prepared, campaignId, subscriberId, e.getValue()[1],
                        Optional.ofNullable(recipients.get(subscriberId))).ifPresent(m -> out.put(e.getKey(), m));
            } catch (RuntimeException error) {
                // A template that fails for some subscribers' data leaves their messages without content: the engine
                // records them as failed (never against the subscriber) and the campaign pauses itself after a few.
                failed++;
                first = first == null ? error : first;
            }
        }
        if (failed > 0) {
            LOG.warnf("campaign %d: %d of %d messages could not be rendered (first: %s)", campaignId, failed,
                    subscriberAndListByKey.size(), first.getMessage());
        }
        return out;
    }

    private Optional<CampaignMessage> render(Prepared p, long campaignId, long subscriberId, long listId,
                                             Optional<Recipient> recipient) {
        if (recipient.isEmpty()) {
            return Optional.empty();
        }
        String listName = p.listNames().computeIfAbsent(listId, this::listName);
        String unsubscribe = links.unsubscribeUrl(subscriberId, listId, campaignId);
        Recipient r = recipient.get();
        MessageModel model = new MessageModel(r.email(), r.name(), r.attributes(), listId, listName, p.name(),
                unsubscribe, links.preferencesUrl(subscriberId),
                p.tracked().forMessage(subscriberId, listId, r.email(), r.trackingRefused()));
        Optional<CampaignTemplates.RenderedBody> rendered = withinBudget(p.compiled().render(model), campaignId,
                subscriberId);
        if (rendered.isEmpty()) {
            return Optional.empty();
        }
        CampaignTemplates.RenderedBody body = rendered.get();
        Map<String, String> headers = new LinkedHashMap<>();
        if (p.replyTo() != null) {
            headers.put("Reply-To", p.replyTo());
        }
        headers.put("List-Unsubscribe", "<" + unsubscribe + ">, <mailto:"
                + links.unsubscribeMailbox(subscriberId, listId, campaignId) + ">");
        headers.put("List-Unsubscribe-Post", "List-Unsubscribe=One-Click");
        headers.put("List-Id", (listName == null || listName.isBlank() ? "" : HeaderValues.quoted(listName) + " ")
                + "<list-" + listId + "." + identity.bounceDomain() + ">");
        headers.put("Feedback-ID", campaignId + ":" + listId + ":campaign:carteiro");
        return Optional.of(new CampaignMessage(r.email(), new RenderedMessage(p.from(), body.subject(), body.html(),
                body.text(), headers)));
    }

    /**
     * The body, or nothing when this subscriber's data made it grow past the render budget: the engine then records
     * the message as failed (Carteiro's fault, not the subscriber's) rather than send it cut short.
     */
    private static Optional<CampaignTemplates.RenderedBody> withinBudget(CampaignTemplates.Rendered rendered,
                                                                      long campaignId, long subscriberId) {
        if (rendered instanceof CampaignTemplates.TooLarge tooLarge) {
            LOG.warnf("campaign %d for subscriber %d not rendered: %s", campaignId, subscriberId, tooLarge.reason());
            return Optional.empty();
        }
        return Optional.of((CampaignTemplates.RenderedBody) rendered);
    }

    /** The campaign's templates, with their trackable links rewritten; {@code sending}: tracked, else not. */
    private Optional<Prepared> load(long campaignId, boolean sending) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("""
                     SELECT c.name, c.subject, c.from_email, c.from_name, c.reply_to, c.html, c.text,
                            l.header_html, l.footer_html, l.header_text, l.footer_text, c.layout_id
                     FROM campaign c LEFT JOIN campaign_layout l ON l.id = c.layout_id WHERE c.id = ?""")) {
            s.setLong(1, campaignId);
            try (ResultSet r = s.executeQuery()) {
                if (!r.next()) {
                    return Optional.empty();
                }
                CampaignContent.Layout layout = r.getObject(12) == null ? null
                        : new CampaignContent.Layout(r.getString(8), r.getString(9), r.getString(10), r.getString(11));
                TrackableLinks.Rewritten rewritten = TrackableLinks.rewrite(
                        new CampaignContent(r.getString(2), r.getString(6), r.getString(7), layout),
                        config.maxTrackedLinks());
                CampaignTemplates.Checked checked = templates.check(rewritten.content());
                if (!(checked instanceof CampaignTemplates.Compiled compiled)) {
                    throw new IllegalStateException("campaign " + campaignId + " has content that no longer compiles: "
                            + ((CampaignTemplates.Refused) checked).error().describe());
                }
                String fromName = r.getString(4);
                String from = fromName == null || fromName.isBlank() ? r.getString(3)
                        : HeaderValues.quoted(fromName) + " <" + r.getString(3) + ">";
                Map<Long, String> listNames = new ConcurrentHashMap<>();
                try (PreparedStatement lists = c.prepareStatement("""
                        SELECT l.id, l.name FROM campaign_list cl JOIN mailing_list l ON l.id = cl.list_id
                        WHERE cl.campaign_id = ? ORDER BY l.id""")) {
                    lists.setLong(1, campaignId);
                    try (ResultSet lr = lists.executeQuery()) {
                        while (lr.next()) {
                            listNames.put(lr.getLong(1), lr.getString(2));
                        }
                    }
                }
                MessageTracking.Campaign tracked = sending ? tracking.sending(campaignId, rewritten.urls())
                        : tracking.untracked(campaignId, rewritten.urls());
                return Optional.of(new Prepared(compiled, r.getString(1), from, r.getString(5),
                        new java.util.concurrent.ConcurrentSkipListMap<>(listNames), tracked));
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not load campaign " + campaignId, e);
        }
    }

    private Optional<Recipient> recipient(long subscriberId) {
        return Optional.ofNullable(recipients(java.util.List.of(subscriberId)).get(subscriberId));
    }

    private Map<Long, Recipient> recipients(java.util.List<Long> ids) {
        Map<Long, Recipient> found = new java.util.HashMap<>();
        if (ids.isEmpty()) {
            return found;
        }
        String marks = String.join(",", Collections.nCopies(ids.size(), "?"));
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement(
                     "SELECT id, email, name, attributes, tracking_refused FROM subscriber WHERE id IN (" + marks
                             + ")")) {
            for (int i = 0; i < ids.size(); i++) {
                s.setLong(i + 1, ids.get(i));
            }
            try (ResultSet r = s.executeQuery()) {
                while (r.next()) {
                    String attributes = r.getString(4);
                    Map<String, Object> parsed = attributes == null || attributes.isBlank() ? Map.of()
                            : json.readValue(attributes, new TypeReference<Map<String, Object>>() {
                    });
                    found.put(r.getLong(1), new Recipient(r.getString(2), r.getString(3), parsed, r.getBoolean(5)));
                }
            }
        } catch (SQLException | com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IllegalStateException("could not read subscribers " + ids, e);
        }
        return found;
    }

    private String listName(long listId) {
        try (Connection c = dataSource.getConnection();
             PreparedStatement s = c.prepareStatement("SELECT name FROM mailing_list WHERE id = ?")) {
            s.setLong(1, listId);
            try (ResultSet r = s.executeQuery()) {
                return r.next() ? r.getString(1) : "";
            }
        } catch (SQLException e) {
            throw new IllegalStateException("could not read list " + listId, e);
        }
    }
}
