package io.carteiro.delivery;

import io.quarkus.test.junit.QuarkusTest;
import jakarta.inject.Inject;
import org.junit.jupiter.api.Test;

import java.util.OptionalLong;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

@QuarkusTest
class VerpAddressTest {

    @Inject
    VerpAddress verp;

    @Test
    void returnPathShouldCarryTheMessageIdOnTheBounceDomain() {
        String address = verp.returnPath(123456789L);
        assertTrue(address.matches("b-[0-9a-z]+-[a-z2-7]{13}@bounces\\.carteiro\\.test"), address);
        assertEquals(OptionalLong.of(123456789L), verp.decode(address));
        assertEquals(OptionalLong.of(123456789L), verp.decode("<" + address.toUpperCase() + ">"));
    }

    @Test
    void decodeShouldRefuseATamperedIdOrMacOrAnotherDomain() {
        String address = verp.returnPath(42L);
        String other = verp.returnPath(43L);
        String forgedId = "b-" + Long.toString(43L, 36) + address.substring(address.indexOf('-', 2));
        assertEquals(OptionalLong.empty(), verp.decode(forgedId));
        String forgedMac = address.substring(0, address.indexOf('@') - 1)
                + (address.charAt(address.indexOf('@') - 1) == 'a' ? 'b' : 'a') + address.substring(address.indexOf('@'));
        assertEquals(OptionalLong.empty(), verp.decode(forgedMac));
        assertEquals(OptionalLong.empty(), verp.decode(address.replace("bounces.carteiro.test", "elsewhere.test")));
        assertEquals(OptionalLong.empty(), verp.decode("postmaster@bounces.carteiro.test"));
        assertEquals(OptionalLong.empty(), verp.decode(null));
        assertEquals(OptionalLong.of(43L), verp.decode(other));
    }
}
