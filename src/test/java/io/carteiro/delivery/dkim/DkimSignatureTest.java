package io.carteiro.delivery.dkim;

import io.carteiro.support.SystemTools;
import io.carteiro.delivery.LoopbackDnsServer;
import io.carteiro.delivery.LoopbackNetwork;
import io.carteiro.delivery.MailQueue;
import io.carteiro.delivery.OutgoingMail;
import io.carteiro.delivery.TestSmtpServer;
import io.carteiro.delivery.DeliveryTestSupport;
import io.quarkus.narayana.jta.QuarkusTransaction;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * DKIM signatures made by the engine, checked by an independent verifier: dkimpy (Debian's python3-dkim, with
 * python3-nacl for Ed25519), fed the DNS records Carteiro shows the admin.
 */
@QuarkusTest
@TestProfile(LoopbackNetwork.class)
class DkimSignatureTest {

    static final String VERIFIER = """
            import sys, dkim
            message = open(sys.argv[1], 'rb').read()
            records = dict(zip(sys.argv[2::2], sys.argv[3::2]))
            def dns(name, timeout=5):
                return records.get(name.decode().rstrip('.'), '').encode()
            d = dkim.DKIM(message)
            count = len([l for l in message.split(b'\\r\\n\\r\\n')[0].split(b'\\r\\n') if l.lower().startswith(b'dkim-signature:')])
            def check(i):
                try:
                    return d.verify(idx=i, dnsfunc=dns)
                except dkim.ValidationError:
                    return False
            results = [check(i) for i in range(count)]
            print(' '.join('pass' if r else 'fail' for r in results))
            """;

    LoopbackDnsServer dns;
    LoopbackNetwork.Ports ports;

    @Inject
    DkimKeys keys;
    @Inject
    MailQueue queue;
    @Inject
    DeliveryTestSupport support;

    @Test
    void rsaAndEd25519SignaturesShouldVerifyWithAnIndependentVerifier() throws Exception {
        Assumptions.assumeTrue(verifierAvailable() || SystemTools.required(),
                "skipped: /usr/bin/python3 with the dkim and nacl modules (apt-get install python3-dkim"
                        + " python3-nacl) is needed to verify DKIM signatures independently");
        String senderDomain = "signed" + System.nanoTime() % 1000000 + ".test";
        DkimKey rsa = keys.generate(senderDomain, DkimAlgorithm.RSA_SHA256, Optional.empty());
        DkimKey ed = keys.generate(senderDomain, DkimAlgorithm.ED25519_SHA256, Optional.empty());
        assertTrue(rsa.dnsRecord().startsWith("v=DKIM1; k=rsa; p=MIIBIjAN"), rsa.dnsRecord());
        assertTrue(ed.dnsRecord().matches("v=DKIM1; k=ed25519; p=[A-Za-z0-9+/]{43}="), ed.dnsRecord());

        String recipientDomain = "inbox" + System.nanoTime() % 1000000 + ".test";
        try (TestSmtpServer server = TestSmtpServer.start(ports.nextAddress(), ports.port(),
                TestSmtpServer.Behaviour.ACCEPT)) {
            dns.mx(recipientDomain, 10, "mx." + recipientDomain).a("mx." + recipientDomain, server.address());
            long id = QuarkusTransaction.requiringNew().call(() -> queue.submit(new OutgoingMail(
                    "Zé  Ninguém <news@" + senderDomain + ">", "ana@" + recipientDomain,
                    "Assinatura   com  espaços — e acentos", "<p>Olá   mundo</p>\n\n\n",
                    "Olá   mundo  \n\n", Map.of("List-Unsubscribe", "<https://carteiro.test/u/1>",
                    "List-Unsubscribe-Post", "List-Unsubscribe=One-Click"), null, null)));
            support.deliver(id);

            assertEquals(1, server.received().size());
            byte[] message = server.received().get(0).data();
            String text = new String(message, StandardCharsets.UTF_8);
            assertTrue(text.contains("a=ed25519-sha256"), text);
            assertTrue(text.contains("a=rsa-sha256"), text);
            assertEquals("pass pass", verify(message, rsa, ed));

            byte[] tampered = text.replace("mundo", "MUNDO").getBytes(StandardCharsets.UTF_8);
            assertEquals("fail fail", verify(tampered, rsa, ed));

            assertTrue(text.replace("\r\n\t", " ").contains("h=from:from:"), "From is oversigned: " + text);
            int headerEnd = text.indexOf("\r\n\r\n");
            byte[] secondFrom = (text.substring(0, headerEnd) + "\r\nFrom: Someone Else <ceo@" + senderDomain
                    + ">" + text.substring(headerEnd)).getBytes(StandardCharsets.UTF_8);
            assertEquals("fail fail", verify(secondFrom, rsa, ed), "a From added on the way breaks both signatures");
        }
    }

    @Test
    void generateShouldRefuseABadDomainOrADuplicateSelector() {
        assertThrows(IllegalArgumentException.class,
                () -> keys.generate("not a domain", DkimAlgorithm.RSA_SHA256, Optional.empty()));
        String domain = "dup" + System.nanoTime() % 1000000 + ".test";
        keys.generate(domain, DkimAlgorithm.ED25519_SHA256, Optional.of("s1"));
        var error = assertThrows(IllegalArgumentException.class,
                () -> keys.generate(domain, DkimAlgorithm.ED25519_SHA256, Optional.of("s1")));
        assertTrue(error.getMessage().contains("s1"));
    }

    private static String verify(byte[] message, DkimKey... published) throws IOException, InterruptedException {
        Path file = Files.createTempFile("dkim", ".eml");
        try {
            Files.write(file, message);
            List<String> command = new ArrayList<>(List.of("/usr/bin/python3", "-c", VERIFIER, file.toString()));
            for (DkimKey key : published) {
                command.add(key.dnsName());
                command.add(key.dnsRecord());
            }
            Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).strip();
            assertEquals(0, process.waitFor(), output);
            return output;
        } finally {
            Files.deleteIfExists(file);
        }
    }

    private static boolean verifierAvailable() {
        try {
            Process p = new ProcessBuilder("/usr/bin/python3", "-c", "import dkim, nacl").start();
            return p.waitFor() == 0;
        } catch (IOException | InterruptedException e) {
            return false;
        }
    }
}
