package dev.meshpilot.server.accesslog;

/** Client-supplied text made safe for one log line: printable ASCII only, at most {@link #MAX} characters. */
final class LogText {
    static final int MAX = 80;

    private LogText() {
    }

    static String safe(String text) {
        if (text == null) {
            return "''";
        }
        int shown = Math.min(text.length(), MAX);
        StringBuilder out = new StringBuilder(shown + 24).append('\'');
        for (int i = 0; i < shown; i++) {
            char c = text.charAt(i);
            out.append(c >= 0x20 && c < 0x7f && c != '\'' ? c : '?');
        }
        out.append('\'');
        if (text.length() > MAX) {
            out.append("... (").append(text.length()).append(" chars)");
        }
        return out.toString();
    }
}
