package io.carteiro.delivery.smtp;

import java.time.Duration;

/** Timeouts of the phases of an SMTP session (RFC 5321 §4.5.3.2). */
public record SmtpTimeouts(Duration connect, Duration greeting, Duration command, Duration dataStart,
                           Duration dataBlock, Duration dataEnd) {
}
