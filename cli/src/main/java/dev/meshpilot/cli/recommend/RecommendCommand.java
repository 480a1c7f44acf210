package dev.meshpilot.cli.recommend;

import dev.meshpilot.cli.EvidenceOptions;
import dev.meshpilot.cli.KubeSourceOptions;
import dev.meshpilot.cli.ManifestMeshes;
import dev.meshpilot.cli.ReportOutput;
import dev.meshpilot.cli.UserException;
import dev.meshpilot.core.ledger.DependencyLedger;
import dev.meshpilot.core.ledger.EvidenceReader;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.scope.LearningSettings;
import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;
import dev.meshpilot.insight.footprint.FootprintAnalyzer;
import dev.meshpilot.insight.footprint.FootprintReport;
import dev.meshpilot.insight.footprint.ProxyFootprints;
import dev.meshpilot.insight.footprint.ReportSettings;
import dev.meshpilot.insight.footprint.ResourceMeasure;
import dev.meshpilot.insight.learn.Granularity;
import dev.meshpilot.insight.learn.Recommendation;
import dev.meshpilot.insight.learn.RecommendationFootprint;
import dev.meshpilot.insight.learn.RecommendationJson;
import dev.meshpilot.insight.learn.RecommendationTable;
import dev.meshpilot.insight.learn.RecommendationYaml;
import dev.meshpilot.insight.learn.Recommender;
import dev.meshpilot.insight.learn.SidecarManifests;
import dev.meshpilot.insight.learn.StoredLedgerEvidence;
import dev.meshpilot.insight.model.EnvoyMemoryModel;
import dev.meshpilot.insight.model.EnvoyMemoryModel.StatsProfile;
import dev.meshpilot.kube.apiserver.KubernetesAccessException;
import dev.meshpilot.kube.apiserver.KubernetesClients;
import dev.meshpilot.kube.apiserver.KubernetesSettings;
import dev.meshpilot.kube.apiserver.KubernetesSnapshotLoader;
import dev.meshpilot.kube.apply.ApplyResult;
import dev.meshpilot.kube.apply.SidecarApplier;
import dev.meshpilot.kube.apply.WriteMethod;
import dev.meshpilot.kube.convert.ConversionProblem;
import dev.meshpilot.kube.convert.ConverterOptions;
import dev.meshpilot.kube.directory.LoadedMesh;
import dev.meshpilot.kube.ledger.CustomResourceLedgerStore;
import dev.meshpilot.xds.generate.ProxyConfigGenerator;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * {@code meshpilot recommend}: Sidecars that scope each workload to what it was seen calling (plus pins and
 * VirtualService targets), never wider than what Istio already shows it, and checked against recent calls.
 */
@Command(name = "recommend", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Recommend Sidecars learned from observed calls: each workload (or namespace) imports what it "
                + "was seen calling, its pinned hosts (annotation meshpilot.dev/pin-hosts on the workload, its "
                + "namespace, or mesh-wide on the root namespace) and the destinations of VirtualServices on those, "
                + "never more than Istio's rules already show it. Hand-written Sidecars win. The proposal is "
                + "checked against recently observed calls.",
                "With --kube the mesh comes from the cluster, the ledger meshpilot serve keeps there "
                        + "(WorkloadDependencies) is evidence when no other source is named, and --apply creates, "
                        + "updates and deletes meshpilot's own Sidecars (label app.kubernetes.io/managed-by: meshpilot), "
                        + "never one it did not create; --dry-run prints what --apply would change."})
public final class RecommendCommand implements Callable<Integer> {

    static final String NAME = "recommend";

    @Spec
    CommandSpec spec;

    @Option(names = "--registry", paramLabel = "DIR",
            description = "Directory (or file) of Kubernetes manifests describing the mesh.")
    Path registry;

    @Mixin
    KubeSourceOptions kubeSource;

    @Mixin
    EvidenceOptions evidence;

    @Option(names = "--granularity", paramLabel = "workload|namespace", defaultValue = "workload",
            description = "One Sidecar per workload (selecting its pods) or per namespace. Default: ${DEFAULT-VALUE}.")
    String granularity;

    @Option(names = {"-o", "--output"}, paramLabel = "yaml|table|json", defaultValue = "yaml",
            description = "yaml (Sidecar manifests with evidence comments), table (footprint now and recommended) "
                    + "or json. Default: ${DEFAULT-VALUE}.")
    String output;

    @Option(names = "--forget-after", paramLabel = "DURATION", defaultValue = "30d", converter = DurationConverter.class,
            description = "A destination not seen this long leaves the scope, if a source kept reporting without "
                    + "seeing it (30d, 12h, 90m, 45s). Default: ${DEFAULT-VALUE}.")
    Duration forgetAfter;

    @Option(names = "--window", paramLabel = "DURATION", defaultValue = "7d", converter = DurationConverter.class,
            description = "Calls seen this recently must stay inside the recommended scopes. Default: ${DEFAULT-VALUE}.")
    Duration window;

    @Option(names = "--out", paramLabel = "FILE", description = "Write to FILE instead of standard output.")
    Path out;

    @Option(names = "--apply", description = "With --kube: create/update the recommended Sidecars in the cluster "
            + "and delete meshpilot's own Sidecars that are no longer recommended.")
    boolean apply;

    @Option(names = "--dry-run", description = "With --apply: change nothing, print what would change.")
    boolean dryRun;

    @Option(names = "--system-namespace", paramLabel = "NS", defaultValue = "istio-system",
            description = "The control plane's namespace; its workloads run no sidecar. Default: ${DEFAULT-VALUE}.")
    String systemNamespace;

    /** The clock "now" is read from, once per run. */
    Clock clock = Clock.systemUTC();

    /** How --apply writes: server-side apply; tests against fabric8's CRUD mock (which lacks it) use REPLACE. */
    WriteMethod writeMethod = WriteMethod.SERVER_SIDE_APPLY;

    @Override
    public Integer call() {
        Granularity cut = granularity();
        String format = format();
        checkSources();
        ConverterOptions options = ConverterOptions.withSystemNamespace(systemNamespace);
        PrintWriter err = spec.commandLine().getErr();
        List<EvidenceReader> readers = new ArrayList<>(evidence.readers(NAME, window, line -> {
            err.println(line);
            err.flush();
        }));
        if (!kubeSource.enabled()) {
            return recommend(load(options), readers, cut, format, null);
        }
        KubernetesSettings settings = kubeSource.settings(KubernetesSettings.defaults().withConverterOptions(options));
        try (KubernetesClient client = KubernetesClients.connect(settings)) {
            MeshSnapshot snapshot = loadFromCluster(client, options);
            if (readers.isEmpty()) {
                readers.add(new StoredLedgerEvidence(new CustomResourceLedgerStore(client), line -> {
                    err.println("warning: " + line);
                    err.flush();
                }));
            }
            return recommend(snapshot, readers, cut, format, client);
        } catch (KubernetesAccessException e) {
            throw new UserException(NAME + ": " + e.getMessage());
        } catch (KubernetesClientException e) {
            throw new UserException(NAME + ": the Kubernetes API server refused: " + e.getMessage());
        }
    }

    private void checkSources() {
        kubeSource.checkFlags();
        if ((registry == null) == !kubeSource.enabled()) {
            throw new UserException(NAME + ": say where the mesh is: either --registry DIR or --kube");
        }
        if (apply && !kubeSource.enabled()) {
            throw new UserException(NAME + ": --apply writes Sidecars through the Kubernetes API and needs --kube");
        }
        if (dryRun && !apply) {
            throw new UserException(NAME + ": --dry-run goes with --apply");
        }
        if (!kubeSource.enabled() && !evidence.given()) {
            throw new UserException(NAME + ": say where the evidence of calls is: --traffic FILE, "
                    + "--prometheus URL or --state-dir DIR");
        }
    }

    private int recommend(MeshSnapshot snapshot, List<EvidenceReader> readers, Granularity cut, String format,
                          KubernetesClient client) {
        Instant now = clock.instant();
        DependencyLedger ledger = EvidenceOptions.read(readers, now, NAME);
        LearningSettings settings = new LearningSettings(forgetAfter, window);

        Recommendation recommendation = new Recommender(settings, Set.of(systemNamespace))
                .recommend(snapshot, ledger, now, cut);
        String text = switch (format) {
            case "yaml" -> RecommendationYaml.render(recommendation, header(readers, now));
            case "table" -> RecommendationTable.render(recommendation, footprint(snapshot, recommendation));
            default -> RecommendationJson.render(recommendation, footprint(snapshot, recommendation));
        };
        PrintWriter err = spec.commandLine().getErr();
        if (!recommendation.brokenCalls().isEmpty()) {
            err.println("WARNING: the recommendation would break " + recommendation.brokenCalls().size()
                    + " recently observed calls:");
            recommendation.brokenCalls().forEach(b -> err.println("  " + b));
            err.flush();
        }
        if (!apply) {
            write(text, recommendation);
            return 0;
        }
        if (out != null) {
            write(text, recommendation);
        }
        ApplyResult result = new SidecarApplier(client, writeMethod).apply(SidecarManifests.manifests(recommendation),
                coveredNamespaces(snapshot), dryRun);
        PrintWriter stdout = spec.commandLine().getOut();
        result.diff().forEach(stdout::println);
        stdout.println(result.summary());
        stdout.flush();
        return 0;
    }

    /** The namespaces the recommendation speaks for: every namespace of the mesh but the control plane's. */
    private Set<String> coveredNamespaces(MeshSnapshot snapshot) {
        Set<String> namespaces = new TreeSet<>();
        snapshot.namespaces().forEach(n -> namespaces.add(n.name()));
        snapshot.workloadGroups().forEach(g -> namespaces.add(g.namespace()));
        snapshot.workloads().forEach(w -> namespaces.add(w.namespace()));
        namespaces.remove(systemNamespace);
        return namespaces;
    }

    private MeshSnapshot loadFromCluster(KubernetesClient client, ConverterOptions options) {
        KubernetesSnapshotLoader.KubernetesLoad load = KubernetesSnapshotLoader.load(client, options);
        printProblems(load.problems());
        return load.snapshot();
    }

    private List<String> header(List<EvidenceReader> readers, Instant now) {
        return List.of("meshpilot recommend " + (registry != null ? "--registry " + registry : "--kube") + " at " + now,
                "evidence: " + readers.stream().map(EvidenceReader::describe).collect(Collectors.joining(", ")),
                "forget after " + DurationConverter.format(forgetAfter) + ", recent window "
                        + DurationConverter.format(window) + ", granularity " + granularity().label());
    }

    private FootprintReport footprint(MeshSnapshot snapshot, Recommendation recommendation) {
        EnvoyMemoryModel model = new EnvoyMemoryModel(2, StatsProfile.ISTIO_DEFAULT);
        FootprintAnalyzer analyzer = new FootprintAnalyzer(new ProxyConfigGenerator(),
                new ProxyFootprints(model, new ResourceMeasure(false)), ProxyKind.SIDECAR, Set.of(systemNamespace));
        return RecommendationFootprint.measure(analyzer, snapshot, recommendation, new ReportSettings(
                registry != null ? registry.toString() : "the cluster", ProxyKind.SIDECAR, 2, StatsProfile.ISTIO_DEFAULT, false));
    }

    private MeshSnapshot load(ConverterOptions options) {
        LoadedMesh mesh = ManifestMeshes.load(NAME, "--registry", registry, options);
        printProblems(mesh.problems());
        return mesh.snapshot();
    }

    private void printProblems(List<ConversionProblem> problems) {
        PrintWriter err = spec.commandLine().getErr();
        for (ConversionProblem problem : problems) {
            err.println((problem.isError() ? "error: " : "warning: ") + problem);
        }
        err.flush();
    }

    private void write(String text, Recommendation recommendation) {
        ReportOutput.write(spec, NAME, out, text, recommendation.sidecars().size() + " Sidecars, "
                + recommendation.skipped().size() + " left alone, " + recommendation.brokenCalls().size()
                + " observed calls broken");
    }

    private Granularity granularity() {
        try {
            return Granularity.valueOf(granularity.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UserException(NAME + ": --granularity must be workload or namespace, got '" + granularity + "'");
        }
    }

    private String format() {
        String f = output.toLowerCase(Locale.ROOT);
        if (!List.of("yaml", "table", "json").contains(f)) {
            throw new UserException(NAME + ": -o must be yaml, table or json, got '" + output + "'");
        }
        return f;
    }
}
