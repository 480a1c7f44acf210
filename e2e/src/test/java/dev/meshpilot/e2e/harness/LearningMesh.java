package dev.meshpilot.e2e.harness;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The small mesh the ledger scenarios learn about: Deployment {@code client} in {@code ns-a} (one pod,
 * {@link #CALLER}), Service {@code echo} ({@code ns-b}, 7070) it calls over HTTP and Service {@code db}
 * ({@code ns-b}, 5432) it opens TCP connections to. Plus the {@code serve} flags that make learning fast enough
 * for a test, and readers of the stored page format (the state directory's files, the custom resources' spec).
 */
public final class LearningMesh {

    public static final String CLIENT_NAMESPACE = "ns-a";
    public static final String SERVICE_NAMESPACE = "ns-b";
    /** The calling pod's proxy, as Envoy identifies itself on the access-log stream. */
    public static final ProxyNode CALLER = new ProxyNode("client-7d4f9c-x2x8q", CLIENT_NAMESPACE);
    /** The ledger's name of the caller's workload: its Deployment, read from the pod's ReplicaSet. */
    public static final String CALLER_WORKLOAD = CLIENT_NAMESPACE + "/client";
    public static final String ECHO = "echo." + SERVICE_NAMESPACE + ".svc.cluster.local:7070";
    public static final String DB = "db." + SERVICE_NAMESPACE + ".svc.cluster.local:5432";
    public static final String ECHO_CLUSTER = AccessLogSender.outboundCluster("echo.ns-b.svc.cluster.local", 7070);
    public static final String DB_CLUSTER = AccessLogSender.outboundCluster("db.ns-b.svc.cluster.local", 5432);

    private LearningMesh() {
    }

    /** Every object, as one multi-document text (for the API server). */
    public static String manifests() {
        return Manifests.documents(Manifests.namespace(RegistryDirectory.ROOT_NAMESPACE),
                Manifests.namespace(CLIENT_NAMESPACE), Manifests.namespace(SERVICE_NAMESPACE),
                Manifests.service(SERVICE_NAMESPACE, "echo", "http", 7070),
                Manifests.service(SERVICE_NAMESPACE, "db", "tcp", 5432),
                Manifests.deploymentPod(CLIENT_NAMESPACE, "client", "7d4f9c", CALLER.pod()));
    }

    /** Every object, one file each. */
    public static RegistryDirectory writeTo(RegistryDirectory registry) {
        registry.namespace(RegistryDirectory.ROOT_NAMESPACE);
        registry.namespace(CLIENT_NAMESPACE);
        registry.namespace(SERVICE_NAMESPACE);
        registry.service(SERVICE_NAMESPACE, "echo", "http", 7070);
        registry.service(SERVICE_NAMESPACE, "db", "tcp", 5432);
        registry.deploymentPod(CLIENT_NAMESPACE, "client", "7d4f9c", CALLER.pod());
        return registry;
    }

    /**
     * {@code --xds-address 127.0.0.1} (loopback only), {@code --replica-id ID}, entries flushed into the ledger
     * every 100 ms and the ledger saved every 200 ms (defaults 1 s and 1 m), plus {@code more} flags.
     */
    public static String[] serveArgs(String replicaId, String... more) {
        List<String> args = new ArrayList<>(List.of("--xds-address", "127.0.0.1", "--replica-id", replicaId,
                "--access-log-flush-interval", "100ms", "--ledger-save-interval", "200ms"));
        args.addAll(List.of(more));
        return args.toArray(String[]::new);
    }

    /** The reporter name a replica's access-log counts are stored under. */
    public static String reporter(String replicaId) {
        return "access-log " + replicaId;
    }

    /**
     * A stored ledger page (a state-directory file, or a {@code WorkloadDependencies} spec) read as destination
     * ({@code HOST:PORT}) → reporter → count.
     */
    public static Map<String, Map<String, Long>> storedCounts(JsonNode page) {
        Map<String, Map<String, Long>> counts = new TreeMap<>();
        for (JsonNode call : page.path("calls")) {
            Map<String, Long> byReporter = new TreeMap<>();
            call.path("counts").fields().forEachRemaining(e -> byReporter.put(e.getKey(), e.getValue().asLong()));
            counts.put(call.path("host").asText() + ":" + call.path("port").asInt(), byReporter);
        }
        return counts;
    }
}
