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

import java.util.List;
import java.util.Objects;

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
        ProxyKind kind = proxies.stream().allMatch(p -> p.kind() == ProxyKind.PROXYLESS_GRPC) && !proxies.isEmpty()
                ? ProxyKind.PROXYLESS_GRPC : ProxyKind.SIDECAR;
        ReportSettings settings = new ReportSettings(source, kind, footprints.model().workers(),
                footprints.model().stats(), false);
        return FootprintStudy.live(proxies, settings);
    }

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
