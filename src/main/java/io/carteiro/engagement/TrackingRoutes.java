package io.carteiro.engagement;

import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.http.HttpServerResponse;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

import java.time.Clock;
import java.util.HexFormat;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * The public tracking routes, plain Vert.x handlers on the event loop (no session, no CSRF: the signed token is
 * the only thing that counts): {@code /r/<token>} answers 302 to the link's recorded target, {@code /o/<token>} a
 * 1x1 transparent GIF. Each answers once its hit is committed (or after {@code carteiro.engagement.commit-wait}).
 * A token that is altered, unknown or names a link the campaign does not have gets 404 and no redirect: the target
 * comes only from {@code tracked_link}, never from the request, so this is no open redirect.
 */
@ApplicationScoped
class TrackingRoutes {

    /** A 1x1 transparent GIF (GIF89a, one colour, transparency extension), 43 bytes. */
    static final byte[] PIXEL = HexFormat.of().parseHex(
            "47494638396101000100800000000000ffffff21f90401000000002c00000000010001000002024401003b");

    private static final String DECOY_PAGE = "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\">"
            + "<title>Nothing here</title></head><body><p>This link leads nowhere.</p></body></html>";

    @Inject
    ClickTracking tracking;

    @Inject
    LinkRegistry links;

    @Inject
    HitRecorder recorder;

    @Inject
    EngagementConfig config;

    @Inject
    Clock clock;

    private HitSignals signals;

    void register(@Observes Router router) {
        signals = new HitSignals(config.machine());
        router.route(HttpMethod.GET, "/r/:token").handler(this::click);
        router.route(HttpMethod.HEAD, "/r/:token").handler(this::click);
        router.route(HttpMethod.GET, "/o/:token").handler(this::open);
        router.route(HttpMethod.HEAD, "/o/:token").handler(this::open);
    }

    void click(RoutingContext ctx) {
        Optional<TrackingToken> token = tracking.tokens().check(ctx.pathParam("token"));
        if (token.isEmpty() || token.get().kind() != TrackingToken.Kind.CLICK) {
            notFound(ctx);
            return;
        }
        TrackingToken t = token.get();
        Hit hit = hit(ctx, t);
        if (t.decoy()) {
            afterCommit(ctx, hit, response -> response.setStatusCode(200)
                    .putHeader("Content-Type", "text/html; charset=UTF-8").end(DECOY_PAGE));
            return;
        }
        Optional<String> cached = links.cachedTarget(t.campaignId(), t.linkNo());
        if (cached.isPresent()) {
            redirect(ctx, hit, cached.get());
            return;
        }
        ctx.vertx().<Optional<String>>executeBlocking(() -> links.target(t.campaignId(), t.linkNo()), false)
                .onComplete(found -> {
                    if (found.failed() || found.result().isEmpty()) {
                        notFound(ctx);
                    } else {
                        redirect(ctx, hit, found.result().get());
                    }
                });
    }

    void open(RoutingContext ctx) {
        Optional<TrackingToken> token = tracking.tokens().check(ctx.pathParam("token"));
        if (token.isEmpty() || token.get().kind() != TrackingToken.Kind.OPEN) {
            notFound(ctx);
            return;
        }
        afterCommit(ctx, hit(ctx, token.get()), response -> response.setStatusCode(200)
                .putHeader("Content-Type", "image/gif").putHeader("Content-Length", Integer.toString(PIXEL.length))
                .end(Buffer.buffer(PIXEL)));
    }

    private Hit hit(RoutingContext ctx, TrackingToken token) {
        HttpServerRequest request = ctx.request();
        String purpose = firstOf(request.getHeader("Sec-Purpose"), request.getHeader("Purpose"),
                request.getHeader("X-Purpose"), request.getHeader("X-Moz"));
        String client = request.remoteAddress() == null ? null : request.remoteAddress().hostAddress();
        return new Hit(token, clock.instant(), signals.of(request.method() == HttpMethod.HEAD,
                request.getHeader("User-Agent"), AddressRanges.literal(client), purpose));
    }

    private void redirect(RoutingContext ctx, Hit hit, String target) {
        afterCommit(ctx, hit, response -> response.setStatusCode(302).putHeader("Location", target)
                .putHeader("Content-Length", "0").end());
    }

    /** Records the hit, then answers on the request's own context once it is committed or the wait is over. */
    private void afterCommit(RoutingContext ctx, Hit hit, java.util.function.Consumer<HttpServerResponse> answer) {
        Context context = Vertx.currentContext();
        CompletableFuture<Boolean> committed = recorder.record(hit)
                .completeOnTimeout(false, config.commitWait().toMillis(), TimeUnit.MILLISECONDS);
        committed.whenComplete((ok, e) -> context.runOnContext(v -> {
            HttpServerResponse response = ctx.response();
            if (response.ended() || response.closed()) {
                return;
            }
            response.putHeader("Cache-Control", "no-store, max-age=0").putHeader("Referrer-Policy", "no-referrer")
                    .putHeader("X-Robots-Tag", "noindex");
            answer.accept(response);
        }));
    }

    private static void notFound(RoutingContext ctx) {
        ctx.response().setStatusCode(404).putHeader("Content-Type", "text/plain; charset=UTF-8")
                .putHeader("Cache-Control", "no-store").end("This link is not valid.\n");
    }

    private static String firstOf(String... values) {
        for (String v : values) {
            if (v != null) {
                return v;
            }
        }
        return null;
    }
}
