package io.carteiro.delivery.mx;

import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.io.IOException;
import java.net.InetAddress;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.random.RandomGenerator;

/**
 * MX resolution with dnsjava (RFC 5321 §5.1, RFC 7505): MX records by preference with equal preferences shuffled,
 * the domain's own A/AAAA when it has no MX, null MX and NXDOMAIN as permanent failures, SERVFAIL and timeouts as
 * temporary ones; answers cached by their TTL, negative answers by the SOA minimum (RFC 2308).
 */
public class DnsMxResolver implements MxResolver {

    static final Duration DEFAULT_NEGATIVE_TTL = Duration.ofMinutes(5);
    static final Duration MAX_TTL = Duration.ofHours(1);

    /**
     * Runs dnsjava's completions. Its blocking {@code send} completes on the common fork-join pool, which on a
     * two-core machine has one worker and so starts a new thread for every answer; these threads are reused.
     */
    private static final ExecutorService COMPLETIONS = Executors.newCachedThreadPool(task -> {
        Thread thread = new Thread(task, "carteiro-dns");
        thread.setDaemon(true);
        return thread;
    });

    private final Resolver resolver;
    private final Clock clock;
    private final boolean allowPrivateExchangers;
    private final RandomGenerator random;
    private final Map<String, Cached> cache = new ConcurrentHashMap<>();

    private record Cached(MxLookup lookup, Instant expires) {
    }

    /** Outcome of one query: the message, or why there is none. */
    private record Answer(Message message, String trouble) {
        int rcode() {
            return message == null ? -1 : message.getRcode();
        }
    }

    public DnsMxResolver(Resolver resolver, Clock clock, boolean allowPrivateExchangers, RandomGenerator random) {
        this.resolver = resolver;
        this.clock = clock;
        this.allowPrivateExchangers = allowPrivateExchangers;
        this.random = random;
    }

    @Override
    public MxLookup resolve(String domain) {
        String key = domain.toLowerCase(Locale.ROOT);
        Instant now = clock.instant();
        Cached cached = cache.get(key);
        if (cached != null && cached.expires().isAfter(now)) {
            return cached.lookup();
        }
        long[] ttl = {MAX_TTL.toSeconds()};
        MxLookup lookup = lookUp(key, ttl);
        if (!(lookup instanceof MxLookup.Temporary) && ttl[0] > 0) {
            cache.put(key, new Cached(lookup, now.plusSeconds(ttl[0])));
        }
        return lookup;
    }

    /** Forgets every cached answer. */
    public void clearCache() {
        cache.clear();
    }

    private MxLookup lookUp(String domain, long[] ttl) {
        Name name;
        try {
            name = Name.fromString(domain.endsWith(".") ? domain : domain + ".");
        } catch (TextParseException e) {
            return new MxLookup.Permanent("5.1.2", "'" + domain + "' is not a domain name");
        }
        Answer mx = query(name, Type.MX);
        if (mx.message() == null) {
            return new MxLookup.Temporary("MX lookup for " + domain + " failed: " + mx.trouble());
        }
        if (mx.rcode() == Rcode.NXDOMAIN) {
            ttl[0] = Math.min(ttl[0], negativeTtl(mx.message()));
            return new MxLookup.Permanent("5.1.2", "domain " + domain + " does not exist (NXDOMAIN)");
        }
        if (mx.rcode() != Rcode.NOERROR) {
            return new MxLookup.Temporary("MX lookup for " + domain + " answered " + Rcode.string(mx.rcode()));
        }
        List<MXRecord> records = new ArrayList<>();
        for (Record r : mx.message().getSection(Section.ANSWER)) {
            if (r instanceof MXRecord m) {
                records.add(m);
                ttl[0] = Math.min(ttl[0], m.getTTL());
            }
        }
        if (records.isEmpty()) {
            ttl[0] = Math.min(ttl[0], negativeTtl(mx.message()));
            return implicitMx(domain, name, ttl);
        }
        List<MXRecord> real = records.stream().filter(r -> !r.getTarget().equals(Name.root)).toList();
        if (real.isEmpty()) {
            return new MxLookup.Permanent("5.1.10", "domain " + domain + " accepts no mail (null MX, RFC 7505)");
        }
        TreeMap<Integer, List<MXRecord>> byPreference = new TreeMap<>();
        for (MXRecord r : real) {
            byPreference.computeIfAbsent(r.getPriority(), p -> new ArrayList<>()).add(r);
        }
        List<Exchanger> exchangers = new ArrayList<>();
        List<String> problems = new ArrayList<>();
        boolean temporary = false;
        for (Map.Entry<Integer, List<MXRecord>> group : byPreference.entrySet()) {
            List<MXRecord> equal = new ArrayList<>(group.getValue());
            for (int i = equal.size() - 1; i > 0; i--) {
                Collections.swap(equal, i, random.nextInt(i + 1));
            }
            for (MXRecord r : equal) {
                String host = hostName(r.getTarget());
                Addresses addresses = addresses(r.getTarget(), ttl);
                temporary |= addresses.temporary();
                if (addresses.usable().isEmpty()) {
                    problems.add(host + ": " + addresses.problem());
                } else {
                    exchangers.add(new Exchanger(host, group.getKey(), addresses.usable()));
                }
            }
        }
        if (!exchangers.isEmpty()) {
            return new MxLookup.Found(domain, exchangers, false);
        }
        if (temporary) {
            return new MxLookup.Temporary("no exchanger of " + domain + " resolved: " + String.join("; ", problems));
        }
        return new MxLookup.Permanent("5.4.4", "no usable exchanger for " + domain + ": " + String.join("; ", problems));
    }

    private MxLookup implicitMx(String domain, Name name, long[] ttl) {
        Addresses addresses = addresses(name, ttl);
        if (!addresses.usable().isEmpty()) {
            return new MxLookup.Found(domain, List.of(new Exchanger(domain, 0, addresses.usable())), true);
        }
        if (addresses.temporary()) {
            return new MxLookup.Temporary("address lookup for " + domain + " failed: " + addresses.problem());
        }
        return new MxLookup.Permanent(addresses.refused() ? "5.4.4" : "5.1.2",
                "domain " + domain + " has no MX and " + addresses.problem());
    }

    private record Addresses(List<InetAddress> usable, boolean temporary, boolean refused, String problem) {
    }

    private Addresses addresses(Name host, long[] ttl) {
        List<InetAddress> found = new ArrayList<>();
        boolean temporary = false;
        String trouble = null;
        for (int type : new int[]{Type.A, Type.AAAA}) {
            Answer answer = query(host, type);
            if (answer.message() == null || answer.rcode() != Rcode.NOERROR && answer.rcode() != Rcode.NXDOMAIN) {
                temporary = true;
                trouble = Type.string(type) + " lookup failed: "
                        + (answer.message() == null ? answer.trouble() : Rcode.string(answer.rcode()));
                continue;
            }
            for (Record r : answer.message().getSection(Section.ANSWER)) {
                if (r instanceof ARecord a) {
                    found.add(a.getAddress());
                    ttl[0] = Math.min(ttl[0], a.getTTL());
                } else if (r instanceof AAAARecord a) {
                    found.add(a.getAddress());
                    ttl[0] = Math.min(ttl[0], a.getTTL());
                }
            }
        }
        List<InetAddress> usable = allowPrivateExchangers ? found
                : found.stream().filter(ExchangerAddresses::isPublic).toList();
        boolean refused = usable.isEmpty() && !found.isEmpty();
        String problem = refused ? "resolves only to non-public addresses " + found.stream()
                .map(InetAddress::getHostAddress).toList() + " (see carteiro.delivery.allow-private-exchangers)"
                : trouble != null ? trouble : "has no A or AAAA record";
        return new Addresses(usable, temporary && usable.isEmpty(), refused, problem);
    }

    private Answer query(Name name, int type) {
        Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
        try {
            Message response = resolver.sendAsync(query, COMPLETIONS).toCompletableFuture()
                    .get(resolver.getTimeout().toMillis(), TimeUnit.MILLISECONDS);
            return new Answer(response, null);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(null, "interrupted");
        } catch (TimeoutException e) {
            return new Answer(null, "timed out after " + resolver.getTimeout().toMillis() + " ms asking for "
                    + name + "/" + Type.string(type));
        } catch (ExecutionException e) {
            Throwable cause = e.getCause();
            return new Answer(null, cause instanceof IOException
                    ? (cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage())
                    : "bad answer: " + cause.getMessage());
        } catch (RuntimeException e) {
            return new Answer(null, "bad answer: " + e.getMessage());
        }
    }

    private static long negativeTtl(Message message) {
        for (Record r : message.getSection(Section.AUTHORITY)) {
            if (r instanceof SOARecord soa) {
                return Math.min(soa.getTTL(), soa.getMinimum());
            }
        }
        return DEFAULT_NEGATIVE_TTL.toSeconds();
    }

    private static String hostName(Name name) {
        String text = name.toString(true);
        return text.toLowerCase(Locale.ROOT);
    }
}
