package dev.meshpilot.core.scope;

import java.util.Objects;

/**
 * A hostname or hostname pattern as Istio compares them (R4 of the scoping spec). A name is wildcarded iff it
 * starts with {@code *}; the accepted wildcard forms are the bare {@code *} and a leading {@code *.} label.
 * Comparison is byte-wise and case-sensitive.
 */
public record HostName(String value) implements Comparable<HostName> {

    public HostName {
        Objects.requireNonNull(value, "value");
    }

    public static HostName of(String value) {
        return new HostName(value);
    }

    public boolean isWildcarded() {
        return isWildcarded(value);
    }

    /** True iff this name is covered by {@code pattern} (Istio's one-directional {@code SubsetOf}). */
    public boolean coveredBy(HostName pattern) {
        return coveredBy(value, pattern.value);
    }

    /** True iff either name covers the other (Istio's symmetric {@code Matches}). */
    public boolean overlaps(HostName other) {
        return overlaps(value, other.value);
    }

    public static boolean isWildcarded(String host) {
        return !host.isEmpty() && host.charAt(0) == '*';
    }

    /**
     * {@code host} covered by {@code pattern}: equal when neither is wildcarded; a wildcard pattern covers every
     * name ending with the pattern minus its {@code *} (so {@code *.foo.com} covers {@code a.b.foo.com}, not
     * {@code foo.com}); a wildcard host is covered only by a wildcard pattern whose suffix it ends with.
     */
    public static boolean coveredBy(String host, String pattern) {
        boolean hostWild = isWildcarded(host);
        boolean patternWild = isWildcarded(pattern);
        if (!patternWild) {
            return !hostWild && host.equals(pattern);
        }
        if (!hostWild) {
            return host.endsWith(pattern.substring(1));
        }
        return host.length() >= pattern.length() && host.substring(1).endsWith(pattern.substring(1));
    }

    /** Either name covers the other. */
    public static boolean overlaps(String a, String b) {
        boolean aWild = isWildcarded(a);
        boolean bWild = isWildcarded(b);
        if (!aWild && !bWild) {
            return a.equals(b);
        }
        return coveredBy(a, b) || coveredBy(b, a);
    }

    /**
     * True when wildcard pattern {@code a} is more specific than {@code b} (both wildcarded): the longer one,
     * ties broken by plain string order so the choice is deterministic.
     */
    static boolean moreSpecific(String a, String b) {
        if (a.length() != b.length()) {
            return a.length() > b.length();
        }
        return a.compareTo(b) < 0;
    }

    @Override
    public int compareTo(HostName other) {
        return value.compareTo(other.value);
    }

    @Override
    public String toString() {
        return value;
    }
}
