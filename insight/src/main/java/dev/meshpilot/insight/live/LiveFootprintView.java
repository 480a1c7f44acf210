package dev.meshpilot.insight.live;

import dev.meshpilot.core.scope.ProxyIdentity;
import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;
import dev.meshpilot.insight.footprint.FootprintReport;
import dev.meshpilot.insight.footprint.FootprintStudy;
import dev.meshpilot.insight.footprint.ProxyFootprint;
import dev.meshpilot.insight.footprint.ProxyFootprints;
import dev.meshpilot.insight.footprint.ReportSettings;
import dev.meshpilot.insight.render.OutputFormat;
import dev.meshpilot.xds.resource.ProxyResources;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * The footprint of the proxies connected to a running server, for {@code /debug/footprintz} (JSON) and
 * {@code /ui} (HTML): the same figures and renderings as {@code meshpilot analyze}, one row per connected proxy.
 *
 * <pre>{@code
 * LiveFootprintView view = new LiveFootprintView(2);
 * List<ProxyFootprint> proxies = connected.stream()
 *         .map(c -> view.footprintOf(c.identity(), c.scope().name(), c.resources())).toList();
 * String json = view.json(proxies);   // application/json
 * String html = view.html(proxies);   // text/html, self-contained
 * }</pre>
 *
 * Stateless apart from its settings; thread-safe.
 */
public final class LiveFootprintView {

    private final ProxyFootprints footprints;
    private final String source;

    /** Istio sidecar defaults with {@code workers} Envoy worker threads; the page is titled {@code live}. */
    public LiveFootprintView(int workers) {
        this(ProxyFootprints.istioDefaults(workers), "live");
    }

    public LiveFootprintView(ProxyFootprints footprints, String source) {
        this.footprints = Objects.requireNonNull(footprints, "footprints");
        this.source = Objects.requireNonNull(source, "source");
    }

    /** Measures one connected proxy from the resources it was served. */
    public ProxyFootprint footprintOf(ProxyIdentity proxy, String scopeName, ProxyResources resources) {
        return footprints.of(proxy, scopeName, resources);
    }

    public FootprintReport report(List<ProxyFootprint> proxies) {
        return FootprintStudy.live(proxies, settings(proxies));
    }

    private ReportSettings settings(List<ProxyFootprint> proxies) {
        ProxyKind kind = proxies.stream().allMatch(p -> p.kind() == ProxyKind.PROXYLESS_GRPC) && !proxies.isEmpty()
                ? ProxyKind.PROXYLESS_GRPC
                : proxies.stream().allMatch(p -> p.kind() == ProxyKind.ENVOY) && !proxies.isEmpty()
                ? ProxyKind.ENVOY : ProxyKind.SIDECAR;
        return new ReportSettings(source, kind, footprints.model().workers(), footprints.model().stats(), false);
    }

    /**
     * The report of connected proxies with what learned scoping saves: each proxy's upper bound → its learned scope
     * (served in {@code learned} mode, what learning would serve in {@code shadow} mode), and the calls each workload
     * made through a fallback path. Without any narrowed proxy, the plain report of what is served.
     *
     * @param fallbackCalls per workload ({@code ns/name}), the calls seen through a fallback path
     */
    public FootprintReport learningReport(List<LearningFootprint> proxies, Map<String, Long> fallbackCalls) {
        List<ProxyFootprint> upper = proxies.stream().map(LearningFootprint::upperBound).toList();
        List<String> notes = new ArrayList<>();
        long served = proxies.stream().filter(p -> p.learned().isPresent() && p.learnedServed()).count();
        long shadow = proxies.stream().filter(p -> p.learned().isPresent() && !p.learnedServed()).count();
        boolean compared = served + shadow > 0;
        if (compared) {
            notes.add(served + " proxies are served their learned scope (learned mode), " + shadow
                    + " would be (shadow mode: served the upper bound), " + (proxies.size() - served - shadow)
                    + " are not narrowed");
        }
        fallbackCalls.entrySet().stream().filter(e -> e.getValue() > 0)
                .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
                .limit(MAX_FALLBACK_NOTES)
                .forEach(e -> notes.add("fallback calls of " + e.getKey() + ": " + e.getValue()));
        if (fallbackCalls.values().stream().filter(n -> n > 0).count() > MAX_FALLBACK_NOTES) {
            notes.add("(fallback calls of further workloads: /metrics meshpilot_learning_fallback_calls_total)");
        }
        return FootprintStudy.live(upper, compared ? proxies.stream().map(LearningFootprint::underLearning).toList()
                : List.of(), Optional.of(LEARNING_DESCRIPTION), settings(upper), notes);
    }

    /** The proposal line of the learning report. */
    public static final String LEARNING_DESCRIPTION = "upper bound -> learned scope (served in learned mode; what "
            + "learning would serve in shadow mode)";
    private static final int MAX_FALLBACK_NOTES = 20;

    public String render(List<ProxyFootprint> proxies, OutputFormat format) {
        return format.render(report(proxies));
    }

    public String json(List<ProxyFootprint> proxies) {
        return render(proxies, OutputFormat.JSON);
    }

    public String html(List<ProxyFootprint> proxies) {
        return render(proxies, OutputFormat.HTML);
    }
}
