package io.carteiro.delivery;

import jakarta.enterprise.context.ApplicationScoped;
import org.eclipse.microprofile.config.inject.ConfigProperty;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Optional;

/** Who Carteiro says it is on the wire: the EHLO name and the bounce domain of return paths. */
@ApplicationScoped
public class SendingIdentity {

    private final String ehloName;
    private final String bounceDomain;

    SendingIdentity(DeliveryConfig config,
                    @ConfigProperty(name = "carteiro.bounce.domain") Optional<String> bounceDomain) {
        this.ehloName = config.ehloName().filter(s -> !s.isBlank()).orElseGet(SendingIdentity::localHostName);
        this.bounceDomain = bounceDomain.filter(s -> !s.isBlank()).orElse(ehloName).toLowerCase(Locale.ROOT);
    }

    /** The host name announced in EHLO ({@code carteiro.delivery.ehlo-name}, else this machine's name). */
    public String ehloName() {
        return ehloName;
    }

    /** The domain of VERP return paths ({@code carteiro.bounce.domain}, else the EHLO name). */
    public String bounceDomain() {
        return bounceDomain;
    }

    private static String localHostName() {
        try {
            String name = InetAddress.getLocalHost().getCanonicalHostName();
            return name.contains(".") ? name : "localhost.localdomain";
        } catch (UnknownHostException e) {
            return "localhost.localdomain";
        }
    }
}
