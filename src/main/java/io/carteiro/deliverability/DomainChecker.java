package io.carteiro.deliverability;

import io.carteiro.delivery.dkim.DkimAlgorithm;
import io.carteiro.delivery.dkim.DkimKey;
import io.carteiro.delivery.dkim.DkimPublication;
import io.carteiro.delivery.mtasts.StsRecord;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks one domain the way Gmail, Outlook and Yahoo judge a bulk sender (their 2024 rules): SPF for the addresses
 * mail leaves from, the DKIM keys published and equal, a DMARC record with reports and aligned identifiers, the bounce
 * domain's MX, PTR and forward-confirmed reverse DNS of the sending addresses matching the EHLO name, and the TLS
 * records (MTA-STS, TLS-RPT, BIMI). Every item says what was found and, when something is to do, the exact record.
 * Live lookups, no cache: the page shows what the DNS says now.
 */
final class DomainChecker {

    private static final Set<String> LOCAL_SUFFIXES = Set.of("localhost", "localdomain", "local", "lan", "home",
            "internal", "intranet", "corp", "home.arpa", "invalid", "onion");

    private final DnsLookups dns;
    private final DkimPublication publication;

    DomainChecker(DnsLookups dns, DkimPublication publication) {
        this.dns = dns;
        this.publication = publication;
    }

    /**
     * The checks of {@code domain} (a From domain or the bounce domain, already validated) for this setup.
     *
     * @param keys the domain's DKIM keys (active and retired); only active ones are checked
     */
    DomainCheck check(String domain, SendingSetup setup, List<DkimKey> keys, Instant now) {
        List<CheckItem> items = new ArrayList<>();
        items.add(spf(domain, setup));
        items.add(dkim(domain, setup, keys));
        DmarcFinding dmarc = dmarc(domain, setup, keys);
        items.add(dmarc.item());
        items.add(bounceMx(setup));
        items.add(ptr(setup));
        items.add(ehlo(setup));
        items.add(mtaSts(domain, now));
        items.add(tlsRpt(domain, setup));
        items.add(bimi(domain, dmarc.policy()));
        return new DomainCheck(domain, List.copyOf(items), now);
    }

    // --- SPF

    CheckItem spf(String domain, SendingSetup setup) {
        DnsLookups.Answer<String> answer = dns.txt(domain);
        if (answer instanceof DnsLookups.Answer.Failed<String> failed) {
            return new CheckItem("spf", Verdict.WARN, "Could not look up the SPF record of " + domain + ": "
                    + failed.reason() + ".", null);
        }
        List<String> records = answer instanceof DnsLookups.Answer.Found<String> found
                ? found.records().stream().filter(SpfRecord::isSpf).toList() : List.of();
        String suggestion = suggestedSpf(null, setup);
        if (records.isEmpty()) {
            return new CheckItem("spf", Verdict.FAIL, domain + " publishes no SPF record: receivers cannot tell "
                    + "mail from " + domainNote(domain, setup) + " from forgeries.", txt(domain, suggestion));
        }
        if (records.size() > 1) {
            return new CheckItem("spf", Verdict.FAIL, domain + " publishes " + records.size()
                    + " SPF records; receivers take that as a permanent error (RFC 7208 §4.5). Merge them into one.",
                    txt(domain, suggestion));
        }
        String text = records.get(0);
        SpfRecord.Parsed parsed = SpfRecord.parse(text);
        if (parsed instanceof SpfRecord.Parsed.Invalid invalid) {
            return new CheckItem("spf", Verdict.FAIL, "The SPF record of " + domain + " is invalid ("
                    + invalid.reason() + "): receivers treat it as a permanent error.", txt(domain, suggestion));
        }
        SpfRecord record = ((SpfRecord.Parsed.Valid) parsed).record();
        Verdict verdict = Verdict.PASS;
        List<String> notes = new ArrayList<>();
        notes.add("Record: \"" + Texts.shorten(text, 200) + "\".");
        SpfRecord.Directive all = record.directives.stream().filter(d -> d.kind() == SpfRecord.Kind.ALL)
                .findFirst().orElse(null);
        if (all != null && all.qualifier() == SpfRecord.Qualifier.PASS) {
            verdict = Verdict.FAIL;
            notes.add("It ends in +all: anyone may send as " + domain + ".");
        } else if (all != null && all.qualifier() == SpfRecord.Qualifier.NEUTRAL) {
            verdict = verdict.worse(Verdict.WARN);
            notes.add("It ends in ?all, which says nothing about other senders; end it in ~all or -all.");
        } else if (all == null && record.redirect == null) {
            verdict = verdict.worse(Verdict.WARN);
            notes.add("It has no 'all' term, so other senders get a neutral result; end it in ~all or -all.");
        }
        InetAddress probe = firstOr(setup.sendingAddresses());
        SpfEvaluator.Outcome worstCase = SpfEvaluator.check(dns, unlisted(probe), domain, "postmaster@" + domain,
                setup.ehloName());
        if (worstCase.result() == SpfEvaluator.Result.PERMERROR) {
            verdict = Verdict.FAIL;
            notes.add("Receivers get a permanent error: " + worstCase.reason() + ".");
        } else if (worstCase.result() == SpfEvaluator.Result.TEMPERROR) {
            verdict = verdict.worse(Verdict.WARN);
            notes.add("A lookup it needs failed: " + worstCase.reason() + ".");
        } else {
            notes.add("It needs " + worstCase.lookups() + " of the " + SpfEvaluator.MAX_LOOKUPS
                    + " DNS lookups receivers allow.");
            if (worstCase.lookups() >= SpfEvaluator.MAX_LOOKUPS - 1) {
                verdict = verdict.worse(Verdict.WARN);
            }
        }
        List<InetAddress> missing = new ArrayList<>();
        if (setup.sendingAddresses().isEmpty()) {
            verdict = verdict.worse(Verdict.WARN);
            notes.add("No sending address is known, so the record could not be tried for them (set "
                    + "carteiro.deliverability.sending-addresses).");
        }
        for (InetAddress address : setup.sendingAddresses()) {
            SpfEvaluator.Outcome outcome = SpfEvaluator.check(dns, address, domain, "postmaster@" + domain,
                    setup.ehloName());
            if (outcome.result() == SpfEvaluator.Result.PASS) {
                notes.add(address.getHostAddress() + " passes (" + outcome.matched() + ").");
            } else {
                verdict = Verdict.FAIL;
                missing.add(address);
                notes.add(address.getHostAddress() + " (" + setup.addressesFrom() + ") gets "
                        + outcome.result().wire() + (outcome.reason() == null ? "" : ": " + outcome.reason()) + ".");
            }
        }
        if (!domain.equals(setup.bounceDomain())) {
            notes.add("Mail from " + domain + " carries the return path @" + setup.bounceDomain()
                    + ", whose SPF record is the one receivers check for it (see that domain's check).");
        }
        String fix = verdict == Verdict.PASS ? null : txt(domain, suggestedSpf(record, setup));
        return new CheckItem("spf", verdict, String.join(" ", notes), fix);
    }

    /** A record with the sending addresses listed before the record's own terms, ending in -all (or ~all kept). */
    private static String suggestedSpf(SpfRecord existing, SendingSetup setup) {
        List<String> terms = new ArrayList<>();
        terms.add("v=spf1");
        for (InetAddress a : setup.sendingAddresses()) {
            String term = (a instanceof Inet6Address ? "ip6:" : "ip4:") + a.getHostAddress();
            terms.add(term);
        }
        String end = "-all";
        if (existing != null) {
            for (SpfRecord.Directive d : existing.directives) {
                if (d.kind() == SpfRecord.Kind.ALL) {
                    end = d.qualifier() == SpfRecord.Qualifier.SOFTFAIL ? "~all" : "-all";
                } else if (!terms.contains(d.text()) && !terms.contains(d.text().replaceFirst("^\\+", ""))) {
                    terms.add(d.text());
                }
            }
            if (existing.redirect != null) {
                return String.join(" ", terms) + " redirect=" + existing.redirect;
            }
        }
        if (terms.size() == 1) {
            terms.add("a");
        }
        return String.join(" ", terms) + " " + end;
    }

    /** An address of the same family no SPF record lists (documentation range), for the worst-case walk. */
    private static InetAddress unlisted(InetAddress like) {
        try {
            return InetAddress.getByName(like instanceof Inet6Address ? "2001:db8::5eed" : "192.0.2.254");
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private static InetAddress firstOr(List<InetAddress> addresses) {
        return addresses.isEmpty() ? null : addresses.get(0);
    }

    // --- DKIM

    CheckItem dkim(String domain, SendingSetup setup, List<DkimKey> keys) {
        List<DkimKey> active = keys.stream().filter(DkimKey::active).toList();
        if (active.isEmpty()) {
            if (domain.equals(setup.bounceDomain())) {
                return new CheckItem("dkim", Verdict.PASS, domain + " is the bounce domain and signs nothing itself "
                        + "(mail is signed with its From domain's key).", null);
            }
            return new CheckItem("dkim", Verdict.FAIL, domain + " has no active DKIM key: its mail goes out unsigned "
                    + "and cannot pass DMARC through DKIM.", "Generate a key for " + domain
                    + " on the sending identity page (/admin/delivery/settings) and publish its TXT record.");
        }
        Verdict verdict = Verdict.PASS;
        List<String> notes = new ArrayList<>();
        List<String> fixes = new ArrayList<>();
        for (DkimKey key : active) {
            DkimPublication.State state = publication.check(key);
            int bits = DkimPublication.keyBits(key);
            String label = "Key " + key.selector() + " (" + key.algorithm().tag()
                    + (key.algorithm() == DkimAlgorithm.RSA_SHA256 ? ", " + bits + " bits" : "") + ")";
            if (state instanceof DkimPublication.State.Published) {
                notes.add(label + " is published at " + key.dnsName() + " and matches.");
            } else if (state instanceof DkimPublication.State.Unavailable u) {
                verdict = verdict.worse(Verdict.WARN);
                notes.add(label + ": could not be looked up (" + u.reason() + ").");
            } else {
                verdict = Verdict.FAIL;
                String reason = state instanceof DkimPublication.State.Missing m ? m.reason()
                        : ((DkimPublication.State.Differs) state).reason();
                notes.add(label + ": " + reason + "; Carteiro does not sign with it until the record is right.");
                fixes.add(txt(key.dnsName(), key.dnsRecord()));
            }
            if (key.algorithm() == DkimAlgorithm.RSA_SHA256 && bits < 1024) {
                verdict = Verdict.FAIL;
                notes.add(label + " is shorter than 1024 bits; receivers ignore it.");
            } else if (key.algorithm() == DkimAlgorithm.RSA_SHA256 && bits < 2048) {
                verdict = verdict.worse(Verdict.WARN);
                notes.add(label + " is shorter than 2048 bits; generate a 2048-bit key.");
            }
        }
        if (active.stream().noneMatch(k -> k.algorithm() == DkimAlgorithm.RSA_SHA256)) {
            verdict = verdict.worse(Verdict.WARN);
            notes.add("Only Ed25519 keys sign: receivers that verify only RSA (Gmail among them) see no valid "
                    + "signature. Keep an RSA key beside it.");
        }
        return new CheckItem("dkim", verdict, String.join(" ", notes), fixes.isEmpty() ? null : String.join("\n", fixes));
    }

    // --- DMARC

    /** The DMARC item and the policy found (null when none), which BIMI depends on. */
    private record DmarcFinding(CheckItem item, String policy) {
    }

    private DmarcFinding dmarc(String domain, SendingSetup setup, List<DkimKey> keys) {
        String suggestion = "v=DMARC1; p=none; rua=mailto:" + setup.dmarcAddress();
        String org = OrganizationalDomain.of(domain);
        String at = "_dmarc." + domain;
        DnsLookups.Answer<String> answer = dns.txt(at);
        boolean inherited = false;
        if (answer instanceof DnsLookups.Answer.Empty<String> && !org.equals(domain)) {
            answer = dns.txt("_dmarc." + org);
            at = "_dmarc." + org;
            inherited = true;
        }
        if (answer instanceof DnsLookups.Answer.Failed<String> failed) {
            return new DmarcFinding(new CheckItem("dmarc", Verdict.WARN, "Could not look up " + at + ": "
                    + failed.reason() + ".", null), null);
        }
        List<String> records = answer instanceof DnsLookups.Answer.Found<String> found
                ? found.records().stream().filter(DmarcRecord::isDmarc).toList() : List.of();
        if (records.isEmpty()) {
            return new DmarcFinding(new CheckItem("dmarc", Verdict.FAIL, domain + " publishes no DMARC record"
                    + (org.equals(domain) ? "" : " (nor does its organisational domain " + org + ")")
                    + ": Gmail and Yahoo require one of bulk senders.", txt("_dmarc." + org, suggestion)
                    + reportAuthorization(org, setup)), null);
        }
        if (records.size() > 1) {
            return new DmarcFinding(new CheckItem("dmarc", Verdict.FAIL, at + " holds " + records.size()
                    + " DMARC records; receivers then apply none (RFC 7489 §6.6.3).", txt(at, suggestion)), null);
        }
        DmarcRecord.Parsed parsed = DmarcRecord.parse(records.get(0));
        if (parsed instanceof DmarcRecord.Parsed.Invalid invalid) {
            return new DmarcFinding(new CheckItem("dmarc", Verdict.FAIL, "The DMARC record at " + at
                    + " is not applied: " + invalid.reason() + ".", txt(at, suggestion)), null);
        }
        DmarcRecord record = ((DmarcRecord.Parsed.Valid) parsed).record();
        String policy = inherited ? record.subdomainPolicy() : record.policy();
        Verdict verdict = Verdict.PASS;
        List<String> notes = new ArrayList<>();
        notes.add("Record at " + at + ": \"" + Texts.shorten(record.text(), 200) + "\".");
        if (policy.equals("none")) {
            verdict = Verdict.WARN;
            notes.add("The policy is p=none: receivers only report. Once the reports show only your own "
                    + "sources passing, move to p=quarantine, then p=reject.");
        } else {
            notes.add("The policy is " + policy + (record.percent() < 100 ? " for " + record.percent()
                    + "% of failing mail" : "") + ".");
            if (record.percent() < 100) {
                verdict = verdict.worse(Verdict.WARN);
            }
        }
        String fix = null;
        if (record.aggregateAddresses().isEmpty()) {
            verdict = verdict.worse(Verdict.WARN);
            notes.add("It has no rua= address, so nobody receives the aggregate reports that show who sends as "
                    + domain + ".");
            fix = txt(at, record.text().strip().replaceAll(";\\s*$", "") + "; rua=mailto:" + setup.dmarcAddress())
                    + reportAuthorization(org, setup);
        } else if (record.aggregateAddresses().contains(setup.dmarcAddress().toLowerCase(Locale.ROOT))) {
            notes.add("Aggregate reports come to Carteiro (" + setup.dmarcAddress() + ").");
            String authorization = reportAuthorization(org, setup);
            if (!authorization.isEmpty()) {
                verdict = verdict.worse(Verdict.WARN);
                notes.add("Reporters send them only if " + OrganizationalDomain.of(setup.bounceDomain())
                        + " agrees to receive reports for " + org + " (RFC 7489 §7.1), and it does not.");
                fix = authorization.strip();
            }
        } else {
            notes.add("Aggregate reports go to " + String.join(", ", record.aggregateAddresses())
                    + "; add mailto:" + setup.dmarcAddress() + " to see them here too.");
        }
        // alignment (RFC 7489 §3.1): DKIM d= and the return path's domain against the From domain
        List<String> dkimDomains = keys.stream().filter(DkimKey::active).map(DkimKey::domain).distinct().toList();
        boolean dkimAligned = dkimDomains.stream().anyMatch(d -> OrganizationalDomain.aligned(d, domain,
                record.strictDkim()));
        boolean spfAligned = OrganizationalDomain.aligned(setup.bounceDomain(), domain, record.strictSpf());
        String mode = "(" + (record.strictDkim() ? "adkim=s" : "adkim=r") + ", "
                + (record.strictSpf() ? "aspf=s" : "aspf=r") + ")";
        if (domain.equals(setup.bounceDomain()) && dkimDomains.isEmpty()) {
            notes.add("As the bounce domain it sends no mail of its own in From.");
        } else if (dkimAligned && spfAligned) {
            notes.add("DKIM d=" + domain + " and the return path @" + setup.bounceDomain() + " both align " + mode
                    + ".");
        } else if (dkimAligned) {
            notes.add("DKIM aligns " + mode + "; the return path @" + setup.bounceDomain() + " does not"
                    + (record.strictSpf() ? " under aspf=s" : " (another organisational domain)")
                    + ", which is fine while DKIM passes.");
        } else if (spfAligned) {
            verdict = verdict.worse(Verdict.WARN);
            notes.add("Only the return path @" + setup.bounceDomain() + " aligns " + mode + ": a forwarded message "
                    + "loses SPF and then fails DMARC. Publish a DKIM key for " + domain + ".");
        } else {
            verdict = Verdict.FAIL;
            notes.add("Neither DKIM (" + (dkimDomains.isEmpty() ? "no key" : "d=" + String.join(", ", dkimDomains))
                    + ") nor the return path @" + setup.bounceDomain() + " aligns with " + domain + " " + mode
                    + ": every message fails DMARC. Publish a DKIM key for " + domain
                    + (record.strictSpf() ? "" : " or use a bounce domain under " + OrganizationalDomain.of(domain))
                    + ".");
        }
        return new DmarcFinding(new CheckItem("dmarc", verdict, String.join(" ", notes), fix), policy);
    }

    /**
     * The record the report address's domain must publish to take reports for another organisation (RFC 7489
     * §7.1), as a fix line; empty when none is needed or it is there.
     */
    private String reportAuthorization(String org, SendingSetup setup) {
        String reportDomain = setup.dmarcAddress().substring(setup.dmarcAddress().indexOf('@') + 1);
        if (OrganizationalDomain.of(reportDomain).equals(org)) {
            return "";
        }
        String name = org + "._report._dmarc." + reportDomain;
        DnsLookups.Answer<String> answer = dns.txt(name);
        if (answer instanceof DnsLookups.Answer.Found<String> found
                && found.records().stream().anyMatch(DmarcRecord::isDmarc)) {
            return "";
        }
        return "\n" + txt(name, "v=DMARC1");
    }

    // --- the bounce domain's MX

    CheckItem bounceMx(SendingSetup setup) {
        String domain = setup.bounceDomain();
        DnsLookups.Answer<DnsLookups.Mx> answer = dns.mx(domain);
        String fix = domain + ". MX 10 " + setup.ehloName() + ".";
        if (answer instanceof DnsLookups.Answer.Failed<DnsLookups.Mx> failed) {
            return new CheckItem("bounce-mx", Verdict.WARN, "Could not look up the MX of " + domain + ": "
                    + failed.reason() + ".", null);
        }
        if (!(answer instanceof DnsLookups.Answer.Found<DnsLookups.Mx> found)) {
            return new CheckItem("bounce-mx", Verdict.FAIL, "The bounce domain " + domain + " has no MX record: "
                    + "bounces and reports sent to it are lost (or go to its A record).", fix);
        }
        List<String> ours = new ArrayList<>();
        List<String> others = new ArrayList<>();
        for (DnsLookups.Mx mx : found.records()) {
            DnsLookups.Answer<InetAddress> addresses = dns.addresses(mx.host());
            List<InetAddress> list = addresses instanceof DnsLookups.Answer.Found<InetAddress> a ? a.records()
                    : List.of();
            String described = mx.host() + " (" + (list.isEmpty() ? "no address"
                    : list.stream().map(InetAddress::getHostAddress).collect(Collectors.joining(", "))) + ")";
            if (list.stream().anyMatch(setup.installationAddresses()::contains)) {
                ours.add(described);
            } else {
                others.add(described);
            }
        }
        if (!ours.isEmpty() && others.isEmpty()) {
            return new CheckItem("bounce-mx", Verdict.PASS, "Mail for " + domain + " goes to this installation: "
                    + String.join(", ", ours) + ".", null);
        }
        if (!ours.isEmpty()) {
            return new CheckItem("bounce-mx", Verdict.WARN, "Some exchangers of " + domain + " are this "
                    + "installation (" + String.join(", ", ours) + "), others are not (" + String.join(", ", others)
                    + "): bounces they take never reach Carteiro unless they forward them.", fix);
        }
        return new CheckItem("bounce-mx", Verdict.WARN, "The MX of " + domain + " is " + String.join(", ", others)
                + ", not this installation (" + addresses(setup.installationAddresses()) + "). That is right only "
                + "when Carteiro fetches bounces from that mailbox (IMAP/POP3); otherwise point the MX here, or set "
                + "carteiro.deliverability.public-addresses if this installation is behind NAT.", fix);
    }

    // --- PTR and forward-confirmed reverse DNS

    CheckItem ptr(SendingSetup setup) {
        if (setup.relayHost().isPresent()) {
            return new CheckItem("ptr", Verdict.PASS, "Mail leaves through the relay " + setup.relayHost().get()
                    + "; its operator keeps the PTR records of the addresses it sends from.", null);
        }
        if (setup.sendingAddresses().isEmpty()) {
            return new CheckItem("ptr", Verdict.WARN, "No public sending address is known, so its PTR record could "
                    + "not be checked (set carteiro.deliverability.sending-addresses).", null);
        }
        Verdict verdict = Verdict.PASS;
        List<String> notes = new ArrayList<>();
        List<String> fixes = new ArrayList<>();
        String ehlo = setup.ehloName().toLowerCase(Locale.ROOT);
        for (InetAddress address : setup.sendingAddresses()) {
            String ip = address.getHostAddress();
            DnsLookups.Answer<String> names = dns.ptr(address);
            if (names instanceof DnsLookups.Answer.Failed<String> failed) {
                verdict = verdict.worse(Verdict.WARN);
                notes.add("The PTR of " + ip + " could not be looked up (" + failed.reason() + ").");
                continue;
            }
            if (!(names instanceof DnsLookups.Answer.Found<String> found)) {
                verdict = Verdict.FAIL;
                notes.add(ip + " has no PTR record: Gmail and Outlook refuse or junk mail from addresses without "
                        + "reverse DNS.");
                fixes.add("Ask the provider of " + ip + " to set its PTR to " + ehlo + ".");
                continue;
            }
            List<String> confirmed = new ArrayList<>();
            for (String name : found.records()) {
                DnsLookups.Answer<InetAddress> forward = dns.addresses(name);
                if (forward instanceof DnsLookups.Answer.Found<InetAddress> f && f.records().contains(address)) {
                    confirmed.add(name);
                }
            }
            if (confirmed.isEmpty()) {
                verdict = Verdict.FAIL;
                notes.add("The PTR of " + ip + " is " + String.join(", ", found.records()) + ", but that name does "
                        + "not resolve back to " + ip + " (no forward-confirmed reverse DNS).");
                fixes.add(found.records().get(0) + ". " + (address instanceof Inet6Address ? "AAAA " : "A ") + ip);
            } else if (!confirmed.contains(ehlo)) {
                verdict = verdict.worse(Verdict.WARN);
                notes.add("The PTR of " + ip + " is " + String.join(", ", confirmed) + " (confirmed), but Carteiro "
                        + "says EHLO " + ehlo + ".");
                fixes.add("Set carteiro.delivery.ehlo-name=" + confirmed.get(0) + ", or the PTR of " + ip + " to "
                        + ehlo + ".");
            } else {
                notes.add("The PTR of " + ip + " is " + ehlo + ", which resolves back to it.");
            }
        }
        return new CheckItem("ptr", verdict, String.join(" ", notes), fixes.isEmpty() ? null : String.join("\n", fixes));
    }

    // --- EHLO

    CheckItem ehlo(SendingSetup setup) {
        String name = setup.ehloName().toLowerCase(Locale.ROOT);
        String fix = "Set carteiro.delivery.ehlo-name to this machine's public name, the one its address's PTR "
                + "names.";
        if (isLocalName(name)) {
            return new CheckItem("ehlo", Verdict.FAIL, "Carteiro says EHLO " + name + ", a local name: receivers "
                    + "take that for a misconfigured or infected machine.", fix);
        }
        DnsLookups.Answer<InetAddress> addresses = dns.addresses(name);
        if (addresses instanceof DnsLookups.Answer.Failed<InetAddress> failed) {
            return new CheckItem("ehlo", Verdict.WARN, "Could not look up " + name + ": " + failed.reason() + ".",
                    null);
        }
        if (!(addresses instanceof DnsLookups.Answer.Found<InetAddress> found)) {
            return new CheckItem("ehlo", Verdict.FAIL, "The EHLO name " + name + " does not resolve: receivers "
                    + "check that it exists.", fix);
        }
        if (setup.relayHost().isEmpty() && !setup.sendingAddresses().isEmpty()
                && found.records().stream().noneMatch(setup.sendingAddresses()::contains)) {
            return new CheckItem("ehlo", Verdict.WARN, "The EHLO name " + name + " resolves to "
                    + addresses(found.records()) + ", not to the sending address " + addresses(setup.sendingAddresses())
                    + ".", name + ". A " + setup.sendingAddresses().get(0).getHostAddress());
        }
        return new CheckItem("ehlo", Verdict.PASS, "Carteiro says EHLO " + name + ", which resolves to "
                + addresses(found.records()) + ".", null);
    }

    static boolean isLocalName(String name) {
        String n = name.toLowerCase(Locale.ROOT);
        if (!n.contains(".") || n.startsWith("[") || n.matches("[0-9.]+") || n.contains(":")) {
            return true;
        }
        for (String suffix : LOCAL_SUFFIXES) {
            if (n.equals(suffix) || n.endsWith("." + suffix)) {
                return true;
            }
        }
        return false;
    }

    // --- MTA-STS, TLS-RPT, BIMI

    CheckItem mtaSts(String domain, Instant now) {
        String name = "_mta-sts." + domain;
        DnsLookups.Answer<String> answer = dns.txt(name);
        String fix = txt(name, "v=STSv1; id=" + now.toString().replaceAll("[^0-9]", "").substring(0, 14))
                + "\nand serve https://mta-sts." + domain + "/.well-known/mta-sts.txt (version: STSv1, mode: "
                + "testing, mx: <your MX hosts>, max_age: 86400)";
        if (answer instanceof DnsLookups.Answer.Failed<String> failed) {
            return new CheckItem("mta-sts", Verdict.WARN, "Could not look up " + name + ": " + failed.reason() + ".",
                    null);
        }
        List<String> texts = answer instanceof DnsLookups.Answer.Found<String> f ? f.records() : List.of();
        StsRecord.Lookup lookup = StsRecord.read(texts);
        if (lookup instanceof StsRecord.Lookup.Published published) {
            return new CheckItem("mta-sts", Verdict.PASS, domain + " publishes an MTA-STS policy (id "
                    + published.id() + "): senders to it require TLS as the policy says.", null);
        }
        String reason = ((StsRecord.Lookup.NotPublished) lookup).reason();
        boolean absent = texts.stream().noneMatch(t -> t.startsWith("v=STSv1"));
        return new CheckItem("mta-sts", absent ? Verdict.WARN : Verdict.FAIL, absent
                ? domain + " publishes no MTA-STS policy (optional): mail sent to it (replies, bounces) can be "
                + "downgraded to plain text by an attacker on the path."
                : "The MTA-STS record at " + name + " is not valid (" + reason + "), so senders ignore the policy.",
                fix);
    }

    CheckItem tlsRpt(String domain, SendingSetup setup) {
        String name = "_smtp._tls." + domain;
        DnsLookups.Answer<String> answer = dns.txt(name);
        String fix = txt(name, "v=TLSRPTv1; rua=mailto:" + setup.tlsReportAddress());
        if (answer instanceof DnsLookups.Answer.Failed<String> failed) {
            return new CheckItem("tls-rpt", Verdict.WARN, "Could not look up " + name + ": " + failed.reason() + ".",
                    null);
        }
        List<String> records = answer instanceof DnsLookups.Answer.Found<String> f
                ? f.records().stream().filter(t -> t.startsWith("v=TLSRPTv1")).toList() : List.of();
        if (records.isEmpty()) {
            return new CheckItem("tls-rpt", Verdict.WARN, domain + " publishes no TLS-RPT record (optional): "
                    + "senders cannot tell you when TLS to your exchangers fails.", fix);
        }
        if (records.size() > 1) {
            return new CheckItem("tls-rpt", Verdict.FAIL, name + " holds " + records.size()
                    + " TLS-RPT records; senders then use none (RFC 8460 §3).", fix);
        }
        String record = records.get(0);
        String rua = null;
        for (String field : record.split(";")) {
            String f = field.strip();
            if (f.startsWith("rua=")) {
                rua = f.substring(4);
            }
        }
        if (rua == null || rua.isBlank()) {
            return new CheckItem("tls-rpt", Verdict.FAIL, "The TLS-RPT record at " + name + " has no rua=.", fix);
        }
        for (String uri : rua.split(",")) {
            String u = uri.strip();
            if (!u.startsWith("mailto:") && !u.startsWith("https://")) {
                return new CheckItem("tls-rpt", Verdict.FAIL, "TLS-RPT rua entry '" + Texts.shorten(u)
                        + "' is neither mailto: nor https:.", fix);
            }
        }
        boolean toUs = rua.toLowerCase(Locale.ROOT).contains("mailto:" + setup.tlsReportAddress().toLowerCase(Locale.ROOT));
        return new CheckItem("tls-rpt", Verdict.PASS, "TLS reports for " + domain + " go to " + rua.strip()
                + (toUs ? " (Carteiro reads them)." : "."), null);
    }

    CheckItem bimi(String domain, String dmarcPolicy) {
        String name = "default._bimi." + domain;
        DnsLookups.Answer<String> answer = dns.txt(name);
        List<String> records = answer instanceof DnsLookups.Answer.Found<String> f
                ? f.records().stream().filter(t -> t.startsWith("v=BIMI1")).toList() : List.of();
        if (!records.isEmpty()) {
            boolean enforced = "quarantine".equals(dmarcPolicy) || "reject".equals(dmarcPolicy);
            return new CheckItem("bimi", enforced ? Verdict.PASS : Verdict.WARN, "BIMI record: \""
                    + Texts.shorten(records.get(0), 200) + "\"." + (enforced ? ""
                    : " Mailboxes show the logo only under a DMARC policy of quarantine or reject."), null);
        }
        return new CheckItem("bimi", Verdict.PASS, "No BIMI record (optional: a brand logo shown beside your mail, "
                + "under a DMARC policy of quarantine or reject).", null);
    }

    // --- helpers

    private static String txt(String name, String value) {
        return name + ". TXT \"" + value + "\"";
    }

    private static String addresses(List<InetAddress> list) {
        if (list.isEmpty()) {
            return "none known";
        }
        Set<String> text = new LinkedHashSet<>();
        list.forEach(a -> text.add(a.getHostAddress()));
        return String.join(", ", text);
    }

    private static String domainNote(String domain, SendingSetup setup) {
        return domain.equals(setup.bounceDomain()) ? "the return path @" + domain : domain;
    }
}
