package dev.meshpilot.kube.convert;

import dev.meshpilot.core.model.DestinationRuleResource;
import dev.meshpilot.core.model.LabelSelector;
import dev.meshpilot.core.model.MeshConfig;
import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.OutboundTrafficPolicy;
import dev.meshpilot.core.model.Protocol;
import dev.meshpilot.core.model.ServicePort;
import dev.meshpilot.core.model.SidecarResource;
import dev.meshpilot.core.model.TrafficPolicy;
import dev.meshpilot.core.model.VirtualServiceResource;
import dev.meshpilot.core.model.VirtualServiceResource.Destination;
import dev.meshpilot.core.model.VirtualServiceResource.StringMatch;
import dev.meshpilot.core.registry.MeshObjects;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static dev.meshpilot.kube.convert.ConverterTestSupport.converted;
import static dev.meshpilot.kube.convert.ConverterTestSupport.failure;
import static dev.meshpilot.kube.convert.ConverterTestSupport.tree;
import static org.assertj.core.api.Assertions.assertThat;

class IstioKindsConversionTest {

    @ParameterizedTest
    @ValueSource(strings = {"v1", "v1beta1", "v1alpha3"})
    void sidecar_allThreeApiVersionsConvertAlike(String version) {
        SidecarResource sidecar = converted("""
                apiVersion: networking.istio.io/%s
                kind: Sidecar
                metadata: {name: default, namespace: shop}
                spec:
                  egress:
                  - port: {number: 9080, protocol: HTTP, name: http}
                    hosts: ["./reviews.shop.svc.cluster.local"]
                  - hosts: ["./*", "istio-system/*", "~/*.internal.example.com"]
                  outboundTrafficPolicy: {mode: REGISTRY_ONLY}
                """.formatted(version)).sidecars().get(0);

        assertThat(sidecar.hasWorkloadSelector()).isFalse();
        assertThat(sidecar.egress()).hasSize(2);
        assertThat(sidecar.egress().get(0).port()).contains(new SidecarResource.ListenerPort(9080, "HTTP", "http"));
        assertThat(sidecar.egress().get(1).port()).isEmpty();
        assertThat(sidecar.egress().get(1).hosts()).containsExactly("./*", "istio-system/*", "~/*.internal.example.com");
        assertThat(sidecar.outboundTrafficPolicy()).contains(OutboundTrafficPolicy.REGISTRY_ONLY);
    }

    @Test
    void sidecarWorkloadSelectorWithEmptyLabels_isStillPresent() {
        SidecarResource sidecar = converted("""
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata: {name: s, namespace: shop}
                spec:
                  workloadSelector: {}
                  egress:
                  - hosts: ["./*"]
                """).sidecars().get(0);

        assertThat(sidecar.workloadSelector()).contains(Map.of());
        assertThat(sidecar.outboundTrafficPolicy()).isEmpty();
    }

    @Test
    void sidecarWithoutEgress_importsEverything_soItHasNoListeners() {
        SidecarResource sidecar = converted("""
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata: {name: s, namespace: shop}
                spec:
                  workloadSelector: {labels: {app: cart}}
                  ingress:
                  - port: {number: 8080, protocol: HTTP, name: http}
                    defaultEndpoint: 127.0.0.1:8080
                """).sidecars().get(0);

        assertThat(sidecar.workloadSelector()).contains(Map.of("app", "cart"));
        assertThat(sidecar.egress()).isEmpty();
        assertThat(sidecar.ingress()).singleElement().satisfies(i -> {
            assertThat(i.port().number()).isEqualTo(8080);
            assertThat(i.defaultEndpoint()).isEqualTo("127.0.0.1:8080");
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"*/*", "./*", "~/*", "~./*", "~shop/x.example.com", "shop/*.example.com",
            "istio-system/istiod.istio-system.svc.cluster.local", "~*/a.b"})
    void sidecarHost_validForms_areAccepted(String host) {
        Field field = Field.root(tree("h: x")).get("h");
        SidecarConverter.checkHost(field, host);
    }

    @Test
    void sidecarPortlessListenerBeforeALastOne_isRejected() {
        assertThat(failure("""
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata: {name: s, namespace: shop}
                spec:
                  egress:
                  - hosts: ["./*"]
                  - port: {number: 80}
                    hosts: ["./*"]
                """).field()).isEqualTo("spec.egress[0]");
    }

    @ParameterizedTest
    @CsvSource({"NONE, PASSTHROUGH", "STATIC, CLIENT_SIDE_LB", "DNS, DNS", "DNS_ROUND_ROBIN, DNS_ROUND_ROBIN"})
    void serviceEntryResolution_mapsToTheModel(String resolution, MeshService.Resolution expected) {
        MeshObjects objects = converted("""
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: ext, namespace: shop}
                spec:
                  hosts: [api.example.com]
                  ports: [{number: 443, name: https, protocol: TLS}]
                  resolution: %s
                  endpoints: [{address: 1.2.3.4}]
                """.formatted(resolution));

        assertThat(objects.services().get(0).resolution()).isEqualTo(expected);
    }

    @Test
    void serviceEntry_givesOneServicePerHostSharingPortsEndpointsAndExportTo() {
        List<MeshService> services = converted("""
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: ext, namespace: shop}
                spec:
                  hosts: [a.example.com, "*.b.example.com"]
                  addresses: [240.0.0.1]
                  exportTo: ["."]
                  location: MESH_INTERNAL
                  ports:
                  - {number: 8443, name: https, protocol: HTTPS, targetPort: 443}
                  - {number: 9000, name: grpc-api}
                  resolution: STATIC
                  endpoints:
                  - address: 10.1.0.1
                    ports: {https: 4443}
                    labels: {version: v1}
                    locality: us/us-a
                    weight: 2
                """).services();

        assertThat(services).extracting(MeshService::hostname).containsExactly("a.example.com", "*.b.example.com");
        assertThat(services).allSatisfy(s -> {
            assertThat(s.registry()).isEqualTo(MeshService.Registry.EXTERNAL);
            assertThat(s.name()).isEqualTo("ext");
            assertThat(s.namespace()).isEqualTo("shop");
            assertThat(s.meshExternal()).isFalse();
            assertThat(s.declaredExportTo()).containsExactly(".");
            assertThat(s.addresses()).containsExactly("240.0.0.1");
            assertThat(s.ports()).containsExactly(new ServicePort("https", 8443, 443, "", Protocol.HTTPS),
                    new ServicePort("grpc-api", 9000, 9000, "", Protocol.GRPC));
            assertThat(s.endpoints()).containsExactly(new MeshService.ServiceEntryEndpoint("10.1.0.1",
                    Map.of("https", 4443), Map.of("version", "v1"), "us/us-a", 2));
        });
    }

    @Test
    void serviceEntry_defaultsToMeshExternalAndNoneResolution() {
        MeshService s = converted("""
                apiVersion: networking.istio.io/v1beta1
                kind: ServiceEntry
                metadata: {name: ext, namespace: shop}
                spec:
                  hosts: [db.example.com]
                  ports: [{number: 5432, name: tcp, protocol: TCP}]
                  exportTo: ["~"]
                """).services().get(0);

        assertThat(s.meshExternal()).isTrue();
        assertThat(s.resolution()).isEqualTo(MeshService.Resolution.PASSTHROUGH);
        assertThat(s.declaredExportTo()).containsExactly("~");
    }

    @Test
    void serviceEntryUnknownResolution_isRejected() {
        assertThat(failure("""
                apiVersion: networking.istio.io/v1
                kind: ServiceEntry
                metadata: {name: ext, namespace: shop}
                spec:
                  hosts: [db.example.com]
                  resolution: MAGIC
                """).toString()).isEqualTo("ServiceEntry shop/ext: spec.resolution: unknown resolution \"MAGIC\" "
                + "(use NONE, STATIC, DNS or DNS_ROUND_ROBIN)");
    }

    @Test
    void virtualService_keepsHostsGatewaysMatchesWeightsMirrorsTimeoutAndRetries() {
        VirtualServiceResource vs = converted("""
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: reviews, namespace: bookinfo}
                spec:
                  hosts: [reviews]
                  gateways: [mesh, bookinfo-gateway]
                  exportTo: ["."]
                  http:
                  - name: jason
                    match:
                    - uri: {prefix: /api}
                      headers:
                        end-user: {exact: jason}
                      sourceNamespace: frontend
                      port: 9080
                    route:
                    - destination: {host: reviews, subset: v2, port: {number: 9080}}
                      weight: 80
                    - destination: {host: reviews, subset: v3}
                      weight: 20
                    mirror: {host: reviews-shadow}
                    mirrors:
                    - destination: {host: reviews-audit}
                      percentage: {value: 10}
                    timeout: 1.5s
                    retries: {attempts: 3, perTryTimeout: 500ms, retryOn: 5xx}
                    fault: {delay: {fixedDelay: 1s, percentage: {value: 1}}}
                  tcp:
                  - match: [{port: 3306}]
                    route: [{destination: {host: mysql}}]
                  tls:
                  - match: [{sniHosts: [login.example.com], port: 443}]
                    route: [{destination: {host: login.example.com}}]
                """).virtualServices().get(0);

        assertThat(vs.hosts()).containsExactly("reviews");
        assertThat(vs.gateways()).containsExactly("mesh", "bookinfo-gateway");
        assertThat(vs.appliesToMesh()).isTrue();
        assertThat(vs.exportTo()).containsExactly(".");
        VirtualServiceResource.HttpRoute route = vs.http().get(0);
        assertThat(route.name()).isEqualTo("jason");
        assertThat(route.match()).singleElement().satisfies(m -> {
            assertThat(m.uri()).contains(new StringMatch(StringMatch.MatchType.PREFIX, "/api"));
            assertThat(m.headers()).containsEntry("end-user", new StringMatch(StringMatch.MatchType.EXACT, "jason"));
            assertThat(m.sourceNamespace()).isEqualTo("frontend");
            assertThat(m.port()).isEqualTo(9080);
        });
        assertThat(route.route()).extracting(r -> r.destination().subset() + ":" + r.destination().port() + "=" + r.weight())
                .containsExactly("v2:9080=80", "v3:0=20");
        assertThat(route.mirror()).contains(new Destination("reviews-shadow", "", 0));
        assertThat(route.mirrors()).containsExactly(new Destination("reviews-audit", "", 0));
        assertThat(route.timeout()).contains(Duration.ofMillis(1500));
        assertThat(route.retries()).hasValueSatisfying(r -> {
            assertThat(r.attempts()).isEqualTo(3);
            assertThat(r.perTryTimeout()).isEqualTo(Duration.ofMillis(500));
            assertThat(r.retryOn()).isEqualTo("5xx");
        });
        assertThat(vs.tcp()).singleElement().satisfies(t -> {
            assertThat(t.matchPorts()).containsExactly(3306);
            assertThat(t.route().get(0).destination().host()).isEqualTo("mysql");
        });
        assertThat(vs.tls()).singleElement().satisfies(t -> assertThat(t.sniHosts()).containsExactly("login.example.com"));
    }

    @Test
    void virtualServiceWithABadDuration_isRejected() {
        assertThat(failure("""
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: vs, namespace: shop}
                spec:
                  hosts: [a.example.com]
                  http:
                  - route: [{destination: {host: a.example.com}}]
                    timeout: soon
                """).toString()).isEqualTo("VirtualService shop/vs: spec.http[0].timeout: \"soon\" is not a duration "
                + "such as 10s, 0.5s or 1m30s");
    }

    @Test
    void virtualServiceStringMatchWithTwoKinds_isRejected() {
        assertThat(failure("""
                apiVersion: networking.istio.io/v1
                kind: VirtualService
                metadata: {name: vs, namespace: shop}
                spec:
                  hosts: [a.example.com]
                  http:
                  - match: [{uri: {exact: /a, prefix: /b}}]
                    route: [{destination: {host: a.example.com}}]
                """).field()).isEqualTo("spec.http[0].match[0].uri");
    }

    @Test
    void destinationRule_keepsHostSubsetsExportToAndWorkloadSelector() {
        DestinationRuleResource dr = converted("""
                apiVersion: networking.istio.io/v1alpha3
                kind: DestinationRule
                metadata: {name: reviews, namespace: bookinfo}
                spec:
                  host: reviews.bookinfo.svc.cluster.local
                  exportTo: [".", "frontend"]
                  workloadSelector:
                    matchLabels: {app: productpage}
                  trafficPolicy:
                    loadBalancer: {simple: ROUND_ROBIN}
                  subsets:
                  - name: v1
                    labels: {version: v1}
                  - name: v2
                    labels: {version: v2}
                    trafficPolicy: {loadBalancer: {simple: RANDOM}}
                """).destinationRules().get(0);

        assertThat(dr.host()).isEqualTo("reviews.bookinfo.svc.cluster.local");
        assertThat(dr.exportTo()).containsExactly(".", "frontend");
        assertThat(dr.workloadSelector()).contains(Map.of("app", "productpage"));
        assertThat(dr.subsets()).extracting(DestinationRuleResource.Subset::name).containsExactly("v1", "v2");
        assertThat(dr.subsets().get(0)).isEqualTo(new DestinationRuleResource.Subset("v1", Map.of("version", "v1")));
        assertThat(dr.trafficPolicy().flatMap(TrafficPolicy::loadBalancer).map(TrafficPolicy.LoadBalancer::simple))
                .contains(TrafficPolicy.Simple.ROUND_ROBIN);
        assertThat(dr.subsets().get(1).trafficPolicy().flatMap(TrafficPolicy::loadBalancer)
                .map(TrafficPolicy.LoadBalancer::simple)).contains(TrafficPolicy.Simple.RANDOM);
    }

    @Test
    void destinationRuleTrafficPolicy_readsPoolBalancerOutlierAndPortSettings_andAcceptsWhatIsNotApplied() {
        DestinationRuleResource dr = converted("""
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: ratings, namespace: bookinfo}
                spec:
                  host: ratings
                  trafficPolicy:
                    connectionPool:
                      tcp: {maxConnections: 100, connectTimeout: 30ms, tcpKeepalive: {time: 7200s, interval: 75s},
                            idleTimeout: 1h, maxConnectionDuration: 30m}
                      http: {http1MaxPendingRequests: 10, http2MaxRequests: 1000, maxRequestsPerConnection: 10,
                             maxRetries: 3, idleTimeout: 15s, h2UpgradePolicy: UPGRADE, useClientProtocol: false,
                             maxConcurrentStreams: 100}
                    loadBalancer: {simple: LEAST_REQUEST, warmupDurationSecs: 60s,
                                   localityLbSetting: {enabled: true}}
                    outlierDetection: {consecutive5xxErrors: 7, consecutiveGatewayErrors: 0, interval: 5m,
                                       baseEjectionTime: 15m, maxEjectionPercent: 50, minHealthPercent: 30}
                    tls: {mode: ISTIO_MUTUAL}
                    portLevelSettings:
                    - port: {number: 9080}
                      loadBalancer: {simple: RANDOM}
                """).destinationRules().get(0);

        TrafficPolicy policy = dr.trafficPolicy().orElseThrow();
        TrafficPolicy.ConnectionPool pool = policy.connectionPool().orElseThrow();
        assertThat(pool.maxConnections()).hasValue(100);
        assertThat(pool.connectTimeout()).contains(Duration.ofMillis(30));
        assertThat(pool.http1MaxPendingRequests()).hasValue(10);
        assertThat(pool.http2MaxRequests()).hasValue(1000);
        assertThat(pool.maxRequestsPerConnection()).hasValue(10);
        assertThat(pool.maxRetries()).hasValue(3);
        assertThat(pool.idleTimeout()).contains(Duration.ofSeconds(15));
        assertThat(pool.tcpIdleTimeout()).contains(Duration.ofHours(1));
        assertThat(pool.maxConnectionDuration()).contains(Duration.ofMinutes(30));
        assertThat(pool.maxConcurrentStreams()).hasValue(100);
        assertThat(policy.loadBalancer()).contains(new TrafficPolicy.LoadBalancer(TrafficPolicy.Simple.LEAST_REQUEST,
                Optional.of(Duration.ofSeconds(60))));
        TrafficPolicy.OutlierDetection od = policy.outlierDetection().orElseThrow();
        assertThat(od.consecutive5xxErrors()).hasValue(7);
        assertThat(od.consecutiveGatewayErrors()).hasValue(0);
        assertThat(od.interval()).contains(Duration.ofMinutes(5));
        assertThat(od.baseEjectionTime()).contains(Duration.ofMinutes(15));
        assertThat(od.maxEjectionPercent()).hasValue(50);
        assertThat(od.minHealthPercent()).hasValue(30);
        assertThat(policy.portLevelSettings()).singleElement().satisfies(p -> {
            assertThat(p.port()).isEqualTo(9080);
            assertThat(p.loadBalancer().map(TrafficPolicy.LoadBalancer::simple)).contains(TrafficPolicy.Simple.RANDOM);
            assertThat(p.connectionPool()).isEmpty();
        });
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', value = {
            "loadBalancer: {simple: FASTEST}           | spec.trafficPolicy.loadBalancer.simple: \"FASTEST\" is not one of",
            "loadBalancer: {simple: round_robin}       | spec.trafficPolicy.loadBalancer.simple: \"round_robin\" must be written in capitals",
            "connectionPool: {tcp: {maxConnection: 1}} | spec.trafficPolicy.connectionPool.tcp.maxConnection: unknown field",
            "connectionPool: {http: {maxRetries: -1}}  | spec.trafficPolicy.connectionPool.http.maxRetries: must not be negative",
            "outlierDetection: {maxEjectionPercent: 150} | spec.trafficPolicy.outlierDetection.maxEjectionPercent: is a percentage",
            "outlierDetection: {interval: soon}        | spec.trafficPolicy.outlierDetection.interval: \"soon\" is not a duration",
            "portLevelSettings: [{port: {number: 0}}]  | spec.trafficPolicy.portLevelSettings[0].port.number: port 0 is out of range",
            "portLevelSettings: [{port: {number: 80}}, {port: {number: 80}}] | spec.trafficPolicy.portLevelSettings[1].port.number: port 80 has settings twice",
            "retries: {attempts: 3}                    | spec.trafficPolicy.retries: unknown field"})
    void badTrafficPolicy_isRejectedWithItsLocation(String policy, String expected) {
        String message = failure("""
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: ratings, namespace: bookinfo}
                spec:
                  host: ratings
                  trafficPolicy: {%s}
                """.formatted(policy.strip())).toString();
        assertThat(message).contains("DestinationRule bookinfo/ratings: " + expected.strip());
    }

    @Test
    void destinationRuleExportToNone_isRejectedBecauseOnlyServiceEntriesMayUseIt() {
        assertThat(failure("""
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: dr, namespace: shop}
                spec:
                  host: a.example.com
                  exportTo: ["~"]
                """).message()).isEqualTo("exportTo \"~\" is only allowed on ServiceEntry");
    }

    @Test
    void destinationRuleDuplicateExportTo_ownNamespaceAndDotAreTheSame() {
        assertThat(failure("""
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: dr, namespace: shop}
                spec:
                  host: a.example.com
                  exportTo: [".", "shop"]
                """).message()).isEqualTo("duplicate exportTo value \"shop\"");
    }

    @Test
    void meshConfigMap_inTheSystemNamespace_givesMeshConfig() {
        MeshConfig mesh = converted("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: istio, namespace: istio-system}
                data:
                  mesh: |-
                    rootNamespace: mesh-root
                    defaultServiceExportTo: ["."]
                    defaultVirtualServiceExportTo: [".", "istio-system"]
                    defaultDestinationRuleExportTo: ["*"]
                    outboundTrafficPolicy:
                      mode: REGISTRY_ONLY
                    discoverySelectors:
                    - matchLabels: {istio-discovery: enabled}
                    - matchExpressions:
                      - {key: env, operator: NotIn, values: [dev]}
                    accessLogFile: /dev/stdout
                  meshNetworks: "networks: {}"
                """).meshConfigs().get(0);

        assertThat(mesh.rootNamespace()).isEqualTo("mesh-root");
        assertThat(mesh.defaultServiceExportTo()).containsExactly(".");
        assertThat(mesh.defaultVirtualServiceExportTo()).containsExactly(".", "istio-system");
        assertThat(mesh.defaultDestinationRuleExportTo()).containsExactly("*");
        assertThat(mesh.outboundTrafficPolicy()).isEqualTo(OutboundTrafficPolicy.REGISTRY_ONLY);
        assertThat(mesh.discoverySelectors()).containsExactly(
                new LabelSelector(Map.of("istio-discovery", "enabled"), List.of()),
                new LabelSelector(Map.of(), List.of(new LabelSelector.Requirement("env",
                        LabelSelector.Requirement.Operator.NOT_IN, List.of("dev")))));
    }

    @Test
    void meshConfigMapWithoutRootNamespace_usesTheSystemNamespace() {
        KubeObjectConverter converter = new KubeObjectConverter(ConverterOptions.withSystemNamespace("mesh-control"));

        MeshConfig mesh = ConverterTestSupport.converted(converter, """
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: istio, namespace: mesh-control}
                data:
                  mesh: "defaultServiceExportTo: ['*']"
                """).meshConfigs().get(0);

        assertThat(mesh.rootNamespace()).isEqualTo("mesh-control");
        assertThat(mesh.outboundTrafficPolicy()).isEqualTo(OutboundTrafficPolicy.ALLOW_ANY);
    }

    @Test
    void meshConfigMapInAnotherNamespace_isNotMeshInput() {
        Conversion conversion = new KubeObjectConverter().convert(tree("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: istio, namespace: default}
                data: {mesh: "rootNamespace: x"}
                """));

        assertThat(conversion).isInstanceOf(Conversion.Skipped.class);
        assertThat(((Conversion.Skipped) conversion).warning()).isEmpty();
    }

    @Test
    void meshConfigWithBadSelectorOperator_namesTheFieldInsideTheMeshKey() {
        assertThat(failure("""
                apiVersion: v1
                kind: ConfigMap
                metadata: {name: istio, namespace: istio-system}
                data:
                  mesh: |
                    discoverySelectors:
                    - matchExpressions: [{key: env, operator: Maybe}]
                """).toString()).isEqualTo("ConfigMap istio-system/istio: data.mesh: discoverySelectors[0]"
                + ".matchExpressions[0].operator: unknown operator \"Maybe\" (use In, NotIn, Exists or DoesNotExist)");
    }

    @Test
    void creationTimestamp_isHonouredOnIstioObjects() {
        SidecarResource sidecar = converted("""
                apiVersion: networking.istio.io/v1
                kind: Sidecar
                metadata:
                  name: s
                  namespace: shop
                  creationTimestamp: "2023-05-06T07:08:09Z"
                spec:
                  egress: [{hosts: ["./*"]}]
                """).sidecars().get(0);

        assertThat(sidecar.meta().creationTimestamp()).isEqualTo(java.time.Instant.parse("2023-05-06T07:08:09Z"));
        assertThat(Optional.of(sidecar.key().name())).contains("s");
    }
}
