/**
 * The registry: sources put {@link dev.meshpilot.core.registry.MeshObjects} under source keys into the
 * {@link dev.meshpilot.core.registry.RegistryStore}, which publishes an immutable, versioned
 * {@link dev.meshpilot.core.registry.MeshSnapshot} and a {@link dev.meshpilot.core.registry.ChangeSet} per
 * effective change.
 *
 * <p>Snapshot building ({@link dev.meshpilot.core.registry.SnapshotBuilder}): first object of each identity wins
 * (source keys in sorted order); MeshConfig from the sources or the defaults; discovery selectors drop namespaced
 * objects of unselected namespaces (R12); given pods are attributed to the Deployment/StatefulSet selecting them;
 * workloads without pods get {@code NAME-0..n-1} with a stable made-up address (10.64.0.0/10); a Kubernetes Service
 * that is neither headless nor ExternalName and has no {@code clusterIP}/{@code clusterIPs} gets a stable made-up
 * ClusterIP (10.192.0.0/12), as Kubernetes would give it one; named target ports resolve through
 * the pods' container ports. Every list of a snapshot is sorted (services in Istio's global order, the rest by
 * namespace and name), which change detection relies on.
 *
 * <p>Change keys: SERVICE and ENDPOINTS keys carry the service hostname as name; NAMESPACE keys have an empty
 * namespace; the MeshConfig key is {@link dev.meshpilot.core.registry.ChangeSet#MESH_CONFIG_KEY}.
 */
package dev.meshpilot.core.registry;
