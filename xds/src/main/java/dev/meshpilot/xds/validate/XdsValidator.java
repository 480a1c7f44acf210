package dev.meshpilot.xds.validate;

import dev.meshpilot.xds.json.XdsTypeRegistry;
import dev.meshpilot.xds.resource.ProxyResources;
import dev.meshpilot.xds.resource.ResourceSet;
import dev.meshpilot.xds.resource.XdsResource;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks generated resources against Envoy's {@code validate.rules} as Envoy would on receipt, expanding every
 * {@code Any} meshpilot packs (filter configs, protocol options) through {@link XdsTypeRegistry}; an {@code Any}
 * of a type missing from the registry is itself reported, so no payload escapes the check.
 */
public final class XdsValidator {

    private static final ProtoValidator VALIDATOR = new ProtoValidator(XdsTypeRegistry::find, true);

    private XdsValidator() {
    }

    /** Violations of one resource, each naming the resource and the field path. */
    public static List<Violation> validate(XdsResource resource) {
        String name = resource.type().discoveryService() + " " + resource.name();
        return VALIDATOR.validate(resource.proto()).stream().map(v -> v.in(name)).toList();
    }

    /**
     * Violations of every resource of every type: the proto rules, plus the checks Envoy and proxyless gRPC
     * clients make across fields ({@link #validateSemantics}).
     */
    public static List<Violation> validate(ProxyResources resources) {
        List<Violation> out = new ArrayList<>(validateSemantics(resources));
        for (ResourceSet set : resources.sets().values()) {
            for (XdsResource resource : set.resources()) {
                out.addAll(validate(resource));
            }
        }
        return out;
    }

    /**
     * The checks beyond proto rules: listeners need an address unless they are API listeners, filter chain matches
     * and route domains are unique, and for proxyless gRPC the shapes grpc-java accepts (api_listener with RDS over
     * ADS and a typed router filter, EDS round-robin clusters, weighted localities).
     */
    public static List<Violation> validateSemantics(ProxyResources resources) {
        return EnvoySemantics.check(resources);
    }

    /** The validator itself, for bare messages. */
    public static ProtoValidator protoValidator() {
        return VALIDATOR;
    }
}
