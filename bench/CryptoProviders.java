import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.MessageDigest;
import java.security.Provider;
import java.security.Security;
import java.security.Signature;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What a DKIM signature costs with each crypto provider on the classpath: RSA-2048 SHA256withRSA over a header block
 * the size DKIM signs (~600 bytes), and SHA-256 over a 20 KB body (the body hash), on 1 and on 2 threads for a fixed
 * time each. Run by bench/crypto-providers.sh, which puts the providers' jars on the classpath.
 */
public class CryptoProviders {

    static final long MILLIS = Long.getLong("millis", 5000);

    public static void main(String[] args) throws Exception {
        List<Provider> providers = new ArrayList<>();
        providers.add(Security.getProvider("SunRsaSign"));
        for (String name : new String[]{"com.amazon.corretto.crypto.provider.AmazonCorrettoCryptoProvider",
                "org.conscrypt.OpenSSLProvider"}) {
            try {
                Class<?> type = Class.forName(name);
                providers.add(name.contains("amazon") ? (Provider) type.getField("INSTANCE").get(null)
                        : (Provider) type.getConstructor().newInstance());
            } catch (ReflectiveOperationException | LinkageError e) {
                System.out.println(name + ": not available (" + e + ")");
            }
        }
        KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
        generator.initialize(2048);
        KeyPair key = generator.generateKeyPair();
        byte[] headers = "x".repeat(600).getBytes();
        byte[] body = "y".repeat(20480).getBytes();
        System.out.printf("%-28s %14s %14s %16s%n", "provider", "sign/s 1 thr", "sign/s 2 thr", "sha256 20KB/s 1");
        for (Provider p : providers) {
            Provider digests = p.getService("MessageDigest", "SHA-256") != null ? p : Security.getProvider("SUN");
            double one = rate(1, () -> sign(p, key, headers));
            double two = rate(2, () -> sign(p, key, headers));
            double hash = rate(1, () -> MessageDigest.getInstance("SHA-256", digests).digest(body));
            System.out.printf("%-28s %14.0f %14.0f %16.0f%n", p.getName() + " " + p.getVersionStr(), one, two, hash);
        }
    }

    interface Work {
        void run() throws Exception;
    }

    static void sign(Provider p, KeyPair key, byte[] data) throws Exception {
        Signature s = Signature.getInstance("SHA256withRSA", p);
        s.initSign(key.getPrivate());
        s.update(data);
        s.sign();
    }

    /** Operations per second over {@link #MILLIS} after a warm-up of a fifth of that, on {@code threads} threads. */
    static double rate(int threads, Work work) throws Exception {
        AtomicLong done = new AtomicLong();
        long warmUntil = System.nanoTime() + MILLIS * 200_000L;
        while (System.nanoTime() < warmUntil) {
            work.run();
        }
        long end = System.nanoTime() + MILLIS * 1_000_000L;
        List<Thread> running = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            Thread thread = new Thread(() -> {
                try {
                    while (System.nanoTime() < end) {
                        work.run();
                        done.incrementAndGet();
                    }
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            });
            thread.start();
            running.add(thread);
        }
        for (Thread thread : running) {
            thread.join();
        }
        return done.get() * 1000.0 / MILLIS;
    }
}
