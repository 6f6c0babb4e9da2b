package io.carteiro.lists;

import io.carteiro.web.Flash;
import io.carteiro.web.FormErrors;
import io.carteiro.web.FormWords;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
import jakarta.validation.Validator;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.jboss.resteasy.reactive.RestForm;

import java.util.List;
import java.util.Optional;

/** Admin pages for lists: the table, the create / edit form, and deletion with a confirmation step. */
@Path("/admin/lists")
@Produces(MediaType.TEXT_HTML)
public class ListPages {

    /** The list form's labels for the API's field names, for the messages shown beside the fields. */
    static final FormWords WORDS = FormWords.of("fromEmail", "From address", "fromName", "From name",
            "replyTo", "Reply-To address", "consentText", "Consent text", "optIn", "Opt-in",
            "publicForm", "Public sign-up form", "openTracking", "Count opens");

    @CheckedTemplate(basePath = "lists")
    static class Templates {
        static native TemplateInstance index(List<MailingList> lists, Flash flash);

        static native TemplateInstance form(MailingList list, ListDraft draft, Integer consentVersion,
                                            FormErrors errors, Flash flash);

        static native TemplateInstance confirmDelete(MailingList list, Flash flash);
    }

    @Inject
    ListService lists;

    @Inject
    Validator validator;

    @Inject
    SecurityIdentity identity;

    @GET
    public TemplateInstance index(@CookieParam(Flash.COOKIE) String flash) {
        return Templates.index(lists.all(), Flash.read(flash));
    }

    @GET
    @Path("/new")
    public TemplateInstance newList() {
        return Templates.form(null, new ListDraft("", "", OptIn.DOUBLE, "", "", "", "", Tracking.AGGREGATE, false,
                false), null, FormErrors.none(), null);
    }

    @POST
    public Response create(@RestForm String name, @RestForm String description, @RestForm String optIn,
                           @RestForm String fromEmail, @RestForm String fromName, @RestForm String replyTo,
                           @RestForm String consentText, @RestForm String tracking,
                           @RestForm String openTracking, @RestForm String publicForm) {
        // An unticked checkbox sends nothing, so on the page a missing field is "off" (unlike the API's "unchanged").
        Parsed draft = parse(optIn, name, description, fromEmail, fromName, replyTo, consentText, tracking,
                openTracking, publicForm != null);
        if (draft.refused() != null) {
            return invalid(null, draft.draft(), draft.refused());
        }
        FormErrors errors = WORDS.speak(FormErrors.of(validator.validate(draft.draft())));
        if (errors.any()) {
            return invalid(null, draft.draft(), errors);
        }
        MailingList list = lists.create(draft.draft(), identity.getPrincipal().getName());
        return Flash.ok("List “" + list.name + "” created.").redirectTo("/admin/lists/" + list.id);
    }

    @GET
    @Path("/{id}")
    public Response edit(@PathParam("id") long id, @CookieParam(Flash.COOKIE) String flash) {
        Optional<MailingList> found = lists.find(id);
        if (found.isEmpty()) {
            return Flash.error("That list no longer exists.").redirectTo("/admin/lists");
        }
        MailingList list = found.get();
        String text = lists.currentConsentText(list).map(t -> t.body).orElse("");
        ListDraft draft = new ListDraft(list.name, list.description, list.optIn, list.fromEmail, list.fromName,
                list.replyTo, text, list.tracking, list.openTracking, list.publicForm);
        return Response.ok(Templates.form(list, draft, list.consentTextVersion, FormErrors.none(),
                Flash.read(flash))).build();
    }

    @POST
    @Path("/{id}")
    public Response update(@PathParam("id") long id, @RestForm String name, @RestForm String description,
                           @RestForm String optIn, @RestForm String fromEmail, @RestForm String fromName,
                           @RestForm String replyTo, @RestForm String consentText, @RestForm String tracking,
                           @RestForm String openTracking, @RestForm String publicForm) {
        Optional<MailingList> found = lists.find(id);
        if (found.isEmpty()) {
            return Flash.error("That list no longer exists.").redirectTo("/admin/lists");
        }
        Parsed draft = parse(optIn, name, description, fromEmail, fromName, replyTo, consentText, tracking,
                openTracking, publicForm != null);
        if (draft.refused() != null) {
            return invalid(found.get(), draft.draft(), draft.refused());
        }
        FormErrors errors = WORDS.speak(FormErrors.of(validator.validate(draft.draft())));
        if (errors.any()) {
            return invalid(found.get(), draft.draft(), errors);
        }
        Integer before = found.get().consentTextVersion;
        MailingList list = lists.update(id, draft.draft(), identity.getPrincipal().getName()).orElseThrow();
        String message = java.util.Objects.equals(before, list.consentTextVersion) ? "List saved."
                : "List saved; the consent text is now version " + list.consentTextVersion + ".";
        return Flash.ok(message).redirectTo("/admin/lists/" + id);
    }

    @GET
    @Path("/{id}/delete")
    public Response confirmDelete(@PathParam("id") long id) {
        return lists.find(id).map(list -> Response.ok(Templates.confirmDelete(list, null)).build())
                .orElseGet(() -> Flash.error("That list no longer exists.").redirectTo("/admin/lists"));
    }

    @POST
    @Path("/{id}/delete")
    public Response delete(@PathParam("id") long id) {
        String name = lists.find(id).map(l -> l.name).orElse(null);
        if (name == null || !lists.delete(id, identity.getPrincipal().getName())) {
            return Flash.error("That list no longer exists.").redirectTo("/admin/lists");
        }
        return Flash.ok("List “" + name + "” deleted; its subscribers' consent history is kept.")
                .redirectTo("/admin/lists");
    }

    /** The form read into a draft; {@code refused} names a choice that is not one of the offered values. */
    private record Parsed(ListDraft draft, FormErrors refused) {
    }

    private static Parsed parse(String optIn, String name, String description, String fromEmail, String fromName,
                                String replyTo, String consentText, String tracking, String openTracking,
                                boolean publicForm) {
        OptIn mode = null;
        Tracking trackingMode = null;
        FormErrors refused = null;
        try {
            mode = OptIn.parse(optIn);
        } catch (IllegalArgumentException e) {
            refused = FormErrors.of("optIn", "choose single or double opt-in");
        }
        try {
            trackingMode = tracking == null ? Tracking.AGGREGATE : Tracking.parse(tracking);
        } catch (IllegalArgumentException e) {
            refused = refused != null ? refused : FormErrors.of("tracking", "choose off, aggregate or per subscriber");
        }
        return new Parsed(new ListDraft(name == null ? "" : name, description, mode, blankToNull(fromEmail),
                fromName, blankToNull(replyTo), consentText, trackingMode, openTracking != null, publicForm), refused);
    }

    private static String blankToNull(String text) {
        return text == null || text.isBlank() ? null : text.strip();
    }

    private static Response invalid(MailingList list, ListDraft draft, FormErrors errors) {
        return Response.status(Response.Status.BAD_REQUEST)
                .entity(Templates.form(list, draft, list == null ? null : list.consentTextVersion, errors,
                        Flash.error("Please correct the fields marked below.")))
                .type(MediaType.TEXT_HTML).build();
    }
}
