package io.carteiro.deliverability;

import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.PTRRecord;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.ReverseMap;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The desk's live DNS questions (TXT, A/AAAA, MX, PTR), asked of the engine's configured resolvers so that the checks
 * see what the engine and the receivers see. Every answer is a value: records, an empty answer (and whether the name
 * does not exist), or why there is no answer.
 */
final class DnsLookups {

    /** What one question came to. */
    sealed interface Answer<T> {
        /** At least one record of the type asked for. */
        record Found<T>(List<T> records) implements Answer<T> {
        }

        /** No record of that type; {@code nxdomain} when the name does not exist at all. */
        record Empty<T>(boolean nxdomain) implements Answer<T> {
        }

        /** No usable answer (timeout, SERVFAIL, a name that is not a name). */
        record Failed<T>(String reason) implements Answer<T> {
        }
    }

    /** One MX record. */
    record Mx(int preference, String host) {
    }

    private static final ExecutorService COMPLETIONS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "deliverability-dns");
        thread.setDaemon(true);
        return thread;
    });

    private final Resolver resolver;

    DnsLookups(Resolver resolver) {
        this.resolver = resolver;
    }

    /** TXT records of a name, each joined from its character strings (RFC 7208 §3.3, RFC 6376 §3.6.2.2). */
    Answer<String> txt(String name) {
        return ask(name, Type.TXT, r -> r instanceof TXTRecord t ? String.join("", t.getStrings()) : null);
    }

    /** A and AAAA records of a host, IPv4 first. */
    Answer<InetAddress> addresses(String host) {
        Answer<InetAddress> v4 = ask(host, Type.A, r -> r instanceof ARecord a ? a.getAddress() : null);
        Answer<InetAddress> v6 = ask(host, Type.AAAA, r -> r instanceof AAAARecord a ? a.getAddress() : null);
        List<InetAddress> all = new ArrayList<>();
        if (v4 instanceof Answer.Found<InetAddress> f) {
            all.addAll(f.records());
        }
        if (v6 instanceof Answer.Found<InetAddress> f) {
            all.addAll(f.records());
        }
        if (!all.isEmpty()) {
            return new Answer.Found<>(List.copyOf(all));
        }
        if (v4 instanceof Answer.Failed<InetAddress> failed) {
            return failed;
        }
        if (v6 instanceof Answer.Failed<InetAddress> failed) {
            return failed;
        }
        return new Answer.Empty<>(v4 instanceof Answer.Empty<InetAddress> e && e.nxdomain());
    }

    /** A or AAAA records only (SPF's a and mx mechanisms ask for the family of the address checked). */
    Answer<InetAddress> addresses(String host, boolean ipv6) {
        return ipv6 ? ask(host, Type.AAAA, r -> r instanceof AAAARecord a ? a.getAddress() : null)
                : ask(host, Type.A, r -> r instanceof ARecord a ? a.getAddress() : null);
    }

    /** MX records by preference. */
    Answer<Mx> mx(String domain) {
        Answer<Mx> answer = ask(domain, Type.MX, r -> r instanceof MXRecord m
                ? new Mx(m.getPriority(), host(m.getTarget())) : null);
        if (answer instanceof Answer.Found<Mx> found) {
            List<Mx> sorted = new ArrayList<>(found.records());
            sorted.sort(Comparator.comparingInt(Mx::preference));
            return new Answer.Found<>(List.copyOf(sorted));
        }
        return answer;
    }

    /** PTR records of an address (its in-addr.arpa / ip6.arpa name). */
    Answer<String> ptr(InetAddress address) {
        return ask(ReverseMap.fromAddress(address), Type.PTR,
                r -> r instanceof PTRRecord p ? host(p.getTarget()) : null);
    }

    private interface Extract<T> {
        T from(Record record);
    }

    private <T> Answer<T> ask(String name, int type, Extract<T> extract) {
        Name parsed;
        try {
            parsed = Name.fromString(name.endsWith(".") ? name : name + ".");
        } catch (TextParseException | RuntimeException e) {
            return new Answer.Failed<>("'" + Texts.shorten(name) + "' is not a domain name");
        }
        return ask(parsed, type, extract);
    }

    private <T> Answer<T> ask(Name name, int type, Extract<T> extract) {
        Message response;
        try {
            response = resolver.sendAsync(Message.newQuery(Record.newRecord(name, type, DClass.IN)), COMPLETIONS)
                    .toCompletableFuture().get(resolver.getTimeout().toMillis() * 3, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer.Failed<>("interrupted");
        } catch (TimeoutException e) {
            return new Answer.Failed<>("no answer for " + name + "/" + Type.string(type) + " in time");
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            return new Answer.Failed<>(Type.string(type) + " lookup of " + name + " failed: "
                    + (cause instanceof IOException && cause.getMessage() != null ? cause.getMessage()
                    : cause.getClass().getSimpleName()));
        } catch (RuntimeException e) {
            return new Answer.Failed<>(Type.string(type) + " lookup of " + name + " failed: " + e.getMessage());
        }
        int rcode = response.getRcode();
        if (rcode == Rcode.NXDOMAIN) {
            return new Answer.Empty<>(true);
        }
        if (rcode != Rcode.NOERROR) {
            return new Answer.Failed<>(Type.string(type) + " lookup of " + name + " answered " + Rcode.string(rcode));
        }
        List<T> found = new ArrayList<>();
        for (Record r : response.getSection(Section.ANSWER)) {
            if (r.getType() == type) {
                T value = extract.from(r);
                if (value != null) {
                    found.add(value);
                }
            }
        }
        return found.isEmpty() ? new Answer.Empty<>(false) : new Answer.Found<>(List.copyOf(found));
    }

    private static String host(Name name) {
        return name.toString(true).toLowerCase(Locale.ROOT);
    }
}
