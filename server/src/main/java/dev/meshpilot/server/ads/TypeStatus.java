package dev.meshpilot.server.ads;

import java.time.Instant;
import java.util.List;

/**
 * The sync state of one type on one stream, as debug endpoints and proxy-status show it. Empty strings and null
 * instants mean "never".
 *
 * @param wildcard      the client subscribed to everything of this type
 * @param subscribed    the names the client asked for explicitly (sorted)
 * @param sentVersion   version of the last response sent
 * @param sentNonce     nonce of the last response sent
 * @param ackedVersion  version of the last response the client accepted
 * @param ackedNonce    nonce of the last response the client accepted
 * @param lastError     the client's message for the last rejected response, or our message for an unknown type
 * @param sentResources how many resources of this type the client was last sent (SotW) or holds (delta)
 */
public record TypeStatus(String typeUrl, boolean wildcard, List<String> subscribed, String sentVersion,
                         String sentNonce, Instant sentAt, String ackedVersion, String ackedNonce, Instant ackedAt,
                         String lastError, String lastErrorNonce, Instant lastErrorAt, int sentResources) {
    public TypeStatus {
        subscribed = List.copyOf(subscribed);
    }

    /** istioctl's per-type status: NOT_SENT, SYNCED, STALE or ERROR. */
    public SyncState state() {
        if (!lastError.isEmpty() && (lastErrorNonce.equals(sentNonce) || sentNonce.isEmpty())) {
            return SyncState.ERROR;
        }
        if (sentNonce.isEmpty()) {
            return SyncState.NOT_SENT;
        }
        return sentNonce.equals(ackedNonce) ? SyncState.SYNCED : SyncState.STALE;
    }

    /** What proxy-status prints per type. */
    public enum SyncState { NOT_SENT, SYNCED, STALE, ERROR }
}
