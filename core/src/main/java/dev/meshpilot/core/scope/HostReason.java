package dev.meshpilot.core.scope;

/** Why a host is in a learned scope or out of it. */
public enum HostReason {
    /** In: the workload was seen calling it, recently enough. */
    LEARNED(true),
    /** In: pinned by the workload's or its namespace's {@code meshpilot.dev/pin-hosts} annotation. */
    PINNED(true),
    /** In: pinned for every workload by the root namespace's annotation. */
    MESH_WIDE_PIN(true),
    /** In: a destination of a VirtualService bound to a learned host (routing may send calls there). */
    VIRTUAL_SERVICE_TARGET(true),
    /** In: a hand-written Sidecar selects the workload; learning does not apply. */
    HAND_WRITTEN_SIDECAR_WINS(true),
    /** In: narrowing would break a recently observed call, so the previous scope is kept. */
    SAFETY_CHECK_FAILED(true),
    /** Out: not seen for its forget period, and a source that saw it kept reporting without seeing it. */
    EXPIRED(false),
    /** Out: in the upper bound but never seen called, nor pinned. */
    NOT_OBSERVED(false),
    /** Out: seen called, but Istio's rules do not show it to this workload (learning only narrows). */
    BEYOND_UPPER_BOUND(false),
    /** Out: seen called, but no service declares it (an IP, a host outside the registry): reported, never served. */
    UNKNOWN_DESTINATION(false);

    private final boolean inScope;

    HostReason(boolean inScope) {
        this.inScope = inScope;
    }

    public boolean inScope() {
        return inScope;
    }

    /** Lower-case with dashes, as printed ({@code mesh-wide-pin}). */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }
}
