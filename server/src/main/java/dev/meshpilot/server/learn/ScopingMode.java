package dev.meshpilot.server.learn;

import java.util.Arrays;
import java.util.Locale;
import java.util.Optional;

/** How the server scopes the proxies of a namespace. */
public enum ScopingMode {
    /** Serve each proxy its learned scope (never wider than Istio's), the rest of the upper bound as fallback. */
    LEARNED,
    /** Serve Istio's scope; compute and report what learning would serve. */
    SHADOW,
    /** Serve Istio's scope; learn nothing about scopes. */
    OFF;

    /** The namespace label that overrides the server's mode. */
    public static final String NAMESPACE_LABEL = "meshpilot.dev/scoping";

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** The mode a flag or label value names, if any. */
    public static Optional<ScopingMode> parse(String value) {
        return Arrays.stream(values()).filter(m -> m.label().equals(value)).findFirst();
    }

    /** {@code learned, shadow, off}, for messages. */
    public static String choices() {
        return String.join(", ", Arrays.stream(values()).map(ScopingMode::label).toList());
    }
}
