package dev.meshpilot.cli.proxyconfig;

import dev.meshpilot.cli.UserException;
import dev.meshpilot.core.model.WorkloadInstance;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.scope.ProxyIdentities;
import dev.meshpilot.core.scope.ProxyIdentity;
import dev.meshpilot.core.scope.SidecarScopes;
import dev.meshpilot.kube.convert.ConversionProblem;
import dev.meshpilot.kube.apiserver.KubernetesAccessException;
import dev.meshpilot.kube.apiserver.KubernetesSettings;
import dev.meshpilot.kube.apiserver.KubernetesSnapshotLoader;
import dev.meshpilot.kube.convert.ConverterOptions;
import dev.meshpilot.kube.directory.LoadedMesh;
import dev.meshpilot.kube.directory.MeshLoader;
import dev.meshpilot.xds.generate.ProxyConfigGenerator;
import dev.meshpilot.xds.json.ConfigDumps;
import dev.meshpilot.xds.json.XdsJson;
import io.envoyproxy.envoy.admin.v3.ConfigDump;

import java.io.IOException;
import java.io.PrintWriter;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Produces the Envoy config dump of the proxy the options name: offline from a manifest directory (load →
 * scope → generate, the server's own path), or from a running server's {@code /debug/config_dump}.
 */
final class ProxyConfigSource {

    private ProxyConfigSource() {
    }

    static ConfigDump dumpFor(ProxyOptions options, PrintWriter err) {
        options.requireOneSource();
        return options.isOffline() ? offline(options, err) : fromServer(options);
    }

    /**
     * Loads the mesh (directory or Kubernetes API), reporting its problems on {@code err}, and finds the pod the
     * options name.
     */
    static Offline loadOffline(ProxyOptions options, PrintWriter err) {
        ConverterOptions converterOptions = ConverterOptions.withSystemNamespace(options.systemNamespace);
        MeshSnapshot snapshot;
        List<ConversionProblem> problems;
        if (options.kubeSource.enabled()) {
            KubernetesSettings settings = options.kubeSource.settings(
                    KubernetesSettings.defaults().withConverterOptions(converterOptions));
            try {
                KubernetesSnapshotLoader.KubernetesLoad load = KubernetesSnapshotLoader.load(settings);
                snapshot = load.snapshot();
                problems = load.problems();
            } catch (KubernetesAccessException e) {
                throw new UserException(e.getMessage());
            }
        } else {
            if (!Files.isDirectory(options.registry)) {
                throw new UserException("registry directory " + options.registry + " does not exist");
            }
            LoadedMesh mesh = MeshLoader.load(options.registry, converterOptions);
            snapshot = mesh.snapshot();
            problems = mesh.problems();
        }
        for (ConversionProblem problem : problems) {
            err.println((problem.isError() ? "error: " : "warning: ") + problem);
        }
        WorkloadInstance pod = snapshot.findWorkload(options.podName(), options.podNamespace())
                .orElseThrow(() -> new UserException(notFound(snapshot, options)));
        ProxyIdentity sidecar = ProxyIdentities.fromWorkload(pod);
        ProxyIdentity proxy = new ProxyIdentity(sidecar.podName(), sidecar.namespace(), sidecar.labels(), sidecar.ip(),
                options.proxyKind);
        return new Offline(snapshot, new SidecarScopes(snapshot), proxy);
    }

    /** A loaded registry, its scopes and the proxy asked about. */
    record Offline(MeshSnapshot snapshot, SidecarScopes scopes, ProxyIdentity proxy) {
    }

    private static ConfigDump offline(ProxyOptions options, PrintWriter err) {
        Offline offline = loadOffline(options, err);
        return ConfigDumps.of(new ProxyConfigGenerator().generate(offline.snapshot(), offline.proxy(),
                offline.scopes().scopeFor(offline.proxy())));
    }

    private static String notFound(MeshSnapshot snapshot, ProxyOptions options) {
        String known = snapshot.workloads().stream()
                .filter(w -> w.namespace().equals(options.podNamespace()))
                .map(WorkloadInstance::name).sorted().limit(8).collect(Collectors.joining(", "));
        return "pod " + options.podName() + " not found in namespace " + options.podNamespace() + " of "
                + options.sourceName() + (known.isEmpty() ? " (the namespace has no pods)" : "; pods there: " + known
                + (snapshot.workloads().stream().filter(w -> w.namespace().equals(options.podNamespace())).count() > 8
                ? ", ..." : ""));
    }

    private static ConfigDump fromServer(ProxyOptions options) {
        String body = httpGet(options.server, "/debug/config_dump?include_eds&proxyID="
                + URLEncoder.encode(options.proxyId(), StandardCharsets.UTF_8));
        try {
            return XdsJson.parse(body, ConfigDump.newBuilder()).build();
        } catch (IOException e) {
            throw new IllegalStateException("the server at " + options.server + " sent a config dump that is not valid "
                    + "proto3 JSON: " + e.getMessage(), e);
        }
    }

    /** GETs a debug path; 4xx answers are user errors (unknown proxy), others runtime failures. */
    static String httpGet(URI server, String pathAndQuery) {
        URI uri = server.resolve(pathAndQuery);
        try {
            HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            HttpResponse<String> response = client.send(HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(30))
                    .GET().build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() >= 400 && response.statusCode() < 500) {
                throw new UserException(uri + " answered " + response.statusCode() + ": " + response.body().strip());
            }
            if (response.statusCode() != 200) {
                throw new IllegalStateException(uri + " answered " + response.statusCode() + ": " + response.body().strip());
            }
            return response.body();
        } catch (IOException e) {
            throw new UserException("cannot reach meshpilot at " + server + ": " + e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking " + uri, e);
        }
    }
}
