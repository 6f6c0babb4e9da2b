package io.carteiro.admin;

import io.carteiro.web.Flash;
import io.carteiro.web.FormErrors;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.CookieParam;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.util.List;

/** Every admin account: add one, remove one (its sessions and API tokens end with it). */
@Path("/admin/accounts")
public class AccountsPage {

    @CheckedTemplate(basePath = "admin")
    static class Templates {
        static native TemplateInstance accounts(List<AdminUser> accounts, long me, String email, FormErrors errors,
                                                Flash flash);
    }

    @Inject
    AdminAccounts accounts;

    @Inject
    AccountChanges changes;

    @Inject
    SecurityIdentity identity;

    @GET
    @Produces(MediaType.TEXT_HTML)
    public TemplateInstance list(@CookieParam(Flash.COOKIE) String flash) {
        return page("", FormErrors.none(), Flash.read(flash));
    }

    @POST
    @Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    @Produces(MediaType.TEXT_HTML)
    public Response add(@FormParam("email") String email, @FormParam("password") String password) {
        String address = email == null ? "" : email.strip();
        if (!address.matches("[^@\\s]+@[^@\\s]+\\.[^@\\s]+") || address.length() > 320) {
            return invalid(address, "email", "enter the new admin's e-mail address");
        }
        String problem = AccountChanges.problemWith(password);
        if (problem != null) {
            return invalid(address, "password", problem);
        }
        if (accounts.findByEmail(address).isPresent()) {
            return invalid(address, "email", "there is already an admin with this e-mail address");
        }
        accounts.create(address, password, "admin");
        return Flash.ok("Admin " + address + " added; tell them their password by a safe way.")
                .redirectTo("/admin/accounts");
    }

    @POST
    @Path("/{id}/remove")
    public Response remove(@PathParam("id") long id) {
        AccountChanges.Removal removal = changes.remove(id, me());
        return switch (removal) {
            case REMOVED -> Flash.ok("Admin removed; their sessions and API tokens no longer work.")
                    .redirectTo("/admin/accounts");
            case NO_SUCH_ACCOUNT -> Flash.error("That admin no longer exists.").redirectTo("/admin/accounts");
            case YOURSELF -> Flash.error("You cannot remove your own account.").redirectTo("/admin/accounts");
            case LAST_ACCOUNT -> Flash.error("The last admin cannot be removed.").redirectTo("/admin/accounts");
        };
    }

    private Response invalid(String email, String field, String message) {
        return Response.status(Response.Status.BAD_REQUEST).entity(page(email, FormErrors.of(field, message), null))
                .build();
    }

    private TemplateInstance page(String email, FormErrors errors, Flash flash) {
        return Templates.accounts(accounts.listAll(io.quarkus.panache.common.Sort.by("email")), me(), email, errors,
                flash);
    }

    private long me() {
        return identity.<Long>getAttribute(SessionIdentityProvider.USER_ID);
    }
}
