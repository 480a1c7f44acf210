package dev.meshpilot.kube.ledger;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/** Object trees for store tests. */
final class LedgerJsonTestTrees {

    private LedgerJsonTestTrees() {
    }

    /** A WorkloadDependencies someone made by hand, without a ledger page. */
    static JsonNode foreignObject(String name) {
        try {
            return new ObjectMapper().readTree("""
                    {"apiVersion": "meshpilot.dev/v1alpha1", "kind": "WorkloadDependencies",
                     "metadata": {"name": "%s", "namespace": "bookinfo"}, "spec": {"note": "hand-made"}}
                    """.formatted(name));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
    }
}
