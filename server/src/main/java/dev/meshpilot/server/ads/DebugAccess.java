package dev.meshpilot.server.ads;

import java.util.Optional;

/**
 * Who may ask for Istio's debug types over ADS. istiod answers them only to callers it authenticated on its TLS port
 * (and limits callers outside its system namespace to their own namespace). meshpilot has no authenticated xDS
 * caller identity to hand here, so its rule is the strict one: only clients connected from a loopback address
 * (127.0.0.0/8, ::1) — the operator on the control plane's host, or {@code kubectl port-forward} to it, which is
 * how istioctl reaches istiod too. Anyone else's stream is closed with {@code PERMISSION_DENIED} and a message.
 */
final class DebugAccess {
    private DebugAccess() {
    }

    /** Why this request is refused, or empty when it may be answered. */
    static Optional<String> refusal(DebugRequest request) {
        if (request.loopbackPeer()) {
            return Optional.empty();
        }
        return Optional.of("debug type " + request.typeUrl() + " is served only to clients on a loopback address "
                + "(connect from the control plane's host, e.g. through kubectl port-forward); "
                + request.peer() + " is not");
    }
}
