package dev.meshpilot.kube.directory;

/**
 * Bounds on what one manifest file may make the parser do, checked before parsing where they can be: a file's size
 * is checked from its attributes (it is not even read when over the bound), a line's length before its document is
 * parsed (a huge plain scalar is one line); a multi-line scalar's length right after its document is parsed; nesting
 * by the YAML parser itself.
 *
 * @param maxFileBytes     largest file that is read (default 16 MiB; a file over it keeps its last good objects)
 * @param maxScalarChars   longest scalar, and longest line checked before parsing (default 1 MiB: Kubernetes
 *                         refuses a ConfigMap whose data exceeds 1 MiB, and annotations over 256 KiB)
 * @param maxAliases       SnakeYAML's bound on aliased collections (its default, 50); Jackson reads YAML as events and
 *                         never composes aliased collections, so a "billion laughs" document is not expanded anyway
 * @param maxNestingDepth  nesting of mappings and sequences (default 64; Kubernetes and Istio objects need ~12)
 */
public record ParseLimits(long maxFileBytes, int maxScalarChars, int maxAliases, int maxNestingDepth) {

    public static final ParseLimits DEFAULT = new ParseLimits(16L << 20, 1 << 20, 50, 64);

    public ParseLimits {
        if (maxFileBytes < 1 || maxFileBytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("maxFileBytes must be between 1 and " + Integer.MAX_VALUE);
        }
        if (maxScalarChars < 1 || maxAliases < 0 || maxNestingDepth < 1) {
            throw new IllegalArgumentException("maxScalarChars and maxNestingDepth must be positive, maxAliases >= 0");
        }
    }
}
