package io.carteiro.delivery;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;

/** A server TLS context with a fresh self-signed certificate made by the JDK's keytool. */
public final class SelfSignedTls {

    /** A server's TLS context and its certificate as a PEM file (for a client to trust). */
    public record Server(SSLContext context, Path certificate) {
    }

    private SelfSignedTls() {
    }

    public static SSLContext context(String commonName) throws Exception {
        return server(commonName, null).context();
    }

    /** A certificate for {@code commonName}, with these subject alternative names (keytool syntax) when given. */
    public static Server server(String commonName, String subjectAlternativeNames) throws Exception {
        Path dir = Files.createTempDirectory("tls");
        Path store = dir.resolve("server.p12");
        String keytool = Path.of(System.getProperty("java.home"), "bin", "keytool").toString();
        java.util.List<String> generate = new java.util.ArrayList<>(java.util.List.of(keytool, "-genkeypair",
                "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=" + commonName, "-validity",
                "2", "-keystore", store.toString(), "-storetype", "PKCS12", "-storepass", "changeit", "-keypass",
                "changeit"));
        if (subjectAlternativeNames != null) {
            generate.addAll(java.util.List.of("-ext", "SAN=" + subjectAlternativeNames));
        }
        run(generate);
        Path pem = Files.createTempFile("server-certificate", ".pem");
        run(java.util.List.of(keytool, "-exportcert", "-rfc", "-alias", "server", "-keystore", store.toString(),
                "-storepass", "changeit", "-file", pem.toString()));
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, "changeit".toCharArray());
        }
        KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        kmf.init(keys, "changeit".toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(kmf.getKeyManagers(), null, null);
        Files.deleteIfExists(store);
        Files.deleteIfExists(dir);
        pem.toFile().deleteOnExit();
        return new Server(context, pem);
    }

    private static void run(java.util.List<String> command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException("keytool failed: " + output);
        }
    }
}
