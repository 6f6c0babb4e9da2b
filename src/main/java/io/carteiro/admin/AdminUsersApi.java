package io.carteiro.admin;

import io.carteiro.web.ApiErrors;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Admin accounts over the API: list them, add one, remove one (ending its sessions and tokens). */
@Path("/api/admin-users")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AdminUsersApi {

    /** A new account; the password must be at least 12 characters; the one role is {@code admin}. */
    public record NewAdmin(@NotBlank @Email @Size(max = 320) String email,
                           @NotBlank @Size(min = 12, max = 200) String password,
                           @Size(max = 20, message = "role is longer than 20 characters")
                           @Pattern(regexp = "admin", message = "role must be admin") String role) {
    }

    public record AdminView(long id, String email, String role, Instant createdAt) {
        static AdminView of(AdminUser user) {
            return new AdminView(user.id, user.email, user.role, user.createdAt);
        }
    }

    @Inject
    AdminAccounts accounts;

    @Inject
    AccountChanges changes;

    @Inject
    SecurityIdentity identity;

    @GET
    public List<AdminView> list() {
        return accounts.listAll().stream().map(AdminView::of).toList();
    }

    @POST
    @Transactional
    public Response create(@jakarta.validation.Valid
                           @jakarta.validation.constraints.NotNull(message = "a JSON body with email and password is required")
                           NewAdmin body) {
        if (accounts.findByEmail(body.email()).isPresent()) {
            return Response.status(Response.Status.CONFLICT)
                    .entity(Map.of("error", "an admin with e-mail " + body.email() + " already exists")).build();
        }
        AdminUser user = accounts.create(body.email(), body.password(), body.role() == null ? "admin" : body.role());
        return Response.created(URI.create("/api/admin-users/" + user.id)).entity(AdminView.of(user)).build();
    }

    @DELETE
    @Path("/{id}")
    public Response remove(@PathParam("id") long id) {
        AccountChanges.Removal removal = changes.remove(id, identity.<Long>getAttribute(SessionIdentityProvider.USER_ID));
        return switch (removal) {
            case REMOVED -> Response.noContent().build();
            case NO_SUCH_ACCOUNT -> ApiErrors.error(Response.Status.NOT_FOUND, "no admin with id " + id);
            case YOURSELF -> ApiErrors.error(Response.Status.CONFLICT, "an admin cannot remove their own account");
            case LAST_ACCOUNT -> ApiErrors.error(Response.Status.CONFLICT, "the last admin cannot be removed");
        };
    }
}
