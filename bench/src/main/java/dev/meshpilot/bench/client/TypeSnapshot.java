package dev.meshpilot.bench.client;

import java.util.Arrays;
import java.util.Collection;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * What a client holds for one type: resource names (sorted) and a 64-bit digest of each resource's bytes.
 * Immutable and interned by {@link Interner}, so thousands of clients holding the same set share one object and
 * "did my state change" is a reference comparison.
 */
public final class TypeSnapshot {

    static final TypeSnapshot EMPTY = new TypeSnapshot(new String[0], new long[0]);

    private final String[] names;
    private final long[] digests;
    private final int hash;

    private TypeSnapshot(String[] names, long[] digests) {
        this.names = names;
        this.digests = digests;
        this.hash = 31 * Arrays.hashCode(names) + Arrays.hashCode(digests);
    }

    static TypeSnapshot of(Map<String, Long> byName) {
        TreeMap<String, Long> sorted = byName instanceof TreeMap<String, Long> t ? t : new TreeMap<>(byName);
        String[] names = new String[sorted.size()];
        long[] digests = new long[sorted.size()];
        int i = 0;
        for (Map.Entry<String, Long> e : sorted.entrySet()) {
            names[i] = e.getKey();
            digests[i] = e.getValue();
            i++;
        }
        return new TypeSnapshot(names, digests);
    }

    /** A mutable copy, for merging partial (named-type or delta) updates. */
    TreeMap<String, Long> toMap() {
        TreeMap<String, Long> map = new TreeMap<>();
        for (int i = 0; i < names.length; i++) {
            map.put(names[i], digests[i]);
        }
        return map;
    }

    public int size() {
        return names.length;
    }

    public boolean contains(String name) {
        return Arrays.binarySearch(names, name) >= 0;
    }

    public boolean containsAll(Collection<String> wanted) {
        for (String name : wanted) {
            if (!contains(name)) {
                return false;
            }
        }
        return true;
    }

    /** True if any resource name satisfies {@code test}. */
    public boolean anyName(Predicate<String> test) {
        for (String name : names) {
            if (test.test(name)) {
                return true;
            }
        }
        return false;
    }

    public long digestOf(String name) {
        int i = Arrays.binarySearch(names, name);
        return i >= 0 ? digests[i] : 0;
    }

    String[] names() {
        return names;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof TypeSnapshot other && hash == other.hash && Arrays.equals(names, other.names)
                && Arrays.equals(digests, other.digests);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
