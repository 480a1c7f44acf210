package dev.meshpilot.server.learn;

import dev.meshpilot.core.ledger.DependencyLedger;
import dev.meshpilot.core.ledger.WorkloadKey;

import java.util.Set;

/**
 * Told when the set of destinations learned for some workloads changed (a destination appeared). Called on the
 * thread that merged the evidence, after the new ledger is visible; it must return quickly (hand work off).
 */
@FunctionalInterface
public interface LearnedSetListener {
    void learnedSetChanged(Set<WorkloadKey> workloads, DependencyLedger ledger);
}
