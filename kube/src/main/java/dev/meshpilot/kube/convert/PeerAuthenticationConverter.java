package dev.meshpilot.kube.convert;

import dev.meshpilot.core.model.PeerAuthenticationResource;
import dev.meshpilot.core.registry.MeshObjects;

import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * {@code security.istio.io} PeerAuthentication ({@code v1}, {@code v1beta1}): {@code selector.matchLabels},
 * {@code mtls.mode} and {@code portLevelMtls}, validated as Istio validates them (modes UNSET, DISABLE, PERMISSIVE,
 * STRICT; port keys 1-65535; port-level settings only with a selector). Unknown fields are errors.
 */
final class PeerAuthenticationConverter implements KindConverter {

    private static final Set<String> SPEC = Set.of("selector", "mtls", "portLevelMtls");
    private static final Set<String> SELECTOR = Set.of("matchLabels");
    private static final Set<String> MTLS = Set.of("mode");

    @Override
    public void convert(ObjectHeader header, Field root, MeshObjects.Builder out) {
        Field spec = root.get("spec").requireObjectIfPresent();
        if (spec.isPresent()) {
            spec.object(SPEC);
        }
        Map<String, String> selector = spec.get("selector").object(SELECTOR).get("matchLabels").stringMap();
        PeerAuthenticationResource.Mode mode = mode(spec.get("mtls"));
        Field portLevel = spec.get("portLevelMtls").requireObjectIfPresent();
        Map<Integer, PeerAuthenticationResource.Mode> ports = new TreeMap<>();
        if (portLevel.isPresent()) {
            if (selector.isEmpty()) {
                throw portLevel.error("portLevelMtls requires a workload selector (spec.selector.matchLabels): a mesh"
                        + " or namespace wide policy cannot set per-port modes");
            }
            Iterator<String> names = portLevel.node().fieldNames();
            while (names.hasNext()) {
                String key = names.next();
                Field entry = portLevel.get(key);
                int port;
                try {
                    port = Integer.parseInt(key);
                } catch (NumberFormatException e) {
                    throw entry.error("\"" + key + "\" is not a port number");
                }
                entry.checkPort(port);
                entry.requireObjectIfPresent();
                ports.put(port, mode(entry));
            }
        }
        out.peerAuthentication(new PeerAuthenticationResource(header.meta(), selector, mode, ports));
    }

    /** {@code mode} of an {@code mtls} object; UNSET when the object or its mode is absent. */
    private static PeerAuthenticationResource.Mode mode(Field mtls) {
        if (!mtls.isPresent()) {
            return PeerAuthenticationResource.Mode.UNSET;
        }
        Field mode = mtls.object(MTLS).get("mode");
        String value = mode.string("UNSET");
        try {
            return PeerAuthenticationResource.Mode.valueOf(value);
        } catch (IllegalArgumentException e) {
            throw mode.error("\"" + value + "\" is not a mutual TLS mode (UNSET, DISABLE, PERMISSIVE, STRICT)");
        }
    }
}
