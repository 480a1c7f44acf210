package dev.meshpilot.xds.learning;

import dev.meshpilot.xds.generate.GeneratorOptions;
import dev.meshpilot.xds.naming.XdsNames;
import dev.meshpilot.xds.simulate.TrafficSimulation;
import dev.meshpilot.xds.simulate.TrafficSimulation.Outcome;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * From checkoutservice with a learned scope ({@link CheckoutLearned}): learned services reach their clusters,
 * registered but unlearned ones pass through (logged, so they are learned), unregistered destinations are still
 * blackholed under REGISTRY_ONLY.
 */
class LearnedScopeTrafficTest {

    private static final String UNREGISTERED = "10.9.9.9";

    private static TrafficSimulation registryOnly() {
        return new TrafficSimulation(CheckoutLearned.generate(true, GeneratorOptions.learning()));
    }

    private static TrafficSimulation allowAny() {
        return new TrafficSimulation(CheckoutLearned.generate(false, GeneratorOptions.learning()));
    }

    @Test
    void learnedService_reachesItsCluster() {
        Outcome out = registryOnly().http(UNREGISTERED, 50051, "shippingservice:50051", "/hipstershop.ShippingService/ShipOrder");
        assertThat(out.virtualHost()).isEqualTo("shippingservice.default.svc.cluster.local:50051");
        assertThat(out.cluster()).isEqualTo("outbound|50051||shippingservice.default.svc.cluster.local");
    }

    @Test
    void unlearnedHttpServiceOnAPortWithAListener_passesThroughTheFallbackVirtualHost() {
        Outcome out = registryOnly().http(CheckoutLearned.vip("paymentservice.default.svc.cluster.local"), 50051,
                "paymentservice:50051", "/hipstershop.PaymentService/Charge");
        assertThat(out.listener()).isEqualTo("0.0.0.0_50051");
        assertThat(out.virtualHost()).isEqualTo(XdsNames.LEARNING_FALLBACK_VIRTUAL_HOST);
        assertThat(out.cluster()).isEqualTo(XdsNames.PASSTHROUGH_CLUSTER);
    }

    @Test
    void unlearnedTcpServiceVipWithoutAListener_passesThroughTheFallbackChain() {
        Outcome out = registryOnly().tcp(CheckoutLearned.vip("redis-cart.default.svc.cluster.local"), 6379);
        assertThat(out.listener()).isEqualTo(XdsNames.VIRTUAL_OUTBOUND_LISTENER);
        assertThat(out.filterChain()).isEqualTo(XdsNames.learningFallbackChain(6379));
        assertThat(out.cluster()).isEqualTo(XdsNames.PASSTHROUGH_CLUSTER);
    }

    @Test
    void unlearnedGrpcServiceVipOnAPortWithoutAListener_passesThroughAsTcp() {
        Outcome out = registryOnly().tcp(CheckoutLearned.vip("emailservice.default.svc.cluster.local"), 5000);
        assertThat(out.filterChain()).isEqualTo(XdsNames.learningFallbackChain(5000));
        assertThat(out.cluster()).isEqualTo(XdsNames.PASSTHROUGH_CLUSTER);
    }

    @Test
    void unregisteredAddressOnAFallbackPort_isStillBlackholed() {
        Outcome out = registryOnly().tcp(UNREGISTERED, 6379);
        assertThat(out.filterChain()).isEqualTo(XdsNames.LEARNING_FALLBACK_UNMATCHED_CHAIN);
        assertThat(out.cluster()).isEqualTo(XdsNames.BLACK_HOLE_CLUSTER);
    }

    @Test
    void unregisteredAddressOnAnotherPort_isStillBlackholed() {
        Outcome out = registryOnly().tcp(UNREGISTERED, 5432);
        assertThat(out.filterChain()).isEqualTo(XdsNames.VIRTUAL_OUTBOUND_CATCHALL_CHAIN);
        assertThat(out.cluster()).isEqualTo(XdsNames.BLACK_HOLE_CLUSTER);
    }

    @Test
    void fallbackVipOnAnotherPort_isNotPassedThrough() {
        Outcome out = registryOnly().tcp(CheckoutLearned.vip("redis-cart.default.svc.cluster.local"), 5000);
        assertThat(out.cluster()).isEqualTo(XdsNames.BLACK_HOLE_CLUSTER);
    }

    @Test
    void unregisteredHostOnAListenerPort_isStillBlocked() {
        Outcome out = registryOnly().http(UNREGISTERED, 50051, "example.com", "/");
        assertThat(out.virtualHost()).isEqualTo(XdsNames.BLOCK_ALL_VIRTUAL_HOST);
        assertThat(out.directStatus()).isEqualTo(502);
    }

    @Test
    void underAllowAny_unlearnedAndUnregisteredDestinations_passThrough() {
        TrafficSimulation sim = allowAny();
        assertThat(sim.tcp(CheckoutLearned.vip("redis-cart.default.svc.cluster.local"), 6379).cluster())
                .isEqualTo(XdsNames.PASSTHROUGH_CLUSTER);
        assertThat(sim.tcp(UNREGISTERED, 6379).cluster()).isEqualTo(XdsNames.PASSTHROUGH_CLUSTER);
        Outcome payment = sim.http(UNREGISTERED, 50051, "paymentservice:50051", "/");
        assertThat(payment.virtualHost()).isEqualTo(XdsNames.ALLOW_ANY_VIRTUAL_HOST);
        assertThat(payment.cluster()).isEqualTo(XdsNames.PASSTHROUGH_CLUSTER);
        assertThat(sim.http(UNREGISTERED, 50051, "shippingservice:50051", "/").cluster())
                .isEqualTo("outbound|50051||shippingservice.default.svc.cluster.local");
    }
}
