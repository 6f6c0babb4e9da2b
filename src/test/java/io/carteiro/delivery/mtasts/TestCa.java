package io.carteiro.delivery.mtasts;

import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.concurrent.atomic.AtomicLong;

/** A certificate authority for tests, made with BouncyCastle: a root, and server certificates it signs. */
final class TestCa {

    /** A server's key and certificate chain (leaf first). */
    record Issued(PrivateKey key, X509Certificate[] chain) {
    }

    private static final AtomicLong SERIAL = new AtomicLong(System.currentTimeMillis());

    private final KeyPair keys;
    private final X509Certificate root;
    private final X500Name name;

    private TestCa(String commonName) throws Exception {
        keys = rsa();
        name = new X500Name("CN=" + commonName);
        Instant now = Instant.now();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(),
                Date.from(now.minus(Duration.ofHours(1))), Date.from(now.plus(Duration.ofDays(2))), name,
                keys.getPublic());
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(true));
        builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.keyCertSign | KeyUsage.cRLSign));
        root = sign(builder);
    }

    static TestCa create(String commonName) throws Exception {
        return new TestCa(commonName);
    }

    /** A server certificate for these DNS names, valid from an hour ago for two days. */
    Issued issue(String... dnsNames) throws Exception {
        Instant now = Instant.now();
        return issue(now.minus(Duration.ofHours(1)), now.plus(Duration.ofDays(2)), dnsNames);
    }

    /** A server certificate that ran out yesterday. */
    Issued issueExpired(String... dnsNames) throws Exception {
        Instant now = Instant.now();
        return issue(now.minus(Duration.ofDays(3)), now.minus(Duration.ofDays(1)), dnsNames);
    }

    private Issued issue(Instant from, Instant until, String... dnsNames) throws Exception {
        KeyPair server = rsa();
        X509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(name, serial(), Date.from(from),
                Date.from(until), new X500Name("CN=" + dnsNames[0]), server.getPublic());
        GeneralName[] names = new GeneralName[dnsNames.length];
        for (int i = 0; i < dnsNames.length; i++) {
            names[i] = new GeneralName(GeneralName.dNSName, dnsNames[i]);
        }
        builder.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(names));
        builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
        return new Issued(server.getPrivate(), new X509Certificate[]{sign(builder), root});
    }

    /** Writes the root as a PEM file, the form of {@code carteiro.delivery.mta-sts.trust-store}. */
    Path writeRoot(Path file) throws Exception {
        Files.createDirectories(file.getParent());
        String pem = "-----BEGIN CERTIFICATE-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(root.getEncoded())
                + "\n-----END CERTIFICATE-----\n";
        Files.writeString(file, pem, StandardCharsets.US_ASCII);
        return file;
    }

    private X509Certificate sign(X509v3CertificateBuilder builder) throws Exception {
        ContentSigner signer = new JcaContentSignerBuilder("SHA256withRSA").build(keys.getPrivate());
        return new JcaX509CertificateConverter().getCertificate(builder.build(signer));
    }

    private static BigInteger serial() {
        return BigInteger.valueOf(SERIAL.incrementAndGet());
    }

    private static KeyPair rsa() throws IOException {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
            generator.initialize(2048);
            return generator.generateKeyPair();
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IOException(e);
        }
    }
}
