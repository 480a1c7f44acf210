package dev.meshpilot.xds.naming;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class XdsNamesTest {

    @Test
    void wildcardOutboundListener_isZeroAddressUnderscorePort() {
        assertThat(XdsNames.wildcardListener(9080)).isEqualTo("0.0.0.0_9080");
    }

    @Test
    void tcpListener_isVipUnderscorePort() {
        assertThat(XdsNames.addressListener("10.96.0.12", 3306)).isEqualTo("10.96.0.12_3306");
    }

    @Test
    void listenerName_parsesBackToAddressAndPort() {
        XdsNames.ListenerAddress parsed = XdsNames.parseListener("10.96.0.12_3306").orElseThrow();
        assertThat(parsed.address()).isEqualTo("10.96.0.12");
        assertThat(parsed.port()).isEqualTo(3306);
        assertThat(parsed.isWildcard()).isFalse();
        assertThat(XdsNames.parseListener("0.0.0.0_80").orElseThrow().isWildcard()).isTrue();
        assertThat(XdsNames.parseListener("virtualOutbound")).isEmpty();
        assertThat(XdsNames.parseListener("reviews.default.svc.cluster.local:9080")).isEmpty();
    }

    @Test
    void outboundRouteConfig_isThePortNumber() {
        assertThat(XdsNames.outboundRouteConfig(9080)).isEqualTo("9080");
        assertThat(XdsNames.parseOutboundRouteConfig("9080")).contains(9080);
        assertThat(XdsNames.parseOutboundRouteConfig("reviews:9080")).isEmpty();
        assertThat(XdsNames.parseOutboundRouteConfig("99999")).isEmpty();
    }

    @Test
    void grpcNames_areHostColonPort() {
        HostPort name = new HostPort("reviews.default.svc.cluster.local", 9080);
        assertThat(name.value()).isEqualTo("reviews.default.svc.cluster.local:9080");
        assertThat(HostPort.parse(name.value())).contains(name);
        assertThat(HostPort.parse("reviews")).isEmpty();
        assertThat(HostPort.parse("reviews:http")).isEmpty();
        assertThat(XdsNames.virtualHost("reviews.default.svc.cluster.local", 9080)).isEqualTo(name.value());
    }

    @Test
    void inboundNames_followIstio() {
        assertThat(XdsNames.inboundRouteConfig(9080)).isEqualTo("inbound|9080||");
        assertThat(XdsNames.inboundVirtualHost(9080)).isEqualTo("inbound|http|9080");
        assertThat(XdsNames.inboundFilterChain(9080)).isEqualTo("0.0.0.0_9080");
    }

    @Test
    void typeUrls_areTheEnvoyV3Ones() {
        assertThat(XdsType.CLUSTER.typeUrl()).isEqualTo("type.googleapis.com/envoy.config.cluster.v3.Cluster");
        assertThat(XdsType.fromTypeUrl("type.googleapis.com/envoy.config.listener.v3.Listener"))
                .contains(XdsType.LISTENER);
        assertThat(XdsType.fromTypeUrl("type.googleapis.com/envoy.config.cluster.v2.Cluster")).isEmpty();
        assertThat(XdsType.PUSH_ORDER).containsExactly(XdsType.CLUSTER, XdsType.ENDPOINT, XdsType.LISTENER,
                XdsType.ROUTE);
    }

    @Test
    void typeUrls_matchTheProtoDescriptors() {
        assertThat(XdsType.CLUSTER.typeUrl()).endsWith(
                io.envoyproxy.envoy.config.cluster.v3.Cluster.getDescriptor().getFullName());
        assertThat(XdsType.ENDPOINT.typeUrl()).endsWith(
                io.envoyproxy.envoy.config.endpoint.v3.ClusterLoadAssignment.getDescriptor().getFullName());
        assertThat(XdsType.LISTENER.typeUrl()).endsWith(
                io.envoyproxy.envoy.config.listener.v3.Listener.getDescriptor().getFullName());
        assertThat(XdsType.ROUTE.typeUrl()).endsWith(
                io.envoyproxy.envoy.config.route.v3.RouteConfiguration.getDescriptor().getFullName());
    }

    @Test
    void istioConfigPath_roundTripsAndPrintsShortForm() {
        IstioConfigPath path = IstioConfigPath.destinationRule("default", "reviews");
        assertThat(path.value()).isEqualTo("/apis/networking.istio.io/v1/namespaces/default/destination-rule/reviews");
        assertThat(IstioConfigPath.parse(path.value())).contains(path);
        assertThat(path.shortForm()).isEqualTo("reviews.default");
        assertThat(IstioConfigPath.parse("/apis/other")).isEmpty();
    }
}
