package dev.meshpilot.server.debug;

import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.ServicePort;
import dev.meshpilot.core.model.WorkloadInstance;
import dev.meshpilot.core.registry.MeshSnapshot;
import dev.meshpilot.server.push.PushPipeline;
import dev.meshpilot.xds.naming.ClusterName;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;

/**
 * What {@code /debug/push_status} shows, in the shape of istiod's: {@code Start} and {@code End} of the last push
 * (Go's zero time before any), and {@code ProxyStatus}, per diagnostic metric the keys it concerns, listing only
 * metrics with entries as istiod does. meshpilot fills the two it can tell exactly from the mesh being served:
 * {@code pilot_eds_no_instances} (EDS clusters of services with no endpoint) and {@code pilot_no_ip} (pods
 * without an address, which get no endpoint). {@code LastPush} adds meshpilot's own account of that push.
 */
final class PushStatus {
    private static final String GO_ZERO_TIME = "0001-01-01T00:00:00Z";

    private PushStatus() {
    }

    static Map<String, Object> of(PushPipeline pipeline) {
        MeshSnapshot snapshot = pipeline.state().snapshot();
        Map<String, Object> proxyStatus = new LinkedHashMap<>();
        Map<String, Object> noInstances = new TreeMap<>();
        for (MeshService service : snapshot.services()) {
            if (service.resolution() != MeshService.Resolution.CLIENT_SIDE_LB) {
                continue;
            }
            for (ServicePort port : service.ports()) {
                if (snapshot.endpointsOf(service, port).isEmpty()) {
                    noInstances.put(ClusterName.outbound(port.port(), service.hostname()).value(), Map.of());
                }
            }
        }
        Map<String, Object> noIp = new TreeMap<>();
        for (WorkloadInstance pod : snapshot.workloads()) {
            if (pod.ip().isEmpty()) {
                noIp.put(pod.proxyId(), Map.of("proxy", pod.proxyId()));
            }
        }
        if (!noInstances.isEmpty()) {
            proxyStatus.put("pilot_eds_no_instances", noInstances);
        }
        if (!noIp.isEmpty()) {
            proxyStatus.put("pilot_no_ip", noIp);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("ProxyStatus", proxyStatus);
        pipeline.lastPush().ifPresentOrElse(last -> {
            out.put("Start", last.start().toString());
            out.put("End", last.end().toString());
            out.put("LastPush", lastPush(last));
        }, () -> {
            out.put("Start", GO_ZERO_TIME);
            out.put("End", GO_ZERO_TIME);
        });
        out.put("meshVersion", snapshot.version());
        return out;
    }

    private static Map<String, Object> lastPush(PushPipeline.PushSummary last) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("number", last.number());
        out.put("meshVersion", last.version());
        out.put("reason", last.reason());
        out.put("proxies", last.proxiesTotal());
        out.put("proxiesPushed", last.proxiesPushed());
        out.put("scopesGenerated", last.scopesGenerated());
        out.put("pushesByType", last.pushesByType());
        out.put("millis", last.millis());
        return out;
    }
}
