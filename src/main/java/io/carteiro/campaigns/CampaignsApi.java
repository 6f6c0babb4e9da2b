package io.carteiro.campaigns;

import io.carteiro.web.SendsMail;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
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

    @Inject
    CampaignService service;

    @Inject
    CampaignRenderer renderer;

    @Inject
    TestSender testSender;

    @Inject
    SecurityIdentity identity;

    /** The body of create and update; throttle fields are optional. */
    public record CampaignRequest(String name, String subject, String fromEmail, String fromName, String replyTo,
                                  List<Long> listIds, String html, String text, Long layoutId,
                                  Map<String, String> attributeFilter, Integer perHour, String windowDays,
                                  String windowStart, String windowEnd, String timeZone, Integer warmupStart,
                                  BigDecimal warmupFactor) {
    }

    /** The body of schedule: an ISO-8601 instant, or null (or no body) for now. */
    public record ScheduleRequest(String sendAt) {
    }

    /** The body of a test send. */
    public record TestRequest(List<String> to) {
    }

    @GET
    public List<CampaignSummary> list() {
        return service.all();
    }

    @Consumes(MediaType.APPLICATION_JSON)
    @POST
    public Response create(CampaignRequest request) {
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
    public Response update(@PathParam("id") long id, CampaignRequest request) {
        Object draft = draft(request);
        if (draft instanceof Response refused) {
            return refused;
        }
        return reply(service.update(id, (CampaignDraft) draft));
    }

    @GET
    @Path("/{id}")
    public Response get(@PathParam("id") long id) {
        return service.find(id).map(s -> Response.ok(s).build())
                .orElseGet(() -> refusal(CampaignOutcome.notFound(id)));
    }

    @Consumes(MediaType.APPLICATION_JSON)
    @POST
    @SendsMail
    @Path("/{id}/schedule")
    public Response schedule(@PathParam("id") long id, ScheduleRequest request) {
        Instant sendAt = null;
        if (request != null && request.sendAt() != null && !request.sendAt().isBlank()) {
            try {
                sendAt = Instant.parse(request.sendAt().strip());
            } catch (DateTimeParseException e) {
                return error(400, "sendAt '" + request.sendAt() + "' is not an ISO-8601 instant such as "
                        + "2026-12-01T09:00:00Z");
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
    public Response test(@PathParam("id") long id, TestRequest request) {
        TestSender.Result result = testSender.send(id, request == null ? null : request.to());
        if (result.error() != null) {
            return error(result.notFound() ? 404 : 400, result.error());
        }
        return Response.accepted(Map.of("queued", result.messageIds())).build();
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
        LocalTime start;
        LocalTime end;
        try {
            start = r.windowStart() == null || r.windowStart().isBlank() ? null : LocalTime.parse(r.windowStart());
            end = r.windowEnd() == null || r.windowEnd().isBlank() ? null : LocalTime.parse(r.windowEnd());
        } catch (DateTimeParseException e) {
            return error(400, "windowStart and windowEnd must be times such as 08:00");
        }
        return new CampaignDraft(r.name(), r.subject(), r.fromEmail(), r.fromName(), r.replyTo(), r.listIds(),
                r.html(), r.text(), r.layoutId(), r.attributeFilter(), r.perHour(), r.windowDays(), start, end,
                r.timeZone(), r.warmupStart(), r.warmupFactor());
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
            default -> 400;
        };
        Map<String, Object> body = new LinkedHashMap<>();
        body.put("error", outcome.error());
        if (outcome.template() != null) {
            body.put("part", outcome.template().part());
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
