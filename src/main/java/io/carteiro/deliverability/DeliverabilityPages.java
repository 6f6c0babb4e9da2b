package io.carteiro.deliverability;

import io.carteiro.campaigns.CampaignFacts;
import io.carteiro.delivery.dkim.DkimKeys;
import io.quarkus.qute.CheckedTemplate;
import io.quarkus.qute.TemplateInstance;
import io.quarkus.security.identity.SecurityIdentity;
import jakarta.inject.Inject;
import jakarta.ws.rs.FormParam;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;

import java.math.BigDecimal;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * The deliverability desk's pages: the domain check of every sending domain and the bounce domain, the brakes'
 * thresholds, the checks shown on the sending-identity page, a campaign's pre-send checklist and content score, and
 * the received reports with their alerts.
 */
@Path("/admin/deliverability")
@Produces(MediaType.TEXT_HTML)
public class DeliverabilityPages {

    /** A message at the top of the page. */
    public record Flash(String kind, String message) {
    }

    /** A form field's error. */
    public record FieldError(String field, String message) {
    }

    @CheckedTemplate(basePath = "deliverability")
    static class Templates {
        static native TemplateInstance desk(List<DomainCheck> checks, String bounceDomain, BrakeSettings brakes,
                                            FieldError error, Flash flash, List<DmarcAlerts.Alert> alerts);

        static native TemplateInstance identityChecks(List<DomainCheck> checks, String bounceDomain);

        static native TemplateInstance checklist(PreSendChecklist.Checklist checklist);

        static native TemplateInstance reports(ReportViews.View view, String dmarcAddress, String tlsAddress);

        static native TemplateInstance contentScore(ContentScoreApi.Result score);
    }

    @Inject
    DomainChecks checks;
    @Inject
    CampaignFacts campaigns;
    @Inject
    DkimKeys keys;
    @Inject
    BrakeSettingsStore brakes;
    @Inject
    PreSendChecklist checklists;
    @Inject
    SecurityIdentity identity;
    @Inject
    ReportViews reports;
    @Inject
    ContentScores scores;
    @Inject
    DmarcAlerts alerts;

    @GET
    public TemplateInstance desk(@QueryParam("domain") String domain, @QueryParam("saved") String saved) {
        Flash flash = saved != null ? new Flash("ok", "Brakes saved.") : null;
        FieldError error = null;
        List<DomainCheck> found = new ArrayList<>();
        if (domain != null && !domain.isBlank()) {
            Optional<String> valid = DomainChecks.validDomain(domain.strip());
            if (valid.isPresent()) {
                found.add(checks.checkNow(valid.get()));
            } else {
                error = new FieldError("domain", "'" + Texts.shorten(domain) + "' is not a domain name.");
            }
        }
        found.addAll(sendingDomains());
        return Templates.desk(found, checks.bounceDomain(), brakes.current(), error, flash, alerts.current());
    }

    /** The checks of the sending domains, for the sending-identity page (loaded into it by htmx). */
    @GET
    @Path("identity-checks")
    public TemplateInstance identityChecks() {
        return Templates.identityChecks(sendingDomains(), checks.bounceDomain());
    }

    /** The DMARC and TLS reports received, with the alerts they raise. */
    @GET
    @Path("reports")
    public TemplateInstance reports() {
        String[] addresses = checks.reportAddresses();
        return Templates.reports(reports.view(), addresses[0], addresses[1]);
    }

    @GET
    @Path("campaigns/{id}/checklist")
    public Response checklist(@PathParam("id") long id) {
        return checklists.of(id).map(c -> Response.ok(Templates.checklist(c)).build())
                .orElseGet(() -> Response.status(Response.Status.NOT_FOUND).type(MediaType.TEXT_PLAIN)
                        .entity("no campaign with id " + id).build());
    }

    /** A campaign's content score, for its preview page (loaded into it by htmx: rspamd may take seconds). */
    @GET
    @Path("campaigns/{id}/content-score")
    public Response contentScore(@PathParam("id") long id) {
        return scores.of(id).map(s -> Response.ok(Templates.contentScore(ContentScoreApi.Result.of(id, s))).build())
                .orElseGet(() -> Response.status(Response.Status.NOT_FOUND).type(MediaType.TEXT_PLAIN)
                        .entity("no campaign with id " + id).build());
    }

    @POST
    @Path("brakes")
    @jakarta.ws.rs.Consumes(MediaType.APPLICATION_FORM_URLENCODED)
    public Response saveBrakes(@FormParam("enabled") String enabled, @FormParam("firstMessages") String first,
                               @FormParam("minMessages") String min, @FormParam("hardBouncePercent") String hard,
                               @FormParam("complaintPercent") String complaint,
                               @FormParam("minDelivered") String minDelivered,
                               @FormParam("providerRefusalPercent") String refusal,
                               @FormParam("providerMinAttempts") String minAttempts) {
        BrakeSettings s;
        String[] fields = {"firstMessages", "minMessages", "hardBouncePercent", "complaintPercent", "minDelivered",
                "providerRefusalPercent", "providerMinAttempts"};
        String[] values = {first, min, hard, complaint, minDelivered, refusal, minAttempts};
        for (int i = 0; i < fields.length; i++) {
            if (values[i] == null || !values[i].strip().matches("\\d{1,9}(\\.\\d{1,3})?")) {
                return invalid(new FieldError(fields[i], "'" + Texts.shorten(values[i] == null ? "" : values[i])
                        + "' is not a number."));
            }
        }
        try {
            s = new BrakeSettings(enabled != null, Integer.parseInt(first.strip()), Integer.parseInt(min.strip()),
                    new BigDecimal(hard.strip()), new BigDecimal(complaint.strip()),
                    Integer.parseInt(minDelivered.strip()), new BigDecimal(refusal.strip()),
                    Integer.parseInt(minAttempts.strip()));
        } catch (NumberFormatException e) {
            return invalid(new FieldError("firstMessages", "Counts are whole numbers."));
        }
        Optional<String[]> problem = BrakeSettings.problem(s);
        if (problem.isPresent()) {
            return invalid(new FieldError(problem.get()[0], problem.get()[1]));
        }
        brakes.save(s, identity.getPrincipal().getName());
        return Response.seeOther(URI.create("/admin/deliverability?saved=1")).build();
    }

    private Response invalid(FieldError error) {
        return Response.status(422).type(MediaType.TEXT_HTML)
                .entity(Templates.desk(sendingDomains(), checks.bounceDomain(), brakes.current(), error, null,
                        alerts.current()))
                .build();
    }

    /** The From domains of the campaigns and the domains of the DKIM keys, then the bounce domain. */
    private List<DomainCheck> sendingDomains() {
        Set<String> domains = new LinkedHashSet<>();
        for (String d : campaigns.fromDomains()) {
            DomainChecks.validDomain(d).ifPresent(domains::add);
        }
        keys.all().forEach(k -> DomainChecks.validDomain(k.domain()).ifPresent(domains::add));
        DomainChecks.validDomain(checks.bounceDomain()).ifPresent(domains::add);
        List<DomainCheck> out = new ArrayList<>();
        for (String d : domains) {
            out.add(checks.check(d));
        }
        return out;
    }
}
