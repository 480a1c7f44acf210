package dev.meshpilot.xds.naming;

import java.util.Objects;
import java.util.Optional;

/**
 * The config reference Istio puts in resource metadata ({@code filter_metadata.istio.config}):
 * {@code /apis/networking.istio.io/v1/namespaces/NS/KIND/NAME}, where KIND is {@code destination-rule} or
 * {@code virtual-service}. istioctl prints it as {@code NAME.NS} in its DESTINATION RULE and VIRTUAL SERVICE
 * columns (spec R51, R53).
 */
public record IstioConfigPath(String kind, String namespace, String name) {

    public static final String DESTINATION_RULE = "destination-rule";
    public static final String VIRTUAL_SERVICE = "virtual-service";
    /** The metadata filter key ({@code istio}) and field ({@code config}) holding the path. */
    public static final String METADATA_FILTER = "istio";
    public static final String METADATA_FIELD = "config";

    private static final String PREFIX = "/apis/networking.istio.io/v1/namespaces/";

    public IstioConfigPath {
        Objects.requireNonNull(kind, "kind");
        Objects.requireNonNull(namespace, "namespace");
        Objects.requireNonNull(name, "name");
    }

    public static IstioConfigPath destinationRule(String namespace, String name) {
        return new IstioConfigPath(DESTINATION_RULE, namespace, name);
    }

    public static IstioConfigPath virtualService(String namespace, String name) {
        return new IstioConfigPath(VIRTUAL_SERVICE, namespace, name);
    }

    public static Optional<IstioConfigPath> parse(String path) {
        if (path == null || !path.startsWith(PREFIX)) {
            return Optional.empty();
        }
        String[] parts = path.substring(PREFIX.length()).split("/", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[1].isEmpty() || parts[2].isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(new IstioConfigPath(parts[1], parts[0], parts[2]));
    }

    public String value() {
        return PREFIX + namespace + "/" + kind + "/" + name;
    }

    /** {@code NAME.NS}, as istioctl prints it. */
    public String shortForm() {
        return name + "." + namespace;
    }
}
