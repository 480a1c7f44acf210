package dev.meshpilot.server.ads;

/**
 * Answers requests for Istio's debug types ({@link DebugTypes}) that {@link DebugAccess} let through. Called on the
 * requesting stream's executor; must not block on other streams (read their published status only).
 */
@FunctionalInterface
public interface DebugXdsHandler {
    /** Serves no debug type: every request gets an answer without resources. */
    DebugXdsHandler NONE = request -> DebugAnswer.empty("");

    DebugAnswer answer(DebugRequest request);
}
