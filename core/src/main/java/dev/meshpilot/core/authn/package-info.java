/**
 * Peer authentication as istiod resolves it: which mutual TLS a workload's sidecar accepts
 * ({@link dev.meshpilot.core.authn.PeerAuthentications#forWorkload}, Istio's {@code ComposePeerAuthentication}) and
 * the best-effort mode a client infers for a service ({@link dev.meshpilot.core.authn.PeerAuthentications#namespaceMode},
 * Istio's {@code GetNamespaceMutualTLSMode}). Pure functions over immutable inputs.
 */
package dev.meshpilot.core.authn;
