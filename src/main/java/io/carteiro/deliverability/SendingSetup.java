package io.carteiro.deliverability;

import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * Who this installation is on the wire, as the checks need it.
 *
 * @param sendingAddresses      the addresses mail leaves from (in relay mode, the relay's)
 * @param addressesFrom         where those addresses came from, said in details ("configured", "this machine's
 *                              interfaces", "the relay's DNS")
 * @param installationAddresses the addresses where this installation receives mail (for the bounce domain's MX)
 * @param relayHost             the smarthost of relay mode, when on
 * @param dmarcAddress          the rua address Carteiro reads DMARC reports at
 * @param tlsReportAddress      the rua address Carteiro reads TLS-RPT reports at
 */
record SendingSetup(String ehloName, String bounceDomain, List<InetAddress> sendingAddresses, String addressesFrom,
                    List<InetAddress> installationAddresses, Optional<String> relayHost, String dmarcAddress,
                    String tlsReportAddress) {
}
