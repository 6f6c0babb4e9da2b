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

/** The domain check over the JSON API: {@code GET /api/domains/{domain}/check}. */
@Path("/api/domains")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Deliverability")
public class DomainsApi {

    /** One check as the API writes it. */
    public record Check(String name, String verdict, String detail, String fix) {
    }

    /** The checks of one domain. */
    public record Result(String domain, List<Check> checks, String checkedAt) {
    }

    @Inject
    DomainChecks checks;

    @GET
    @Path("{domain}/check")
    @Operation(summary = "Check a sending or bounce domain's DNS now: SPF, DKIM, DMARC, bounce MX, PTR, EHLO, "
            + "MTA-STS, TLS-RPT, BIMI; each pass, warn or fail with the record to publish")
    public Response check(@PathParam("domain") String domain) {
        if (DomainChecks.validDomain(domain).isEmpty()) {
            return ApiErrors.badRequest("domain", "'" + Texts.shorten(domain == null ? "" : domain)
                    + "' is not a domain name");
        }
        return Response.ok(result(checks.checkNow(domain))).build();
    }

    static Result result(DomainCheck check) {
        return new Result(check.domain(), checks(check.checks()), check.checkedAt().toString());
    }

    static List<Check> checks(List<CheckItem> items) {
        return items.stream().map(c -> new Check(c.name(), c.verdict().wire(), c.detail(), c.fix())).toList();
    }
}
