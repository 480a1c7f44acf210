package dev.meshpilot.insight.render;

import java.util.Locale;

/** Number formats shared by the renderings, so the table, HTML and docs print the same figures. */
public final class Formats {

    private Formats() {
    }

    /** Decimal megabytes, one decimal: {@code 50.3}. */
    static String mb(long bytes) {
        return String.format(Locale.ROOT, "%.1f", bytes / 1_000_000.0);
    }

    /** Decimal kilobytes, rounded: {@code 12}; one decimal below 10 KB. */
    static String kb(long bytes) {
        double kb = bytes / 1_000.0;
        return kb < 10 && bytes != 0 ? String.format(Locale.ROOT, "%.1f", kb) : String.format(Locale.ROOT, "%.0f", kb);
    }

    /** Human bytes: {@code 812 B}, {@code 12.4 KB}, {@code 3.1 MB}, {@code 1.20 GB}. */
    public static String bytes(long bytes) {
        if (bytes < 1_000) {
            return bytes + " B";
        }
        if (bytes < 1_000_000) {
            return String.format(Locale.ROOT, "%.1f KB", bytes / 1_000.0);
        }
        if (bytes < 1_000_000_000) {
            return String.format(Locale.ROOT, "%.1f MB", bytes / 1_000_000.0);
        }
        return String.format(Locale.ROOT, "%.2f GB", bytes / 1_000_000_000.0);
    }

    /** Change as a percentage of {@code before}: {@code -93%}, {@code +4%}, {@code 0%}. */
    public static String change(long before, long after) {
        if (before == 0) {
            return after == 0 ? "0%" : "new";
        }
        long pct = Math.round(100.0 * (after - before) / before);
        return (pct > 0 ? "+" : "") + pct + "%";
    }

    /** The text cut to {@code width} characters, with a trailing {@code …} when cut. */
    static String fit(String text, int width) {
        if (text.length() <= width) {
            return text;
        }
        return text.substring(0, Math.max(0, width - 1)) + "…";
    }
}
