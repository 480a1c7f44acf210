package dev.meshpilot.core.scope;

import dev.meshpilot.core.ledger.DependencyLedger;
import dev.meshpilot.core.model.OutboundTrafficPolicy;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static dev.meshpilot.core.scope.LearnedMesh.CART;
import static dev.meshpilot.core.scope.LearnedMesh.DB;
import static dev.meshpilot.core.scope.LearnedMesh.ISTIOD;
import static dev.meshpilot.core.scope.LearnedMesh.NOW;
import static dev.meshpilot.core.scope.LearnedMesh.PRIVATE;
import static dev.meshpilot.core.scope.LearnedMesh.RATINGS;
import static dev.meshpilot.core.scope.LearnedMesh.REVIEWS;
import static dev.meshpilot.core.scope.LearnedMesh.calls;
import static dev.meshpilot.core.scope.LearnedMesh.daysAgo;
import static dev.meshpilot.core.scope.LearnedMesh.ledger;
import static dev.meshpilot.core.scope.LearnedMesh.mesh;
import static org.assertj.core.api.Assertions.assertThat;

class LearnedScopesTest {

    private static HostReason reasonOf(LearnedScope scope, String host) {
        List<HostVerdict> verdicts = scope.verdictsFor(host);
        assertThat(verdicts).as("verdicts of " + host).hasSize(1);
        return verdicts.get(0).reason();
    }

    /**
     * Expiry, one row per case: when the destination was last seen, the gap between the two days it was seen on,
     * until when the source kept reporting for the workload, and the verdict.
     */
    @ParameterizedTest(name = "seen {0} d ago, gap {1} d, reported until {2} d ago -> {3}")
    @CsvSource({
            "1,   0,  0, LEARNED",   // recent
            "29,  0,  0, LEARNED",   // inside the 30-day forget period
            "30,  0,  0, EXPIRED",   // exactly the forget period, and the source kept reporting: gone
            "31,  0,  0, EXPIRED",
            "31,  0, 31, LEARNED",   // the source stopped reporting when it last saw it: absence of data is no evidence
            "40,  0, 15, LEARNED",   // the source reported only 25 days past last seen: not long enough
            "40,  0, 10, EXPIRED",   // reported 30 days past last seen
            "31,  7,  0, EXPIRED",   // weekly job: 2 x 7 d < 30 d, keeps 30 d
            "45, 30,  0, LEARNED",   // monthly job: 2 x 30 d = 60 d
            "61, 30,  0, EXPIRED",
    })
    void expiryNeedsTheForgetPeriodAndEvidenceOfNonUse(long seenDaysAgo, long gapDays, long reportedDaysAgo,
                                                        HostReason expected) {
        Instant last = daysAgo(seenDaysAgo);
        DependencyLedger ledger = ledger(calls(CART, 80, last.minus(Duration.ofDays(gapDays)), last),
                daysAgo(reportedDaysAgo));

        LearnedScope scope = mesh().learn(ledger);

        assertThat(reasonOf(scope, CART)).isEqualTo(expected);
        assertThat(scope.egressHosts().contains("shop/" + CART)).isEqualTo(expected.inScope());
    }

    @Test
    void calledService_isLearned_withItsEvidence() {
        LearnedScope scope = mesh().learn(ledger(calls(CART, 80, daysAgo(2), daysAgo(1)), NOW));

        assertThat(scope.outcome()).isEqualTo(LearnedScope.Outcome.LEARNED);
        assertThat(scope.egressHosts()).containsExactly("shop/" + CART);
        // counts are cumulative per reporter: one reporter stating "1 call" twice is one call
        assertThat(scope.verdictsFor(CART).get(0).detail()).isEqualTo("prometheus; 1 call; last seen 2026-11-30");
        assertThat(reasonOf(scope, DB)).isEqualTo(HostReason.NOT_OBSERVED);
    }

    @Test
    void destinationWithoutPort_matchesTheServiceOnAnyPort() {
        LearnedScope scope = mesh().learn(ledger(calls(DB, 0, daysAgo(1)), NOW));

        assertThat(scope.egressHosts()).containsExactly("other/" + DB);
    }

    @Test
    void workloadThatCallsNothing_keepsNoService() {
        LearnedScope scope = mesh().learn(DependencyLedger.empty());

        assertThat(scope.outcome()).isEqualTo(LearnedScope.Outcome.LEARNED);
        assertThat(scope.services()).isEmpty();
        assertThat(scope.verdicts()).allMatch(v -> v.reason() == HostReason.NOT_OBSERVED);
    }

    @Test
    void unknownDestination_isReportedButNeverServed() {
        LearnedScope scope = mesh().learn(ledger(calls("10.0.0.9", 8080, daysAgo(1)), NOW));

        assertThat(scope.services()).isEmpty();
        assertThat(reasonOf(scope, "10.0.0.9:8080")).isEqualTo(HostReason.UNKNOWN_DESTINATION);
        assertThat(scope.verdictsFor("10.0.0.9:8080").get(0).inScope()).isFalse();
    }

    @Test
    void calledServiceTheUpperBoundHides_staysOut() {
        LearnedScope scope = mesh().learn(ledger(calls(PRIVATE, 80, daysAgo(1)), NOW));

        assertThat(scope.services()).isEmpty();
        assertThat(reasonOf(scope, PRIVATE)).isEqualTo(HostReason.BEYOND_UPPER_BOUND);
    }

    @Test
    void learnedScope_neverWidensTheUpperBound() {
        LearnedMesh m = mesh().add(TestMesh.sidecar("istio-system", "default", Instant.EPOCH, TestMesh.hosts("shop/*")));
        List<dev.meshpilot.core.ledger.Observation> observed = new ArrayList<>(calls(CART, 80, daysAgo(1)));
        observed.addAll(calls(DB, 5432, daysAgo(1)));

        LearnedScope scope = m.learn(ledger(observed, NOW));

        assertThat(scope.egressHosts()).containsExactly("shop/" + CART);
        assertThat(reasonOf(scope, DB)).isEqualTo(HostReason.BEYOND_UPPER_BOUND);
        assertThat(scope.upperBound().services()).containsAll(scope.services());
    }

    @Test
    void workloadPin_addsAnUnseenHost() {
        LearnedScope scope = mesh().workloadPins("./" + REVIEWS).learn(DependencyLedger.empty());

        assertThat(scope.egressHosts()).containsExactly("shop/" + REVIEWS);
        assertThat(reasonOf(scope, REVIEWS)).isEqualTo(HostReason.PINNED);
        assertThat(scope.verdictsFor(REVIEWS).get(0).detail()).contains("Deployment shop/frontend");
    }

    @Test
    void namespacePin_appliesToItsWorkloads_andWildcardsMatch() {
        LearnedScope scope = mesh().namespacePins("shop", "other/*.other.svc.cluster.local")
                .learn(DependencyLedger.empty());

        assertThat(scope.egressHosts()).containsExactly("other/" + DB);
        assertThat(scope.verdictsFor(DB).get(0).detail()).contains("Namespace shop");
    }

    @Test
    void rootNamespacePin_isMeshWide() {
        LearnedScope scope = mesh().namespacePins("istio-system", "istio-system/*").learn(DependencyLedger.empty());

        assertThat(scope.egressHosts()).containsExactly("istio-system/" + ISTIOD);
        assertThat(reasonOf(scope, ISTIOD)).isEqualTo(HostReason.MESH_WIDE_PIN);
    }

    @Test
    void pinnedHost_neverExpires() {
        DependencyLedger old = ledger(calls(CART, 80, daysAgo(90)), NOW);

        LearnedScope scope = mesh().workloadPins("shop/" + CART).learn(old);

        assertThat(reasonOf(scope, CART)).isEqualTo(HostReason.PINNED);
        assertThat(scope.egressHosts()).containsExactly("shop/" + CART);
    }

    @Test
    void malformedPin_isReportedWithItsObject_andIgnored() {
        LearnedScope scope = mesh().workloadPins("reviews, shop/" + CART).learn(DependencyLedger.empty());

        assertThat(scope.egressHosts()).containsExactly("shop/" + CART);
        assertThat(scope.problems()).containsExactly("Deployment shop/frontend: annotation meshpilot.dev/pin-hosts: "
                + "pin 'reviews' is not of the form namespace/host; it is ignored");
    }

    @Test
    void virtualServiceOnALearnedHost_bringsItsDestinations() {
        LearnedScope scope = mesh().add(TestMesh.vs("shop", "reviews-route", List.of("reviews"), "ratings"))
                .learn(ledger(calls(REVIEWS, 9080, daysAgo(1)), NOW));

        assertThat(scope.egressHosts()).containsExactly("shop/" + RATINGS, "shop/" + REVIEWS);
        assertThat(reasonOf(scope, RATINGS)).isEqualTo(HostReason.VIRTUAL_SERVICE_TARGET);
        assertThat(scope.verdictsFor(RATINGS).get(0).detail()).contains("shop/reviews-route");
    }

    @Test
    void virtualServiceOnAnUnlearnedHost_bringsNothing() {
        LearnedScope scope = mesh().add(TestMesh.vs("shop", "reviews-route", List.of("reviews"), "ratings"))
                .learn(ledger(calls(CART, 80, daysAgo(1)), NOW));

        assertThat(scope.egressHosts()).containsExactly("shop/" + CART);
    }

    @Test
    void handWrittenWorkloadSidecar_wins() {
        LearnedScope scope = mesh().add(TestMesh.selecting("shop", "mine", Instant.EPOCH, Map.of("app", "frontend"),
                TestMesh.hosts("./*"))).learn(ledger(calls(CART, 80, daysAgo(1)), NOW));

        assertThat(scope.outcome()).isEqualTo(LearnedScope.Outcome.HAND_WRITTEN_SIDECAR_WINS);
        assertThat(scope.handWrittenSidecar()).contains("shop/mine");
        assertThat(scope.services()).isEqualTo(scope.upperBound().services()).hasSize(3);
        assertThat(reasonOf(scope, REVIEWS)).isEqualTo(HostReason.HAND_WRITTEN_SIDECAR_WINS);
    }

    @Test
    void handWrittenNamespaceDefault_wins() {
        LearnedScope scope = mesh().add(TestMesh.sidecar("shop", "default", Instant.EPOCH, TestMesh.hosts("./*")))
                .learn(DependencyLedger.empty());

        assertThat(scope.outcome()).isEqualTo(LearnedScope.Outcome.HAND_WRITTEN_SIDECAR_WINS);
        assertThat(scope.handWrittenSidecar()).contains("shop/default");
    }

    @Test
    void sidecarManagedByMeshpilot_isIgnored_soRelearningIsStable() {
        var managed = TestMesh.selecting("shop", "meshpilot-frontend", Instant.EPOCH, Map.of("app", "frontend"),
                TestMesh.hosts("shop/" + CART));
        managed = new dev.meshpilot.core.model.SidecarResource(managed.meta().withLabels(
                Map.of(LearnedScopes.MANAGED_BY_LABEL, LearnedScopes.MANAGED_BY_MESHPILOT)),
                managed.workloadSelector(), managed.egress(), managed.ingress(), managed.outboundTrafficPolicy());

        LearnedScope scope = mesh().add(managed).learn(ledger(calls(CART, 80, daysAgo(1)), NOW));

        assertThat(scope.outcome()).isEqualTo(LearnedScope.Outcome.LEARNED);
        assertThat(scope.upperBound().name()).isEqualTo(ProxyScope.DEFAULT_SIDECAR_NAME);
        assertThat(scope.egressHosts()).containsExactly("shop/" + CART);
    }

    @Test
    void rootDefaultSidecar_isTheUpperBound_andItsPolicyIsCarried() {
        LearnedScope scope = mesh().add(TestMesh.withPolicy(TestMesh.sidecar("istio-system", "default", Instant.EPOCH,
                        TestMesh.hosts("*/*")), OutboundTrafficPolicy.REGISTRY_ONLY))
                .learn(ledger(calls(CART, 80, daysAgo(1)), NOW));

        assertThat(scope.outcome()).isEqualTo(LearnedScope.Outcome.LEARNED);
        assertThat(scope.outboundTrafficPolicy()).contains(OutboundTrafficPolicy.REGISTRY_ONLY);
    }

    @Test
    void narrowingThatBreaksARecentCall_keepsTheUpperBound() {
        // a recent window longer than the forget period lets a recently seen call expire: the check catches it
        LearningSettings settings = new LearningSettings(Duration.ofDays(30), Duration.ofDays(40));
        LearnedScope scope = mesh().learn(ledger(calls(CART, 80, daysAgo(35)), NOW), settings);

        assertThat(scope.outcome()).isEqualTo(LearnedScope.Outcome.SAFETY_CHECK_FAILED);
        assertThat(scope.services()).isEqualTo(scope.upperBound().services());
        assertThat(scope.brokenCalls()).extracting(c -> c.destination().toString()).containsExactly(CART + ":80");
        assertThat(reasonOf(scope, CART)).isEqualTo(HostReason.SAFETY_CHECK_FAILED);
    }

    @Test
    void narrowingThatBreaksARecentCall_keepsASuppliedPreviousScope() {
        LearningSettings settings = new LearningSettings(Duration.ofDays(30), Duration.ofDays(40));
        LearnedMesh m = mesh();
        var previous = m.snapshot().servicesNamed(CART);

        LearnedScope scope = new LearnedScopes(m.snapshot(), settings).forWorkload(m.frontend(),
                ledger(calls(CART, 80, daysAgo(35)), NOW), NOW, java.util.Optional.of(previous));

        assertThat(scope.outcome()).isEqualTo(LearnedScope.Outcome.SAFETY_CHECK_FAILED);
        assertThat(scope.egressHosts()).containsExactly("shop/" + CART);
    }

    @Test
    void expiredCallOutsideTheRecentWindow_passesTheSafetyCheck() {
        LearnedScope scope = mesh().learn(ledger(calls(CART, 80, daysAgo(35)), NOW));

        assertThat(scope.outcome()).isEqualTo(LearnedScope.Outcome.LEARNED);
        assertThat(scope.brokenCalls()).isEmpty();
        assertThat(scope.services()).isEmpty();
    }

    @Test
    void barePod_isItsOwnWorkload_andItsAnnotationsPin() {
        LearnedMesh m = mesh().add(LearnedMesh.pod("debug", "", Map.of(HostPins.ANNOTATION, "other/" + DB)));
        var pod = m.snapshot().findWorkload("debug", "shop").orElseThrow();

        LearnedScope scope = new LearnedScopes(m.snapshot(), LearningSettings.defaults())
                .forPod(pod, DependencyLedger.empty(), NOW);

        assertThat(scope.workload()).isEqualTo(new dev.meshpilot.core.ledger.WorkloadKey("shop", "debug"));
        assertThat(scope.egressHosts()).containsExactly("other/" + DB);
        assertThat(reasonOf(scope, DB)).isEqualTo(HostReason.PINNED);
    }

    @Test
    void podOfADeployment_getsTheDeploymentsLearnedScope() {
        LearnedMesh m = mesh().workloadPins("shop/" + REVIEWS).add(LearnedMesh.pod("frontend-abc", "frontend", Map.of()));
        var pod = m.snapshot().findWorkload("frontend-abc", "shop").orElseThrow();

        LearnedScope scope = new LearnedScopes(m.snapshot(), LearningSettings.defaults())
                .forPod(pod, ledger(calls(CART, 80, daysAgo(1)), NOW), NOW);

        assertThat(scope.workload()).isEqualTo(LearnedMesh.FRONTEND);
        assertThat(scope.egressHosts()).containsExactly("shop/" + CART, "shop/" + REVIEWS);
    }
}
