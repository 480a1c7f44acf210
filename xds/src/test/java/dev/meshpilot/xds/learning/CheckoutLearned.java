package dev.meshpilot.xds.learning;

import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.scope.ProxyIdentity;
import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;
import dev.meshpilot.core.scope.ProxyScope;
import dev.meshpilot.core.scope.SidecarScopes;
import dev.meshpilot.xds.generate.GeneratorOptions;
import dev.meshpilot.xds.generate.ProxyConfigGenerator;
import dev.meshpilot.xds.golden.ExampleMeshes;
import dev.meshpilot.xds.resource.ProxyResources;

import java.util.Set;

/**
 * online-boutique's checkoutservice with a learned scope: seen calling cart, currency, product catalog and
 * shipping, not (yet) email and payment. Its fallback holds the rest of the upper bound, among them
 * paymentservice on 50051, the port shippingservice's HTTP listener holds (a fallback virtual host), and redis-cart
 * on TCP 6379 and emailservice on 5000, ports without a listener (virtualOutbound fallback chains).
 */
final class CheckoutLearned {

    static final String EXAMPLE = "online-boutique";
    static final String POD = "checkoutservice-0";
    static final String NAMESPACE = "default";
    static final Set<String> LEARNED = Set.of(
            "cartservice.default.svc.cluster.local",
            "currencyservice.default.svc.cluster.local",
            "productcatalogservice.default.svc.cluster.local",
            "shippingservice.default.svc.cluster.local");

    private CheckoutLearned() {
    }

    static MeshSnapshot mesh(boolean registryOnly) {
        MeshSnapshot mesh = ExampleMeshes.snapshot(EXAMPLE);
        return registryOnly ? LearnedScopes.registryOnly(mesh) : mesh;
    }

    static ProxyIdentity proxy(ProxyKind kind) {
        return ExampleMeshes.proxy(EXAMPLE, POD, NAMESPACE, kind);
    }

    static ProxyScope scope(MeshSnapshot mesh, ProxyKind kind) {
        return LearnedScopes.narrow(new SidecarScopes(mesh).scopeFor(proxy(kind)), LEARNED);
    }

    static ProxyResources generate(boolean registryOnly, GeneratorOptions options) {
        return generate(registryOnly, options, ProxyKind.SIDECAR);
    }

    static ProxyResources generate(boolean registryOnly, GeneratorOptions options, ProxyKind kind) {
        MeshSnapshot mesh = mesh(registryOnly);
        return new ProxyConfigGenerator(options).generate(mesh, proxy(kind), scope(mesh, kind));
    }

    static String vip(String hostname) {
        return ExampleMeshes.snapshot(EXAMPLE).servicesNamed(hostname).get(0).addresses().get(0);
    }
}
