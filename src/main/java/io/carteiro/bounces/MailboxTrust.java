package io.carteiro.bounces;

import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManagerFactory;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.List;
import java.util.Optional;

/**
 * Which certificates the bounce mailbox's server may present: the JVM's default CAs, or a CA file or trust store of
 * its own, given to Angus Mail as this mailbox's socket factory (never as JVM-wide system properties). Every socket
 * checks that the certificate names the host connected to.
 */
record MailboxTrust(Optional<String> caFile, Optional<String> trustStore, Optional<String> trustStorePassword) {

    MailboxTrust {
        if (caFile.isPresent() && trustStore.isPresent()) {
            throw new IllegalArgumentException("set either carteiro.bounce.mailbox.ca-file or "
                    + "carteiro.bounce.mailbox.trust-store, not both");
        }
    }

    static MailboxTrust of(Optional<String> caFile, Optional<String> trustStore, Optional<String> password) {
        return new MailboxTrust(caFile.filter(s -> !s.isBlank()), trustStore.filter(s -> !s.isBlank()),
                password);
    }

    /** What is trusted, for logs and the settings' fingerprint. */
    String describe() {
        return caFile.map(f -> "CA file " + f).or(() -> trustStore.map(s -> "trust store " + s))
                .orElse("the JVM's default CAs");
    }

    /** A socket factory that trusts what is configured and checks the server's name. */
    SSLSocketFactory socketFactory() throws IOException, GeneralSecurityException {
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(keyStore());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return new HostChecking(context.getSocketFactory());
    }

    /** The trusted certificates, or null for the JVM's defaults. */
    private KeyStore keyStore() throws IOException, GeneralSecurityException {
        if (caFile.isPresent()) {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            try (InputStream in = Files.newInputStream(Path.of(caFile.get()))) {
                int n = 0;
                for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                    store.setCertificateEntry("ca-" + n++, c);
                }
                if (n == 0) {
                    throw new GeneralSecurityException("no certificate in " + caFile.get());
                }
            }
            return store;
        }
        if (trustStore.isPresent()) {
            Path path = Path.of(trustStore.get());
            String type = path.getFileName().toString().toLowerCase().endsWith(".jks") ? "JKS" : "PKCS12";
            KeyStore store = KeyStore.getInstance(type);
            try (InputStream in = Files.newInputStream(path)) {
                store.load(in, trustStorePassword.map(String::toCharArray).orElse(null));
            }
            return store;
        }
        return null;
    }

    /**
     * Turns on the JDK's check of the server name against the certificate (the one HTTPS uses, RFC 2818 / 6125) and
     * SNI on every socket, so a certificate for another name fails the handshake with a message that says so.
     */
    private static final class HostChecking extends SSLSocketFactory {

        private final SSLSocketFactory delegate;

        HostChecking(SSLSocketFactory delegate) {
            this.delegate = delegate;
        }

        private static Socket checked(Socket socket, String host) {
            if (socket instanceof SSLSocket ssl) {
                SSLParameters params = ssl.getSSLParameters();
                params.setEndpointIdentificationAlgorithm("HTTPS");
                if (host != null && !host.isEmpty() && !Character.isDigit(host.charAt(0)) && host.indexOf(':') < 0) {
                    params.setServerNames(List.of(new SNIHostName(host)));
                }
                ssl.setSSLParameters(params);
            }
            return socket;
        }

        @Override
        public Socket createSocket(Socket s, String host, int port, boolean autoClose) throws IOException {
            return checked(delegate.createSocket(s, host, port, autoClose), host);
        }

        @Override
        public Socket createSocket() throws IOException {
            return checked(delegate.createSocket(), null); // the name checked is the one it is connected to
        }

        @Override
        public Socket createSocket(String host, int port) throws IOException {
            return checked(delegate.createSocket(host, port), host);
        }

        @Override
        public Socket createSocket(String host, int port, InetAddress localHost, int localPort) throws IOException {
            return checked(delegate.createSocket(host, port, localHost, localPort), host);
        }

        @Override
        public Socket createSocket(InetAddress host, int port) throws IOException {
            return checked(delegate.createSocket(host, port), host.getHostName());
        }

        @Override
        public Socket createSocket(InetAddress address, int port, InetAddress localAddress, int localPort)
                throws IOException {
            return checked(delegate.createSocket(address, port, localAddress, localPort), address.getHostName());
        }

        @Override
        public String[] getDefaultCipherSuites() {
            return delegate.getDefaultCipherSuites();
        }

        @Override
        public String[] getSupportedCipherSuites() {
            return delegate.getSupportedCipherSuites();
        }
    }
}
