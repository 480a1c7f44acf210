package dev.meshpilot.kube.apiserver;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.Informable;
import io.fabric8.kubernetes.client.dsl.Listable;
import io.fabric8.kubernetes.client.dsl.MixedOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * One kind of Kubernetes object the API-server source reads, and where: group/version/plural for the API path,
 * whether it is namespaced, and whether discovery selectors apply to it (R12: every namespaced mesh kind; never
 * cluster-scoped Namespaces, never the control plane's own {@code istio} ConfigMap). All kinds are read as
 * generic resources so that every object reaches the converters as the same JSON a manifest file would give.
 *
 * @param onlyObject when present, only this one object ({@code namespace/name}) is read, e.g. the istio ConfigMap
 */
record WatchedKind(String kind, String group, String version, String plural, boolean namespaced,
                   boolean discoverySelected, Optional<ObjectName> onlyObject) {

    static final String ISTIO_GROUP = "networking.istio.io";
    static final String SECURITY_GROUP = "security.istio.io";
    /** The Istio networking API versions we read, most preferred first. */
    static final List<String> ISTIO_VERSIONS = List.of("v1", "v1beta1", "v1alpha3");
    /** The Istio security API versions we read, most preferred first. */
    static final List<String> SECURITY_VERSIONS = List.of("v1", "v1beta1");
    /** The Istio kinds we read. */
    static final List<IstioKind> ISTIO_KINDS = List.of(
            new IstioKind(ISTIO_GROUP, "Sidecar", "sidecars"),
            new IstioKind(ISTIO_GROUP, "ServiceEntry", "serviceentries"),
            new IstioKind(ISTIO_GROUP, "VirtualService", "virtualservices"),
            new IstioKind(ISTIO_GROUP, "DestinationRule", "destinationrules"),
            new IstioKind(SECURITY_GROUP, "PeerAuthentication", "peerauthentications"));

    /** An Istio kind, its API group and its plural resource name (the same in every version). */
    record IstioKind(String group, String kind, String plural) {
        /** The versions of this kind's group we read, most preferred first. */
        List<String> versions() {
            return group.equals(SECURITY_GROUP) ? SECURITY_VERSIONS : ISTIO_VERSIONS;
        }
    }

    static final WatchedKind NAMESPACE = new WatchedKind("Namespace", "", "v1", "namespaces", false, false,
            Optional.empty());
    static final WatchedKind SERVICE = new WatchedKind("Service", "", "v1", "services", true, true, Optional.empty());
    static final WatchedKind ENDPOINT_SLICE = new WatchedKind("EndpointSlice", "discovery.k8s.io", "v1",
            "endpointslices", true, true, Optional.empty());
    static final WatchedKind POD = new WatchedKind("Pod", "", "v1", "pods", true, true, Optional.empty());

    /** A namespace and name. */
    record ObjectName(String namespace, String name) {
        ObjectName {
            Objects.requireNonNull(namespace, "namespace");
            Objects.requireNonNull(name, "name");
        }
    }

    WatchedKind {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(group, "group");
        Objects.requireNonNull(version, "version");
        Objects.requireNonNull(plural, "plural");
        Objects.requireNonNull(onlyObject, "onlyObject");
    }

    /** The MeshConfig ConfigMap ({@code istio}) of the control plane's namespace. */
    static WatchedKind meshConfigMap(String systemNamespace) {
        return new WatchedKind("ConfigMap", "", "v1", "configmaps", true, false,
                Optional.of(new ObjectName(systemNamespace, "istio")));
    }

    /** An Istio networking kind served at the given version. */
    static WatchedKind istio(String kind, String plural, String version) {
        return istio(ISTIO_GROUP, kind, plural, version);
    }

    /** An Istio kind of the given group served at the given version. */
    static WatchedKind istio(String group, String kind, String plural, String version) {
        return new WatchedKind(kind, group, version, plural, true, true, Optional.empty());
    }

    /** The core kinds, in the order they are applied (gate inputs first). */
    static List<WatchedKind> coreKinds(String systemNamespace) {
        return List.of(NAMESPACE, meshConfigMap(systemNamespace), SERVICE, ENDPOINT_SLICE, POD);
    }

    /** {@code group/version}, or just the version for the core group, as objects carry it. */
    String apiVersion() {
        return group.isEmpty() ? version : group + "/" + version;
    }

    /** True for the kinds that decide which namespaces are selected (Namespace labels, MeshConfig). */
    boolean isGateInput() {
        return !discoverySelected;
    }

    ResourceDefinitionContext context() {
        return new ResourceDefinitionContext.Builder()
                .withGroup(group).withVersion(version).withKind(kind).withPlural(plural).withNamespaced(namespaced)
                .build();
    }

    /** Where this kind is read from: every namespace, or the one object. */
    Informable<GenericKubernetesResource> informable(KubernetesClient client) {
        MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> op =
                client.genericKubernetesResources(context());
        if (onlyObject.isPresent()) {
            return op.inNamespace(onlyObject.get().namespace()).withName(onlyObject.get().name());
        }
        return namespaced ? op.inAnyNamespace() : op;
    }

    /** Lists this kind once (the one-shot loader). */
    List<GenericKubernetesResource> list(KubernetesClient client) {
        MixedOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> op =
                client.genericKubernetesResources(context());
        if (onlyObject.isPresent()) {
            GenericKubernetesResource one = op.inNamespace(onlyObject.get().namespace())
                    .withName(onlyObject.get().name()).get();
            return one == null ? List.of() : List.of(one);
        }
        Listable<GenericKubernetesResourceList> listable = namespaced ? op.inAnyNamespace() : op;
        return listable.list().getItems();
    }

    @Override
    public String toString() {
        return kind + " (" + apiVersion() + ")";
    }
}
