package io.carteiro.delivery;

import io.carteiro.web.SendsMail;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.Map;

/** The transactional send API: queue one message, and look at what became of it. */
@Path("/api/messages")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class MessagesApi {

    /** A message to send; at least one of html and text. */
    public record MessageRequest(String from, String to, String subject, String html, String text,
                                 Map<String, String> headers) {
    }

    @Inject
    MailQueue queue;

    @Inject
    DeliveryLog log;

    /** Queues the message in its own transaction (nothing is stored when the request is refused). */
    @POST
    @SendsMail
    public Response submit(MessageRequest request) {
        if (request == null) {
            return badRequest("a JSON body with from, to, subject and html or text is needed");
        }
        try {
            long id = queue.submit(new OutgoingMail(request.from(), request.to(), request.subject(), request.html(),
                    request.text(), request.headers(), null, null));
            return Response.accepted(Map.of("id", id)).build();
        } catch (IllegalArgumentException e) {
            return badRequest(e.getMessage());
        }
    }

    @GET
    @Path("{id}")
    public Response status(@PathParam("id") long id) {
        return log.find(id).map(status -> Response.ok(status).build())
                .orElseGet(() -> Response.status(Response.Status.NOT_FOUND)
                        .entity(Map.of("error", "no message with id " + id)).build());
    }

    private static Response badRequest(String error) {
        return Response.status(Response.Status.BAD_REQUEST).entity(Map.of("error", error)).build();
    }
}
