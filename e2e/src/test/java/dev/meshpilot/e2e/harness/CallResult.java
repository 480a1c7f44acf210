package dev.meshpilot.e2e.harness;

/**
 * One call's outcome as a client process reported it: {@code OK <backend>} or {@code ERR <CODE> <description>}.
 */
public record CallResult(boolean ok, String backend, String statusCode, String description) {

    static CallResult parse(String line) {
        if (line.startsWith("OK ")) {
            return new CallResult(true, line.substring(3).trim(), "OK", "");
        }
        if (line.startsWith("ERR ")) {
            String rest = line.substring(4);
            int space = rest.indexOf(' ');
            return space < 0
                    ? new CallResult(false, "", rest, "")
                    : new CallResult(false, "", rest.substring(0, space), rest.substring(space + 1));
        }
        throw new IllegalArgumentException("not a call result line: " + line);
    }

    /**
     * True when the call failed because the client holds no listener for its target: grpc-java names the LDS
     * resource and says it does not exist (NOT_FOUND once its does-not-exist timer fired for a listener it never
     * had). grpc-js-xds only lets such calls wait for name resolution and says so in its resolver trace.
     */
    public boolean listenerDoesNotExist() {
        String text = description.toLowerCase(java.util.Locale.ROOT);
        boolean aboutListener = text.contains("listener") || text.contains("lds");
        return !ok && aboutListener && (text.contains("does not exist") || text.contains("not_found"));
    }

    /** True for a client diagnostic line saying that a listener (LDS resource) does not exist. */
    public static boolean reportsMissingListener(String line) {
        String text = line.toLowerCase(java.util.Locale.ROOT);
        return text.contains("does not exist") && (text.contains("listener") || text.contains("lds"));
    }

    @Override
    public String toString() {
        return ok ? "OK " + backend : "ERR " + statusCode + " " + description;
    }
}
