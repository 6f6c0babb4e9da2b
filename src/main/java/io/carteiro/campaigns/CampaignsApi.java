package io.carteiro.campaigns;

import io.carteiro.web.ApiErrors;
import io.carteiro.web.SendsMail;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.math.BigDecimal;
import java.time.Instant;
import java.time.LocalTime;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** The campaigns JSON API: compose, preview, test-send, schedule, control and progress. */
@Path("/api/campaigns")
@Produces(MediaType.APPLICATION_JSON)
public class CampaignsApi {

    private static final com.fasterxml.jackson.core.type.TypeReference<Map<String, Object>> MAP =
            new com.fasterxml.jackson.core.type.TypeReference<>() {
            };

    @Inject
    CampaignService service;

    @Inject
    com.fasterxml.jackson.databind.ObjectMapper json;

    @Inject
    CampaignRenderer renderer;

    @Inject
    TestSender testSender;

    @Inject
    SecurityIdentity identity;

    /** The largest html or text part a campaign takes, in characters (a message over 1 MB is not a newsletter). */
    static final int MAX_BODY = 1_000_000;

    /**
     * The body of create and update; throttle fields are optional. The sizes are the columns' (the service checks
     * the rest: addresses, lists, templates, throttle values).
     */
    public record CampaignRequest(
            @Size(max = 200, message = "name is longer than 200 characters") String name,
            @Size(max = 998, message = "subject is longer than 998 characters") String subject,
            @Size(max = 320, message = "fromEmail is longer than 320 characters") String fromEmail,
            @Size(max = 200, message = "fromName is longer than 200 characters") String fromName,
            @Size(max = 320, message = "replyTo is longer than 320 characters") String replyTo,
            @Size(max = 100, message = "listIds names more than 100 lists") List<Long> listIds,
            @Size(max = MAX_BODY, message = "html is longer than " + MAX_BODY + " characters") String html,
            @Size(max = MAX_BODY, message = "text is longer than " + MAX_BODY + " characters") String text,
            Long layoutId,
            @Size(max = 20, message = "attributeFilter holds more than 20 conditions")
            Map<String, String> attributeFilter,
            Integer perHour,
            @Size(max = 30, message = "windowDays is longer than 30 characters") String windowDays,
            @Size(max = 8, message = "windowStart is a time such as 08:00") String windowStart,
            @Size(max = 8, message = "windowEnd is a time such as 18:00") String windowEnd,
            @Size(max = 64, message = "timeZone is longer than 64 characters") String timeZone,
            Integer warmupStart,
            BigDecimal warmupFactor) {
    }

    /** The body of schedule: an ISO-8601 instant, or null (or no body) for now. */
    public record ScheduleRequest(
            @Size(max = 40, message = "sendAt is an ISO-8601 instant such as 2026-12-01T09:00:00Z") String sendAt) {
    }

    /** The body of a test send. */
    public record TestRequest(@Size(max = 100, message = "to lists more than 100 addresses") List<String> to,
                              @Size(max = 320, message = "subscriber is longer than 320 characters")
                              String subscriber) {
    }

    @GET
    public List<CampaignSummary> list(@QueryParam("archived") Boolean archived) {
        return archived == null ? service.all() : service.all(archived);
    }

    @Consumes(MediaType.APPLICATION_JSON)
    @POST
    public Response create(@Valid CampaignRequest request) {
        Object draft = draft(request);
        if (draft instanceof Response refused) {
            return refused;
        }
        CampaignOutcome outcome = service.create((CampaignDraft) draft, identity.getPrincipal().getName());
        if (outcome.done()) {
            return Response.status(201).header("Location", "/api/campaigns/" + outcome.id())
                    .entity(Map.of("id", outcome.id())).build();
        }
        return refusal(outcome);
    }

    @Consumes(MediaType.APPLICATION_JSON)
    @PUT
    @Path("/{id}")
    public Response update(@PathParam("id") long id, @Valid CampaignRequest request) {
        Object draft = draft(request);
        if (draft instanceof Response refused) {
            return refused;
        }
        return reply(service.update(id, (CampaignDraft) draft));
    }

    /**
     * One campaign with its {@code audience}: how many members its lists have now, how many it reaches
     * ({@code mailable}) and how many it leaves out and why (unconfirmed, unsubscribed, bounced, blocklisted,
     * complained, suppressed).
     */
    @GET
    @Path("/{id}")
    public Response get(@PathParam("id") long id) {
        Optional<CampaignSummary> found = service.find(id);
        if (found.isEmpty()) {
            return refusal(CampaignOutcome.notFound(id));
        }
        Map<String, Object> body = new LinkedHashMap<>(json.convertValue(found.get(), MAP));
        service.audience(id).ifPresent(a -> body.put("audience", a));
        return Response.ok(body).build();
    }

    @POST
    @Path("/{id}/duplicate")
    public Response duplicate(@PathParam("id") long id) {
        CampaignOutcome outcome = service.duplicate(id, identity.getPrincipal().getName());
        if (!outcome.done()) {
            return refusal(outcome);
        }
        return Response.created(java.net.URI.create("/api/campaigns/" + outcome.id()))
                .entity(service.find(outcome.id()).orElseThrow()).build();
    }

    @DELETE
    @Path("/{id}")
    public Response delete(@PathParam("id") long id) {
        CampaignOutcome outcome = service.deleteDraft(id);
        return outcome.done() ? Response.noContent().build() : refusal(outcome);
    }

    @POST
    @Path("/{id}/archive")
    public Response archive(@PathParam("id") long id) {
        return reply(service.archive(id, true));
    }

    @DELETE
    @Path("/{id}/archive")
    public Response unarchive(@PathParam("id") long id) {
        return reply(service.archive(id, false));
    }

    @Consumes(MediaType.APPLICATION_JSON)
    @POST
    @SendsMail
    @Path("/{id}/schedule")
    public Response schedule(@PathParam("id") long id, @Valid ScheduleRequest request) {
        Instant sendAt = null;
        if (request != null && request.sendAt() != null && !request.sendAt().isBlank()) {
            try {
                sendAt = Instant.parse(request.sendAt().strip());
            } catch (DateTimeParseException e) {
                return ApiErrors.badRequest("sendAt", "sendAt '" + request.sendAt() + "' is not an ISO-8601 instant"
                        + " such as 2026-12-01T09:00:00Z");
            }
        }
        return reply(service.schedule(id, sendAt));
    }

    @POST
    @Path("/{id}/pause")
    public Response pause(@PathParam("id") long id) {
        return reply(service.pause(id, "paused by " + identity.getPrincipal().getName()));
    }

    @POST
    @SendsMail
    @Path("/{id}/resume")
    public Response resume(@PathParam("id") long id) {
        return reply(service.resume(id));
    }

    @POST
    @Path("/{id}/cancel")
    public Response cancel(@PathParam("id") long id) {
        return reply(service.cancel(id));
    }

    @POST
    @SendsMail
    @Path("/{id}/resend-failed")
    public Response resendFailed(@PathParam("id") long id) {
        return reply(service.resendFailed(id));
    }

    @GET
    @Path("/{id}/preview")
    public Response preview(@PathParam("id") long id, @QueryParam("subscriberId") Long subscriberId) {
        if (subscriberId == null) {
            return error(400, "subscriberId is required");
        }
        Optional<CampaignSummary> campaign = service.find(id);
        if (campaign.isEmpty()) {
            return refusal(CampaignOutcome.notFound(id));
        }
        long listId = service.listOf(id, subscriberId);
        return renderer.preview(id, subscriberId, listId)
                .<Response>map(m -> Response.ok(preview(m)).build())
                .orElseGet(() -> error(404, "subscriber " + subscriberId + " does not exist"));
    }

    @GET
    @Path("/{id}/log")
    public Response log(@PathParam("id") long id, @QueryParam("address") String address,
                        @QueryParam("state") String state, @QueryParam("page") int page) {
        if (service.find(id).isEmpty()) {
            return refusal(CampaignOutcome.notFound(id));
        }
        return Response.ok(service.deliveryLog(id, address, state, page)).build();
    }

    @Consumes(MediaType.APPLICATION_JSON)
    @POST
    @SendsMail
    @Path("/{id}/test")
    public Response test(@PathParam("id") long id, @Valid TestRequest request) {
        TestSender.Result result = testSender.send(id, request == null ? null : request.to(),
                request == null ? null : request.subscriber());
        if (result.refusal() != null) {
            return testRefusal(result);
        }
        return Response.accepted(Map.of("queued", result.messageIds())).build();
    }

    private static Response testRefusal(TestSender.Result r) {
        switch (r.refusal()) {
            case NO_SUCH_CAMPAIGN:
                return error(404, "campaign " + r.value() + " does not exist");
            case NO_SUCH_SUBSCRIBER:
                return ApiErrors.badRequest("subscriber", "no subscriber has the address '" + r.value() + "'");
            case TOO_MANY:
                return ApiErrors.badRequest("to", "a test goes to at most " + r.value() + " addresses");
            case NOT_AN_ADDRESS:
                return ApiErrors.badRequest("to", "to '" + r.value() + "' is not an address: " + r.reason());
            default:
                return ApiErrors.badRequest("to", "to must list at least one address");
        }
    }

    static Map<String, Object> preview(CampaignMessage m) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("from", m.content().from());
        out.put("to", m.to());
        out.put("subject", m.content().subject());
        out.put("headers", m.content().headers());
        out.put("html", m.content().html());
        out.put("text", m.content().text());
        return out;
    }

    private static Object draft(CampaignRequest r) {
        if (r == null) {
            return error(400, "the request has no JSON body");
        }
        Object start = time("windowStart", r.windowStart());
        if (start instanceof Response refused) {
            return refused;
        }
        Object end = time("windowEnd", r.windowEnd());
        if (end instanceof Response refused) {
            return refused;
        }
        return new CampaignDraft(r.name(), r.subject(), r.fromEmail(), r.fromName(), r.replyTo(), r.listIds(),
                r.html(), r.text(), r.layoutId(), r.attributeFilter(), r.perHour(), r.windowDays(), (LocalTime) start,
                (LocalTime) end,
                r.timeZone(), r.warmupStart(), r.warmupFactor());
    }

    /** A time of day such as 08:00, null when blank, or the 400 naming the field. */
    private static Object time(String field, String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return LocalTime.parse(text.strip());
        } catch (DateTimeParseException e) {
            return ApiErrors.badRequest(field, field + " '" + text + "' is not a time such as 08:00");
        }
    }

    private Response reply(CampaignOutcome outcome) {
        if (outcome.done()) {
            return service.find(outcome.id()).map(s -> Response.ok(s).build())
                    .orElseGet(() -> refusal(CampaignOutcome.notFound(outcome.id())));
        }
        return refusal(outcome);
    }

    static Response refusal(CampaignOutcome outcome) {
        int status = switch (outcome.kind()) {
            case NOT_FOUND -> 404;
            case CONFLICT -> 409;
            default -> outcome.template() != null && outcome.template().unknownName() ? 422 : 400;
        };
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", outcome.error());
        if (outcome.field() != null) {
            body.put("field", outcome.field());
        }
        if (outcome.template() != null) {
            body.put("part", outcome.template().part());
            if (outcome.template().expression() != null) {
                body.put("expression", outcome.template().expression());
            }
            if (outcome.template().line() != null) {
                body.put("line", outcome.template().line());
                body.put("column", outcome.template().column());
            }
        }
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(body).build();
    }

    static Response error(int status, String message) {
        return Response.status(status).type(MediaType.APPLICATION_JSON).entity(Map.of("error", message)).build();
    }
}
