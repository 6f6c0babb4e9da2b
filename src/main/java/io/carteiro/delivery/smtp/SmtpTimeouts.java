package io.carteiro.delivery.smtp;

import java.time.Duration;

/**
 * Timeouts of the phases of an SMTP session (RFC 5321 §4.5.3.2), applied to writes as to reads, and a deadline for
 * a whole mail transaction (MAIL to the reply after the final dot), so a server that answers each step just in time
 * still cannot hold a session for the sum of all of them.
 */
public record SmtpTimeouts(Duration connect, Duration greeting, Duration command, Duration dataStart,
                           Duration dataBlock, Duration dataEnd, Duration transaction) {
}
