package dev.meshpilot.kube.convert;

import dev.meshpilot.core.model.MeshConfig;

import java.util.Objects;

/**
 * Settings of conversion.
 *
 * @param systemNamespace  the control plane's namespace, where the {@code istio} ConfigMap is read
 *                         ({@code istio-system} unless configured)
 * @param domainSuffix     the cluster domain of Service host names
 * @param defaultNamespace the namespace of objects that name none (as {@code kubectl apply} would use)
 */
public record ConverterOptions(String systemNamespace, String domainSuffix, String defaultNamespace) {

    public static final ConverterOptions DEFAULT =
            new ConverterOptions(MeshConfig.DEFAULT_ROOT_NAMESPACE, MeshConfig.DEFAULT.domainSuffix(), "default");

    public ConverterOptions {
        Objects.requireNonNull(systemNamespace, "systemNamespace");
        Objects.requireNonNull(domainSuffix, "domainSuffix");
        Objects.requireNonNull(defaultNamespace, "defaultNamespace");
    }

    public static ConverterOptions withSystemNamespace(String systemNamespace) {
        return new ConverterOptions(systemNamespace, DEFAULT.domainSuffix, DEFAULT.defaultNamespace);
    }

    /** The MeshConfig that applies when the system namespace holds no {@code istio} ConfigMap. */
    public MeshConfig defaultMeshConfig() {
        return MeshConfig.defaultsWithRoot(systemNamespace);
    }
}
