package dev.meshpilot.cli;

/**
 * A mistake of the user's (unknown pod, bad flag combination, unreadable input): printed as one line, no stack
 * trace, exit code 2.
 */
public final class UserException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public UserException(String message) {
        super(message);
    }
}
