package io.carteiro.bounces;

import io.carteiro.support.SystemTools;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A real Dovecot (Debian's dovecot-imapd and dovecot-pop3d) started by a test with its own configuration under
 * {@code target/}: IMAP and POP3 with STARTTLS and with implicit TLS on free ports of 127.0.0.1 and 127.0.0.2,
 * plain-text logins only after TLS, one mailbox user, mail delivered into it by Dovecot's own LDA.
 */
final class Dovecot implements AutoCloseable {

    static final String DOVECOT = "/usr/sbin/dovecot";
    static final String LDA = "/usr/lib/dovecot/dovecot-lda";
    static final String USER = "bounces";
    static final String PASSWORD = "mailbox secret";

    final Path dir;
    final TestCa ca;
    final int imap;
    final int imaps;
    final int pop3;
    final int pop3s;
    private final Path config;
    private Process master;

    private Dovecot(Path dir, TestCa ca, int imap, int imaps, int pop3, int pop3s) {
        this.dir = dir;
        this.ca = ca;
        this.imap = imap;
        this.imaps = imaps;
        this.pop3 = pop3;
        this.pop3s = pop3s;
        this.config = dir.resolve("dovecot.conf");
    }

    /**
     * Starts Dovecot with a certificate signed by a test CA that names {@code localhost} and 127.0.0.1 only, so a
     * client connecting to 127.0.0.2 meets a certificate for another name.
     */
    static Dovecot start(Path dir) throws Exception {
        SystemTools.require(DOVECOT, "dovecot-core");
        SystemTools.require("/usr/lib/dovecot/imap", "dovecot-imapd");
        SystemTools.require("/usr/lib/dovecot/pop3", "dovecot-pop3d");
        SystemTools.require(LDA, "dovecot-core");
        Files.createDirectories(dir);
        TestCa ca = TestCa.create(dir.resolve("tls"));
        TestCa.ServerCertificate cert = ca.issue("server", "localhost", "ip:127.0.0.1");
        int[] ports = freePorts(4);
        Dovecot dovecot = new Dovecot(dir, ca, ports[0], ports[1], ports[2], ports[3]);
        dovecot.writeConfig(cert);
        dovecot.startMaster();
        return dovecot;
    }

    private void writeConfig(TestCa.ServerCertificate cert) throws IOException {
        for (String sub : List.of("run", "state", "home")) {
            Files.createDirectories(dir.resolve(sub));
        }
        Files.writeString(dir.resolve("users"), USER + ":{PLAIN}" + PASSWORD + "\n");
        Path home = Files.createDirectories(dir.resolve("home").resolve(USER));
        // the mail user of the static userdb (nobody) owns its home; the test runs as root, like CI
        var lookup = home.getFileSystem().getUserPrincipalLookupService();
        var attributes = Files.getFileAttributeView(home, java.nio.file.attribute.PosixFileAttributeView.class);
        attributes.setOwner(lookup.lookupPrincipalByName("nobody"));
        attributes.setGroup(lookup.lookupPrincipalByGroupName("nogroup"));
        Files.writeString(config, """
                base_dir = %1$s/run
                state_dir = %1$s/state
                log_path = %1$s/dovecot.log
                protocols = imap pop3
                listen = 127.0.0.1, 127.0.0.2
                ssl = yes
                ssl_cert = <%2$s
                ssl_key = <%3$s
                disable_plaintext_auth = yes
                auth_mechanisms = plain login
                first_valid_uid = 1
                default_internal_user = dovecot
                default_login_user = dovenull
                passdb {
                  driver = passwd-file
                  args = scheme=PLAIN username_format=%%u %1$s/users
                }
                userdb {
                  driver = static
                  args = uid=nobody gid=nogroup home=%1$s/home/%%u
                }
                mail_location = maildir:~/Maildir
                service imap-login {
                  inet_listener imap {
                    port = %4$d
                  }
                  inet_listener imaps {
                    port = %5$d
                    ssl = yes
                  }
                }
                service pop3-login {
                  inet_listener pop3 {
                    port = %6$d
                  }
                  inet_listener pop3s {
                    port = %7$d
                    ssl = yes
                  }
                }
                protocol pop3 {
                  pop3_uidl_format = %%08Xu%%08Xv
                }
                """.formatted(dir.toAbsolutePath(), cert.certificate().toAbsolutePath(),
                cert.key().toAbsolutePath(), imap, imaps, pop3, pop3s));
    }

    /** Starts the master process in the foreground and waits until every listener accepts connections. */
    void startMaster() throws IOException, InterruptedException {
        master = new ProcessBuilder(DOVECOT, "-F", "-c", config.toString()).redirectErrorStream(true)
                .redirectOutput(dir.resolve("master.out").toFile()).start();
        Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
        for (int port : new int[]{imap, imaps, pop3, pop3s}) {
            while (!listening(port)) {
                if (!master.isAlive()) {
                    throw new IllegalStateException("dovecot exited: " + Files.readString(dir.resolve("master.out")));
                }
                if (Instant.now().isAfter(deadline)) {
                    throw new IllegalStateException("dovecot does not listen on " + port + " after 30 s");
                }
                Thread.onSpinWait();
            }
        }
    }

    /** Kills Dovecot and every process it started (the sessions in progress too), by their process ids. */
    void kill() throws InterruptedException {
        if (master == null) {
            return;
        }
        List<ProcessHandle> all = master.descendants().toList();
        master.destroyForcibly();
        for (ProcessHandle child : all) {
            child.destroyForcibly();
        }
        master.waitFor(10, TimeUnit.SECONDS);
        for (ProcessHandle child : all) {
            child.onExit().join();
        }
        master = null;
    }

    /** Delivers one message into the user's INBOX with Dovecot's LDA, as an MTA would. */
    void deliver(byte[] message) throws IOException, InterruptedException {
        Process lda = new ProcessBuilder(LDA, "-c", config.toString(), "-d", USER, "-f", "MAILER-DAEMON@mx.remote.test")
                .redirectErrorStream(true).start();
        try (OutputStream in = lda.getOutputStream()) {
            in.write(message);
        }
        String output = new String(lda.getInputStream().readAllBytes());
        if (!lda.waitFor(30, TimeUnit.SECONDS) || lda.exitValue() != 0) {
            throw new IOException("dovecot-lda failed: " + output);
        }
    }

    /** Dovecot's log so far. */
    String log() throws IOException {
        Path log = dir.resolve("dovecot.log");
        return Files.exists(log) ? Files.readString(log) : "";
    }

    @Override
    public void close() throws InterruptedException {
        kill();
    }

    private static boolean listening(int port) {
        try (Socket s = new Socket()) {
            s.connect(new InetSocketAddress("127.0.0.1", port), 200);
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    private static int[] freePorts(int n) throws IOException {
        int[] ports = new int[n];
        ServerSocket[] held = new ServerSocket[n];
        try {
            for (int i = 0; i < n; i++) {
                held[i] = new ServerSocket();
                held[i].bind(new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 0));
                ports[i] = held[i].getLocalPort();
            }
        } finally {
            for (ServerSocket s : held) {
                if (s != null) {
                    s.close();
                }
            }
        }
        return ports;
    }
}
