package dev.meshpilot.server.logging;

/**
 * Client-supplied text (node ids, type URLs, resource names, NACK details) made safe for one log line: quoted,
 * printable ASCII only (control characters, newlines, quotes and non-ASCII become {@code ?}), at most {@link #MAX}
 * characters followed by the original length. Nothing a client sends can forge a line or fill the log.
 */
public final class LogText {
    public static final int MAX = 256;

    private LogText() {
    }

    public static String safe(String text) {
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
