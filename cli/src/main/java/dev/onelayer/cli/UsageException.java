package dev.onelayer.cli;

/** A bad argument found after parsing (e.g. a non-empty --out): one line on stderr, exit code 2. */
public final class UsageException extends RuntimeException {
    public UsageException(String message) {
        super(message);
    }
}
