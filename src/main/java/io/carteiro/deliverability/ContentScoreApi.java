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

/**
 * A campaign's content score over the JSON API, next to its preview: {@code GET /api/campaigns/{id}/content-score}.
 * An rspamd that cannot answer is an answer too (200, {@code status: unavailable}, the reason in {@code detail}).
 */
@Path("/api/campaigns/{id}/content-score")
@Produces(MediaType.APPLICATION_JSON)
@Tag(name = "Deliverability")
public class ContentScoreApi {

    /**
     * The score as the API and the preview write it; the numbers, action and symbols only when {@code status} is
     * {@code scored}, {@code detail} only when it is {@code unavailable}.
     */
    public record Result(long campaignId, String status, Double score, Double requiredScore, String action,
                         List<ContentScore.Symbol> symbols, String detail) {

        static Result of(long campaignId, ContentScore score) {
            if (score instanceof ContentScore.Scored s) {
                return new Result(campaignId, s.status(), s.score(), s.requiredScore(), s.action(), s.symbols(),
                        null);
            }
            if (score instanceof ContentScore.Unavailable u) {
                return new Result(campaignId, u.status(), null, null, null, List.of(), u.detail());
            }
            return new Result(campaignId, score.status(), null, null, null, List.of(),
                    "no rspamd is configured (carteiro.deliverability.rspamd-url)");
        }
    }

    @Inject
    ContentScores scores;

    @GET
    @Operation(summary = "The campaign's message, as a sample subscriber gets it, scored by the configured rspamd "
            + "(/checkv2): score, action and the rules that fired; or why there is no score")
    public Response score(@PathParam("id") long id) {
        return scores.of(id).map(s -> Response.ok(Result.of(id, s)).build())
                .orElseGet(() -> ApiErrors.error(Response.Status.NOT_FOUND, "no campaign with id " + id));
    }
}
