package dev.meshpilot.kube.apiserver;

import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.net.HttpURLConnection;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Map;
import java.util.List;
import java.util.Optional;

/**
 * Asks the API server which version of {@code networking.istio.io} (and {@code security.istio.io} for
 * PeerAuthentication) serves each Istio kind: {@code v1} when served, else {@code v1beta1}, else {@code v1alpha3}
 * (clusters with Istio older than 1.22 serve no v1; security has no v1alpha3). A kind served at
 * none of them (no Istio CRDs installed) is reported as not served.
 */
final class IstioApiDiscovery {

    private IstioApiDiscovery() {
    }

    /** The served version per Istio kind, in {@link WatchedKind#ISTIO_KINDS} order; throws when the API fails. */
    static List<Served> discover(KubernetesClient client) {
        Map<String, List<APIResource>> resourcesByGroupVersion = new HashMap<>();
        List<Served> out = new ArrayList<>();
        for (WatchedKind.IstioKind istio : WatchedKind.ISTIO_KINDS) {
            String kind = istio.kind();
            String plural = istio.plural();
            Optional<WatchedKind> served = Optional.empty();
            for (String version : istio.versions()) {
                String groupVersion = istio.group() + "/" + version;
                List<APIResource> resources = resourcesByGroupVersion.computeIfAbsent(groupVersion,
                        gv -> resourcesOf(client, gv));
                if (served.isEmpty() && lists(resources, kind, plural)) {
                    served = Optional.of(WatchedKind.istio(istio.group(), kind, plural, version));
                }
            }
            out.add(new Served(kind, served));
        }
        return out;
    }

    /** One Istio kind and the version it is served at, if any. */
    record Served(String kind, Optional<WatchedKind> watched) {
        String describe() {
            return watched.map(w -> kind + "=" + w.version()).orElse(kind + "=not served");
        }
    }

    private static List<APIResource> resourcesOf(KubernetesClient client, String groupVersion) {
        try {
            APIResourceList list = client.getApiResources(groupVersion);
            return list == null || list.getResources() == null ? List.of() : list.getResources();
        } catch (KubernetesClientException e) {
            if (e.getCode() == HttpURLConnection.HTTP_NOT_FOUND) {
                return List.of(); // the version is not served
            }
            throw e;
        }
    }

    private static boolean lists(List<APIResource> resources, String kind, String plural) {
        return resources.stream().anyMatch(r -> kind.equals(r.getKind()) && plural.equals(r.getName()));
    }
}
