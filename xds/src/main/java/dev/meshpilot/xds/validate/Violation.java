package dev.meshpilot.xds.validate;

import java.util.Objects;

/**
 * One broken {@code validate.rules} constraint.
 *
 * @param resource the xDS resource (type and name) it was found in, empty when a bare message was checked
 * @param path     the field path from the resource root in proto field names, e.g.
 *                 {@code filter_chains[0].filters[0].typed_config<envoy.extensions...HttpConnectionManager>.stat_prefix}
 * @param rule     the rule as written in the proto, e.g. {@code string.min_len = 1}
 */
public record Violation(String resource, String path, String rule) {

    public Violation {
        resource = resource == null ? "" : resource;
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(rule, "rule");
    }

    Violation in(String resourceName) {
        return new Violation(resourceName, path, rule);
    }

    @Override
    public String toString() {
        return (resource.isEmpty() ? "" : resource + ": ") + (path.isEmpty() ? "<root>" : path) + " violates " + rule;
    }
}
