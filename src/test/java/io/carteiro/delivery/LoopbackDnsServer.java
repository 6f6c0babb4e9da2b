package io.carteiro.delivery;

import org.xbill.DNS.AAAARecord;
import org.xbill.DNS.ARecord;
import org.xbill.DNS.DClass;
import org.xbill.DNS.Flags;
import org.xbill.DNS.MXRecord;
import org.xbill.DNS.Message;
import org.xbill.DNS.Name;
import org.xbill.DNS.Rcode;
import org.xbill.DNS.Record;
import org.xbill.DNS.SOARecord;
import org.xbill.DNS.Section;
import org.xbill.DNS.TXTRecord;
import org.xbill.DNS.Type;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.net.DatagramPacket;
import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An authoritative DNS server for tests on 127.0.0.1 (UDP and TCP on one free port), built on dnsjava's message
 * classes: it answers from records the test adds, says NXDOMAIN for unknown names (with an SOA for negative
 * caching), SERVFAIL for names marked broken, and nothing at all for names marked silent.
 */
public final class LoopbackDnsServer implements AutoCloseable {

    private static final long NEGATIVE_TTL = 60;

    private final DatagramSocket udp;
    private final ServerSocket tcp;
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "test-dns");
        t.setDaemon(true);
        return t;
    });
    private final Map<Name, List<Record>> records = new ConcurrentHashMap<>();
    private final Set<Name> servfail = ConcurrentHashMap.newKeySet();
    private final Set<Name> silent = ConcurrentHashMap.newKeySet();
    private final Map<String, AtomicInteger> queries = new ConcurrentHashMap<>();
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private volatile boolean running = true;

    private LoopbackDnsServer(DatagramSocket udp, ServerSocket tcp) {
        this.udp = udp;
        this.tcp = tcp;
        threads.execute(this::serveUdp);
        threads.execute(this::serveTcp);
    }

    public static LoopbackDnsServer start() throws IOException {
        InetAddress loopback = InetAddress.getByName("127.0.0.1");
        for (int attempt = 0; ; attempt++) {
            DatagramSocket udp = new DatagramSocket(new InetSocketAddress(loopback, 0));
            try {
                ServerSocket tcp = new ServerSocket();
                tcp.bind(new InetSocketAddress(loopback, udp.getLocalPort()));
                return new LoopbackDnsServer(udp, tcp);
            } catch (IOException portTakenForTcp) {
                udp.close();
                if (attempt > 20) {
                    throw portTakenForTcp;
                }
            }
        }
    }

    /** {@code 127.0.0.1:port}, the form of {@code carteiro.delivery.dns-servers}. */
    public String address() {
        return "127.0.0.1:" + udp.getLocalPort();
    }

    public LoopbackDnsServer mx(String domain, int preference, String exchanger) {
        return add(new MXRecord(name(domain), DClass.IN, 300, preference, name(exchanger)));
    }

    public LoopbackDnsServer nullMx(String domain) {
        return add(new MXRecord(name(domain), DClass.IN, 300, 0, Name.root));
    }

    public LoopbackDnsServer a(String host, String address) throws IOException {
        return add(new ARecord(name(host), DClass.IN, 300, InetAddress.getByName(address)));
    }

    public LoopbackDnsServer aaaa(String host, String address) throws IOException {
        return add(new AAAARecord(name(host), DClass.IN, 300, InetAddress.getByName(address)));
    }

    /** A TXT record of one or more character strings (a reader joins them). */
    public LoopbackDnsServer txt(String name, String... strings) {
        return add(new TXTRecord(name(name), DClass.IN, 300, java.util.Arrays.asList(strings)));
    }

    /** Removes every record of this name (and its SERVFAIL or silent mark), as if it had never been added. */
    public LoopbackDnsServer forget(String name) {
        records.remove(name(name));
        servfail.remove(name(name));
        silent.remove(name(name));
        return this;
    }

    /** Answers SERVFAIL for every query about this name. */
    public LoopbackDnsServer servfail(String domain) {
        servfail.add(name(domain));
        return this;
    }

    /** Never answers queries about this name (the resolver times out). */
    public LoopbackDnsServer silent(String domain) {
        silent.add(name(domain));
        return this;
    }

    /** How many queries of this type (e.g. "MX") for this name were received. */
    public int queries(String domain, String type) {
        AtomicInteger count = queries.get(name(domain) + "/" + type);
        return count == null ? 0 : count.get();
    }

    private LoopbackDnsServer add(Record record) {
        records.computeIfAbsent(record.getName(), n -> new CopyOnWriteArrayList<>()).add(record);
        return this;
    }

    private static Name name(String text) {
        try {
            return Name.fromString(text.endsWith(".") ? text : text + ".");
        } catch (IOException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private Message answer(Message query) {
        Record question = query.getQuestion();
        Name qname = question.getName();
        queries.computeIfAbsent(qname + "/" + Type.string(question.getType()), k -> new AtomicInteger())
                .incrementAndGet();
        if (silent.contains(qname)) {
            return null;
        }
        Message response = new Message(query.getHeader().getID());
        response.getHeader().setFlag(Flags.QR);
        response.getHeader().setFlag(Flags.AA);
        if (query.getHeader().getFlag(Flags.RD)) {
            response.getHeader().setFlag(Flags.RD);
        }
        response.addRecord(question, Section.QUESTION);
        if (servfail.contains(qname)) {
            response.getHeader().setRcode(Rcode.SERVFAIL);
            return response;
        }
        List<Record> known = records.get(qname);
        if (known == null) {
            response.getHeader().setRcode(Rcode.NXDOMAIN);
            response.addRecord(soa(qname), Section.AUTHORITY);
            return response;
        }
        List<Record> matching = new ArrayList<>();
        for (Record r : known) {
            if (r.getType() == question.getType()) {
                matching.add(r);
            }
        }
        if (matching.isEmpty()) {
            response.addRecord(soa(qname), Section.AUTHORITY);
        }
        for (Record r : matching) {
            response.addRecord(r, Section.ANSWER);
        }
        return response;
    }

    private static SOARecord soa(Name qname) {
        Name zone = qname.labels() > 2 ? new Name(qname, qname.labels() - 3) : qname;
        return new SOARecord(zone, DClass.IN, NEGATIVE_TTL, name("ns.test"), name("hostmaster.test"), 1, 3600, 600,
                86400, NEGATIVE_TTL);
    }

    private void serveUdp() {
        byte[] buffer = new byte[4096];
        while (running) {
            try {
                DatagramPacket packet = new DatagramPacket(buffer, buffer.length);
                udp.receive(packet);
                Message response = answer(new Message(java.util.Arrays.copyOf(packet.getData(), packet.getLength())));
                if (response != null) {
                    byte[] wire = response.toWire(512);
                    udp.send(new DatagramPacket(wire, wire.length, packet.getSocketAddress()));
                }
            } catch (IOException e) {
                if (!running) {
                    return;
                }
            }
        }
    }

    private void serveTcp() {
        while (running) {
            try {
                Socket socket = tcp.accept();
                connections.add(socket);
                threads.execute(() -> serveConnection(socket));
            } catch (IOException e) {
                if (!running) {
                    return;
                }
            }
        }
    }

    private void serveConnection(Socket socket) {
        try (socket; DataInputStream in = new DataInputStream(socket.getInputStream());
             DataOutputStream out = new DataOutputStream(socket.getOutputStream())) {
            while (running) {
                byte[] query = new byte[in.readUnsignedShort()];
                in.readFully(query);
                Message response = answer(new Message(query));
                if (response != null) {
                    byte[] wire = response.toWire();
                    out.writeShort(wire.length);
                    out.write(wire);
                    out.flush();
                }
            }
        } catch (IOException endOfConnection) {
            // the client closed the connection
        }
    }

    @Override
    public void close() throws IOException {
        running = false;
        udp.close();
        tcp.close();
        for (Socket s : connections) {
            s.close();
        }
        threads.shutdownNow();
    }
}
