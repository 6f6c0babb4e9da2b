package io.carteiro.delivery.mtasts;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;

import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SNIServerName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSession;
import javax.net.ssl.X509ExtendedKeyManager;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A real HTTPS server on 127.0.0.1 (the JDK's) that plays the policy hosts {@code mta-sts.<domain>} of many test
 * domains at once: the certificate is chosen by the SNI name the client sends, the answer by the Host header.
 */
final class PolicyServer implements AutoCloseable {

    /** What one policy host answers. */
    record Answer(int status, String contentType, byte[] body, boolean chunked, Map<String, String> headers) {
        static Answer policy(String text) {
            return new Answer(200, "text/plain", text.getBytes(StandardCharsets.US_ASCII), false, Map.of());
        }
    }

    private final HttpsServer server;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-policy-server");
        t.setDaemon(true);
        return t;
    });
    private final Map<String, TestCa.Issued> certificates = new ConcurrentHashMap<>();
    private final Map<String, Answer> answers = new ConcurrentHashMap<>();
    private final Map<String, CountDownLatch> held = new ConcurrentHashMap<>();
    private final Map<String, AtomicInteger> requests = new ConcurrentHashMap<>();
    private final TestCa.Issued fallback;

    private PolicyServer(TestCa.Issued fallback) throws Exception {
        this.fallback = fallback;
        SSLContext tls = SSLContext.getInstance("TLS");
        tls.init(new KeyManager[]{new BySni()}, null, null);
        server = HttpsServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.setHttpsConfigurator(new HttpsConfigurator(tls));
        server.setExecutor(threads);
        server.createContext("/", this::handle);
        server.start();
    }

    /** Starts the server; hosts without a certificate of their own get {@code fallback}. */
    static PolicyServer start(TestCa.Issued fallback) throws Exception {
        return new PolicyServer(fallback);
    }

    int port() {
        return server.getAddress().getPort();
    }

    PolicyServer certificate(String host, TestCa.Issued issued) {
        certificates.put(host.toLowerCase(Locale.ROOT), issued);
        return this;
    }

    PolicyServer answer(String host, Answer answer) {
        answers.put(host.toLowerCase(Locale.ROOT), answer);
        return this;
    }

    /** This host accepts the request and answers nothing until the server closes. */
    PolicyServer hold(String host) {
        held.put(host.toLowerCase(Locale.ROOT), new CountDownLatch(1));
        return this;
    }

    /** Requests this host got for the policy path. */
    int requests(String host) {
        AtomicInteger count = requests.get(host.toLowerCase(Locale.ROOT));
        return count == null ? 0 : count.get();
    }

    private void handle(HttpExchange exchange) throws IOException {
        String hostHeader = String.valueOf(exchange.getRequestHeaders().getFirst("Host"));
        String host = hostHeader.replaceFirst(":\\d+$", "").toLowerCase(Locale.ROOT);
        if (exchange.getRequestURI().getPath().equals(PolicyFetcher.PATH)) {
            requests.computeIfAbsent(host, h -> new AtomicInteger()).incrementAndGet();
        }
        CountDownLatch latch = held.get(host);
        if (latch != null) {
            try {
                latch.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        Answer answer = answers.get(host);
        if (answer == null || !exchange.getRequestURI().getPath().equals(PolicyFetcher.PATH)) {
            exchange.sendResponseHeaders(404, -1);
            exchange.close();
            return;
        }
        if (answer.contentType() != null) {
            exchange.getResponseHeaders().add("Content-Type", answer.contentType());
        }
        answer.headers().forEach((k, v) -> exchange.getResponseHeaders().add(k, v));
        exchange.sendResponseHeaders(answer.status(), answer.chunked() ? 0 : answer.body().length == 0 ? -1
                : answer.body().length);
        try (OutputStream out = exchange.getResponseBody()) {
            out.write(answer.body());
        } catch (IOException clientWentAway) {
            // the client stopped reading (a size cap): that is its right
        }
        exchange.close();
    }

    @Override
    public void close() {
        held.values().forEach(CountDownLatch::countDown);
        server.stop(0);
        threads.shutdownNow();
    }

    /** Picks the certificate of the host named in SNI. */
    private final class BySni extends X509ExtendedKeyManager {

        @Override
        public String chooseEngineServerAlias(String keyType, Principal[] issuers, SSLEngine engine) {
            if (!keyType.startsWith("RSA")) {
                return null;
            }
            SSLSession session = engine.getHandshakeSession();
            if (session instanceof ExtendedSSLSession extended) {
                for (SNIServerName name : extended.getRequestedServerNames()) {
                    if (name instanceof SNIHostName host
                            && certificates.containsKey(host.getAsciiName().toLowerCase(Locale.ROOT))) {
                        return host.getAsciiName().toLowerCase(Locale.ROOT);
                    }
                }
            }
            return "fallback";
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return issued(alias).chain();
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return issued(alias).key();
        }

        private TestCa.Issued issued(String alias) {
            TestCa.Issued issued = certificates.get(alias);
            return issued != null ? issued : fallback;
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseClientAlias(String[] keyType, Principal[] issuers, Socket socket) {
            return null;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return new String[]{"fallback"};
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return "fallback";
        }
    }
}
