package io.carteiro.delivery;

import io.carteiro.web.ApiErrors;
import jakarta.inject.Inject;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
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

    /** A message to send; at least one of html and text. The limits are those of the queue's columns. */
    public record MessageRequest(
            @NotBlank(message = "from is required") @Size(max = 998, message = "from is longer than 998 characters")
            String from,
            @NotBlank(message = "to is required") @Size(max = 254, message = "to is longer than 254 characters")
            String to,
            @NotBlank(message = "subject is required")
            @Size(max = 998, message = "subject is longer than 998 characters") String subject,
            @Size(max = MAX_BODY, message = "html is longer than " + MAX_BODY + " characters") String html,
            @Size(max = MAX_BODY, message = "text is longer than " + MAX_BODY + " characters") String text,
            @Size(max = 50, message = "headers holds more than 50 headers") Map<String, String> headers) {
    }

    /** The largest html or text part taken, in characters (a message over 1 MB is not a newsletter). */
    static final int MAX_BODY = 1_000_000;

    @Inject
    MailQueue queue;

    @Inject
    DeliveryLog log;

    /** Queues the message in its own transaction (nothing is stored when the request is refused). */
    @POST
    public Response submit(@Valid @NotNull(message = "a JSON body with from, to, subject and html or text is needed")
                           MessageRequest request) {
        try {
            long id = queue.submit(new OutgoingMail(request.from(), request.to(), request.subject(), request.html(),
                    request.text(), request.headers(), null, null));
            return Response.accepted(Map.of("id", id)).build();
        } catch (InvalidMail e) {
            return ApiErrors.badRequest(e.field(), e.getMessage());
        } catch (IllegalArgumentException e) {
            return ApiErrors.badRequest(null, e.getMessage());
        }
    }

    @GET
    @Path("{id}")
    public Response status(@PathParam("id") long id) {
        return log.find(id).map(status -> Response.ok(status).build())
                .orElseGet(() -> Response.status(Response.Status.NOT_FOUND)
                        .entity(Map.of("error", "no message with id " + id)).build());
    }

}
