package dev.meshpilot.kube.apply;

import java.util.List;

/**
 * What applying recommended Sidecars did (or, in a dry run, would do): counts per outcome and a readable diff,
 * one header line per object ({@code created Sidecar shop/cart}) followed by its changed hosts as {@code + host} /
 * {@code - host} lines.
 */
public record ApplyResult(boolean dryRun, int created, int updated, int deleted, int unchanged, int conflicts,
                          List<String> diff) {

    public ApplyResult {
        diff = List.copyOf(diff);
    }

    /** Whether anything was (or would be) created, updated or deleted. */
    public boolean changesSomething() {
        return created + updated + deleted > 0;
    }

    /** {@code 1 created, 2 updated, 0 deleted, 5 unchanged, 1 conflict (dry run)}. */
    public String summary() {
        return created + " created, " + updated + " updated, " + deleted + " deleted, " + unchanged + " unchanged, "
                + conflicts + (conflicts == 1 ? " conflict" : " conflicts") + (dryRun ? " (dry run)" : "");
    }
}
