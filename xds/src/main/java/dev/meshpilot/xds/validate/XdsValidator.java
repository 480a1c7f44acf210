package dev.meshpilot.xds.validate;

import dev.meshpilot.xds.json.XdsTypeRegistry;
import dev.meshpilot.xds.resource.ProxyResources;
import dev.meshpilot.xds.resource.ResourceSet;
import dev.meshpilot.xds.resource.XdsResource;

import java.util.ArrayList;
import java.util.List;

/**
 * Checks generated resources against Envoy's {@code validate.rules} as Envoy would on receipt, expanding every
 * {@code Any} meshpilot packs (filter configs, protocol options) through {@link XdsTypeRegistry}.
 */
public final class XdsValidator {

    private static final ProtoValidator VALIDATOR = new ProtoValidator(XdsTypeRegistry::find);

    private XdsValidator() {
    }

    /** Violations of one resource, each naming the resource and the field path. */
    public static List<Violation> validate(XdsResource resource) {
        String name = resource.type().discoveryService() + " " + resource.name();
        return VALIDATOR.validate(resource.proto()).stream().map(v -> v.in(name)).toList();
    }

    /** Violations of every resource of every type. */
    public static List<Violation> validate(ProxyResources resources) {
        List<Violation> out = new ArrayList<>();
        for (ResourceSet set : resources.sets().values()) {
            for (XdsResource resource : set.resources()) {
                out.addAll(validate(resource));
            }
        }
        return out;
    }

    /** The validator itself, for bare messages. */
    public static ProtoValidator protoValidator() {
        return VALIDATOR;
    }
}
