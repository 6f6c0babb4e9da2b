package io.carteiro.bounces;

import io.carteiro.web.DayChart;

import io.carteiro.subscribers.EmailAddress;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/** Admin pages of bounces: the filtered list with a per-day chart, a subscriber's history, unparsed messages, rules. */
@Path("/admin/bounces")
@Produces(MediaType.TEXT_HTML)
public class BouncePages {

    static final int CHART_DAYS = 30;
    static final Set<String> KINDS = Set.of("hard", "soft", "complaint", "blocked", "delayed");

    /** A message at the top of a page. */
    record Flash(String kind, String message) {
    }

    @CheckedTemplate(basePath = "bounces")
    static class Templates {
        static native TemplateInstance list(BounceQueries.Filter filter, String campaign, String email,
                                            List<BounceQueries.BounceView> bounces, DayChart chart,
                                            MailboxSchedule.LastPoll mailbox, Flash flash);

        static native TemplateInstance unparsed(List<BounceQueries.UnparsedView> messages, Flash flash);

        static native TemplateInstance rules(RuleSettings settings, RuleSettings defaults, Flash flash);
    }

    private final BounceQueries queries;
    private final RuleSettingsStore settings;
    private final MailboxSchedule mailbox;
    private final Clock clock;

    BouncePages(BounceQueries queries, RuleSettingsStore settings, MailboxSchedule mailbox, Clock clock) {
        this.queries = queries;
        this.settings = settings;
        this.mailbox = mailbox;
        this.clock = clock;
    }

    @GET
    public Response list(@QueryParam("kind") String kind, @QueryParam("campaign") String campaign,
                         @QueryParam("domain") String domain, @QueryParam("email") String email) {
        List<String> errors = new ArrayList<>();
        String k = blank(kind) ? null : kind.strip().toLowerCase(Locale.ROOT);
        if (k != null && !KINDS.contains(k)) {
            errors.add("kind must be one of hard, soft, complaint, blocked, delayed");
            k = null;
        }
        Long campaignId = null;
        if (!blank(campaign)) {
            try {
                campaignId = Long.parseLong(campaign.strip());
            } catch (NumberFormatException e) {
                errors.add("campaign must be a campaign id (a number)");
            }
        }
        String emailKey = null;
        if (!blank(email)) {
            EmailAddress.Parsed parsed = EmailAddress.parse(email);
            if (parsed instanceof EmailAddress.Valid valid) {
                emailKey = valid.address().key();
            } else {
                errors.add("email: " + ((EmailAddress.Invalid) parsed).reason());
            }
        }
        BounceQueries.Filter filter = new BounceQueries.Filter(k, campaignId, blank(domain) ? null : domain.strip(),
                emailKey);
        List<BounceQueries.DayCount> days = queries.perDay(filter, CHART_DAYS, clock.instant());
        DayChart chart = DayChart.of("bounce-chart", "Bounces per day (last " + CHART_DAYS + " days, UTC)",
                days.get(0).day(), days.stream().map(BounceQueries.DayCount::count).toList());
        Flash flash = errors.isEmpty() ? null : new Flash("error", String.join("; ", errors));
        TemplateInstance page = Templates.list(filter, blank(campaign) ? "" : campaign.strip(),
                blank(email) ? "" : email.strip(), queries.search(filter, 500), chart,
                mailbox.last().orElse(null), flash);
        return Response.status(errors.isEmpty() ? 200 : 400).entity(page).build();
    }

    @GET
    @Path("unparsed")
    public TemplateInstance unparsed() {
        return Templates.unparsed(queries.unparsed(200), null);
    }

    @GET
    @Path("unparsed/{id}/raw")
    @Produces(MediaType.TEXT_PLAIN)
    public Response raw(@PathParam("id") long id) {
        return queries.unparsedRaw(id).map(raw -> Response.ok(raw).type("text/plain; charset=ISO-8859-1").build())
                .orElseGet(() -> Response.status(404).entity("no unparsed message with id " + id).build());
    }

    @POST
    @Path("unparsed/{id}/delete")
    public Response deleteUnparsed(@PathParam("id") long id) {
        queries.deleteUnparsed(id);
        return Response.seeOther(URI.create("/admin/bounces/unparsed")).build();
    }

    @GET
    @Path("rules")
    public TemplateInstance rules(@QueryParam("saved") String saved) {
        return Templates.rules(settings.current(), settings.defaults(),
                saved == null ? null : new Flash("ok", "Rules saved."));
    }

    @POST
    @Path("rules")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response saveRules(@FormParam("hardBounceMarksBounced") String hard,
                              @FormParam("softBounceThreshold") String threshold,
                              @FormParam("softBounceWindowDays") String window,
                              @FormParam("complaintUnsubscribes") String complaint) {
        try {
            RuleSettings next = new RuleSettings(hard != null, number("softBounceThreshold", threshold),
                    number("softBounceWindowDays", window), complaint != null);
            settings.save(next);
            return Response.seeOther(URI.create("/admin/bounces/rules?saved")).build();
        } catch (IllegalArgumentException e) {
            return Response.status(400).entity(Templates.rules(settings.current(), settings.defaults(),
                    new Flash("error", e.getMessage()))).build();
        }
    }

    private static int number(String field, String value) {
        try {
            return Integer.parseInt(value == null ? "" : value.strip());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(field + " must be a whole number, was '" + value + "'");
        }
    }

    private static boolean blank(String s) {
        return s == null || s.isBlank();
    }
}
