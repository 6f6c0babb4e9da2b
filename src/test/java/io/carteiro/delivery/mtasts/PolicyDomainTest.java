package io.carteiro.delivery.mtasts;

import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class PolicyDomainTest {

    @Test
    void domainsShouldBeKeyedAsLowerCaseALabelsWithoutTheRootDot() {
        assertEquals(Optional.of("example.com"), PolicyDomain.key(" Example.COM. "));
        assertEquals(Optional.of("xn--bcher-kva.example"), PolicyDomain.key("bücher.example"));
    }

    @Test
    void whatIsNotADomainNameShouldHaveNoKey() {
        for (String bad : Arrays.asList(null, "", ".", "localhost", "[127.0.0.1]", "a..b", "*.example.com",
                "exa mple.com", "x".repeat(64) + ".com", ("a".repeat(60) + ".").repeat(5) + "com", "ex/ample.com",
                "_mta-sts.example.com")) {
            assertEquals(Optional.empty(), PolicyDomain.key(bad), String.valueOf(bad));
        }
    }
}
