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
 * @param maxServicePorts  most ports a Service may declare; a Service with more is refused with a located error
 *                         (its last good version is kept where a source has one). Kubernetes sets no limit on a
 *                         Service's ports, but each port becomes at least one outbound cluster (and listener) in
 *                         every proxy that sees the Service, so 10,000 ports cost 20,000 clusters per proxy;
 *                         the default, {@value #DEFAULT_MAX_SERVICE_PORTS}, is the EndpointSlice API's documented
 *                         maximum of ports per slice (the slice of a Service carries all its ports), so every
 *                         Service whose endpoints Kubernetes documents fits; real Services declare a handful
 */
public record ConverterOptions(String systemNamespace, String domainSuffix, String defaultNamespace,
                               int maxServicePorts) {

    public static final int DEFAULT_MAX_SERVICE_PORTS = 100;

    public static final ConverterOptions DEFAULT = new ConverterOptions(MeshConfig.DEFAULT_ROOT_NAMESPACE,
            MeshConfig.DEFAULT.domainSuffix(), "default", DEFAULT_MAX_SERVICE_PORTS);

    public ConverterOptions {
        Objects.requireNonNull(systemNamespace, "systemNamespace");
        Objects.requireNonNull(domainSuffix, "domainSuffix");
        Objects.requireNonNull(defaultNamespace, "defaultNamespace");
        if (maxServicePorts < 1) {
            throw new IllegalArgumentException("maxServicePorts must be at least 1");
        }
    }

    public ConverterOptions(String systemNamespace, String domainSuffix, String defaultNamespace) {
        this(systemNamespace, domainSuffix, defaultNamespace, DEFAULT_MAX_SERVICE_PORTS);
    }

    public static ConverterOptions withSystemNamespace(String systemNamespace) {
        return new ConverterOptions(systemNamespace, DEFAULT.domainSuffix, DEFAULT.defaultNamespace,
                DEFAULT.maxServicePorts);
    }

    /** These options with another bound on ports per Service. */
    public ConverterOptions withMaxServicePorts(int max) {
        return new ConverterOptions(systemNamespace, domainSuffix, defaultNamespace, max);
    }

    /** The MeshConfig that applies when the system namespace holds no {@code istio} ConfigMap. */
    public MeshConfig defaultMeshConfig() {
        return MeshConfig.defaultsWithRoot(systemNamespace);
    }
}
