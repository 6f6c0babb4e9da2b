package io.carteiro.bounces;

import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.Optional;

/** Builds the listener's STARTTLS context from a PEM certificate chain and PKCS#8 key, when both are configured. */
final class TlsContexts {

    private TlsContexts() {
    }

    static Optional<SSLContext> fromPem(Optional<String> certificatePath, Optional<String> keyPath) {
        if (certificatePath.isEmpty() && keyPath.isEmpty()) {
            return Optional.empty();
        }
        if (certificatePath.isEmpty() || keyPath.isEmpty()) {
            throw new IllegalStateException("STARTTLS needs both carteiro.bounce.tls-certificate and "
                    + "carteiro.bounce.tls-key");
        }
        try {
            Certificate[] chain = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(Files.readAllBytes(Path.of(certificatePath.get()))))
                    .toArray(new Certificate[0]);
            PrivateKey key = privateKey(Files.readString(Path.of(keyPath.get())));
            KeyStore store = KeyStore.getInstance("PKCS12");
            store.load(null, null);
            char[] password = new char[0];
            store.setKeyEntry("listener", key, password, chain);
            KeyManagerFactory kmf = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
            kmf.init(store, password);
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(kmf.getKeyManagers(), null, null);
            return Optional.of(context);
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException("cannot load the listener's TLS certificate or key: " + e.getMessage(), e);
        }
    }

    private static PrivateKey privateKey(String pem) throws GeneralSecurityException {
        if (!pem.contains("BEGIN PRIVATE KEY")) {
            throw new GeneralSecurityException("the key must be PEM PKCS#8 (BEGIN PRIVATE KEY)");
        }
        String base64 = pem.replaceAll("-----[A-Z ]+-----", "").replaceAll("\\s", "");
        PKCS8EncodedKeySpec spec = new PKCS8EncodedKeySpec(Base64.getDecoder().decode(base64));
        for (String algorithm : new String[]{"RSA", "EC", "Ed25519"}) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(spec);
            } catch (GeneralSecurityException e) {
                // try the next algorithm
            }
        }
        throw new GeneralSecurityException("unsupported private key algorithm");
    }
}
