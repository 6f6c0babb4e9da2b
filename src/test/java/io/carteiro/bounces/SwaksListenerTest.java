package io.carteiro.bounces;

import io.carteiro.delivery.LoopbackDnsServer;
import io.carteiro.delivery.LoopbackNetwork;
import io.quarkus.test.junit.QuarkusTest;
import io.quarkus.test.junit.TestProfile;
import jakarta.inject.Inject;
import io.carteiro.support.SystemTools;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Runs bench/swaks-listener.sh (Debian's swaks) against the test listener. */
@QuarkusTest
@TestProfile(BounceNetwork.class)
class SwaksListenerTest {

    LoopbackDnsServer dns;
    LoopbackNetwork.Ports ports;

    @Inject
    BounceListener listener;

    @Inject
    BounceTestData data;

    @Test
    void swaksScriptShouldSeeRelayRefusedPostmasterAbuseAndMangledTokensTakenAndAGenuineDsnAccepted() throws Exception {
        SystemTools.require("/usr/bin/swaks", "swaks");
        data.on(dns, ports);
        var sent = data.delivered("swaks");
        Path dsn = Files.createTempFile(Path.of("target"), "swaks-dsn", ".eml");
        Files.write(dsn, BounceTestData.dsn(sent.email(), "5.1.1", "550 5.1.1 no such user", sent.rfcMessageId()));
        Process process = new ProcessBuilder("bench/swaks-listener.sh", "127.0.0.1:" + listener.port(),
                listener.primaryDomain(), sent.returnPath(), dsn.toString())
                .redirectErrorStream(true).start();
        boolean finished = process.waitFor(60, TimeUnit.SECONDS);
        if (!finished) {
            process.destroyForcibly();
        }
        assertTrue(finished, "swaks script finished");
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertEquals(0, process.exitValue(), output);
        assertEquals("bounced", data.string("select status from subscriber where id = " + sent.subscriberId()));
        Files.deleteIfExists(dsn);
    }
}
