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

    /** True when the client failed because the listener it asked for does not exist for it. */
    public boolean listenerDoesNotExist() {
        String text = description.toLowerCase(java.util.Locale.ROOT);
        return !ok && text.contains("does not exist") && (text.contains("listener") || text.contains("lds"));
    }

    @Override
    public String toString() {
        return ok ? "OK " + backend : "ERR " + statusCode + " " + description;
    }
}
