package io.carteiro.deliverability;

import io.carteiro.web.ApiErrors;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import org.eclipse.microprofile.openapi.annotations.Operation;
import org.eclipse.microprofile.openapi.annotations.tags.Tag;

import java.util.List;

/** A campaign's pre-send checklist over the JSON API: {@code GET /api/deliverability/campaigns/{id}/checklist}. */
@Path("/api/deliverability/campaigns")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Deliverability")
public class ChecklistApi {

    /** The checklist as the API writes it: the campaign's own items, then the two domains' checks. */
    public record Result(long campaignId, String fromDomain, boolean firstFromDomain, String verdict,
                         List<DomainsApi.Check> campaign, DomainsApi.Result fromDomainCheck,
                         DomainsApi.Result bounceDomainCheck) {
    }

    @Inject
    PreSendChecklist checklists;

    @GET
    @Path("{id}/checklist")
    @Operation(summary = "A campaign's pre-send checklist: one-click unsubscribe, visible unsubscribe link, List-Id, "
            + "complaint rate of the last 30 days, and the domain checks of its From and bounce domains")
    public Response checklist(@PathParam("id") long id) {
        return checklists.of(id).map(c -> Response.ok(new Result(c.campaignId(), c.fromDomain(),
                        c.firstFromDomain(), c.overall().wire(), DomainsApi.checks(c.campaign()),
                        DomainsApi.result(c.fromDomainCheck()), DomainsApi.result(c.bounceDomainCheck()))).build())
                .orElseGet(() -> ApiErrors.error(Response.Status.NOT_FOUND, "no campaign with id " + id));
    }
}
