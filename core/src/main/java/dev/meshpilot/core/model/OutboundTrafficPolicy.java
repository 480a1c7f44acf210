package dev.meshpilot.core.model;

/** What a sidecar does with traffic to hosts outside its scope (Istio's {@code outboundTrafficPolicy.mode}). */
public enum OutboundTrafficPolicy {
    ALLOW_ANY, REGISTRY_ONLY
}
