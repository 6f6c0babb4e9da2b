package io.carteiro.delivery;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManager;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509TrustManager;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The trust used for verified TLS (policy {@code verify}): the JDK's CA certificates, plus the PEM certificates of
 * {@code carteiro.delivery.tls.trusted-certificates} (a private CA for a relay, a test CA), without touching the
 * JVM-wide {@code javax.net.ssl} properties.
 */
final class TrustedCertificates {

    private TrustedCertificates() {
    }

    static SSLContext context(Optional<Path> extra) {
        try {
            List<X509TrustManager> managers = new ArrayList<>();
            managers.add(managerOf(null));
            if (extra.isPresent()) {
                KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
                store.load(null, null);
                int n = 0;
                try (InputStream in = Files.newInputStream(extra.get())) {
                    for (var cert : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                        store.setCertificateEntry("extra-" + n++, cert);
                    }
                }
                if (n == 0) {
                    throw new IllegalArgumentException("carteiro.delivery.tls.trusted-certificates: " + extra.get()
                            + " holds no PEM certificate");
                }
                managers.add(managerOf(store));
            }
            SSLContext context = SSLContext.getInstance("TLS");
            context.init(null, new TrustManager[]{new Either(managers)}, null);
            return context;
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalArgumentException("carteiro.delivery.tls.trusted-certificates: cannot read "
                    + extra.map(Path::toString).orElse("the JDK trust store") + ": " + e.getMessage(), e);
        }
    }

    private static X509TrustManager managerOf(KeyStore store) throws GeneralSecurityException {
        TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        factory.init(store);
        for (TrustManager m : factory.getTrustManagers()) {
            if (m instanceof X509TrustManager x509) {
                return x509;
            }
        }
        throw new GeneralSecurityException("no X.509 trust manager");
    }

    /** Trusts a chain that any of the managers trusts. */
    private record Either(List<X509TrustManager> managers) implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            throw new CertificateException("not a server");
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
            CertificateException last = null;
            for (X509TrustManager m : managers) {
                try {
                    m.checkServerTrusted(chain, authType);
                    return;
                } catch (CertificateException e) {
                    last = e;
                }
            }
            throw last;
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return managers.stream().flatMap(m -> java.util.Arrays.stream(m.getAcceptedIssuers()))
                    .toArray(X509Certificate[]::new);
        }
    }
}
