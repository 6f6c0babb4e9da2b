package io.carteiro.admin;

import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.net.URI;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** Admin accounts over the API: list them and add one. */
@Path("/api/admin-users")
@Produces(MediaType.APPLICATION_JSON)
@Consumes(MediaType.APPLICATION_JSON)
public class AdminUsersApi {

    /** A new account; the password must be at least 12 characters. */
    public record NewAdmin(@NotBlank @Email @Size(max = 320) String email,
                           @NotBlank @Size(min = 12, max = 200) String password,
                           @Size(max = 20, message = "role is longer than 20 characters")
                           @Pattern(regexp = "[a-z][a-z0-9_-]*", message = "role is a lower-case word such as admin")
                           String role) {
    }

    public record AdminView(long id, String email, String role, Instant createdAt) {
        static AdminView of(AdminUser user) {
            return new AdminView(user.id, user.email, user.role, user.createdAt);
        }
    }

    @Inject
    AdminAccounts accounts;

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
}
