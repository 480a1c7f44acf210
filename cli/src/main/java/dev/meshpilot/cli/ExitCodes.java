package dev.meshpilot.cli;

/** The exit codes every command uses: 0 success, 2 bad usage or input, 1 runtime failure. */
public final class ExitCodes {
    public static final int OK = 0;
    public static final int RUNTIME_FAILURE = 1;
    public static final int USAGE = 2;

    private ExitCodes() {
    }

    /** Bad input (a user error, or options picocli could not parse or convert) is usage; the rest a failure. */
    static int forException(Throwable t) {
        return t instanceof UserException || t instanceof picocli.CommandLine.ParameterException ? USAGE
                : RUNTIME_FAILURE;
    }
}
