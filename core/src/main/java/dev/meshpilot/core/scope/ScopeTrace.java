package dev.meshpilot.core.scope;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What the scope computation decided for each service record, kept only when an explanation was asked for: per
 * egress listener a verdict (R7/R8, R21–R25), then the outcome of the union (R27, R29). A disabled trace records
 * nothing, so the normal path pays only a flag check.
 */
final class ScopeTrace {

    /** Outcome of one listener for one service, in increasing order of how informative it is for people. */
    enum Outcome { NOT_VISIBLE, NOT_INDEXED, NO_HOST_MATCH, EXCLUDED, PORT_MISMATCH, LOST_TIE, IMPORTED }

    record ListenerVerdict(int listener, Outcome outcome, String rule, String detail) {
    }

    /** One event of the union (R27) or of a VirtualService import (R29). */
    record UnionEvent(boolean contributes, String rule, String detail) {
    }

    static final ScopeTrace DISABLED = new ScopeTrace(false);

    private final boolean enabled;
    private final Map<ServiceRef, List<ListenerVerdict>> verdicts = new HashMap<>();
    private final Map<ServiceRef, List<UnionEvent>> unionEvents = new HashMap<>();
    private final Map<String, Set<ServiceRef>> contributors = new HashMap<>();
    private final List<String> skippedHosts = new ArrayList<>();

    ScopeTrace(boolean enabled) {
        this.enabled = enabled;
    }

    boolean enabled() {
        return enabled;
    }

    void verdict(ServiceRef ref, int listener, Outcome outcome, String rule, String detail) {
        if (enabled) {
            verdicts.computeIfAbsent(ref, r -> new ArrayList<>()).add(new ListenerVerdict(listener, outcome, rule, detail));
        }
    }

    void union(ServiceRef ref, boolean contributes, String rule, String detail) {
        if (enabled) {
            unionEvents.computeIfAbsent(ref, r -> new ArrayList<>()).add(new UnionEvent(contributes, rule, detail));
        }
    }

    /** The record now provides (alone) the scope entry of its hostname. */
    void setContributor(ServiceRef ref) {
        if (enabled) {
            Set<ServiceRef> set = new LinkedHashSet<>();
            set.add(ref);
            contributors.put(ref.hostname(), set);
        }
    }

    /** The record now also contributes to the scope entry of its hostname (merged or identical ports). */
    void addContributor(ServiceRef ref) {
        if (enabled) {
            contributors.computeIfAbsent(ref.hostname(), h -> new LinkedHashSet<>()).add(ref);
        }
    }

    void skippedHost(int listener, String raw) {
        if (enabled) {
            skippedHosts.add("listener #" + (listener + 1) + ": host '" + raw
                    + "' skipped: not of the form namespace/dnsName (R20)");
        }
    }

    List<ListenerVerdict> verdicts(ServiceRef ref) {
        return verdicts.getOrDefault(ref, List.of());
    }

    List<UnionEvent> unionEvents(ServiceRef ref) {
        return unionEvents.getOrDefault(ref, List.of());
    }

    boolean contributes(ServiceRef ref) {
        return contributors.getOrDefault(ref.hostname(), Set.of()).contains(ref);
    }

    List<String> skippedHosts() {
        return skippedHosts;
    }
}
