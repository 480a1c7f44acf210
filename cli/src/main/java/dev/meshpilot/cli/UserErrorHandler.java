package dev.meshpilot.cli;

import picocli.CommandLine;

/**
 * Prints user mistakes as one clear line and exits 2; anything else is a runtime failure (exit 1) whose stack
 * trace is shown only with {@code MESHPILOT_DEBUG=1}.
 */
final class UserErrorHandler implements CommandLine.IExecutionExceptionHandler {
    @Override
    public int handleExecutionException(Exception ex, CommandLine cmd, CommandLine.ParseResult parseResult) {
        if (ex instanceof UserException) {
            cmd.getErr().println("error: " + ex.getMessage());
            return ExitCodes.USAGE;
        }
        cmd.getErr().println("error: " + ex);
        if ("1".equals(System.getenv("MESHPILOT_DEBUG"))) {
            ex.printStackTrace(cmd.getErr());
        }
        return ExitCodes.RUNTIME_FAILURE;
    }
}
