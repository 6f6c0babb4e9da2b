package io.carteiro.subscribers;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.carteiro.lists.ListService;
import io.carteiro.lists.MailingList;
import io.carteiro.subscribers.SubscriberService.AddOutcome;
import io.carteiro.subscribers.SubscriberService.Added;
import io.carteiro.subscribers.SubscriberService.AlreadyOnList;
import io.carteiro.subscribers.SubscriberService.Duplicate;
import io.carteiro.subscribers.SubscriberService.EditOutcome;
import io.carteiro.subscribers.SubscriberService.Edited;
import io.carteiro.subscribers.SubscriberService.Invalid;
import io.carteiro.subscribers.SubscriberService.NewSubscriber;
import io.carteiro.subscribers.SubscriberService.NoSuchList;
import io.carteiro.subscribers.SubscriberService.Suppressed;
import io.carteiro.subscribers.Views.ConsentEventView;
import io.carteiro.subscribers.Views.SubscriberPage;
import io.carteiro.subscribers.Views.SubscriberView;
import io.carteiro.web.Flash;
import io.carteiro.web.FormErrors;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import io.vertx.core.http.HttpServerRequest;
import jakarta.inject.Inject;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestForm;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Admin pages for subscribers: search with keyset "next page" links, the add form, and a subscriber's page with
 * subscriptions, global status, consent history, export and erasure.
 */
@Path("/admin/subscribers")
@Produces(MediaType.TEXT_HTML)
public class SubscriberPages {

    /** The search form as submitted, echoed back into the form and the next-page link. */
    public record Filters(String q, String name, String status, Long listId, String attr) {
        String query(long after) {
            List<String> parts = fields();
            parts.add("after=" + after);
            return String.join("&", parts);
        }

        /** The export of exactly what these filters find, every page of it. */
        public String exportHref() {
            return "/admin/subscribers/export?" + String.join("&", fields());
        }

        private List<String> fields() {
            List<String> parts = new ArrayList<>();
            add(parts, "q", q);
            add(parts, "name", name);
            add(parts, "status", status);
            add(parts, "listId", listId == null ? null : listId.toString());
            add(parts, "attr", attr);
            return parts;
        }

        private static void add(List<String> parts, String key, String value) {
            if (value != null && !value.isBlank()) {
                parts.add(key + "=" + URLEncoder.encode(value, StandardCharsets.UTF_8));
            }
        }
    }

    /** The add form as typed. */
    public record AddForm(String email, String name, Long listId, String attributes, String confirmation,
                          String confirmedEvidence) {
    }

    @CheckedTemplate(basePath = "subscribers")
    static class Templates {
        static native TemplateInstance search(Filters filters, List<MailingList> lists, List<SubscriberView> items,
                                              String nextPage, String error, Flash flash);

        static native TemplateInstance add(AddForm form, List<MailingList> lists, FormErrors errors, Flash flash);

        static native TemplateInstance detail(SubscriberView subscriber, String attributesJson,
                                              List<ConsentEventView> history, FormErrors errors, Flash flash);

        static native TemplateInstance confirmErase(SubscriberView subscriber, Flash flash);
    }

    @Inject
    SubscriberService subscribers;

    @Inject
    SubscriberSearch search;

    @Inject
    ListService lists;

    @Inject
    ObjectMapper json;

    @Inject
    SecurityIdentity identity;

    @Context
    HttpServerRequest request;

    @GET
    public Response search(@QueryParam("q") String q, @QueryParam("name") String name,
                           @QueryParam("status") String status, @QueryParam("listId") String listParam,
                           @QueryParam("attr") String attr, @QueryParam("after") String afterParam,
                           @CookieParam(Flash.COOKIE) String flash) {
        // The form sends "listId=" for "any list", so numbers are read leniently rather than by JAX-RS conversion.
        Long listId = number(listParam);
        Long after = number(afterParam);
        Filters filters = new Filters(q, name, status, listId, attr);
        SubscriberStatus wanted = null;
        String[] attribute = null;
        String error = null;
        try {
            wanted = status == null || status.isBlank() ? null : SubscriberStatus.parse(status);
            attribute = SubscriberQuery.parseAttributeFilter(attr);
        } catch (IllegalArgumentException e) {
            error = e.getMessage();
        }
        List<SubscriberView> items = List.of();
        String next = null;
        if (error == null) {
            SubscriberPage page = search.search(new SubscriberQuery(null, q, name, wanted, listId,
                    attribute == null ? null : attribute[0], attribute == null ? null : attribute[1],
                    after == null ? 0 : Math.max(0, after), 0));
            items = page.items();
            next = page.nextAfter() == null ? null : "/admin/subscribers?" + filters.query(page.nextAfter());
        }
        TemplateInstance html = Templates.search(filters, lists.all(), items, next, error, Flash.read(flash));
        return Response.status(error == null ? 200 : 400).entity(html).type(MediaType.TEXT_HTML).build();
    }

    @GET
    @Path("/new")
    public TemplateInstance newSubscriber(@QueryParam("listId") String listId) {
        return Templates.add(new AddForm("", "", number(listId), "", "send", ""), lists.all(), FormErrors.none(), null);
    }

    @POST
    public Response add(@RestForm String email, @RestForm String name, @RestForm("listId") String listParam,
                        @RestForm String attributes, @RestForm String confirmation,
                        @RestForm String confirmedEvidence) {
        Long listId = number(listParam);
        AddForm form = new AddForm(email, name, listId, attributes, confirmation, confirmedEvidence);
        if (listId == null) {
            return invalidAdd(form, FormErrors.of("listId", "choose a list"));
        }
        SubscriberService.OptInChoice choice = SubscriberService.OptInChoice.parse(confirmation, confirmedEvidence);
        if (choice == null) {
            return invalidAdd(form, FormErrors.of("confirmedEvidence",
                    "choose “Send a confirmation e-mail” or “Already confirmed”"));
        }
        AttributesText.Parsed parsed = AttributesText.parse(attributes, json);
        if (parsed.error() != null) {
            return invalidAdd(form, FormErrors.of("attributes", parsed.error()));
        }
        AddOutcome outcome = subscribers.add(listId, new NewSubscriber(email, name, parsed.attributes()),
                evidence(), choice, locale());
        if (outcome instanceof Added added) {
            return Flash.ok(email.strip() + " added" + confirmationNote(added.confirmation()))
                    .redirectTo("/admin/subscribers/" + added.subscriberId());
        }
        if (outcome instanceof AlreadyOnList already) {
            return invalidAdd(form, FormErrors.of("email", email.strip() + " is already on this list"));
        }
        if (outcome instanceof NoSuchList) {
            return invalidAdd(form, FormErrors.of("listId", "that list no longer exists"));
        }
        if (outcome instanceof Invalid invalid) {
            return invalidAdd(form, FormErrors.of(invalid.field(), invalid.reason()));
        }
        return invalidAdd(form, FormErrors.of("email", ((Suppressed) outcome).reason()));
    }

    @GET
    @Path("/{id}")
    public Response detail(@PathParam("id") long id, @CookieParam(Flash.COOKIE) String flash) {
        Optional<SubscriberView> found = subscribers.find(id);
        if (found.isEmpty()) {
            return Flash.error("That subscriber no longer exists.").redirectTo("/admin/subscribers");
        }
        return Response.ok(page(found.get(), FormErrors.none(), Flash.read(flash))).build();
    }

    @POST
    @Path("/{id}")
    public Response edit(@PathParam("id") long id, @RestForm String email, @RestForm String name,
                         @RestForm String attributes) {
        Optional<SubscriberView> found = subscribers.find(id);
        if (found.isEmpty()) {
            return Flash.error("That subscriber no longer exists.").redirectTo("/admin/subscribers");
        }
        AttributesText.Parsed parsed = AttributesText.parse(attributes, json);
        if (parsed.error() != null) {
            return invalidEdit(found.get(), FormErrors.of("attributes", parsed.error()));
        }
        EditOutcome outcome = subscribers.edit(id, new NewSubscriber(email, name, parsed.attributes()));
        if (outcome instanceof Edited) {
            return Flash.ok("Subscriber saved.").redirectTo("/admin/subscribers/" + id);
        }
        if (outcome instanceof Duplicate duplicate) {
            return invalidEdit(found.get(), FormErrors.of("email",
                    "another subscriber (#" + duplicate.otherSubscriberId() + ") already has this address"));
        }
        if (outcome instanceof Invalid invalid) {
            return invalidEdit(found.get(), FormErrors.of(invalid.field(), invalid.reason()));
        }
        if (outcome instanceof Suppressed suppressed) {
            return invalidEdit(found.get(), FormErrors.of("email", suppressed.reason()));
        }
        return Flash.error("That subscriber no longer exists.").redirectTo("/admin/subscribers");
    }

    @POST
    @Path("/{id}/status")
    public Response changeStatus(@PathParam("id") long id, @RestForm String status) {
        SubscriberStatus wanted;
        try {
            wanted = SubscriberStatus.parse(status);
        } catch (IllegalArgumentException e) {
            return Flash.error(e.getMessage()).redirectTo("/admin/subscribers/" + id);
        }
        SubscriberService.Change change = subscribers.changeStatus(id, wanted, evidence());
        return afterChange(id, change, "Status set to " + wanted.value() + ".");
    }

    @POST
    @Path("/{id}/subscriptions/{listId}")
    public Response changeSubscription(@PathParam("id") long id, @PathParam("listId") long listId,
                                       @RestForm String status) {
        SubscriptionStatus wanted;
        try {
            wanted = SubscriptionStatus.parse(status);
        } catch (IllegalArgumentException e) {
            return Flash.error(e.getMessage()).redirectTo("/admin/subscribers/" + id);
        }
        SubscriberService.Change change = subscribers.changeSubscription(id, listId, wanted, evidence());
        return afterChange(id, change, "Subscription set to " + wanted.value() + ".");
    }

    @POST
    @Path("/{id}/subscriptions/{listId}/remove")
    public Response removeFromList(@PathParam("id") long id, @PathParam("listId") long listId) {
        boolean removed = subscribers.removeFromList(id, listId, evidence());
        return (removed ? Flash.ok("Removed from the list.") : Flash.error("Not on that list."))
                .redirectTo("/admin/subscribers/" + id);
    }

    @POST
    @Path("/{id}/subscriptions/{listId}/confirmation")
    public Response resendConfirmation(@PathParam("id") long id, @PathParam("listId") long listId) {
        Optional<ConfirmationMail.Sent> sent = subscribers.resendConfirmation(id, listId, locale());
        if (sent.isEmpty()) {
            return Flash.error("Not on that list.").redirectTo("/admin/subscribers/" + id);
        }
        Flash flash = switch (sent.get()) {
            case SENT -> Flash.ok("Confirmation e-mail sent again.");
            case TOO_SOON -> Flash.error("A confirmation e-mail went to this address a short while ago; try again"
                    + " later.");
            case NOT_UNCONFIRMED -> Flash.error("Only an unconfirmed subscription of a subscriber who may be mailed"
                    + " gets a confirmation e-mail.");
            case NO_SENDER -> Flash.error(NO_SENDER_WORDS);
        };
        return flash.redirectTo("/admin/subscribers/" + id);
    }

    @GET
    @Path("/{id}/export")
    @Produces(MediaType.APPLICATION_JSON)
    public Response export(@PathParam("id") long id) {
        return subscribers.export(id)
                .map(export -> Response.ok(export).type(MediaType.APPLICATION_JSON)
                        .header("Content-Disposition", "attachment; filename=\"subscriber-" + id + ".json\"").build())
                .orElseGet(() -> Flash.error("That subscriber no longer exists.").redirectTo("/admin/subscribers"));
    }

    @GET
    @Path("/{id}/erase")
    public Response confirmErase(@PathParam("id") long id) {
        return subscribers.find(id).map(s -> Response.ok(Templates.confirmErase(s, null)).build())
                .orElseGet(() -> Flash.error("That subscriber no longer exists.").redirectTo("/admin/subscribers"));
    }

    @POST
    @Path("/{id}/erase")
    public Response erase(@PathParam("id") long id) {
        return subscribers.erase(id)
                ? Flash.ok("Subscriber erased; only a salted hash of the address is kept, to block re-adding.")
                        .redirectTo("/admin/subscribers")
                : Flash.error("That subscriber no longer exists.").redirectTo("/admin/subscribers");
    }

    private Response afterChange(long id, SubscriberService.Change change, String message) {
        return switch (change) {
            case CHANGED -> Flash.ok(message).redirectTo("/admin/subscribers/" + id);
            case UNCHANGED -> Flash.ok("Nothing changed.").redirectTo("/admin/subscribers/" + id);
            case NOT_FOUND -> Flash.error("That subscriber or subscription no longer exists.")
                    .redirectTo("/admin/subscribers");
        };
    }

    private TemplateInstance page(SubscriberView subscriber, FormErrors errors, Flash flash) {
        return Templates.detail(subscriber, AttributesText.format(subscriber.attributes(), json),
                subscribers.history(subscriber.id()), errors, flash);
    }

    private Response invalidAdd(AddForm form, FormErrors errors) {
        return Response.status(Response.Status.BAD_REQUEST).type(MediaType.TEXT_HTML)
                .entity(Templates.add(form, lists.all(), errors, Flash.error("The subscriber was not added."))).build();
    }

    private Response invalidEdit(SubscriberView subscriber, FormErrors errors) {
        return Response.status(Response.Status.BAD_REQUEST).type(MediaType.TEXT_HTML)
                .entity(page(subscriber, errors, Flash.error("The changes were not saved."))).build();
    }

    private static Long number(String text) {
        try {
            return text == null || text.isBlank() ? null : Long.valueOf(text.strip());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    static final String NO_SENDER_WORDS = "the list has no From address a confirmation e-mail can be sent from. Give"
            + " the list a From address (list settings), then use Resend confirmation.";

    /** What the add flash says about the confirmation mail; nothing when none was asked for. */
    static String confirmationNote(ConfirmationMail.Sent sent) {
        if (sent == null) {
            return ".";
        }
        return switch (sent) {
            case SENT -> "; a confirmation e-mail is on its way.";
            case TOO_SOON -> "; a confirmation e-mail went to this address a short while ago, so none was sent now.";
            case NOT_UNCONFIRMED -> "; no confirmation e-mail was sent (the address may not be mailed).";
            case NO_SENDER -> "; no confirmation e-mail was sent: " + NO_SENDER_WORDS;
        };
    }

    /** The confirmation mail speaks the public pages' language closest to the admin's browser. */
    private java.util.Locale locale() {
        String header = request.getHeader("Accept-Language");
        return header != null && header.strip().toLowerCase(java.util.Locale.ROOT).startsWith("pt")
                ? java.util.Locale.forLanguageTag("pt") : java.util.Locale.ENGLISH;
    }

    private ConsentEvidence evidence() {
        return RequestEvidence.of(ConsentSource.ADMIN, identity, request);
    }
}
