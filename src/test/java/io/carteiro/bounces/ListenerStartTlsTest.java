package io.carteiro.bounces;

import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.QuarkusTestProfile;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.X509Certificate;
import java.util.Base64;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertTrue;

/** With a PEM certificate and key configured, the listener offers STARTTLS and talks over TLS afterwards. */
@QuarkusTest
@TestProfile(ListenerStartTlsTest.WithCertificate.class)
class ListenerStartTlsTest {

    /** Generates a self-signed certificate with the JDK's keytool and configures it as PEM files. */
    public static class WithCertificate implements QuarkusTestProfile {
        @Override
        public Map<String, String> getConfigOverrides() {
            try {
                Path dir = Files.createTempDirectory("listener-tls");
                Path store = dir.resolve("server.p12");
                String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
                Process p = new ProcessBuilder(keytool, "-genkeypair", "-alias", "server", "-keyalg", "RSA",
                        "-keysize", "2048", "-dname", "CN=bounces.carteiro.test", "-validity", "2", "-keystore",
                        store.toString(), "-storetype", "PKCS12", "-storepass", "changeit", "-keypass", "changeit")
                        .redirectErrorStream(true).start();
                p.getInputStream().readAllBytes();
                if (p.waitFor() != 0) {
                    throw new IOException("keytool failed");
                }
                KeyStore keys = KeyStore.getInstance("PKCS12");
                try (InputStream in = Files.newInputStream(store)) {
                    keys.load(in, "changeit".toCharArray());
                }
                Base64.Encoder pem = Base64.getMimeEncoder(64, "\n".getBytes());
                Path cert = dir.resolve("cert.pem");
                Path key = dir.resolve("key.pem");
                Files.writeString(cert, "-----BEGIN CERTIFICATE-----\n"
                        + pem.encodeToString(keys.getCertificate("server").getEncoded()) + "\n-----END CERTIFICATE-----\n");
                Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n"
                        + pem.encodeToString(keys.getKey("server", "changeit".toCharArray()).getEncoded())
                        + "\n-----END PRIVATE KEY-----\n");
                Files.delete(store);
                return Map.of("carteiro.bounce.tls-certificate", cert.toString(),
                        "carteiro.bounce.tls-key", key.toString());
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        }
    }

    @Inject
    BounceListener listener;

    @Test
    void listenerShouldOfferStartTlsAndContinueOverTls() throws Exception {
        try (Socket plain = new Socket("127.0.0.1", listener.port())) {
            plain.setSoTimeout(10_000);
            BufferedReader in = new BufferedReader(new InputStreamReader(plain.getInputStream(), StandardCharsets.ISO_8859_1));
            OutputStream out = plain.getOutputStream();
            assertTrue(reply(in).startsWith("220"));
            String ehlo = command(in, out, "EHLO client.example");
            assertTrue(ehlo.contains("STARTTLS"), ehlo);
            assertTrue(command(in, out, "STARTTLS").startsWith("220"));

            SSLContext trustAll = SSLContext.getInstance("TLS");
            trustAll.init(null, new TrustManager[]{new X509TrustManager() {
                public void checkClientTrusted(X509Certificate[] chain, String authType) {
                }

                public void checkServerTrusted(X509Certificate[] chain, String authType) {
                }

                public X509Certificate[] getAcceptedIssuers() {
                    return new X509Certificate[0];
                }
            }}, null);
            try (SSLSocket tls = (SSLSocket) trustAll.getSocketFactory().createSocket(plain, "127.0.0.1",
                    listener.port(), true)) {
                tls.startHandshake();
                BufferedReader tin = new BufferedReader(new InputStreamReader(tls.getInputStream(), StandardCharsets.ISO_8859_1));
                OutputStream tout = tls.getOutputStream();
                String afterTls = command(tin, tout, "EHLO client.example");
                assertTrue(afterTls.startsWith("250"), afterTls);
                assertTrue(tls.getSession().getProtocol().startsWith("TLS"), tls.getSession().getProtocol());
                assertTrue(command(tin, tout, "MAIL FROM:<>").startsWith("250"));
                assertTrue(command(tin, tout, "RCPT TO:<victim@elsewhere.example>").startsWith("550 5.7.1"),
                        "TLS changes nothing about relaying");
            }
        }
    }

    private static String command(BufferedReader in, OutputStream out, String line) throws IOException {
        out.write((line + "\r\n").getBytes(StandardCharsets.ISO_8859_1));
        out.flush();
        return reply(in);
    }

    private static String reply(BufferedReader in) throws IOException {
        StringBuilder reply = new StringBuilder();
        String line;
        while ((line = in.readLine()) != null) {
            reply.append(line).append('\n');
            if (line.length() < 4 || line.charAt(3) != '-') {
                break;
            }
        }
        return reply.toString();
    }
}
