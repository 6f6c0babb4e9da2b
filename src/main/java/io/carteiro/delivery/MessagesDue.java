package io.carteiro.delivery;

/**
 * Fired (as a CDI event) in a transaction that makes messages due now. Once that transaction commits, this
 * instance's sender loops claim at once instead of at their next poll; other instances find the rows at theirs.
 */
public record MessagesDue() {
}
