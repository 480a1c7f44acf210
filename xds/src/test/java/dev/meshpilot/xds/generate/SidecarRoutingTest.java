package dev.meshpilot.xds.generate;

import dev.meshpilot.core.model.ObjectMeta;
import dev.meshpilot.core.model.OutboundTrafficPolicy;
import dev.meshpilot.core.model.Protocol;
import dev.meshpilot.core.model.VirtualServiceResource;
import dev.meshpilot.core.model.VirtualServiceResource.Destination;
import dev.meshpilot.core.model.VirtualServiceResource.HttpMatch;
import dev.meshpilot.core.model.VirtualServiceResource.HttpRoute;
import dev.meshpilot.core.model.VirtualServiceResource.Retries;
import dev.meshpilot.core.model.VirtualServiceResource.RouteDestination;
import dev.meshpilot.core.model.VirtualServiceResource.StringMatch;
import dev.meshpilot.core.model.VirtualServiceResource.StringMatch.MatchType;
import dev.meshpilot.xds.resource.ProxyResources;
import dev.meshpilot.xds.simulate.TrafficSimulation;
import io.envoyproxy.envoy.config.route.v3.Route;
import io.envoyproxy.envoy.config.route.v3.RouteConfiguration;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

class SidecarRoutingTest {

    private static final String REVIEWS = "reviews.default.svc.cluster.local";

    private static ProxyResources productpage(TestMesh mesh) {
        return new ProxyConfigGenerator().generate(mesh.snapshot(),
                TestMesh.sidecar("productpage-v1-0", "default", "10.0.0.10", Map.of("app", "productpage")),
                mesh.scope("default"));
    }

    private static VirtualServiceResource reviewsVs(HttpRoute... rules) {
        return new VirtualServiceResource(ObjectMeta.of("default", "reviews"), List.of("reviews"), List.of(), List.of(),
                List.of(rules), List.of(), List.of());
    }

    private static HttpRoute rule(String name, List<HttpMatch> match, RouteDestination... to) {
        return new HttpRoute(name, match, List.of(to), Optional.empty(), List.of(), Optional.empty(), Optional.empty());
    }

    private static RouteDestination to(String host, String subset, int weight) {
        return new RouteDestination(new Destination(host, subset, 0), weight);
    }

    private static HttpMatch uri(MatchType type, String value) {
        return new HttpMatch(Optional.of(new StringMatch(type, value)), Map.of(), "", 0);
    }

    private static List<Route> reviewsRoutes(ProxyResources r) {
        RouteConfiguration config = (RouteConfiguration) r.routes().get("9080").orElseThrow().proto();
        return config.getVirtualHostsList().stream().filter(v -> v.getName().equals(REVIEWS + ":9080")).findFirst()
                .orElseThrow().getRoutesList();
    }

    @Test
    void registryOnly_blocksUnknownHttpWith502AndUnknownTcpWithBlackHole() {
        TestMesh mesh = TestMesh.bookinfo();
        mesh.policy = OutboundTrafficPolicy.REGISTRY_ONLY;
        TrafficSimulation sim = new TrafficSimulation(productpage(mesh));
        TrafficSimulation.Outcome http = sim.http("1.2.3.4", 9080, "example.com", "/");
        assertThat(http.virtualHost()).isEqualTo("block_all");
        assertThat(http.directStatus()).isEqualTo(502);
        assertThat(sim.tcp("1.2.3.4", 5432).cluster()).isEqualTo("BlackHoleCluster");
    }

    @Test
    void pathAndHeaderMatches_areTranslatedInDeclarationOrder() {
        TestMesh mesh = TestMesh.bookinfo().virtualService(reviewsVs(
                rule("exact", List.of(uri(MatchType.EXACT, "/health")), to("reviews", "v1", 0)),
                rule("jason", List.of(new HttpMatch(Optional.empty(),
                        Map.of("end-user", new StringMatch(MatchType.EXACT, "jason")), "", 0)), to("reviews", "v2", 0)),
                rule("regex", List.of(uri(MatchType.REGEX, "/api/v[0-9]+/.*")), to("reviews", "v1", 0)),
                rule("rest", List.of(), to("reviews", "", 0))));
        TrafficSimulation sim = new TrafficSimulation(productpage(mesh));
        assertThat(sim.http("1.1.1.1", 9080, "reviews", "/health").cluster()).isEqualTo("outbound|9080|v1|" + REVIEWS);
        assertThat(sim.http("1.1.1.1", 9080, "reviews", "/x", Map.of("end-user", "jason")).cluster())
                .isEqualTo("outbound|9080|v2|" + REVIEWS);
        assertThat(sim.http("1.1.1.1", 9080, "reviews", "/api/v2/items").route()).isEqualTo("regex");
        assertThat(sim.http("1.1.1.1", 9080, "reviews", "/other").cluster()).isEqualTo("outbound|9080||" + REVIEWS);
    }

    @Test
    void destinationWithUndefinedSubset_answers503() {
        TestMesh mesh = TestMesh.bookinfo().virtualService(reviewsVs(rule("to-v9", List.of(), to("reviews", "v9", 0))));
        TrafficSimulation.Outcome out = new TrafficSimulation(productpage(mesh)).http("1.1.1.1", 9080, "reviews", "/");
        assertThat(out.directStatus()).isEqualTo(503);
    }

    @Test
    void weightedDestinations_dropThoseWithoutCluster_andKeepWeights() {
        TestMesh mesh = TestMesh.bookinfo().virtualService(reviewsVs(rule("split", List.of(),
                to("reviews", "v1", 70), to("reviews", "v2", 20), to("reviews", "gone", 10))));
        TrafficSimulation.Outcome out = new TrafficSimulation(productpage(mesh)).http("1.1.1.1", 9080, "reviews", "/");
        assertThat(out.clusters()).containsExactly(Map.entry("outbound|9080|v1|" + REVIEWS, 70),
                Map.entry("outbound|9080|v2|" + REVIEWS, 20));
    }

    @Test
    void matchOnOtherPortOrOtherSourceNamespace_isSkipped() {
        TestMesh mesh = TestMesh.bookinfo().virtualService(reviewsVs(
                rule("other-port", List.of(new HttpMatch(Optional.empty(), Map.of(), "", 8080)), to("reviews", "v1", 0)),
                rule("other-ns", List.of(new HttpMatch(Optional.empty(), Map.of(), "prod", 0)), to("reviews", "v1", 0)),
                rule("rest", List.of(), to("reviews", "v2", 0))));
        List<Route> routes = reviewsRoutes(productpage(mesh));
        assertThat(routes).extracting(Route::getName).containsExactly("rest");
    }

    @Test
    void timeoutAndRetries_comeFromTheVirtualService() {
        HttpRoute timed = new HttpRoute("timed", List.of(), List.of(to("reviews", "", 0)), Optional.empty(), List.of(),
                Optional.of(Duration.ofMillis(1500)), Optional.of(new Retries(3, Duration.ofSeconds(1), "5xx")));
        HttpRoute noRetry = new HttpRoute("no-retry", List.of(uri(MatchType.PREFIX, "/nr")), List.of(to("reviews", "", 0)),
                Optional.empty(), List.of(), Optional.empty(), Optional.of(new Retries(0, null, "")));
        List<Route> routes = reviewsRoutes(productpage(TestMesh.bookinfo().virtualService(reviewsVs(noRetry, timed))));
        Route nr = routes.get(0);
        assertThat(nr.getRoute().hasRetryPolicy()).isFalse();
        assertThat(nr.getRoute().getTimeout().getSeconds()).isZero();
        Route t = routes.get(1);
        assertThat(t.getRoute().getTimeout().getSeconds()).isEqualTo(1);
        assertThat(t.getRoute().getTimeout().getNanos()).isEqualTo(500_000_000);
        assertThat(t.getRoute().getRetryPolicy().getNumRetries().getValue()).isEqualTo(3);
        assertThat(t.getRoute().getRetryPolicy().getRetryOn()).isEqualTo("5xx");
        assertThat(t.getRoute().getRetryPolicy().getPerTryTimeout().getSeconds()).isEqualTo(1);
        assertThat(t.getMetadata().getFilterMetadataOrThrow("istio").getFieldsOrThrow("config").getStringValue())
                .isEqualTo("/apis/networking.istio.io/v1/namespaces/default/virtual-service/reviews");
    }

    /** Mirrors Istio's {@code httproute_test.go TestGenerateVirtualHostDomains} (1.29: port-less, absolute FQDN). */
    @Test
    void domains_arePortlessWithTheAbsoluteFqdn_shortFormsOnlyFromTheServiceNamespace_andTheServiceIp() {
        TestMesh mesh = TestMesh.bookinfo();
        RouteConfiguration same = (RouteConfiguration) productpage(mesh).routes().get("9080").orElseThrow().proto();
        assertThat(same.getIgnorePortInHostMatching()).isTrue();
        assertThat(same.getVirtualHostsList().stream().filter(v -> v.getName().startsWith("reviews.")).findFirst()
                .orElseThrow().getDomainsList()).containsExactly(REVIEWS, REVIEWS + ".", "reviews",
                "reviews.default.svc", "reviews.default", "10.96.0.11");
        ProxyResources fromOther = new ProxyConfigGenerator().generate(mesh.snapshot(),
                TestMesh.sidecar("client", "other", "10.0.0.99", Map.of()), mesh.scope("other"));
        RouteConfiguration other = (RouteConfiguration) fromOther.routes().get("9080").orElseThrow().proto();
        assertThat(other.getVirtualHostsList().stream().filter(v -> v.getName().startsWith("reviews.")).findFirst()
                .orElseThrow().getDomainsList()).containsExactly(REVIEWS, REVIEWS + ".", "reviews.default",
                "reviews.default.svc", "10.96.0.11");
    }

    @Test
    void tcpServiceWithAddress_getsVipListener_andWithoutAddress_aWildcardOne() {
        TestMesh mesh = new TestMesh()
                .service("db", "default", "10.96.1.1", Map.of("app", "db"), TestMesh.port("tcp", 5432, 5432, Protocol.TCP))
                .service("cache", "default", null, Map.of("app", "cache"), TestMesh.port("redis", 6379, 6379, Protocol.REDIS));
        ProxyResources r = productpage(mesh);
        assertThat(r.listeners().names()).contains("10.96.1.1_5432", "0.0.0.0_6379");
        TrafficSimulation sim = new TrafficSimulation(r);
        assertThat(sim.tcp("10.96.1.1", 5432).cluster()).isEqualTo("outbound|5432||db.default.svc.cluster.local");
        assertThat(sim.tcp("10.1.2.3", 6379).cluster()).isEqualTo("outbound|6379||cache.default.svc.cluster.local");
        assertThat(sim.tcp("10.1.2.3", 5432).cluster()).isEqualTo("PassthroughCluster");
    }

    @Test
    void servicePortOnAVirtualListenerPort_getsNoOutboundListener() {
        TestMesh mesh = new TestMesh().service("odd", "default", "10.96.2.2", Map.of("app", "odd"),
                TestMesh.http(15001), TestMesh.port("tcp", 15006, 15006, Protocol.TCP));
        ProxyResources r = productpage(mesh);
        assertThat(r.listeners().names()).containsExactly("virtualInbound", "virtualOutbound");
        assertThat(r.clusters().names()).contains("outbound|15001||odd.default.svc.cluster.local");
        assertThat(dev.meshpilot.xds.validate.XdsValidator.validate(r)).isEmpty();
    }

    @Test
    void tcpVirtualService_splitsTheTcpProxyByWeight() {
        TestMesh mesh = new TestMesh()
                .service("db", "default", "10.96.1.1", Map.of("app", "db"), TestMesh.port("tcp", 5432, 5432, Protocol.TCP))
                .service("db-next", "default", "10.96.1.2", Map.of("app", "db2"),
                        TestMesh.port("tcp", 5432, 5432, Protocol.TCP));
        mesh.virtualService(new VirtualServiceResource(ObjectMeta.of("default", "db"), List.of("db"), List.of(),
                List.of(), List.of(), List.of(new VirtualServiceResource.L4Route(List.of(5432), List.of(), List.of(
                        new RouteDestination(new Destination("db", "", 5432), 90),
                        new RouteDestination(new Destination("db-next", "", 5432), 10),
                        new RouteDestination(new Destination("nowhere", "", 5432), 5)))), List.of()));
        ProxyResources r = productpage(mesh);
        io.envoyproxy.envoy.config.listener.v3.Listener listener =
                (io.envoyproxy.envoy.config.listener.v3.Listener) r.listeners().get("10.96.1.1_5432").orElseThrow().proto();
        assertThat(listener.getFilterChains(0).getFiltersList()).last()
                .satisfies(f -> assertThat(f.getTypedConfig().getTypeUrl()).endsWith("TcpProxy"));
        assertThat(dev.meshpilot.xds.resource.ConsistencyCheck.problems(r)).isEmpty();
        assertThat(new TrafficSimulation(r).tcp("10.96.1.1", 5432).clusters()).containsExactly(
                Map.entry("outbound|5432||db.default.svc.cluster.local", 90),
                Map.entry("outbound|5432||db-next.default.svc.cluster.local", 10));
        assertThat(new TrafficSimulation(r).tcp("10.96.1.2", 5432).cluster())
                .isEqualTo("outbound|5432||db-next.default.svc.cluster.local");
        String json = dev.meshpilot.xds.json.XdsJson.print(listener);
        assertThat(json).contains("\"name\": \"outbound|5432||db.default.svc.cluster.local\",\n")
                .contains("\"weight\": 90").contains("\"weight\": 10").doesNotContain("nowhere");
    }

    @Test
    void httpPortShared_byTwoServices_givesOneListenerAndOneRouteConfig() {
        ProxyResources r = productpage(TestMesh.bookinfo());
        assertThat(r.listeners().names()).containsExactly("0.0.0.0_9080", "virtualInbound", "virtualOutbound");
        assertThat(r.routes().names()).containsExactly("9080");
    }
}
