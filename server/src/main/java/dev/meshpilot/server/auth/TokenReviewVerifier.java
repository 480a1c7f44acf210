package dev.meshpilot.server.auth;

import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;

import java.util.List;
import java.util.Objects;

/**
 * Asks the Kubernetes API server whether a service-account token is valid (a {@code TokenReview}, as istiod does
 * for its port 15012), for the audiences {@code istio-ca} and the configured ones. The reviewed username
 * {@code system:serviceaccount:NS:SA} names the caller. Needs RBAC {@code create} on {@code tokenreviews}.
 */
public final class TokenReviewVerifier implements TokenVerifier {
    private final KubernetesClient client;
    private final List<String> audiences;

    public TokenReviewVerifier(KubernetesClient client, List<String> audiences) {
        this.client = Objects.requireNonNull(client, "client");
        this.audiences = List.copyOf(audiences);
    }

    @Override
    public CallerIdentity verify(String token) throws AuthException {
        TokenReview request = new TokenReviewBuilder().withNewSpec().withToken(token).withAudiences(audiences)
                .endSpec().build();
        TokenReview answer;
        try {
            answer = client.authentication().v1().tokenReviews().create(request);
        } catch (KubernetesClientException e) {
            throw new AuthException(RefusalReason.TOKEN_REVIEW_FAILED, "TokenReview failed: HTTP " + e.getCode()
                    + (e.getStatus() != null && e.getStatus().getMessage() != null ? " " + e.getStatus().getMessage() : ""));
        }
        if (answer == null || answer.getStatus() == null || !Boolean.TRUE.equals(answer.getStatus().getAuthenticated())) {
            String error = answer == null || answer.getStatus() == null ? "" : answer.getStatus().getError();
            throw new AuthException(RefusalReason.TOKEN_REVIEW_FAILED, "the Kubernetes API did not authenticate the token"
                    + (error == null || error.isEmpty() ? "" : ": " + error));
        }
        String username = answer.getStatus().getUser() == null ? "" : answer.getStatus().getUser().getUsername();
        String[] sa = ServiceAccountClaims.fromUsername(username).orElseThrow(() -> new AuthException(
                RefusalReason.TOKEN_REVIEW_FAILED, "the token belongs to '" + username + "', not a service account"));
        return new CallerIdentity(sa[0], sa[1], CallerIdentity.Method.TOKEN_REVIEW, username);
    }
}
