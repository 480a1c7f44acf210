package dev.meshpilot.xds.generate;

import dev.meshpilot.core.authn.MtlsMode;
import dev.meshpilot.core.authn.PeerAuthentications;
import dev.meshpilot.core.model.DestinationRuleResource;
import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.ServicePort;
import dev.meshpilot.core.model.TrafficPolicy;
import dev.meshpilot.core.model.TrafficPolicy.ClientTls;
import dev.meshpilot.core.model.TrafficPolicy.TlsMode;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.registry.ServiceEndpoint;
import dev.meshpilot.xds.generate.ServiceClusters.OutboundCluster;
import dev.meshpilot.xds.naming.XdsNames;
import io.envoyproxy.envoy.config.cluster.v3.Cluster;
import io.envoyproxy.envoy.config.core.v3.UpstreamHttpProtocolOptions;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CertificateValidationContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.CommonTlsContext;
import io.envoyproxy.envoy.extensions.transport_sockets.tls.v3.UpstreamTlsContext;
import io.envoyproxy.envoy.extensions.upstreams.http.v3.HttpProtocolOptions;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The TLS an istio-proxy outbound cluster originates, decided as istiod decides it ({@code cluster_tls.go}:
 * {@code buildUpstreamTLSSettings}, {@code applyUpstreamTLSSettings}, {@code buildUpstreamClusterTLSContext}):
 * <ul>
 * <li>a DestinationRule {@code tls} is used as written: DISABLE is plaintext, SIMPLE/MUTUAL originate TLS with the
 * files or credential it names, ISTIO_MUTUAL uses the workload certificate (SNI and the service's accounts as
 * subject alt names unless given) — each as one {@code transport_socket};</li>
 * <li>without one, auto-mTLS: unless the service is mesh-external or its namespace's PeerAuthentication (or the
 * mesh's) disables mTLS, {@code transport_socket_matches} send Istio mTLS to endpoints labelled
 * {@code tlsMode: istio} and plaintext to the rest. An original-destination cluster gets the mTLS socket directly,
 * and only when every endpoint is in the mesh.</li>
 * </ul>
 * One instance per generation (it caches service accounts per service); thread-safe.
 */
final class UpstreamTls {

    private final MeshSnapshot snapshot;
    private final PeerAuthentications peerAuthentications;
    private final Map<String, List<String>> serviceAccounts = new ConcurrentHashMap<>();

    UpstreamTls(MeshSnapshot snapshot) {
        this.snapshot = snapshot;
        this.peerAuthentications = PeerAuthentications.of(snapshot);
    }

    /** Applies the cluster's TLS; call after the traffic policy (it reads the cluster's HTTP/2 choice). */
    void apply(Cluster.Builder cluster, OutboundCluster spec) {
        Optional<ClientTls> tls = spec.trafficPolicy().flatMap(TrafficPolicy::tls);
        String subset = spec.subset().map(DestinationRuleResource.Subset::name).orElse("");
        String sni = XdsNames.istioMtlsSni(spec.port().port(), subset, spec.service().hostname());
        if (tls.isPresent()) {
            applyUserTls(cluster, spec, tls.get(), sni);
            return;
        }
        if (spec.service().meshExternal() || serviceMode(spec) == MtlsMode.DISABLE) {
            return; // MTLSUnknown is impossible here: Istio falls back to PERMISSIVE for in-mesh services
        }
        UpstreamTlsContext mtls = MtlsTransportSockets.istioMutual(serviceAccounts(spec.service()), sni,
                isHttp2(cluster));
        if (cluster.getType() == Cluster.DiscoveryType.ORIGINAL_DST) {
            cluster.setTransportSocket(MtlsTransportSockets.tls(mtls));
        } else {
            cluster.addAllTransportSocketMatches(MtlsTransportSockets.autoMtlsMatches(MtlsTransportSockets.tls(mtls)));
        }
    }

    /**
     * Istio's {@code BestEffortInferServiceMTLSMode}: for an original-destination cluster DISABLE unless it has
     * endpoints and all are in the mesh; otherwise the namespace's (or mesh's) PeerAuthentication mode, PERMISSIVE
     * when none says.
     */
    MtlsMode serviceMode(OutboundCluster spec) {
        if (spec.discovery() == ServiceClusters.Discovery.ORIGINAL_DST) {
            List<ServiceEndpoint> endpoints = snapshot.endpointsOf(spec.service(), spec.port());
            if (endpoints.isEmpty() || endpoints.stream().anyMatch(e -> !e.inMesh())) {
                return MtlsMode.DISABLE;
            }
        }
        MtlsMode mode = peerAuthentications.namespaceMode(spec.service().namespace());
        return mode == MtlsMode.UNKNOWN ? MtlsMode.PERMISSIVE : mode;
    }

    private void applyUserTls(Cluster.Builder cluster, OutboundCluster spec, ClientTls tls, String defaultSni) {
        switch (tls.mode()) {
            case DISABLE -> {
                // plaintext, as written
            }
            case ISTIO_MUTUAL -> {
                String sni = tls.sni().isEmpty() ? defaultSni : tls.sni();
                List<String> sans = tls.subjectAltNames().isEmpty() ? serviceAccounts(spec.service())
                        : tls.subjectAltNames();
                cluster.setTransportSocket(MtlsTransportSockets.tls(MtlsTransportSockets.istioMutual(sans, sni,
                        isHttp2(cluster))));
            }
            case SIMPLE, MUTUAL -> {
                boolean selectorRule = spec.destinationRule().map(r -> r.workloadSelector().isPresent()).orElse(false);
                if (!tls.credentialName().isEmpty() && !selectorRule) {
                    return; // istiod: a sidecar may not read secrets through a rule that selects no workload
                }
                cluster.setTransportSocket(MtlsTransportSockets.tls(originate(cluster, spec, tls)));
            }
        }
    }

    /** SIMPLE or MUTUAL TLS origination (Istio's {@code constructUpstreamTLS}). */
    private UpstreamTlsContext originate(Cluster.Builder cluster, OutboundCluster spec, ClientTls tls) {
        boolean mutual = tls.mode() == TlsMode.MUTUAL;
        CommonTlsContext.Builder common = CommonTlsContext.newBuilder()
                .setTlsParams(MtlsTransportSockets.upstreamTlsParams());
        setAutoSniAndSanValidation(cluster, tls);
        List<String> sans = tls.subjectAltNames();
        if (!spec.service().isKubernetes() && sans.isEmpty()) {
            sans = serviceAccounts(spec.service()); // a ServiceEntry's identities
        }
        if (!tls.credentialName().isEmpty()) {
            if (mutual) {
                common.addTlsCertificateSdsSecretConfigs(MtlsTransportSockets.credentialSecret(tls.credentialName()));
            }
            if (!tls.insecureSkipVerify()) {
                common.setCombinedValidationContext(CommonTlsContext.CombinedCertificateValidationContext.newBuilder()
                        .setDefaultValidationContext(CertificateValidationContext.newBuilder()
                                .addAllMatchSubjectAltNames(MtlsTransportSockets.exact(sans)))
                        .setValidationContextSdsSecretConfig(
                                MtlsTransportSockets.credentialSecret(tls.credentialName() + "-cacert")));
            }
        } else {
            String ca = tls.caCertificates().isEmpty() ? "system" : tls.caCertificates();
            if (mutual) {
                common.addTlsCertificateSdsSecretConfigs(MtlsTransportSockets.agentSecret(
                        "file-cert:" + tls.clientCertificate() + "~" + tls.privateKey()));
            }
            if (tls.insecureSkipVerify()) {
                common.setValidationContext(CertificateValidationContext.getDefaultInstance());
            } else {
                CertificateValidationContext.Builder validation = CertificateValidationContext.newBuilder()
                        .addAllMatchSubjectAltNames(MtlsTransportSockets.exact(sans));
                if (!tls.caCrl().isEmpty()) {
                    validation.setCrl(MtlsTransportSockets.file(tls.caCrl()));
                }
                common.setCombinedValidationContext(CommonTlsContext.CombinedCertificateValidationContext.newBuilder()
                        .setDefaultValidationContext(validation)
                        .setValidationContextSdsSecretConfig(MtlsTransportSockets.agentSecret("file-root:" + ca)));
            }
        }
        if (isHttp2(cluster)) {
            common.addAllAlpnProtocols(MtlsTransportSockets.ALPN_H2_ONLY);
        }
        return UpstreamTlsContext.newBuilder().setCommonTlsContext(common).setSni(tls.sni()).build();
    }

    /**
     * Istio's {@code setAutoSniAndAutoSanValidation} for a plain cluster: without an SNI Envoy derives it from the
     * request's host ({@code auto_sni}), and, without subject alt names either, checks the certificate against it.
     */
    private static void setAutoSniAndSanValidation(Cluster.Builder cluster, ClientTls tls) {
        boolean autoSni = tls.sni().isEmpty();
        boolean autoSan = autoSni && tls.subjectAltNames().isEmpty() && !tls.insecureSkipVerify();
        if (!autoSni) {
            return;
        }
        HttpProtocolOptions.Builder options = ClusterTrafficPolicy.existingHttpOptions(cluster);
        UpstreamHttpProtocolOptions.Builder upstream = options.getUpstreamHttpProtocolOptions().toBuilder()
                .setAutoSni(true);
        if (autoSan) {
            upstream.setAutoSanValidation(true);
        }
        options.setUpstreamHttpProtocolOptions(upstream);
        ClusterTrafficPolicy.putHttpOptions(cluster, options);
    }

    /** True when the cluster speaks HTTP/2 upstream (Istio's {@code isHttp2Cluster}). */
    private static boolean isHttp2(Cluster.Builder cluster) {
        return ClusterTrafficPolicy.existingHttpOptions(cluster).getExplicitHttpConfig().hasHttp2ProtocolOptions();
    }

    /**
     * The SPIFFE identities of the pods behind a service, sorted (Istio's {@code PushContext.ServiceAccounts}):
     * {@code spiffe://cluster.local/ns/NS/sa/ACCOUNT}, a pod without an account being {@code default}'s.
     */
    List<String> serviceAccounts(MeshService service) {
        return serviceAccounts.computeIfAbsent(service.namespace() + "/" + service.hostname() + "/"
                + service.registry(), k -> {
            TreeSet<String> out = new TreeSet<>();
            for (ServicePort port : service.ports()) {
                for (ServiceEndpoint e : snapshot.endpointsOf(service, port)) {
                    if (e.podName().isEmpty()) {
                        continue;
                    }
                    snapshot.findWorkload(e.podName(), service.namespace()).ifPresent(pod -> out.add(
                            "spiffe://" + MtlsTransportSockets.TRUST_DOMAIN + "/ns/" + pod.namespace() + "/sa/"
                                    + (pod.serviceAccount().isEmpty() ? "default" : pod.serviceAccount())));
                }
            }
            return List.copyOf(new ArrayList<>(out));
        });
    }
}
