package io.carteiro.delivery;

import io.carteiro.delivery.mx.Exchanger;
import io.carteiro.delivery.smtp.SessionOptions;

import java.util.List;
import java.util.function.Function;

/**
 * Where the messages of one recipient domain go: exchangers in order, their port, how to talk to each, and the
 * TLS policy the domain publishes (MTA-STS), which decides which exchangers may be used at all.
 */
record Route(String domain, List<Exchanger> exchangers, int port, Function<Exchanger, SessionOptions> options,
             DomainTlsPolicy published) {
}
