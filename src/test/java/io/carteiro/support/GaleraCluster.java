package io.carteiro.support;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Collectors;

/**
 * A MariaDB Galera cluster of Debian's {@code mariadb-server} and {@code galera-4} on loopback: each node on its own
 * ports (SQL, group communication, incremental and full state transfer by rsync), the first bootstrapping the
 * cluster, the others joining it. Carteiro instances reach it through a failover URL that lists every node.
 */
public final class GaleraCluster implements AutoCloseable {

    public static final Path PROVIDER = Path.of("/usr/lib/galera/libgalera_smm.so");

    private final List<DebianMariaDb> nodes;

    private GaleraCluster(List<DebianMariaDb> nodes) {
        this.nodes = nodes;
    }

    /** Skips (or fails under CI) the calling test without Debian's MariaDB server, Galera and rsync. */
    public static void require() {
        DebianMariaDb.require();
        SystemTools.requireFile(PROVIDER.toString(), "galera-4");
        SystemTools.require("/usr/bin/rsync", "rsync");
    }

    /** Starts {@code size} nodes under {@code dir} and returns once every one is synced with the others. */
    public static GaleraCluster start(Path dir, int size, Duration limit) throws IOException, InterruptedException {
        require();
        List<int[]> ports = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            ports.add(new int[] {CarteiroProcess.freePort(), CarteiroProcess.freePort(), CarteiroProcess.freePort(),
                    CarteiroProcess.freePort()});
        }
        String members = ports.stream().map(p -> "127.0.0.1:" + p[1]).collect(Collectors.joining(","));
        byte[] random = new byte[16];
        new SecureRandom().nextBytes(random);
        String password = HexFormat.of().formatHex(random);
        List<DebianMariaDb> nodes = new ArrayList<>();
        for (int i = 0; i < size; i++) {
            int[] p = ports.get(i);
            List<String> options = new ArrayList<>(List.of(
                    "--binlog-format=ROW", "--innodb-autoinc-lock-mode=2", "--default-storage-engine=InnoDB",
                    "--wsrep-on=ON", "--wsrep-provider=" + PROVIDER, "--wsrep-cluster-name=carteiro-test",
                    "--wsrep-cluster-address=gcomm://" + members, "--wsrep-node-name=node" + (i + 1),
                    "--wsrep-node-address=127.0.0.1:" + p[1],
                    "--wsrep-provider-options=gmcast.listen_addr=tcp://127.0.0.1:" + p[1]
                            + ";ist.recv_addr=127.0.0.1:" + p[2] + ";gcache.size=64M",
                    "--wsrep-sst-method=rsync", "--wsrep-sst-receive-address=127.0.0.1:" + p[3]));
            if (i == 0) {
                options.add("--wsrep-new-cluster");
            }
            nodes.add(DebianMariaDb.galeraNode("node" + (i + 1), dir.resolve("node" + (i + 1)), p[0], password,
                    options, i == 0));
        }
        GaleraCluster cluster = new GaleraCluster(nodes);
        try {
            nodes.get(0).start(limit);
            for (DebianMariaDb joiner : nodes.subList(1, size)) {
                joiner.launch();
            }
            for (DebianMariaDb joiner : nodes.subList(1, size)) {
                joiner.awaitSignIn(limit);
            }
            cluster.awaitSize(size, limit);
        } catch (IOException | InterruptedException | RuntimeException e) {
            cluster.close();
            throw e;
        }
        return cluster;
    }

    public List<DebianMariaDb> nodes() {
        return nodes;
    }

    /**
     * A failover URL starting at node {@code first}: the driver connects to the first node that answers, in this
     * order, and moves on when its node goes away.
     */
    public String url(int first) {
        List<String> hosts = new ArrayList<>();
        for (int i = 0; i < nodes.size(); i++) {
            hosts.add("127.0.0.1:" + nodes.get((first + i) % nodes.size()).port());
        }
        return "jdbc:mariadb:sequential://" + String.join(",", hosts) + "/carteiro";
    }

    public String user() {
        return nodes.get(0).user();
    }

    public String password() {
        return nodes.get(0).password();
    }

    /** The cluster size as node {@code i} sees it (0 when it does not answer). */
    public int size(int i) {
        DebianMariaDb node = nodes.get(i);
        try (Connection c = DriverManager.getConnection(node.jdbcUrl() + "?connectTimeout=2000", node.user(),
                node.password());
             ResultSet r = c.createStatement().executeQuery("SHOW STATUS LIKE 'wsrep_cluster_size'")) {
            return r.next() ? r.getInt(2) : 0;
        } catch (SQLException notAnswering) {
            return 0;
        }
    }

    /** How many connections Carteiro's account holds on each node, e.g. {@code node1=23 node2=21 node3=0}. */
    public String connections() {
        List<String> counts = new ArrayList<>();
        for (DebianMariaDb node : nodes) {
            long n = 0;
            try (Connection c = DriverManager.getConnection(node.jdbcUrl() + "?connectTimeout=2000", node.user(),
                    node.password());
                 ResultSet r = c.createStatement().executeQuery("SELECT COUNT(*) - 1 FROM"
                         + " information_schema.PROCESSLIST WHERE USER = '" + DebianMariaDb.USER + "'")) {
                n = r.next() ? r.getLong(1) : 0;
            } catch (SQLException notAnswering) {
                n = -1;
            }
            counts.add(node.name() + "=" + n);
        }
        return String.join(" ", counts);
    }

    public void awaitSize(int size, Duration limit) throws InterruptedException {
        Instant deadline = Instant.now().plus(limit);
        while (true) {
            boolean all = true;
            for (int i = 0; i < nodes.size(); i++) {
                if (nodes.get(i).running() && size(i) != size) {
                    all = false;
                }
            }
            if (all) {
                return;
            }
            if (Instant.now().isAfter(deadline)) {
                throw new AssertionError("the Galera cluster did not reach " + size + " nodes within " + limit);
            }
            Thread.sleep(250);  // polling the cluster's own status with a deadline
        }
    }

    @Override
    public void close() throws InterruptedException {
        for (DebianMariaDb node : nodes) {
            node.close();
        }
    }
}
