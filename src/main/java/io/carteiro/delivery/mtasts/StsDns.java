package io.carteiro.delivery.mtasts;

import io.carteiro.delivery.DeliveryConfig;
import io.carteiro.delivery.mx.ExchangerAddresses;
import io.carteiro.delivery.mx.MxResolverProducer;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.Resolver;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.TextParseException;
import org.xbill.DNS.Type;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The DNS side of MTA-STS, asked of the engine's resolvers without blocking a thread: the {@code _mta-sts} TXT
 * record, and the addresses of the policy host {@code mta-sts.<domain>} (resolved here rather than by the HTTP
 * client so that the same servers answer, and the same rule on non-public addresses holds, as for exchangers).
 */
@ApplicationScoped
class StsDns {

    /** The policy host's addresses, or why there is none to connect to. */
    sealed interface Addresses {
        record Usable(List<InetAddress> addresses) implements Addresses {
        }

        record None(String reason) implements Addresses {
        }
    }

    private static final ExecutorService COMPLETIONS = Executors.newCachedThreadPool(task -> {
        Thread t = new Thread(task, "mta-sts-dns");
        t.setDaemon(true);
        return t;
    });

    private final Resolver resolver;
    private final boolean allowPrivate;

    @Inject
    StsDns(DeliveryConfig config) throws UnknownHostException {
        this(MxResolverProducer.resolver(config), config.allowPrivateExchangers());
    }

    StsDns(Resolver resolver, boolean allowPrivate) {
        this.resolver = resolver;
        this.allowPrivate = allowPrivate;
    }

    /** The executor on which answers arrive; callers continue on it. */
    Executor executor() {
        return COMPLETIONS;
    }

    CompletionStage<StsRecord.Lookup> stsRecord(String domain) {
        Name name;
        try {
            name = Name.fromString("_mta-sts." + domain + ".");
        } catch (TextParseException e) {
            return CompletableFuture.completedFuture(new StsRecord.Lookup.NotPublished("not a domain name"));
        }
        return query(name, Type.TXT).handle((answer, failure) -> {
            if (failure != null) {
                return new StsRecord.Lookup.Unavailable("TXT lookup of " + name + " failed: " + reason(failure));
            }
            int rcode = answer.getRcode();
            if (rcode == Rcode.NXDOMAIN) {
                return new StsRecord.Lookup.NotPublished(name + " does not exist");
            }
            if (rcode != Rcode.NOERROR) {
                return new StsRecord.Lookup.Unavailable("TXT lookup of " + name + " answered " + Rcode.string(rcode));
            }
            List<String> texts = new ArrayList<>();
            for (Record r : answer.getSection(Section.ANSWER)) {
                if (r instanceof TXTRecord txt) {
                    // RFC 8461 §3.1: a record of several strings is read as their concatenation
                    texts.add(String.join("", txt.getStrings()));
                }
            }
            return StsRecord.read(texts);
        });
    }

    CompletionStage<Addresses> addresses(String host) {
        Name name;
        try {
            name = Name.fromString(host + ".");
        } catch (TextParseException e) {
            return CompletableFuture.completedFuture(new Addresses.None("'" + host + "' is not a host name"));
        }
        CompletableFuture<List<InetAddress>> v4 = records(name, Type.A);
        CompletableFuture<List<InetAddress>> v6 = records(name, Type.AAAA);
        return v4.thenCombine(v6, (a, aaaa) -> {
            List<InetAddress> found = new ArrayList<>(a);
            found.addAll(aaaa);
            List<InetAddress> usable = allowPrivate ? found
                    : found.stream().filter(ExchangerAddresses::isPublic).toList();
            if (!usable.isEmpty()) {
                return (Addresses) new Addresses.Usable(usable);
            }
            if (!found.isEmpty()) {
                return new Addresses.None(host + " resolves only to non-public addresses " + found.stream()
                        .map(InetAddress::getHostAddress).toList()
                        + " (see carteiro.delivery.allow-private-exchangers)");
            }
            return new Addresses.None(host + " has no A or AAAA record");
        });
    }

    private CompletableFuture<List<InetAddress>> records(Name name, int type) {
        return query(name, type).handle((answer, failure) -> {
            List<InetAddress> found = new ArrayList<>();
            if (failure == null) {
                for (Record r : answer.getSection(Section.ANSWER)) {
                    if (r instanceof ARecord a) {
                        found.add(a.getAddress());
                    } else if (r instanceof AAAARecord aaaa) {
                        found.add(aaaa.getAddress());
                    }
                }
            }
            return found;
        });
    }

    private CompletableFuture<Message> query(Name name, int type) {
        Message query = Message.newQuery(Record.newRecord(name, type, DClass.IN));
        try {
            return resolver.sendAsync(query, COMPLETIONS).toCompletableFuture();
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    static String reason(Throwable failure) {
        Throwable cause = failure;
        while (cause.getCause() != null && cause.getMessage() == null) {
            cause = cause.getCause();
        }
        if (cause instanceof java.util.concurrent.CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }
}
