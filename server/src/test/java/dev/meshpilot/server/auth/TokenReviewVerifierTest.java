package dev.meshpilot.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.server.mock.KubernetesMockServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * TokenReview against fabric8's API server mock in expectations mode — a stand-in for the kube-apiserver's
 * {@code authentication.k8s.io/v1} endpoint (no real API server can run here). The mock answers as the API server
 * does: authenticated with the service account's username for the one valid token, unauthenticated otherwise.
 */
class TokenReviewVerifierTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final String PATH = "/apis/authentication.k8s.io/v1/tokenreviews";

    private KubernetesMockServer api;
    private KubernetesClient client;
    private final List<JsonNode> reviewed = new ArrayList<>();

    @BeforeEach
    void start() {
        api = new KubernetesMockServer(false);
        api.init();
        api.expect().post().withPath(PATH).andReply(201, request -> {
            try {
                JsonNode body = JSON.readTree(request.getBody().readUtf8());
                synchronized (reviewed) {
                    reviewed.add(body);
                }
                String token = body.at("/spec/token").asText();
                TokenReviewBuilder answer = new TokenReviewBuilder().withNewSpec().endSpec();
                if (token.equals("valid-productpage-token")) {
                    return answer.withNewStatus().withAuthenticated(true).withAudiences("istio-ca").withNewUser()
                            .withUsername("system:serviceaccount:default:bookinfo-productpage").endUser().endStatus()
                            .build();
                }
                if (token.equals("valid-user-token")) {
                    return answer.withNewStatus().withAuthenticated(true).withNewUser().withUsername("jane")
                            .endUser().endStatus().build();
                }
                return answer.withNewStatus().withAuthenticated(false).withError("token is invalid").endStatus().build();
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        }).always();
        Config config = new ConfigBuilder(Config.empty()).withMasterUrl(api.url("/")).build();
        client = new KubernetesClientBuilder().withConfig(config).build();
    }

    @AfterEach
    void stop() {
        client.close();
        api.destroy();
    }

    @Test
    void reviewedServiceAccountToken_namesItsNamespaceAndServiceAccount_andAsksForIstioCaAudience() throws Exception {
        TokenReviewVerifier verifier = new TokenReviewVerifier(client, List.of("istio-ca", "meshpilot"));
        CallerIdentity caller = verifier.verify("valid-productpage-token");
        assertThat(caller.namespace()).isEqualTo("default");
        assertThat(caller.serviceAccount()).isEqualTo("bookinfo-productpage");
        assertThat(caller.method()).isEqualTo(CallerIdentity.Method.TOKEN_REVIEW);
        assertThat(reviewed).hasSize(1);
        List<String> audiences = new ArrayList<>();
        reviewed.get(0).at("/spec/audiences").forEach(a -> audiences.add(a.asText()));
        assertThat(audiences).containsExactly("istio-ca", "meshpilot");
    }

    @Test
    void tokenTheApiServerRejects_isTokenReviewFailed_withItsError() {
        TokenReviewVerifier verifier = new TokenReviewVerifier(client, List.of("istio-ca"));
        assertThatThrownBy(() -> verifier.verify("forged"))
                .isInstanceOfSatisfying(AuthException.class,
                        e -> assertThat(e.reason()).isEqualTo(RefusalReason.TOKEN_REVIEW_FAILED))
                .hasMessageContaining("token is invalid");
    }

    @Test
    void tokenOfAUserNotAServiceAccount_isRefused() {
        TokenReviewVerifier verifier = new TokenReviewVerifier(client, List.of("istio-ca"));
        assertThatThrownBy(() -> verifier.verify("valid-user-token")).isInstanceOf(AuthException.class)
                .hasMessageContaining("'jane', not a service account");
    }

    @Test
    void apiServerAnsweringAnError_isTokenReviewFailed() {
        api.destroy();
        api = new KubernetesMockServer(false);
        api.init();
        api.expect().post().withPath(PATH).andReturn(403, "{\"kind\":\"Status\",\"message\":\"forbidden: "
                + "cannot create tokenreviews\"}").always();
        client.close();
        client = new KubernetesClientBuilder().withConfig(new ConfigBuilder(Config.empty())
                .withMasterUrl(api.url("/")).withRequestRetryBackoffLimit(0).build()).build();
        TokenReviewVerifier verifier = new TokenReviewVerifier(client, List.of("istio-ca"));
        assertThatThrownBy(() -> verifier.verify("valid-productpage-token"))
                .isInstanceOfSatisfying(AuthException.class,
                        e -> assertThat(e.reason()).isEqualTo(RefusalReason.TOKEN_REVIEW_FAILED))
                .hasMessageContaining("HTTP 403");
    }

    @Test
    void reconnectingWithTheSameToken_isReviewedOnce_whileARejectedTokenIsAskedEachTime() throws Exception {
        TokenVerifier verifier = new CachedTokenVerifier(new TokenReviewVerifier(client, List.of("istio-ca")),
                CachedTokenVerifier.DEFAULT_PERIOD, CachedTokenVerifier.DEFAULT_MAX_ENTRIES,
                java.time.Clock.systemUTC());
        for (int i = 0; i < 5; i++) {
            assertThat(verifier.verify("valid-productpage-token").serviceAccount()).isEqualTo("bookinfo-productpage");
        }
        assertThat(reviewed).as("TokenReviews sent to the API server").hasSize(1);
        for (int i = 0; i < 3; i++) {
            assertThatThrownBy(() -> verifier.verify("forged")).isInstanceOf(AuthException.class);
        }
        assertThat(reviewed).hasSize(4);
    }
}
