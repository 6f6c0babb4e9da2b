package io.carteiro.bounces;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

/**
 * A certificate authority for one test run, made with the JDK's keytool: a CA certificate and server certificates
 * it signs for the names a test chooses, written as PEM files (what Dovecot reads) and as a PKCS12 trust store.
 */
final class TestCa {

    static final String PASSWORD = "changeit";

    final Path dir;
    final Path caPem;
    final Path trustStore;
    private final Path caStore;

    private TestCa(Path dir) {
        this.dir = dir;
        this.caPem = dir.resolve("ca.pem");
        this.trustStore = dir.resolve("trust.p12");
        this.caStore = dir.resolve("ca.p12");
    }

    /** A server certificate and its private key, as PEM files. */
    record ServerCertificate(Path certificate, Path key) {
    }

    static TestCa create(Path dir) throws IOException, InterruptedException {
        Files.createDirectories(dir);
        TestCa ca = new TestCa(dir);
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=Carteiro Test CA",
                "-ext", "bc:c", "-validity", "3", "-keystore", ca.caStore.toString(), "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.caStore.toString(), "-storepass", PASSWORD,
                "-file", ca.caPem.toString());
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", ca.caPem.toString(), "-keystore",
                ca.trustStore.toString(), "-storetype", "PKCS12", "-storepass", PASSWORD);
        return ca;
    }

    /** A certificate for {@code names} (DNS names, or IP addresses given as {@code ip:…}) signed by this CA. */
    ServerCertificate issue(String fileName, String... names) throws Exception {
        Path store = dir.resolve(fileName + ".p12");
        Path csr = dir.resolve(fileName + ".csr");
        Path cert = dir.resolve(fileName + ".pem");
        Path key = dir.resolve(fileName + ".key");
        keytool("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=" + names[0]
                .replace("ip:", ""), "-validity", "3", "-keystore", store.toString(), "-storetype", "PKCS12",
                "-storepass", PASSWORD, "-keypass", PASSWORD);
        keytool("-certreq", "-alias", "server", "-keystore", store.toString(), "-storepass", PASSWORD, "-file",
                csr.toString());
        List<String> san = new ArrayList<>();
        for (String name : names) {
            san.add(name.startsWith("ip:") ? name : "dns:" + name);
        }
        keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", caStore.toString(), "-storepass", PASSWORD,
                "-infile", csr.toString(), "-outfile", cert.toString(), "-validity", "3",
                "-ext", "san=" + String.join(",", san), "-ext", "eku=serverAuth");
        KeyStore keys = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(store)) {
            keys.load(in, PASSWORD.toCharArray());
        }
        Files.writeString(key, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(
                keys.getKey("server", PASSWORD.toCharArray()).getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        return new ServerCertificate(cert, key);
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(args));
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String output = new String(p.getInputStream().readAllBytes());
        if (p.waitFor() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + " failed: " + output);
        }
    }
}
