package dev.meshpilot.cli.analyze;

import dev.meshpilot.cli.EvidenceOptions;
import dev.meshpilot.cli.ProxyKindOption;
import dev.meshpilot.cli.ManifestMeshes;
import dev.meshpilot.cli.ReportOutput;
import dev.meshpilot.cli.recommend.DurationConverter;
import dev.meshpilot.core.ledger.DependencyLedger;
import dev.meshpilot.core.ledger.EvidenceReader;
import dev.meshpilot.core.model.OutboundTrafficPolicy;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.scope.LearningSettings;
import dev.meshpilot.insight.learn.LearnedFootprint;
import dev.meshpilot.cli.UserException;
import dev.meshpilot.core.model.SidecarResource;
import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;
import dev.meshpilot.insight.footprint.FootprintAnalyzer;
import dev.meshpilot.insight.footprint.FootprintReport;
import dev.meshpilot.insight.footprint.FootprintStudy;
import dev.meshpilot.insight.footprint.ProxyFootprint;
import dev.meshpilot.insight.footprint.ProxyFootprints;
import dev.meshpilot.insight.render.Formats;
import dev.meshpilot.insight.footprint.ReportSettings;
import dev.meshpilot.insight.footprint.ResourceMeasure;
import dev.meshpilot.insight.model.EnvoyMemoryModel;
import dev.meshpilot.insight.model.EnvoyMemoryModel.StatsProfile;
import dev.meshpilot.insight.render.OutputFormat;
import dev.meshpilot.insight.whatif.Proposal;
import dev.meshpilot.insight.whatif.TrafficEdge;
import dev.meshpilot.insight.whatif.TrafficEdges;
import dev.meshpilot.insight.whatif.TrafficFileException;
import dev.meshpilot.insight.whatif.WhatIfs;
import dev.meshpilot.kube.convert.ConversionProblem;
import dev.meshpilot.kube.convert.ConverterOptions;
import dev.meshpilot.kube.directory.LoadedMesh;
import dev.meshpilot.xds.generate.ProxyConfigGenerator;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.Callable;

/**
 * {@code meshpilot analyze}: what every proxy of a registry holds and is estimated to cost, and what a proposed
 * scope would save (see {@code docs/footprint.md}).
 */
@Command(name = "analyze", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Footprint of every workload's proxy: clusters, endpoints, listeners, virtual hosts, serialized "
                + "xDS bytes per type (from the generated resources) and estimated Envoy memory; mesh totals over "
                + "all replicas; optionally compared with a proposed scope (now -> proposed).",
                "Proposals: --with FILE|DIR (extra Sidecars), --scope namespace (root default ./* + istio-system/*), "
                        + "--traffic FILE alone (the oracle: each workload imports exactly the services it calls). "
                        + "--traffic with --with/--scope checks both scopes against the calls instead. "
                        + "--learned with --traffic, --prometheus or --state-dir: what serve --scoping learned would "
                        + "serve.",
                "Real proxies: --dump FILE|DIR measures Envoy config dumps (one row per dump); with --registry and a "
                        + "proposal, the saving for each dumped proxy."})
public final class AnalyzeCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--registry", paramLabel = "DIR",
            description = "Directory (or file) of Kubernetes manifests describing the mesh. With --dump: the mesh "
                    + "the proposals (--scope, --with, --traffic, --learned) are computed from.")
    Path registry;

    @Option(names = "--dump", paramLabel = "FILE|DIR",
            description = "Measure real proxies from their Envoy config dumps (/config_dump?include_eds, or "
                    + "proxy-config all -o json): one row per dump; a directory of dumps is a mesh.")
    Path dump;

    @Option(names = "--proxy", paramLabel = "POD.NS",
            description = "With --dump FILE: the pod the dump belongs to, when its bootstrap does not say.")
    String proxy;

    @Option(names = {"--proxy-kind", "--proxy-type"}, paramLabel = ProxyKindOption.VALUES, defaultValue = "istio-proxy",
            converter = ProxyKindOption.class,
            description = "istio-proxy (Envoy with Istio's extensions; also: sidecar), envoy (upstream Envoy) or grpc "
                    + "(proxyless; no memory estimate). Default: ${DEFAULT-VALUE}.")
    ProxyKind proxyKind;

    @Option(names = "--concurrency", paramLabel = "W", defaultValue = "2",
            description = "Envoy worker threads assumed by the memory model (Istio's default: 2). Default: ${DEFAULT-VALUE}.")
    int concurrency;

    @Option(names = "--with", paramLabel = "FILE|DIR",
            description = "Sidecar manifests applied on top of the registry (same namespace/name replaces).")
    Path with;

    @Option(names = "--scope", paramLabel = "namespace",
            description = "namespace: as if a root default Sidecar with egress ./* and istio-system/* existed.")
    String scope;

    @Mixin
    EvidenceOptions evidence = new EvidenceOptions();

    @Option(names = "--learned",
            description = "Compare with what serve --scoping learned would serve: each workload narrowed to the "
                    + "calls of the evidence (--traffic, --prometheus, --state-dir), the rest of its upper bound as "
                    + "fallback, with learning's access-log config. Hand-written Sidecars win.")
    boolean learned;

    @Option(names = "--forget-after", paramLabel = "DURATION", defaultValue = "30d", converter = DurationConverter.class,
            description = "With --learned: a destination unseen this long leaves the learned scope. Default: "
                    + "${DEFAULT-VALUE}.")
    Duration forgetAfter;

    @Option(names = "--window", paramLabel = "DURATION", defaultValue = "7d", converter = DurationConverter.class,
            description = "With --learned: the recent window (Prometheus is read over it; its calls must stay in "
                    + "scope). Default: ${DEFAULT-VALUE}.")
    Duration window;

    @Option(names = "--outbound-policy", paramLabel = "POLICY",
            description = "Analyse as if the mesh's outboundTrafficPolicy were ALLOW_ANY or REGISTRY_ONLY.")
    String outboundPolicy;

    @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", defaultValue = "table",
            description = "table, json or html. Default: ${DEFAULT-VALUE}.")
    String output;

    @Option(names = "--out", paramLabel = "FILE", description = "Write the report to FILE instead of standard output.")
    Path out;

    @Option(names = "--stats", paramLabel = "PROFILE", defaultValue = "istio",
            description = "Per-cluster stats the model assumes: istio (Istio's inclusion list) or envoy (all). "
                    + "Default: ${DEFAULT-VALUE}.")
    String stats;

    @Option(names = "--assume-mtls",
            description = "Count every outbound cluster as holding an upstream TLS context (Istio auto mTLS).")
    boolean assumeMtls;

    @Option(names = "--system-namespace", paramLabel = "NS", defaultValue = "istio-system",
            description = "The control plane's namespace; its workloads run no sidecar. Default: ${DEFAULT-VALUE}.")
    String systemNamespace;

    /** The clock "now" is read from, once per run. */
    Clock clock = Clock.systemUTC();

    @Override
    public Integer call() {
        ProxyKind kind = proxyKind();
        OutputFormat format = format();
        StatsProfile statsProfile = statsProfile();
        if (concurrency < 1) {
            throw new UserException("analyze: --concurrency must be at least 1, got " + concurrency);
        }
        if (with != null && scope != null) {
            throw new UserException("analyze: --with and --scope are two proposals; give one of them");
        }
        if (learned && (with != null || scope != null)) {
            throw new UserException("analyze: --learned is a proposal of its own; give it without --with or --scope");
        }
        if (!learned && evidence.otherThanTrafficGiven()) {
            throw new UserException("analyze: --prometheus and --state-dir are evidence for --learned");
        }
        if (scope != null && !scope.equals("namespace")) {
            throw new UserException("analyze: --scope accepts only 'namespace', got '" + scope + "'");
        }
        if (dump != null) {
            FootprintReport report = dumps(format, statsProfile);
            write(format.render(report), report);
            return 0;
        }
        if (registry == null) {
            throw new UserException("analyze: say what to measure: --registry DIR (the mesh's manifests) or "
                    + "--dump FILE|DIR (real proxies' config dumps)");
        }
        if (proxy != null) {
            throw new UserException("analyze: --proxy names the pod of a --dump file");
        }
        ConverterOptions options = ConverterOptions.withSystemNamespace(systemNamespace);
        LoadedMesh mesh = load(registry, "--registry", options);
        List<String> notes = new ArrayList<>();
        reportProblems(mesh, notes);
        MeshSnapshot snapshot = withOutboundPolicy(mesh.snapshot(), notes);

        Path traffic = evidence.trafficFile().orElse(null);
        EnvoyMemoryModel model = new EnvoyMemoryModel(concurrency, statsProfile);
        FootprintAnalyzer analyzer = new FootprintAnalyzer(new ProxyConfigGenerator(),
                new ProxyFootprints(model, new ResourceMeasure(assumeMtls)), kind, Set.of(systemNamespace));

        ReportSettings settings = new ReportSettings(registry.toString(), kind, concurrency, statsProfile, assumeMtls);
        if (learned) {
            FootprintReport report = learned(analyzer, snapshot, settings, notes);
            write(format.render(report), report);
            return 0;
        }
        List<TrafficEdge> edges = traffic == null ? List.of() : readTraffic(traffic);
        Optional<Proposal> proposal = Optional.empty();
        if (with != null) {
            proposal = Optional.of(withProposal(options));
        } else if (scope != null) {
            proposal = Optional.of(WhatIfs.namespaceScope(snapshot));
        } else if (traffic != null) {
            proposal = Optional.of(WhatIfs.trafficOracle(snapshot, edges, analyzer::analyses));
        }
        FootprintReport report = new FootprintStudy(analyzer).run(snapshot, proposal, edges, settings, notes);
        write(format.render(report), report);
        return 0;
    }

    /**
     * {@code --dump}: each dumped proxy measured from its dump; with {@code --registry}, compared with what the
     * proposal (or, without one, meshpilot's own configuration) gives the same pod.
     */
    private FootprintReport dumps(OutputFormat format, StatsProfile statsProfile) {
        if (!proxyKind().isEnvoy()) {
            throw new UserException("analyze: --dump reads Envoy dumps; --proxy-kind grpc does not apply");
        }
        if (registry == null && (with != null || scope != null || learned || evidence.trafficFile().isPresent())) {
            throw new UserException("analyze: --with, --scope, --traffic and --learned need the mesh: add "
                    + "--registry DIR");
        }
        List<String> notes = new ArrayList<>();
        EnvoyMemoryModel model = new EnvoyMemoryModel(concurrency, statsProfile);
        ResourceMeasure measure = new ResourceMeasure(assumeMtls);
        List<DumpedProxies.Dumped> proxies = DumpedProxies.measure(dump, proxy, measure, notes);
        List<ProxyFootprint> now = proxies.stream().map(p -> p.footprint(model)).toList();
        ReportSettings settings = new ReportSettings(dump.toString(), proxyKind(), concurrency, statsProfile,
                assumeMtls);
        if (registry == null) {
            return FootprintStudy.live(now, List.of(), Optional.empty(), settings, notes);
        }
        ConverterOptions options = ConverterOptions.withSystemNamespace(systemNamespace);
        LoadedMesh mesh = load(registry, "--registry", options);
        reportProblems(mesh, notes);
        MeshSnapshot snapshot = withOutboundPolicy(mesh.snapshot(), notes);
        FootprintAnalyzer analyzer = new FootprintAnalyzer(new ProxyConfigGenerator(),
                new ProxyFootprints(model, measure), proxyKind(), Set.of(systemNamespace));
        Map<String, ProxyFootprint> byWorkload = new HashMap<>();
        String description;
        String label;
        if (learned) {
            FootprintReport learnedReport = learned(analyzer, snapshot, settings, notes);
            learnedReport.rows().forEach(r -> r.proposed().ifPresent(f -> byWorkload.put(r.workload().id(), f)));
            description = LearnedFootprint.DESCRIPTION;
            label = "learned scope";
        } else {
            Path traffic = evidence.trafficFile().orElse(null);
            Optional<Proposal> proposal = Optional.empty();
            label = "meshpilot without a proposal";
            if (with != null) {
                proposal = Optional.of(withProposal(options));
                label = "with " + with;
            } else if (scope != null) {
                proposal = Optional.of(WhatIfs.namespaceScope(snapshot));
                label = "namespace scope";
            } else if (traffic != null) {
                proposal = Optional.of(WhatIfs.trafficOracle(snapshot, readTraffic(traffic), analyzer::analyses));
                label = "recommended scope";
            }
            proposal.ifPresent(p -> notes.addAll(p.notes()));
            MeshSnapshot measured = proposal.map(p -> WhatIfs.apply(snapshot, p)).orElse(snapshot);
            analyzer.analyze(measured).forEach(m -> byWorkload.put(m.workload().id(), m.footprint()));
            description = proposal.map(Proposal::description)
                    .orElse("meshpilot's configuration for the same pods (registry " + registry + ")");
        }
        List<ProxyFootprint> proposed = new ArrayList<>();
        for (int i = 0; i < proxies.size(); i++) {
            DumpedProxies.Dumped p = proxies.get(i);
            Optional<String> id = DumpedProxies.workloadId(snapshot, p, byWorkload);
            if (id.isEmpty()) {
                notes.add(p.proxyId() + " (" + p.measurement().file() + ") is not a pod of " + registry
                        + ": shown unchanged");
                proposed.add(now.get(i));
                continue;
            }
            ProxyFootprint f = byWorkload.get(id.get());
            proposed.add(f);
            notes.add(saving(p.proxyId(), now.get(i), label, f));
        }
        return FootprintStudy.live(now, proposed, Optional.of(description), settings, notes);
    }

    /** "POD.NS holds 1,204 clusters, ~140.2 MB; learned scope: 14 clusters, ~13.1 MB". */
    static String saving(String proxyId, ProxyFootprint now, String label, ProxyFootprint proposed) {
        return String.format(Locale.ROOT, "%s holds %,d clusters, ~%s; %s: %,d clusters, ~%s", proxyId,
                now.counts().clusters(), Formats.bytes(now.allocatedBytes()), label, proposed.counts().clusters(),
                Formats.bytes(proposed.allocatedBytes()));
    }

    private FootprintReport learned(FootprintAnalyzer analyzer, MeshSnapshot snapshot, ReportSettings settings,
                                    List<String> notes) {
        PrintWriter err = spec.commandLine().getErr();
        List<EvidenceReader> readers = evidence.requiredReaders("analyze", window, err::println);
        Instant now = clock.instant();
        DependencyLedger ledger = EvidenceOptions.read(readers, now, "analyze");
        LearnedFootprint.Result result = new LearnedFootprint(analyzer).measure(snapshot, ledger,
                new LearningSettings(forgetAfter, window), now, settings, notes);
        err.println("analyze: " + result.distinctScopes() + " distinct learned scopes, " + result.narrowed()
                + " workloads narrowed, " + result.fallbackCalls().size() + " observed calls would go to a fallback");
        for (TrafficEdge call : result.fallbackCalls()) {
            err.println("  fallback: " + call.sourceNamespace() + "/" + call.sourceWorkload() + " -> " + call.target());
        }
        return result.report();
    }

    private MeshSnapshot withOutboundPolicy(MeshSnapshot snapshot, List<String> notes) {
        if (outboundPolicy == null) {
            return snapshot;
        }
        OutboundTrafficPolicy policy;
        try {
            policy = OutboundTrafficPolicy.valueOf(outboundPolicy.toUpperCase(Locale.ROOT).replace('-', '_'));
        } catch (IllegalArgumentException e) {
            throw new UserException("analyze: --outbound-policy must be ALLOW_ANY or REGISTRY_ONLY, got '"
                    + outboundPolicy + "'");
        }
        notes.add("outboundTrafficPolicy taken as " + policy + " (--outbound-policy)");
        return new MeshSnapshot(snapshot.version(), snapshot.meshConfig().withOutboundTrafficPolicy(policy),
                snapshot.namespaces(), snapshot.services(), snapshot.endpointSlices(), snapshot.workloads(),
                snapshot.workloadGroups(), snapshot.sidecars(), snapshot.virtualServices(),
                snapshot.destinationRules(), snapshot.peerAuthentications());
    }

    private Proposal withProposal(ConverterOptions options) {
        LoadedMesh extra = load(with, "--with", options);
        if (!extra.errors().isEmpty()) {
            throw new UserException("analyze: --with " + with + ": " + extra.errors().get(0)
                    + (extra.errors().size() > 1 ? " (and " + (extra.errors().size() - 1) + " more)" : ""));
        }
        List<SidecarResource> sidecars = extra.result().objects().sidecars();
        if (sidecars.isEmpty()) {
            throw new UserException("analyze: --with " + with + " holds no Sidecar");
        }
        List<String> notes = new ArrayList<>();
        int others = extra.result().objects().size() - sidecars.size() + extra.result().skippedCount();
        if (others > 0) {
            notes.add("--with " + with + ": " + others + " objects other than Sidecars were ignored");
        }
        return WhatIfs.withSidecars(with.toString(), sidecars, notes);
    }

    private static LoadedMesh load(Path path, String option, ConverterOptions options) {
        return ManifestMeshes.load("analyze", option, path, options);
    }

    private void reportProblems(LoadedMesh mesh, List<String> notes) {
        PrintWriter err = spec.commandLine().getErr();
        for (ConversionProblem problem : mesh.errors()) {
            err.println(problem);
        }
        if (!mesh.errors().isEmpty()) {
            notes.add(mesh.errors().size() + " objects of " + registry + " were invalid and left out (see the "
                    + "messages on standard error)");
        }
        Map<String, Integer> skipped = mesh.result().skippedKinds();
        if (!skipped.isEmpty()) {
            notes.add("kinds meshpilot does not use were skipped: " + skipped);
        }
    }

    private static List<TrafficEdge> readTraffic(Path file) {
        if (!Files.isRegularFile(file)) {
            throw new UserException("analyze: --traffic " + file + " is not a file");
        }
        try {
            return TrafficEdges.read(file);
        } catch (TrafficFileException e) {
            throw new UserException("analyze: --traffic " + e.getMessage());
        }
    }

    private void write(String text, FootprintReport report) {
        ReportOutput.write(spec, "analyze", out, text, report.rows().size() + " workloads, "
                + report.now().proxies() + " proxies");
    }

    private ProxyKind proxyKind() {
        return proxyKind;
    }

    private OutputFormat format() {
        try {
            return OutputFormat.valueOf(output.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new UserException("analyze: -o must be table, json or html, got '" + output + "'");
        }
    }

    private StatsProfile statsProfile() {
        return switch (stats.toLowerCase(Locale.ROOT)) {
            case "istio" -> StatsProfile.ISTIO_DEFAULT;
            case "envoy" -> StatsProfile.ENVOY_DEFAULT;
            default -> throw new UserException("analyze: --stats must be istio or envoy, got '" + stats + "'");
        };
    }
}
