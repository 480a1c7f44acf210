package dev.meshpilot.xds.inspect;

import dev.meshpilot.xds.dump.DumpNode;

import java.util.Optional;

/**
 * {@code proxy-config all -o short}: istioctl's full summary. The bootstrap's versions ({@code Istio Version},
 * {@code Istio Proxy Version}, {@code Envoy Version}, each when known; nothing without a bootstrap), then the
 * cluster, listener, route, secret and endpoint ({@link EdsTable}) tables with resource-type prefixed names,
 * separated by blank lines, optionally under {@code ------ X INFO ------} headers. Secrets are not decoded:
 * meshpilot serves none, and a dump's certificates are summarised by istioctl from their PEM, which this does not
 * parse; the section says how many there are.
 */
public final class FullSummary {

    private FullSummary() {
    }

    public static String render(DumpedConfig config, ClusterFilter clusters, ListenerFilter listeners,
                                RouteFilter routes, EndpointFilter endpoints, boolean verbose, boolean withHeaders) {
        StringBuilder out = new StringBuilder();
        header(out, "BOOTSTRAP INFO", withHeaders);
        out.append(bootstrap(config.node())).append('\n');
        header(out, "CLUSTER INFO", withHeaders);
        out.append(ClusterTable.render(config.clusters(), clusters, true)).append('\n');
        header(out, "LISTENER INFO", withHeaders);
        out.append(ListenerTable.render(config.listeners(), listeners, verbose, true)).append('\n');
        header(out, "ROUTE INFO", withHeaders);
        out.append(RouteTable.render(config.routes(), routes, verbose, true)).append('\n');
        header(out, "SECRET INFO", withHeaders);
        out.append(config.secrets() == 0 ? "No active or warming secrets found.\n"
                : config.secrets() + " active or warming secrets (certificates are not decoded here).\n").append('\n');
        header(out, "ENDPOINTS INFO", withHeaders);
        out.append(EdsTable.render(config.endpoints(), endpoints, true));
        return out.toString();
    }

    private static void header(StringBuilder out, String title, boolean withHeaders) {
        if (withHeaders) {
            out.append("------ ").append(title).append(" ------\n\n");
        }
    }

    static String bootstrap(Optional<DumpNode> node) {
        if (node.isEmpty()) {
            return "";
        }
        TabTable table = new TabTable(1);
        DumpNode n = node.get();
        if (!n.istioVersion().isEmpty()) {
            table.row("Istio Version:", n.istioVersion());
        }
        if (!n.istioProxySha().isEmpty()) {
            table.row("Istio Proxy Version:", n.istioProxySha());
        }
        if (!n.envoyVersion().isEmpty()) {
            table.row("Envoy Version:", n.envoyVersion());
        }
        return table.render();
    }
}
