package io.carteiro.bounces;

import org.subethamail.smtp.DropConnectionException;
import org.subethamail.smtp.internal.server.Command;
import org.subethamail.smtp.internal.server.CommandException;
import org.subethamail.smtp.internal.server.HelpMessage;
import org.subethamail.smtp.server.Session;

import java.io.IOException;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The listener's MAIL command: answers a declared SIZE larger than the limit (or too large to be a number at all)
 * with 552 itself, as RFC 1870 says, before subethasmtp's own MAIL, which reads SIZE as an int and fails on a larger
 * number with a 421 and a stack trace.
 */
final class SizeCheckedMail implements Command {

    private static final Pattern SIZE = Pattern.compile("(?i)\\sSIZE=(\\S*)");
    private static final int MAX_DIGITS = 18;

    private final Command mail;
    private final long limit;

    SizeCheckedMail(Command mail, long limit) {
        this.mail = mail;
        this.limit = limit;
    }

    @Override
    public void execute(String commandString, Session session) throws IOException, DropConnectionException {
        Matcher size = SIZE.matcher(commandString);
        if (size.find()) {
            String value = size.group(1);
            if (!value.matches("[0-9]{1,40}")) {
                session.sendResponse("501 5.5.4 SIZE must be a number of bytes");
                return;
            }
            String digits = value.replaceFirst("^0+(?=.)", "");
            if (digits.length() > MAX_DIGITS || Long.parseLong(digits) > limit) {
                session.sendResponse("552 5.3.4 Message size exceeds the fixed maximum message size of " + limit
                        + " bytes");
                return;
            }
        }
        mail.execute(commandString, session);
    }

    @Override
    public HelpMessage getHelp() throws CommandException {
        return mail.getHelp();
    }

    @Override
    public String getName() {
        return mail.getName().toUpperCase(Locale.ROOT);
    }
}
