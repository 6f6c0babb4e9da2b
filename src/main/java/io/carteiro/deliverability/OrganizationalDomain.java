package io.carteiro.deliverability;

import com.google.common.net.InternetDomainName;

import java.util.Locale;

/**
 * The organisational domain of RFC 7489 §3.2 (the registrable domain under the public suffix list, with its private
 * section, as receivers use it), from Guava's copy of the list; and DMARC's relaxed / strict identifier alignment.
 */
final class OrganizationalDomain {

    private OrganizationalDomain() {
    }

    /**
     * The organisational domain of a name: one label more than its public suffix. A name under no listed suffix
     * takes the list's default rule "*" (its last label is the suffix), so {@code news.example.test} belongs to
     * {@code example.test}; a suffix itself or a name that is not a domain is its own.
     */
    static String of(String domain) {
        String d = normalize(domain);
        try {
            InternetDomainName name = InternetDomainName.from(d);
            if (name.isUnderPublicSuffix()) {
                return name.topPrivateDomain().toString();
            }
            if (name.hasPublicSuffix()) {
                return d;
            }
        } catch (IllegalArgumentException | IllegalStateException e) {
            return d;
        }
        String[] labels = d.split("\\.");
        return labels.length <= 2 ? d : labels[labels.length - 2] + "." + labels[labels.length - 1];
    }

    /** Whether {@code identifier} aligns with the From domain: equal when strict, same organisation when relaxed. */
    static boolean aligned(String identifier, String fromDomain, boolean strict) {
        String a = normalize(identifier);
        String b = normalize(fromDomain);
        return strict ? a.equals(b) : of(a).equals(of(b));
    }

    private static String normalize(String domain) {
        String d = domain == null ? "" : domain.strip().toLowerCase(Locale.ROOT);
        return d.endsWith(".") ? d.substring(0, d.length() - 1) : d;
    }
}
