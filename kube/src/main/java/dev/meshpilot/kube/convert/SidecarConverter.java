package dev.meshpilot.kube.convert;

import dev.meshpilot.core.model.OutboundTrafficPolicy;
import dev.meshpilot.core.model.SidecarResource;
import dev.meshpilot.core.registry.MeshObjects;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * {@code networking.istio.io} Sidecar (v1, v1beta1, v1alpha3 share one schema). Unknown fields are errors. Egress
 * hosts must be {@code namespace/dnsName} with exactly one {@code /}, a namespace of {@code *}, {@code .}, a
 * namespace name or one of these prefixed by {@code ~}, and a dnsName of {@code *}, {@code *.domain} or a name with
 * a dot. The presence of {@code workloadSelector} is kept even when its labels are empty (R14).
 */
final class SidecarConverter implements KindConverter {

    private static final Set<String> SPEC = Set.of("workloadSelector", "ingress", "egress", "inboundConnectionPool",
            "outboundTrafficPolicy");
    private static final Set<String> WORKLOAD_SELECTOR = Set.of("labels");
    private static final Set<String> EGRESS = Set.of("port", "bind", "captureMode", "hosts");
    private static final Set<String> INGRESS = Set.of("port", "bind", "captureMode", "defaultEndpoint", "tls",
            "connectionPool");
    private static final Set<String> PORT = Set.of("number", "protocol", "name", "targetPort");
    private static final Set<String> OUTBOUND_POLICY = Set.of("mode", "egressProxy");
    private static final Set<String> CAPTURE_MODES = Set.of("DEFAULT", "IPTABLES", "NONE");

    @Override
    public void convert(ObjectHeader header, Field root, MeshObjects.Builder out) {
        Field spec = root.get("spec").requiredObject().object(SPEC);
        Field selectorField = spec.get("workloadSelector").object(WORKLOAD_SELECTOR);
        Optional<Map<String, String>> selector = selectorField.isPresent()
                ? Optional.of(selectorField.get("labels").stringMap()) : Optional.empty();

        List<SidecarResource.EgressListener> egress = new ArrayList<>();
        List<Field> egressFields = spec.get("egress").list();
        for (int i = 0; i < egressFields.size(); i++) {
            Field listener = egressFields.get(i).requiredObject().object(EGRESS);
            Optional<SidecarResource.ListenerPort> port = listener.get("port").isPresent()
                    ? Optional.of(port(listener.get("port"))) : Optional.empty();
            if (port.isEmpty() && i != egressFields.size() - 1) {
                throw listener.error("only the last egress listener may omit its port (it catches everything else)");
            }
            List<String> hosts = listener.get("hosts").stringList();
            if (hosts.isEmpty()) {
                throw listener.get("hosts").error("is required (at least one namespace/dnsName)");
            }
            List<Field> hostFields = listener.get("hosts").list();
            for (int h = 0; h < hosts.size(); h++) {
                checkHost(hostFields.get(h), hosts.get(h));
            }
            egress.add(new SidecarResource.EgressListener(port, listener.get("bind").string(""),
                    captureMode(listener.get("captureMode")), hosts));
        }

        List<SidecarResource.IngressListener> ingress = new ArrayList<>();
        for (Field listener : spec.get("ingress").list()) {
            listener.requiredObject().object(INGRESS);
            Field portField = listener.get("port");
            if (!portField.isPresent()) {
                throw portField.error("is required");
            }
            captureMode(listener.get("captureMode"));
            ingress.add(new SidecarResource.IngressListener(port(portField), listener.get("bind").string(""),
                    listener.get("defaultEndpoint").string("")));
        }

        Field policyField = spec.get("outboundTrafficPolicy").object(OUTBOUND_POLICY);
        Optional<OutboundTrafficPolicy> policy = policyField.isPresent()
                ? Optional.of(outboundTrafficPolicy(policyField.get("mode"))) : Optional.empty();
        out.sidecar(new SidecarResource(header.meta(), selector, egress, ingress, policy));
    }

    static OutboundTrafficPolicy outboundTrafficPolicy(Field mode) {
        String value = mode.string("ALLOW_ANY");
        return switch (value) {
            case "ALLOW_ANY" -> OutboundTrafficPolicy.ALLOW_ANY;
            case "REGISTRY_ONLY" -> OutboundTrafficPolicy.REGISTRY_ONLY;
            default -> throw mode.error("unknown mode \"" + value + "\" (use ALLOW_ANY or REGISTRY_ONLY)");
        };
    }

    private static String captureMode(Field field) {
        String mode = field.string("DEFAULT");
        if (!CAPTURE_MODES.contains(mode)) {
            throw field.error("unknown captureMode \"" + mode + "\" (use DEFAULT, IPTABLES or NONE)");
        }
        return mode;
    }

    private static SidecarResource.ListenerPort port(Field field) {
        field.requiredObject().object(PORT);
        int number = field.get("number").integer();
        if (number < 0 || number > 65535) {
            throw field.get("number").error("port " + number + " is out of range 0-65535");
        }
        return new SidecarResource.ListenerPort(number, field.get("protocol").string(""), field.get("name").string(""));
    }

    /** R20: {@code namespace/dnsName}, exactly one slash. */
    static void checkHost(Field field, String host) {
        int slash = host.indexOf('/');
        if (slash < 0) {
            throw field.error("host \"" + host + "\" must have the form namespace/dnsName (e.g. \"./" + host
                    + "\" or \"*/" + host + "\")");
        }
        if (host.indexOf('/', slash + 1) >= 0) {
            throw field.error("host \"" + host + "\" must contain exactly one \"/\" (namespace/dnsName)");
        }
        String namespace = host.substring(0, slash);
        String dnsName = host.substring(slash + 1);
        String bare = namespace.startsWith("~") ? namespace.substring(1) : namespace;
        boolean validNamespace = namespace.equals("~") || bare.equals("*") || bare.equals(".")
                || Names.isDns1123Label(bare);
        if (!validNamespace) {
            throw field.error("host \"" + host + "\" has an invalid namespace \"" + namespace
                    + "\": use *, ., a namespace name, or one of these prefixed by ~");
        }
        boolean validName = dnsName.equals("*") || (dnsName.startsWith("*.") && Names.isDnsName(dnsName.substring(2)))
                || (Names.isDnsName(dnsName) && dnsName.contains("."));
        if (!validName) {
            throw field.error("host \"" + host + "\" has an invalid dnsName \"" + dnsName
                    + "\": use *, *.domain or a fully qualified name such as reviews.default.svc.cluster.local");
        }
    }
}
