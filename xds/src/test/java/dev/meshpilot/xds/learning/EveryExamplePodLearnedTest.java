package dev.meshpilot.xds.learning;

import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.ServicePort;
import dev.meshpilot.core.model.Protocol;
import dev.meshpilot.core.model.WorkloadInstance;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.scope.ProxyIdentity;
import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;
import dev.meshpilot.core.scope.ProxyScope;
import dev.meshpilot.core.scope.SidecarScopes;
import dev.meshpilot.xds.generate.GeneratorOptions;
import dev.meshpilot.xds.generate.ProxyConfigGenerator;
import dev.meshpilot.xds.golden.ExampleMeshes;
import dev.meshpilot.xds.naming.XdsNames;
import dev.meshpilot.xds.resource.ProxyResources;
import dev.meshpilot.xds.resource.ResourceSet;
import dev.meshpilot.xds.resource.XdsResource;
import dev.meshpilot.xds.simulate.TrafficSimulation;
import dev.meshpilot.xds.validate.Violation;
import dev.meshpilot.xds.validate.XdsValidator;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every pod of every example under REGISTRY_ONLY, its scope narrowed to the hosts its workload calls in the
 * example's {@code edges.csv} and the rest left as fallback: the resources pass validate.rules, and no call to a
 * left-out service's address and port (or host, on HTTP) ends in {@code BlackHoleCluster} or {@code block_all}.
 */
class EveryExamplePodLearnedTest {

    static List<String> examples() {
        return ExampleMeshes.ALL;
    }

    @ParameterizedTest
    @MethodSource("examples")
    void leftOutServices_areNeverBlackholed_andResourcesPassValidateRules(String example) {
        MeshSnapshot mesh = LearnedScopes.registryOnly(ExampleMeshes.snapshot(example));
        SidecarScopes scopes = new SidecarScopes(mesh);
        List<String[]> edges = edges(example);
        ProxyConfigGenerator generator = new ProxyConfigGenerator(GeneratorOptions.learning());
        List<Violation> violations = new ArrayList<>();
        List<String> blackholed = new ArrayList<>();
        Set<String> validated = new HashSet<>();
        int calls = 0;
        for (WorkloadInstance pod : mesh.workloads()) {
            ProxyIdentity proxy = ExampleMeshes.proxy(example, pod.name(), pod.namespace(), ProxyKind.SIDECAR);
            Set<String> learned = new HashSet<>();
            for (String[] edge : edges) {
                if (edge[0].equals(pod.workloadName()) && edge[1].equals(pod.namespace())) {
                    learned.add(edge[2]);
                }
            }
            ProxyScope scope = LearnedScopes.narrow(scopes.scopeFor(proxy), learned);
            ProxyResources resources = generator.generate(mesh, proxy, scope);
            violations.addAll(XdsValidator.validateSemantics(resources));
            for (ResourceSet set : resources.sets().values()) {
                for (XdsResource resource : set.resources()) {
                    if (validated.add(resource.type() + resource.hash())) {
                        violations.addAll(XdsValidator.validate(resource));
                    }
                }
            }
            TrafficSimulation sim = new TrafficSimulation(resources);
            for (MeshService service : scope.fallbackServices()) {
                if (service.addresses().isEmpty() || service.addresses().get(0).contains("/")) {
                    continue;
                }
                String vip = service.addresses().get(0);
                for (ServicePort port : service.ports()) {
                    if (port.protocol() == Protocol.UDP || XdsNames.isVirtualListenerPort(port.port())) {
                        continue;
                    }
                    TrafficSimulation.Outcome out = port.protocol().isHttp()
                            ? sim.http(vip, port.port(), service.hostname(), "/")
                            : sim.tcp(vip, port.port());
                    calls++;
                    if (out.directStatus() != 0 || out.clusters().containsKey(XdsNames.BLACK_HOLE_CLUSTER)) {
                        blackholed.add(pod.name() + "." + pod.namespace() + " -> " + service.hostname() + ":"
                                + port.port() + " " + out);
                    }
                }
            }
        }
        assertThat(calls).isPositive();
        assertThat(blackholed).isEmpty();
        assertThat(violations).isEmpty();
    }

    /** (source workload, source namespace, destination host) of the example's call edges. */
    private static List<String[]> edges(String example) {
        try {
            List<String> lines = Files.readAllLines(ExampleMeshes.repoRoot().resolve("examples").resolve(example)
                    .resolve("edges.csv"));
            return lines.stream().skip(1).filter(l -> !l.isBlank()).map(l -> l.split(",", 5)).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
