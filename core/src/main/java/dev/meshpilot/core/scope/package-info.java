/**
 * Istio 1.31 Sidecar scoping: which services, VirtualServices and DestinationRules each proxy may see.
 *
 * <p>Entry points: {@link dev.meshpilot.core.scope.SidecarScopes} (one per snapshot; {@code scopeFor(proxy)} returns
 * the shared immutable {@link dev.meshpilot.core.scope.ProxyScope}), {@link dev.meshpilot.core.scope.ScopeExplainer}
 * (why a proxy sees what it sees, naming the rule of the scoping spec), and
 * {@link dev.meshpilot.core.scope.ProxyIdentities} (a proxy's identity from its xDS node). The primitives
 * {@link dev.meshpilot.core.scope.HostName}, {@link dev.meshpilot.core.scope.ExportTo},
 * {@link dev.meshpilot.core.scope.ServiceIndex}, {@link dev.meshpilot.core.scope.HostEntry} and
 * {@link dev.meshpilot.core.scope.SidecarSelector} are public for tools that need one rule alone.
 *
 * <p>Rule numbers (R1–R48) refer to {@code istio-scoping-spec.md}; the computation follows Istio's
 * {@code sidecar.go} / {@code push_context.go} step by step, with two deterministic choices where Istio iterates a Go
 * map: VirtualService destinations are visited in order of appearance, and the "best visible namespace" for a
 * destination is searched in alphabetical namespace order.
 */
package dev.meshpilot.core.scope;
