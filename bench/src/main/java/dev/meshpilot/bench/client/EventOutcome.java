package dev.meshpilot.bench.client;

/**
 * One client's view of one event: whether its configuration changed, how many responses it received (and how many
 * of those changed something), and the time from the registry write to the ACK of the last change (ns; -1 when
 * nothing changed).
 */
public record EventOutcome(String proxyId, boolean changed, int responses, int changingResponses, long latencyNanos) {

    /** Pushed although nothing it holds changed: the planner's goal is that this never happens. */
    public boolean needless() {
        return !changed && responses > 0;
    }
}
