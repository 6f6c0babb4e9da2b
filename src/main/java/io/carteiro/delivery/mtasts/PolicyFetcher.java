package io.carteiro.delivery.mtasts;

import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpClientResponse;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpVersion;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.net.PemTrustOptions;
import io.vertx.core.net.SocketAddress;
import jakarta.annotation.PreDestroy;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;

import javax.net.ssl.SSLException;
import java.net.InetAddress;
import java.security.cert.CertificateException;
import java.util.Locale;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Fetches {@code https://mta-sts.<domain>/.well-known/mta-sts.txt} (RFC 8461 §3.3) from an address the caller
 * resolved, with the certificate validated against {@code mta-sts.<domain>} (PKIX and host name, SNI sent), no
 * redirects, a deadline for the whole exchange, a size cap and {@code text/plain} required.
 *
 * <p>Vert.x's client rather than the JDK's: on Java 17 the JDK client resolves names only through the system
 * resolver, while here the connection must go to the address the engine's DNS servers gave, with TLS still
 * checked against the host name.
 */
@ApplicationScoped
class PolicyFetcher {

    /** The largest policy body read; real policies are a few hundred bytes, and a hostile host may send forever. */
    static final int MAX_BODY = 64 * 1024;

    static final String PATH = "/.well-known/mta-sts.txt";

    /** One address's TCP connect: short enough that the host's next address still fits in the fetch deadline. */
    static final int CONNECT_TIMEOUT_MILLIS = 10_000;

    /** What the fetch gave: a policy, or the RFC 8460 result type of the failure and what happened. */
    sealed interface Fetch {
        record Fetched(StsPolicy policy) implements Fetch {
        }

        record Failed(TlsResultType type, String detail) implements Fetch {
        }

        /** No connection could be made to this address; another address of the host may answer. */
        record Unreachable(String detail) implements Fetch {
        }
    }

    private final Vertx vertx;
    private final MtaStsConfig config;
    private final HttpClient client;

    @Inject
    PolicyFetcher(Vertx vertx, MtaStsConfig config) {
        this.vertx = vertx;
        this.config = config;
        HttpClientOptions options = new HttpClientOptions()
                .setSsl(true)
                .setVerifyHost(true)
                .setForceSni(true)
                .setTrustAll(false)
                .setKeepAlive(false)
                .setProtocolVersion(HttpVersion.HTTP_1_1)
                .setMaxRedirects(0)
                .setConnectTimeout((int) Math.min(config.fetchTimeout().toMillis(), CONNECT_TIMEOUT_MILLIS));
        config.trustStore().ifPresent(path -> options.setTrustOptions(new PemTrustOptions().addCertPath(path)));
        this.client = vertx.createHttpClient(options);
    }

    @PreDestroy
    void close() {
        client.close();
    }

    CompletionStage<Fetch> fetch(String domain, InetAddress address) {
        String host = "mta-sts." + domain;
        CompletableFuture<Fetch> result = new CompletableFuture<>();
        long deadline = config.fetchTimeout().toMillis();
        RequestOptions request = new RequestOptions()
                .setMethod(HttpMethod.GET)
                .setHost(host)
                .setPort(config.port())
                .setURI(PATH)
                .setServer(SocketAddress.inetSocketAddress(config.port(), address.getHostAddress()))
                .setFollowRedirects(false)
                .putHeader("Accept", "text/plain");
        long timer = vertx.setTimer(Math.max(1, deadline), id -> result.complete(
                new Fetch.Failed(TlsResultType.STS_POLICY_FETCH_ERROR,
                        "https://" + host + PATH + " did not answer within " + config.fetchTimeout())));
        result.whenComplete((fetch, failure) -> vertx.cancelTimer(timer));
        client.request(request)
                .compose(outgoing -> {
                    result.whenComplete((fetch, failure) -> outgoing.reset());
                    return outgoing.send();
                })
                .onSuccess(response -> read(host, response, result))
                .onFailure(failure -> result.complete(failed(host, failure)));
        return result;
    }

    private static void read(String host, HttpClientResponse response, CompletableFuture<Fetch> result) {
        String url = "https://" + host + PATH;
        if (response.statusCode() != 200) {
            // RFC 8461 §3.3: only a 200 is a policy; a redirect is not followed
            result.complete(new Fetch.Failed(TlsResultType.STS_POLICY_FETCH_ERROR,
                    url + " answered HTTP " + response.statusCode()));
            return;
        }
        String type = response.getHeader("Content-Type");
        String media = type == null ? "" : type.split(";", 2)[0].strip().toLowerCase(Locale.ROOT);
        if (!media.equals("text/plain")) {
            result.complete(new Fetch.Failed(TlsResultType.STS_POLICY_INVALID,
                    url + " is " + (type == null ? "of no content type" : "'" + StsRecord.shorten(type) + "'")
                            + ", not text/plain"));
            return;
        }
        String length = response.getHeader("Content-Length");
        if (length != null && length.length() > 9 || length != null && parse(length) > MAX_BODY) {
            result.complete(tooLarge(url));
            return;
        }
        Buffer body = Buffer.buffer();
        response.handler(chunk -> {
            if (body.length() + chunk.length() > MAX_BODY) {
                result.complete(tooLarge(url));
            } else if (!result.isDone()) {
                body.appendBuffer(chunk);
            }
        });
        response.exceptionHandler(failure -> result.complete(failed(host, failure)));
        response.endHandler(end -> {
            PolicyText.Parse parse = PolicyText.parse(body.getBytes());
            if (parse instanceof PolicyText.Parse.Valid valid) {
                result.complete(new Fetch.Fetched(valid.policy()));
            } else {
                result.complete(new Fetch.Failed(TlsResultType.STS_POLICY_INVALID,
                        url + ": " + ((PolicyText.Parse.Invalid) parse).reason()));
            }
        });
    }

    private static long parse(String number) {
        try {
            return Long.parseLong(number.strip());
        } catch (NumberFormatException e) {
            return 0;
        }
    }

    private static Fetch tooLarge(String url) {
        return new Fetch.Failed(TlsResultType.STS_POLICY_INVALID, url + " is larger than " + MAX_BODY + " bytes");
    }

    /**
     * A TLS failure is the policy host's certificate ({@code sts-webpki-invalid}); a refused or timed-out connect is
     * this address only; anything else is the fetch.
     */
    static Fetch failed(String host, Throwable failure) {
        for (Throwable t = failure; t != null; t = t.getCause()) {
            if (t instanceof java.net.ConnectException || t instanceof java.net.NoRouteToHostException) {
                return new Fetch.Unreachable("could not connect to " + host + ": " + StsDns.reason(failure));
            }
            if (t instanceof SSLException || t instanceof CertificateException) {
                return new Fetch.Failed(TlsResultType.STS_WEBPKI_INVALID,
                        "TLS with " + host + " failed: " + StsDns.reason(failure));
            }
        }
        return new Fetch.Failed(TlsResultType.STS_POLICY_FETCH_ERROR,
                "fetching https://" + host + PATH + " failed: " + StsDns.reason(failure));
    }
}
