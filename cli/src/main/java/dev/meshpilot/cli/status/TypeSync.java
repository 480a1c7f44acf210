package dev.meshpilot.cli.status;

import java.time.Instant;
import java.util.Objects;

/**
 * One xDS type's sync status of one proxy, as syncz reports it.
 *
 * @param status      {@code SYNCED}, {@code STALE}, {@code NOT_SENT}, {@code ERROR}, or {@code UNKNOWN}
 * @param lastUpdated when the type was last sent; null when never or not reported
 */
record TypeSync(String typeUrl, String status, Instant lastUpdated) {
    TypeSync {
        Objects.requireNonNull(typeUrl, "typeUrl");
        Objects.requireNonNull(status, "status");
    }
}
