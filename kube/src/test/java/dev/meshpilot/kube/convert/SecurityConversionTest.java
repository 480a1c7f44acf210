package dev.meshpilot.kube.convert;

import dev.meshpilot.core.model.PeerAuthenticationResource;
import dev.meshpilot.core.model.PeerAuthenticationResource.Mode;
import dev.meshpilot.core.model.TrafficPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;
import java.util.Map;

import static dev.meshpilot.kube.convert.ConverterTestSupport.converted;
import static dev.meshpilot.kube.convert.ConverterTestSupport.failure;
import static org.assertj.core.api.Assertions.assertThat;

/** PeerAuthentication (security.istio.io) and DestinationRule {@code trafficPolicy.tls} conversion (issue 13). */
class SecurityConversionTest {

    @ParameterizedTest
    @ValueSource(strings = {"v1", "v1beta1"})
    void peerAuthentication_bothApiVersions_keepSelectorModeAndPortLevelModes(String version) {
        PeerAuthenticationResource pa = converted("""
                apiVersion: security.istio.io/%s
                kind: PeerAuthentication
                metadata: {name: reviews, namespace: bookinfo}
                spec:
                  selector: {matchLabels: {app: reviews}}
                  mtls: {mode: STRICT}
                  portLevelMtls:
                    "9080": {mode: DISABLE}
                    "15000": {}
                """.formatted(version)).peerAuthentications().get(0);
        assertThat(pa.meta().namespace()).isEqualTo("bookinfo");
        assertThat(pa.selector()).isEqualTo(Map.of("app", "reviews"));
        assertThat(pa.mode()).isEqualTo(Mode.STRICT);
        assertThat(pa.portLevelMtls()).containsExactly(Map.entry(9080, Mode.DISABLE), Map.entry(15000, Mode.UNSET));
        assertThat(pa.namespaceWide()).isFalse();
    }

    @Test
    void peerAuthenticationWithoutSpec_isANamespacePolicyWithModeUnset() {
        PeerAuthenticationResource pa = converted("""
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: default, namespace: istio-system}
                """).peerAuthentications().get(0);
        assertThat(pa.namespaceWide()).isTrue();
        assertThat(pa.mode()).isEqualTo(Mode.UNSET);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "mtls: {mode: strict}                     | spec.mtls.mode: \"strict\" is not a mutual TLS mode",
            "mtls: {mode: STRICT, extra: 1}           | spec.mtls.extra: unknown field",
            "portLevelMtls: {\"80\": {mode: STRICT}}  | spec.portLevelMtls: portLevelMtls requires a workload selector",
            "selector: {matchLabels: {app: a}}, portLevelMtls: {\"0\": {mode: STRICT}} | spec.portLevelMtls.0: port 0 is out of range",
            "selector: {matchLabels: {app: a}}, portLevelMtls: {http: {mode: STRICT}}  | spec.portLevelMtls.http: \"http\" is not a port number",
            "jwtRules: []                             | spec.jwtRules: unknown field"})
    void badPeerAuthentication_isRejectedWithItsLocation(String spec, String expected) {
        String message = failure("""
                apiVersion: security.istio.io/v1
                kind: PeerAuthentication
                metadata: {name: pa, namespace: shop}
                spec: {%s}
                """.formatted(spec.strip())).toString();
        assertThat(message).contains("PeerAuthentication shop/pa: " + expected.strip());
    }

    @Test
    void destinationRuleTls_isReadAtDestinationSubsetAndPortLevel() {
        var rule = converted("""
                apiVersion: networking.istio.io/v1
                kind: DestinationRule
                metadata: {name: ratings, namespace: bookinfo}
                spec:
                  host: ratings
                  trafficPolicy:
                    tls: {mode: ISTIO_MUTUAL, sni: my.sni, subjectAltNames: [spiffe://td/ns/a/sa/b]}
                    portLevelSettings:
                    - port: {number: 9443}
                      tls: {mode: MUTUAL, clientCertificate: /c.pem, privateKey: /k.pem, caCertificates: /ca.pem}
                  subsets:
                  - name: v1
                    labels: {version: v1}
                    trafficPolicy: {tls: {mode: DISABLE}}
                """).destinationRules().get(0);
        TrafficPolicy.ClientTls top = rule.trafficPolicy().orElseThrow().tls().orElseThrow();
        assertThat(top.mode()).isEqualTo(TrafficPolicy.TlsMode.ISTIO_MUTUAL);
        assertThat(top.sni()).isEqualTo("my.sni");
        assertThat(top.subjectAltNames()).isEqualTo(List.of("spiffe://td/ns/a/sa/b"));
        TrafficPolicy.ClientTls port = rule.trafficPolicy().orElseThrow().portLevelSettings().get(0).tls().orElseThrow();
        assertThat(port.mode()).isEqualTo(TrafficPolicy.TlsMode.MUTUAL);
        assertThat(port.clientCertificate()).isEqualTo("/c.pem");
        assertThat(port.privateKey()).isEqualTo("/k.pem");
        assertThat(port.caCertificates()).isEqualTo("/ca.pem");
        assertThat(rule.subsets().get(0).trafficPolicy().orElseThrow().tls().orElseThrow().mode())
                .isEqualTo(TrafficPolicy.TlsMode.DISABLE);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "tls: {mode: MUTUAL_TLS}                                 | spec.trafficPolicy.tls.mode: \"MUTUAL_TLS\" is not one of",
            "tls: {mode: MUTUAL, privateKey: /k.pem}                 | spec.trafficPolicy.tls.clientCertificate: is required for MUTUAL",
            "tls: {mode: MUTUAL, clientCertificate: /c.pem}          | spec.trafficPolicy.tls.privateKey: is required for MUTUAL",
            "tls: {mode: SIMPLE, credentialName: s, caCertificates: /ca.pem} | spec.trafficPolicy.tls.credentialName: cannot be set together",
            "tls: {mode: SIMPLE, insecureSkipVerify: true, caCertificates: /ca.pem} | spec.trafficPolicy.tls.insecureSkipVerify: cannot be true",
            "tls: {mode: SIMPLE, sni: 3}                             | spec.trafficPolicy.tls.sni: must be a string"})
    void badDestinationRuleTls_isRejectedWithItsLocation(String policy, String expected) {
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
    void podWithTheSidecarStatusAnnotation_isInTheMesh_andATlsModeLabelDecidesFirst() {
        var injected = converted("""
                apiVersion: v1
                kind: Pod
                metadata: {name: a, namespace: shop, annotations: {sidecar.istio.io/status: '{}'}}
                status: {podIP: 10.0.0.1}
                """).pods().get(0);
        var optedOut = converted("""
                apiVersion: v1
                kind: Pod
                metadata:
                  name: b
                  namespace: shop
                  labels: {security.istio.io/tlsMode: disabled}
                  annotations: {sidecar.istio.io/status: '{}'}
                status: {podIP: 10.0.0.2}
                """).pods().get(0);
        var plain = converted("""
                apiVersion: v1
                kind: Pod
                metadata: {name: c, namespace: shop}
                status: {podIP: 10.0.0.3}
                """).pods().get(0);
        assertThat(injected.inMesh()).isTrue();
        assertThat(optedOut.inMesh()).isFalse();
        assertThat(plain.inMesh()).isFalse();
    }
}
