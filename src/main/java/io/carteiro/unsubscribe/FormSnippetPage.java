package io.carteiro.unsubscribe;

import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.util.Locale;

/** Admin page with the link to a list's hosted sign-up form and an HTML snippet to embed it on another site. */
@Path("/admin/lists/{id}/form")
public class FormSnippetPage {

    @Inject
    SubscriptionRepository repository;

    @ConfigProperty(name = "carteiro.public-url", defaultValue = "http://localhost:8080")
    String publicUrl;

    @GET
    @Produces(MediaType.TEXT_HTML)
    @Transactional
    public Response show(@PathParam("id") long listId) {
        return repository.findList(listId)
                .map(list -> Response.ok(Pages.Templates.formSnippet(list, hostedUrl(list), snippet(list))))
                .orElseGet(() -> Response.status(404).entity(Pages.notice(Locale.ENGLISH, "No such list",
                        "There is no list with id " + listId + ".")))
                .build();
    }

    private String hostedUrl(ListInfo list) {
        return base() + "/subscribe/" + list.id();
    }

    String snippet(ListInfo list) {
        String consent = list.consentText() != null ? list.consentText()
                : "I agree to receive e-mails from " + list.name() + ".";
        return """
                <form method="post" action="%s" accept-charset="UTF-8">
                  <label for="carteiro-email">E-mail address</label>
                  <input id="carteiro-email" name="email" type="email" autocomplete="email" required>
                  <label for="carteiro-name">Name (optional)</label>
                  <input id="carteiro-name" name="name" type="text" autocomplete="name" maxlength="200">
                  <div style="position:absolute;left:-10000px;width:1px;height:1px;overflow:hidden" aria-hidden="true">
                    <label for="carteiro-website">Leave this field empty</label>
                    <input id="carteiro-website" name="website" type="text" tabindex="-1" autocomplete="off">
                  </div>
                  <input id="carteiro-consent" name="consent" type="checkbox" value="yes" required>
                  <label for="carteiro-consent">%s</label>
                  <button type="submit">Subscribe</button>
                </form>
                """.formatted(escape(hostedUrl(list)), escape(consent));
    }

    private String base() {
        return publicUrl.endsWith("/") ? publicUrl.substring(0, publicUrl.length() - 1) : publicUrl;
    }

    private static String escape(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
