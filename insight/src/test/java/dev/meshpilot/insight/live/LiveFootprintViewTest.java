package dev.meshpilot.insight.live;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.meshpilot.core.model.WorkloadInstance;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.core.scope.ProxyIdentities;
import dev.meshpilot.core.scope.ProxyIdentity;
import dev.meshpilot.core.scope.ProxyScope;
import dev.meshpilot.core.scope.SidecarScopes;
import dev.meshpilot.insight.footprint.ProxyFootprint;
import dev.meshpilot.insight.render.OutputFormat;
import dev.meshpilot.insight.testing.Examples;
import dev.meshpilot.xds.generate.ProxyConfigGenerator;
import dev.meshpilot.xds.resource.ProxyResources;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The live view renders connected proxies with the same figures and renderings as the offline report. */
class LiveFootprintViewTest {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    /** Footprints of every bookinfo pod, as a server would hold them after serving each. */
    private static List<ProxyFootprint> connected(LiveFootprintView view) {
        MeshSnapshot snapshot = Examples.snapshot("bookinfo");
        SidecarScopes scopes = new SidecarScopes(snapshot);
        ProxyConfigGenerator generator = new ProxyConfigGenerator();
        List<ProxyFootprint> out = new ArrayList<>();
        for (WorkloadInstance pod : snapshot.workloads()) {
            ProxyIdentity proxy = ProxyIdentities.fromWorkload(pod);
            ProxyScope scope = scopes.scopeFor(proxy);
            ProxyResources served = generator.generate(snapshot, proxy, scope);
            out.add(view.footprintOf(proxy, scope.name(), served));
        }
        return out;
    }

    @Test
    void json_hasOneRowPerConnectedProxy_withItsServedFigures() throws Exception {
        LiveFootprintView view = new LiveFootprintView(2);
        List<ProxyFootprint> proxies = connected(view);

        JsonNode root = MAPPER.readTree(view.json(proxies));

        assertThat(root.at("/settings/source").asText()).isEqualTo("live");
        assertThat(root.get("workloads")).hasSize(proxies.size());
        for (JsonNode w : root.get("workloads")) {
            ProxyFootprint f = proxies.stream().filter(p -> p.proxyId().equals(w.get("proxy").asText()))
                    .findFirst().orElseThrow();
            assertThat(w.get("kind").asText()).isEqualTo("Proxy");
            assertThat(w.get("replicas").asInt()).isEqualTo(1);
            assertThat(w.get("name").asText() + "." + w.get("namespace").asText()).isEqualTo(f.proxyId());
            assertThat(w.at("/now/clusters").asInt()).isEqualTo(f.counts().clusters());
            assertThat(w.at("/now/xdsBytes/total").asLong()).isEqualTo(f.bytes().total());
        }
        assertThat(root.at("/totals/now/proxies").asInt()).isEqualTo(proxies.size());
    }

    @Test
    void html_isTheSameSelfContainedReport() {
        LiveFootprintView view = new LiveFootprintView(2);

        String html = view.html(connected(view));

        assertThat(html).startsWith("<!DOCTYPE html>").contains("Proxy footprint: live", "<svg ")
                .doesNotContain("<script");
    }

    @Test
    void noConnectedProxies_stillRendersEveryFormat() throws Exception {
        LiveFootprintView view = new LiveFootprintView(2);

        assertThat(MAPPER.readTree(view.json(List.of())).get("workloads")).isEmpty();
        assertThat(view.html(List.of())).contains("<svg ").contains("0 workloads");
        assertThat(view.render(List.of(), OutputFormat.TABLE)).contains("Mesh totals (sum over 0 proxies)");
    }

    @Test
    void workers_areTheModelsConcurrency() throws Exception {
        LiveFootprintView view = new LiveFootprintView(4);

        assertThat(MAPPER.readTree(view.json(List.of())).at("/settings/workers").asInt()).isEqualTo(4);
        assertThat(OutputFormat.JSON.contentType()).isEqualTo("application/json");
        assertThat(OutputFormat.HTML.contentType()).startsWith("text/html");
    }
}
