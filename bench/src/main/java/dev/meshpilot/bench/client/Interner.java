package dev.meshpilot.bench.client;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Shares equal values among all simulated clients of one run (names, per-type snapshots, links derived from a
 * resource), which keeps a client's own memory to a few references per type.
 */
public final class Interner {

    private final Map<String, String> strings = new ConcurrentHashMap<>();
    private final Map<TypeSnapshot, TypeSnapshot> snapshots = new ConcurrentHashMap<>();

    String name(String s) {
        String existing = strings.putIfAbsent(s, s);
        return existing != null ? existing : s;
    }

    TypeSnapshot snapshot(TypeSnapshot s) {
        if (s.size() == 0) {
            return TypeSnapshot.EMPTY;
        }
        TypeSnapshot existing = snapshots.putIfAbsent(s, s);
        return existing != null ? existing : s;
    }

    public int distinctSnapshots() {
        return snapshots.size();
    }
}
