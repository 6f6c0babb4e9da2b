package io.carteiro.campaigns;

import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
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

import java.math.BigDecimal;
import java.net.URI;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.LocalDateTime;
import java.time.LocalTime;
import java.time.ZoneId;
import java.util.List;
import java.util.Optional;

/**
 * The campaign pages: list, compose (template errors shown with line and column), preview, schedule in the admin's
 * time zone, control, live progress (htmx polling of a fragment) and the per-recipient delivery log.
 */
@Path("/admin/campaigns")
@Produces(MediaType.TEXT_HTML)
public class CampaignPages {

    /** The compose form's values, as typed (re-shown after a refusal). */
    public record Form(String name, String subject, String fromEmail, String fromName, String replyTo,
                       List<Long> listIds, String html, String text, Long layoutId, String perHour,
                       String windowDays, String windowStart, String windowEnd, String timeZone, String warmupStart,
                       String warmupFactor) {

        static Form empty() {
            return new Form("", "", "", "", "", List.of(), "<p>Hello {subscriber.name ?: 'friend'},</p>\n\n<p></p>\n\n"
                    + "<p><a href=\"{unsubscribeUrl}\">Unsubscribe</a> · "
                    + "<a href=\"{preferencesUrl}\">Preferences</a></p>",
                    "", null, "", "", "", "", "UTC", "", "");
        }

        public boolean hasList(long id) {
            return listIds != null && listIds.contains(id);
        }
    }

    /** A campaign row of the list page. */
    public record Row(long id, String name, String status, long sent, long total, String sendAt) {
    }

    @CheckedTemplate(basePath = "campaigns")
    static class Templates {
        static native TemplateInstance list(List<Row> campaigns, boolean archived);

        static native TemplateInstance compose(Long id, Form form, List<CampaignService.ListOption> lists,
                                               List<CampaignService.ListOption> layouts, TemplateError error,
                                               String problem, List<String> names);

        static native TemplateInstance campaign(CampaignSummary campaign, ProgressView progress, String zone,
                                                String sendAt, String startedAt, String finishedAt, String problem,
                                                Integer testSent, int maxTestRecipients,
                                                io.carteiro.subscribers.Recipients.Audience audience);

        static native TemplateInstance confirmCancel(CampaignSummary campaign);

        static native TemplateInstance progress(ProgressView progress, boolean oob);

        static native TemplateInstance preview(CampaignSummary campaign, String subscriber, Long subscriberId,
                                               String to, CampaignMessage message, String problem);

        static native TemplateInstance log(CampaignSummary campaign, List<CampaignRepository.LogLine> lines,
                                           String address, String state, List<String> states, Integer previous,
                                           Integer next);

        static native TemplateInstance layouts(List<CampaignService.ListOption> layouts, TemplateError error,
                                               String name, String headerHtml, String footerHtml);
    }

    /**
     * The compose form's labels for the API's field names in the service's refusals; plain words (name, subject)
     * are left to read as they are.
     */
    static final io.carteiro.web.FormWords WORDS = io.carteiro.web.FormWords.of("fromEmail", "From address",
            "fromName", "From name", "replyTo", "Reply-To", "listIds", "Target lists", "layoutId", "Layout",
            "perHour", "Messages per hour", "windowDays", "Sending days", "windowStart", "From",
            "windowEnd", "To", "timeZone", "Time zone", "warmupStart", "Warm-up: first day",
            "warmupFactor", "× factor per day", "attributeFilter", "Attribute filter");

    static final List<String> STATES = List.of("queued", "sending", "sent", "deferred", "bounced", "failed",
            "cancelled");

    @Inject
    CampaignService service;
    @Inject
    CampaignRenderer renderer;
    @Inject
    SecurityIdentity identity;
    @Inject
    TestSender testSender;
    @Inject
    CampaignsConfig config;
    @Inject
    Clock clock;

    @GET
    public TemplateInstance list(@QueryParam("archived") String archived) {
        ZoneId zone = zone();
        boolean showArchived = "true".equals(archived);
        return Templates.list(service.all(showArchived).stream().map(c -> new Row(c.id(), c.name(), c.status(),
                c.sent(), c.total(), ProgressView.format(c.sendAt(), zone))).toList(), showArchived);
    }

    @GET
    @Path("new")
    public TemplateInstance compose() {
        return Templates.compose(null, Form.empty(), service.lists(), service.layouts(), null, null, TemplateNames.AVAILABLE);
    }

    @POST
    @Path("new")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response create(@FormParam("name") String name, @FormParam("subject") String subject,
                           @FormParam("fromEmail") String fromEmail, @FormParam("fromName") String fromName,
                           @FormParam("replyTo") String replyTo, @FormParam("listIds") List<Long> listIds,
                           @FormParam("html") String html, @FormParam("text") String text,
                           @FormParam("layoutId") String layoutId, @FormParam("perHour") String perHour,
                           @FormParam("windowDays") String windowDays, @FormParam("windowStart") String windowStart,
                           @FormParam("windowEnd") String windowEnd, @FormParam("timeZone") String timeZone,
                           @FormParam("warmupStart") String warmupStart,
                           @FormParam("warmupFactor") String warmupFactor) {
        Form form = new Form(name, subject, fromEmail, fromName, replyTo, listIds, html, text, longOrNull(layoutId),
                perHour, windowDays, windowStart, windowEnd, timeZone, warmupStart, warmupFactor);
        return save(null, form);
    }

    @GET
    @Path("{id}/edit")
    public Response edit(@PathParam("id") long id) {
        Optional<Form> form = service.form(id);
        if (form.isEmpty()) {
            return Response.status(404).entity("campaign " + id + " does not exist").type(MediaType.TEXT_PLAIN).build();
        }
        return Response.ok(Templates.compose(id, form.get(), service.lists(), service.layouts(), null, null, TemplateNames.AVAILABLE)).build();
    }

    @POST
    @Path("{id}/edit")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response update(@PathParam("id") long id, @FormParam("name") String name,
                           @FormParam("subject") String subject, @FormParam("fromEmail") String fromEmail,
                           @FormParam("fromName") String fromName, @FormParam("replyTo") String replyTo,
                           @FormParam("listIds") List<Long> listIds, @FormParam("html") String html,
                           @FormParam("text") String text, @FormParam("layoutId") String layoutId,
                           @FormParam("perHour") String perHour, @FormParam("windowDays") String windowDays,
                           @FormParam("windowStart") String windowStart, @FormParam("windowEnd") String windowEnd,
                           @FormParam("timeZone") String timeZone, @FormParam("warmupStart") String warmupStart,
                           @FormParam("warmupFactor") String warmupFactor) {
        Form form = new Form(name, subject, fromEmail, fromName, replyTo, listIds, html, text, longOrNull(layoutId),
                perHour, windowDays, windowStart, windowEnd, timeZone, warmupStart, warmupFactor);
        return save(id, form);
    }

    @GET
    @Path("{id}")
    public Response show(@PathParam("id") long id, @QueryParam("problem") String problem,
                         @QueryParam("testSent") Integer testSent) {
        ZoneId zone = zone();
        return service.find(id).map(c -> Response.ok(Templates.campaign(c,
                        ProgressView.of(id, CampaignStatus.valueOf(c.status()), service.progress(id), zone),
                        zone.getId(),
                        ProgressView.format(c.sendAt(), zone), ProgressView.format(c.startedAt(), zone),
                        ProgressView.format(c.finishedAt(), zone), problem, testSent,
                        config.maxTestRecipients(), service.audience(id).orElse(null))).build())
                .orElseGet(() -> notFound(id));
    }

    /**
     * The test-send form: addresses separated by commas, semicolons or spaces, optionally rendered with the data of
     * the subscriber whose address is given. Refusals come back in the form's words, not the API's field names.
     */
    @POST
    @Path("{id}/test")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response test(@PathParam("id") long id, @FormParam("to") String to,
                         @FormParam("subscriber") String subscriber) {
        List<String> addresses = to == null ? List.of()
                : java.util.Arrays.stream(to.split("[,;\\s]+")).filter(a -> !a.isBlank()).toList();
        TestSender.Result result = testSender.send(id, addresses, subscriber);
        if (result.refusal() == null) {
            return Response.seeOther(URI.create("/admin/campaigns/" + id + "?testSent="
                    + result.messageIds().size())).build();
        }
        switch (result.refusal()) {
            case NO_SUCH_CAMPAIGN:
                return notFound(id);
            case NO_SUCH_SUBSCRIBER:
                return back(id, "“With the data of” names no subscriber: nobody has the address “"
                        + result.value() + "”. Leave it empty to use the sample subscriber.");
            case TOO_MANY:
                return back(id, "“Send a test to” lists more than " + result.value()
                        + " addresses; a test goes to at most " + result.value() + ".");
            case NOT_AN_ADDRESS:
                return back(id, "“Send a test to”: “" + result.value() + "” is not an e-mail address ("
                        + result.reason() + ").");
            default:
                return back(id, "“Send a test to” is empty: enter at least one e-mail address.");
        }
    }

    @GET
    @Path("{id}/progress")
    public Response progress(@PathParam("id") long id) {
        ZoneId zone = zone();
        // oob: the fragment also replaces the header's status badge, so header and progress never disagree.
        return service.find(id).map(c -> Response.ok(Templates.progress(
                        ProgressView.of(id, CampaignStatus.valueOf(c.status()), service.progress(id), zone), true))
                        .build())
                .orElseGet(() -> notFound(id));
    }

    /**
     * The preview, for the sample subscriber or the one {@code subscriber} names: an e-mail address (as typed) or a
     * subscriber's number. One nobody has is said on the page, which still shows the form.
     */
    @GET
    @Path("{id}/preview")
    public Response preview(@PathParam("id") long id, @QueryParam("subscriber") String subscriber,
                            @QueryParam("subscriberId") String subscriberIdParam) {
        Optional<CampaignSummary> campaign = service.find(id);
        if (campaign.isEmpty()) {
            return notFound(id);
        }
        String typed = subscriber != null && !subscriber.isBlank() ? subscriber.strip()
                : subscriberIdParam == null || subscriberIdParam.isBlank() ? null : subscriberIdParam.strip();
        if (typed != null && typed.length() > 320) {
            return Response.status(400).entity(Templates.preview(campaign.get(), typed.substring(0, 320), null, null,
                    null, "“Subscriber” is longer than an e-mail address can be (320 characters).")).build();
        }
        Optional<Long> subscriberId = typed == null ? Optional.empty() : service.subscriberNamed(typed);
        if (typed != null && subscriberId.isEmpty()) {
            return Response.status(404).entity(Templates.preview(campaign.get(), typed, null, null, null,
                    "No subscriber has the address or number “" + typed + "”. Leave it empty to preview with the"
                            + " sample subscriber.")).build();
        }
        Optional<CampaignMessage> message = subscriberId.isEmpty()
                ? renderer.sample(id, "sample@example.org")
                : renderer.preview(id, subscriberId.get(), service.listOf(id, subscriberId.get()));
        String problem = message.isEmpty() ? "That subscriber no longer exists." : null;
        return Response.ok(Templates.preview(campaign.get(), typed, subscriberId.orElse(null),
                message.map(CampaignMessage::to).orElse(null), message.orElse(null), problem)).build();
    }

    /**
     * The HTML part alone, for the preview page's sandboxed frame. It has its own Content-Security-Policy: mail
     * HTML is styled inline, which the pages' policy forbids, and it may run no script at all.
     */
    @GET
    @Path("{id}/preview.html")
    @Produces(MediaType.TEXT_HTML)
    public Response previewHtml(@PathParam("id") long id, @QueryParam("subscriberId") String subscriberIdParam) {
        if (service.find(id).isEmpty()) {
            return notFound(id);
        }
        Long subscriberId = null;
        try {
            subscriberId = subscriberIdParam == null || subscriberIdParam.isBlank() ? null
                    : Long.valueOf(subscriberIdParam.strip());
        } catch (NumberFormatException e) {
            return Response.status(400).type(MediaType.TEXT_PLAIN).entity("subscriberId is a number\n").build();
        }
        Optional<CampaignMessage> message = subscriberId == null
                ? renderer.sample(id, "sample@example.org")
                : renderer.preview(id, subscriberId, service.listOf(id, subscriberId));
        Long shown = subscriberId;
        return message.map(m -> Response.ok(m.content().html() == null ? "" : m.content().html())
                        .header("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline';"
                                + " img-src https: data:; frame-ancestors 'self'; sandbox")
                        .header("X-Frame-Options", "SAMEORIGIN").build())
                .orElseGet(() -> Response.status(404).type(MediaType.TEXT_PLAIN)
                        .entity("subscriber " + shown + " does not exist\n").build());
    }

    @POST
    @Path("{id}/duplicate")
    public Response duplicate(@PathParam("id") long id) {
        CampaignOutcome outcome = service.duplicate(id, identity.getPrincipal().getName());
        return outcome.done() ? Response.seeOther(URI.create("/admin/campaigns/" + outcome.id() + "/edit")).build()
                : after(id, outcome);
    }

    @POST
    @Path("{id}/delete")
    public Response delete(@PathParam("id") long id) {
        CampaignOutcome outcome = service.deleteDraft(id);
        if (outcome.done()) {
            return Response.seeOther(URI.create("/admin/campaigns")).build();
        }
        return outcome.kind() == CampaignOutcome.Kind.CONFLICT
                ? back(id, "Only a draft can be deleted; archive a finished or cancelled campaign instead.")
                : after(id, outcome);
    }

    @POST
    @Path("{id}/archive")
    public Response archive(@PathParam("id") long id, @FormParam("archived") String archived) {
        CampaignOutcome outcome = service.archive(id, !"false".equals(archived));
        return outcome.kind() == CampaignOutcome.Kind.CONFLICT
                ? back(id, "Only a finished or cancelled campaign can be archived.")
                : after(id, outcome);
    }

    @POST
    @Path("{id}/schedule")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response schedule(@PathParam("id") long id, @FormParam("when") String when,
                             @FormParam("sendAt") String sendAt) {
        java.time.Instant at = null;
        if (!"now".equals(when)) {
            try {
                at = LocalDateTime.parse(sendAt).atZone(zone()).toInstant();
            } catch (RuntimeException e) {
                return back(id, "Choose a date and time in “or at”, or press Send now.");
            }
        }
        CampaignOutcome outcome = service.schedule(id, at);
        if (at != null && "sendAt".equals(outcome.field())) {
            // The service's words name the API field; the page names what the admin typed, in their zone.
            String typed = ProgressView.format(at, zone());
            return back(id, at.isBefore(clock.instant())
                    ? "The time " + typed + " has already passed: choose a later time, or press Send now."
                    : "The time " + typed + " is too far ahead: the latest is 31 December 2037.");
        }
        return after(id, outcome);
    }

    @POST
    @Path("{id}/pause")
    public Response pause(@PathParam("id") long id) {
        return after(id, service.pause(id, "paused by " + identity.getPrincipal().getName()));
    }

    @POST
    @Path("{id}/resume")
    public Response resume(@PathParam("id") long id) {
        return after(id, service.resume(id));
    }

    /** Cancelling cannot be undone, so the Cancel button leads here first. */
    @GET
    @Path("{id}/cancel")
    public Response confirmCancel(@PathParam("id") long id) {
        return service.find(id).map(c -> Response.ok(Templates.confirmCancel(c)).build())
                .orElseGet(() -> notFound(id));
    }

    @POST
    @Path("{id}/cancel")
    public Response cancel(@PathParam("id") long id) {
        return after(id, service.cancel(id));
    }

    @POST
    @Path("{id}/resend-failed")
    public Response resendFailed(@PathParam("id") long id) {
        return after(id, service.resendFailed(id));
    }

    @GET
    @Path("{id}/log")
    public Response log(@PathParam("id") long id, @QueryParam("address") String address,
                        @QueryParam("state") String state, @QueryParam("page") int page) {
        int p = Math.max(0, page);
        return service.find(id).map(c -> {
            List<CampaignRepository.LogLine> lines = service.deliveryLog(id, address, state, p);
            return Response.ok(Templates.log(c, lines, address == null ? "" : address, state == null ? "" : state,
                    STATES, p > 0 ? p - 1 : null, lines.size() == 50 ? p + 1 : null)).build();
        }).orElseGet(() -> notFound(id));
    }

    @GET
    @Path("layouts")
    public TemplateInstance layouts() {
        return Templates.layouts(service.layouts(), null, "", "<header></header>\n",
                "<footer><a href=\"{unsubscribeUrl}\">Unsubscribe</a></footer>\n");
    }

    @POST
    @Path("layouts")
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response createLayout(@FormParam("name") String name, @FormParam("headerHtml") String headerHtml,
                                 @FormParam("footerHtml") String footerHtml) {
        TemplateError error = service.createLayout(name, headerHtml, footerHtml);
        if (error != null) {
            return Response.status(400).entity(Templates.layouts(service.layouts(), error, name, headerHtml,
                    footerHtml)).build();
        }
        return Response.seeOther(URI.create("/admin/campaigns/layouts")).build();
    }

    private Response save(Long id, Form form) {
        CampaignDraft draft;
        try {
            draft = new CampaignDraft(form.name(), form.subject(), form.fromEmail(), form.fromName(), form.replyTo(),
                    form.listIds(), form.html(), form.text(), form.layoutId(), null, intOrNull(form.perHour()),
                    form.windowDays(), timeOrNull(form.windowStart()), timeOrNull(form.windowEnd()), form.timeZone(),
                    intOrNull(form.warmupStart()), decimalOrNull(form.warmupFactor()));
        } catch (RuntimeException e) {
            return Response.status(400).entity(Templates.compose(id, form, service.lists(), service.layouts(), null,
                    "throttle: numbers and times such as 600 and 08:00 are expected", TemplateNames.AVAILABLE)).build();
        }
        CampaignOutcome outcome = id == null ? service.create(draft, identity.getPrincipal().getName())
                : service.update(id, draft);
        if (outcome.done()) {
            return Response.seeOther(URI.create("/admin/campaigns/" + outcome.id())).build();
        }
        return Response.status(outcome.kind() == CampaignOutcome.Kind.NOT_FOUND ? 404
                        : outcome.template() != null && outcome.template().unknownName() ? 422 : 400)
                .entity(Templates.compose(id, form, service.lists(), service.layouts(), outcome.template(),
                        outcome.template() == null ? WORDS.speak(outcome.error()) : null, TemplateNames.AVAILABLE)).build();
    }

    private Response after(long id, CampaignOutcome outcome) {
        if (outcome.kind() == CampaignOutcome.Kind.NOT_FOUND) {
            return notFound(id);
        }
        return outcome.done() ? Response.seeOther(URI.create("/admin/campaigns/" + id)).build()
                : back(id, outcome.error());
    }

    private static Response back(long id, String problem) {
        return Response.seeOther(URI.create("/admin/campaigns/" + id + "?problem="
                + java.net.URLEncoder.encode(problem, java.nio.charset.StandardCharsets.UTF_8))).build();
    }

    private static Response notFound(long id) {
        return Response.status(404).type(MediaType.TEXT_PLAIN).entity("campaign " + id + " does not exist").build();
    }

    private ZoneId zone() {
        try {
            return ZoneId.of(service.adminTimeZone(identity.getPrincipal().getName()));
        } catch (DateTimeException e) {
            return ZoneId.of("UTC");
        }
    }

    private static Long longOrNull(String s) {
        return s == null || s.isBlank() ? null : Long.valueOf(s.strip());
    }

    private static Integer intOrNull(String s) {
        return s == null || s.isBlank() ? null : Integer.valueOf(s.strip());
    }

    private static LocalTime timeOrNull(String s) {
        return s == null || s.isBlank() ? null : LocalTime.parse(s.strip());
    }

    private static BigDecimal decimalOrNull(String s) {
        return s == null || s.isBlank() ? null : new BigDecimal(s.strip());
    }
}
