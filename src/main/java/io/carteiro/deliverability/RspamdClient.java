package io.carteiro.deliverability;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.enterprise.context.ApplicationScoped;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * Asks rspamd's HTTP API ({@code POST /checkv2} with the raw message, the envelope in headers) for a message's score.
 * Every way it can fail is an {@link ContentScore.Unavailable} with the reason, so a page shows a line, never an
 * error; the wait is bounded by {@code carteiro.deliverability.rspamd-timeout}.
 */
@ApplicationScoped
class RspamdClient {

    /** rspamd's answer for one message is a few kB; more than this is not rspamd. */
    static final int MAX_ANSWER = 2 * 1024 * 1024;

    /** The envelope and connection rspamd would see at the recipient's exchanger, as far as Carteiro knows it. */
    record Envelope(String mailFrom, String recipient, String helo, Optional<String> ip) {
    }

    private final Optional<String> url;
    private final Duration timeout;
    private final ObjectMapper json;
    private final HttpClient http;

    RspamdClient(DeliverabilityConfig config, ObjectMapper json) {
        this.url = config.rspamdUrl().map(String::strip).filter(u -> !u.isEmpty());
        this.timeout = config.rspamdTimeout();
        this.json = json;
        // HTTP/1.1: rspamd does not speak HTTP/2, and the client's h2c upgrade offer is one more thing to go wrong
        this.http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(timeout)
                .followRedirects(HttpClient.Redirect.NEVER).build();
    }

    boolean configured() {
        return url.isPresent();
    }

    ContentScore check(byte[] message, Envelope envelope) {
        if (url.isEmpty()) {
            return new ContentScore.Off();
        }
        URI endpoint;
        try {
            endpoint = endpoint(url.get());
        } catch (URISyntaxException | IllegalArgumentException e) {
            return ContentScore.Unavailable.because("carteiro.deliverability.rspamd-url '" + Texts.shorten(url.get())
                    + "' is not an http:// or https:// URL");
        }
        HttpRequest.Builder request = HttpRequest.newBuilder(endpoint).timeout(timeout)
                .header("Content-Type", "message/rfc822")
                // every rule, even after the message has reached the reject score, so the list says all that is wrong
                .header("Pass", "all")
                .header("From", envelope.mailFrom()).header("Rcpt", envelope.recipient())
                .POST(HttpRequest.BodyPublishers.ofByteArray(message));
        if (envelope.helo() != null && !envelope.helo().isBlank()) {
            request.header("Helo", envelope.helo()).header("Hostname", envelope.helo());
        }
        envelope.ip().ifPresent(ip -> request.header("IP", ip));
        String where = "rspamd at " + endpoint.getScheme() + "://" + endpoint.getAuthority();
        HttpResponse<InputStream> response;
        byte[] body;
        try {
            response = http.send(request.build(), HttpResponse.BodyHandlers.ofInputStream());
            try (InputStream in = response.body()) {
                body = in.readNBytes(MAX_ANSWER + 1);
            }
        } catch (HttpConnectTimeoutException e) {
            return ContentScore.Unavailable.because(where + " did not accept a connection within " + seconds());
        } catch (HttpTimeoutException e) {
            return ContentScore.Unavailable.because(where + " did not answer within " + seconds());
        } catch (ConnectException e) {
            return ContentScore.Unavailable.because(where + " is not reachable (connection refused)");
        } catch (IOException e) {
            return ContentScore.Unavailable.because(where + " is not reachable ("
                    + Texts.shorten(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return ContentScore.Unavailable.because("the check was interrupted");
        }
        if (response.statusCode() != 200) {
            return ContentScore.Unavailable.because(where + " answered HTTP " + response.statusCode());
        }
        if (body.length > MAX_ANSWER) {
            return ContentScore.Unavailable.because(where + " answered more than " + MAX_ANSWER + " bytes");
        }
        return parse(body, where);
    }

    private ContentScore parse(byte[] body, String where) {
        JsonNode root;
        try {
            root = json.readTree(body);
        } catch (IOException e) {
            return ContentScore.Unavailable.because(where + " answered something that is not JSON");
        }
        if (root == null || !root.isObject()) {
            return ContentScore.Unavailable.because(where + " answered something that is not JSON");
        }
        if (root.hasNonNull("error")) {
            return ContentScore.Unavailable.because(where + " could not check the message: "
                    + Texts.shorten(root.get("error").asText()));
        }
        if (!root.path("score").isNumber() || !root.path("action").isTextual()) {
            return ContentScore.Unavailable.because(where + " answered without a score and an action");
        }
        List<ContentScore.Symbol> symbols = new ArrayList<>();
        JsonNode found = root.path("symbols");
        for (Iterator<Map.Entry<String, JsonNode>> it = found.fields(); it.hasNext() && symbols.size() < 500; ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode s = e.getValue();
            List<String> options = new ArrayList<>();
            s.path("options").forEach(o -> {
                if (options.size() < 20) {
                    options.add(Texts.shorten(o.asText(), 200));
                }
            });
            symbols.add(new ContentScore.Symbol(Texts.shorten(e.getKey(), 100), s.path("score").asDouble(0),
                    Texts.shorten(s.path("description").asText(""), 300), List.copyOf(options)));
        }
        symbols.sort(Comparator.comparingDouble((ContentScore.Symbol s) -> -Math.abs(s.score()))
                .thenComparing(ContentScore.Symbol::name));
        return new ContentScore.Scored(round(root.get("score").asDouble()), round(root.path("required_score")
                .asDouble(0)), Texts.shorten(root.get("action").asText(), 40), List.copyOf(symbols));
    }

    private String seconds() {
        return timeout.toMillis() % 1000 == 0 ? timeout.toSeconds() + " s" : timeout.toMillis() + " ms";
    }

    /** The /checkv2 address under the configured base URL. */
    static URI endpoint(String base) throws URISyntaxException {
        URI uri = new URI(base);
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("http") && !scheme.equals("https") || uri.getHost() == null) {
            throw new IllegalArgumentException("not an http URL: " + base);
        }
        String path = uri.getPath() == null ? "" : uri.getPath();
        path = path.endsWith("/") ? path + "checkv2" : path + "/checkv2";
        return new URI(scheme, uri.getUserInfo(), uri.getHost(), uri.getPort(), path, null, null);
    }

    private static double round(double d) {
        return Math.round(d * 100) / 100.0;
    }
}
