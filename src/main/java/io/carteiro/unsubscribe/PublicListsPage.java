package io.carteiro.unsubscribe;

import io.carteiro.lists.ListService;
import io.quarkus.qute.TemplateInstance;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.HeaderParam;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;

import java.util.List;

/**
 * The public page of every list whose sign-up form is switched on, each linking to its hosted form; a visitor needs
 * no account. Lists with the switch off are not named here, so a private list's name does not leak.
 */
@Path("/subscribe")
public class PublicListsPage {

    /** One line of the page: what a visitor needs to choose a list. */
    public record PublicList(long id, String name, String description) {
    }

    @Inject
    ListService lists;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance show(@HeaderParam("Accept-Language") String languages) {
        List<PublicList> open = lists.withPublicForm().stream()
                .map(list -> new PublicList(list.id, list.name, list.description)).toList();
        return Pages.localized(Pages.Templates.publicLists(open), PageLanguage.fromHeader(languages));
    }
}
