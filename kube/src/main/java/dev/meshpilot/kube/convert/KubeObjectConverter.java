package dev.meshpilot.kube.convert;

import com.fasterxml.jackson.databind.JsonNode;
import dev.meshpilot.core.registry.MeshObjects;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Converts Kubernetes objects, given as Jackson trees (from YAML files or from the API server), to mesh model
 * objects. One converter per kind; a mistake in an object yields one located {@link ConversionProblem} and skips
 * only that object. Stateless and thread-safe.
 */
public final class KubeObjectConverter {

    private static final Set<String> ISTIO_VERSIONS = Set.of("networking.istio.io/v1", "networking.istio.io/v1beta1",
            "networking.istio.io/v1alpha3");
    private static final Set<String> SECURITY_VERSIONS = Set.of("security.istio.io/v1", "security.istio.io/v1beta1");

    private final ConverterOptions options;
    private final MeshConfigConverter meshConfig;
    private final Map<String, KindConverter> coreKinds;
    private final Map<String, KindConverter> istioKinds;
    private final Map<String, KindConverter> securityKinds;

    public KubeObjectConverter(ConverterOptions options) {
        this.options = options;
        this.meshConfig = new MeshConfigConverter(options.systemNamespace());
        this.coreKinds = Map.of(
                "v1/Namespace", new NamespaceConverter(),
                "v1/Service", new ServiceConverter(options.domainSuffix(), options.maxServicePorts()),
                "v1/Pod", new PodConverter(),
                "v1/ConfigMap", meshConfig,
                "discovery.k8s.io/v1/EndpointSlice", new EndpointSliceConverter(),
                "apps/v1/Deployment", new WorkloadConverter(),
                "apps/v1/StatefulSet", new WorkloadConverter());
        this.istioKinds = Map.of(
                "Sidecar", new SidecarConverter(),
                "ServiceEntry", new ServiceEntryConverter(),
                "VirtualService", new VirtualServiceConverter(),
                "DestinationRule", new DestinationRuleConverter());
        this.securityKinds = Map.of("PeerAuthentication", new PeerAuthenticationConverter());
    }

    public KubeObjectConverter() {
        this(ConverterOptions.DEFAULT);
    }

    public ConverterOptions options() {
        return options;
    }

    /**
     * Converts one document: a single object, or a {@code List} (e.g. {@code kubectl get -o yaml}) whose items are
     * converted one by one. A document that is not an object fails.
     */
    public List<Conversion> convertDocument(JsonNode document) {
        if (document != null && document.isObject() && document.path("kind").isTextual()
                && document.path("kind").textValue().endsWith("List") && document.path("items").isArray()) {
            List<Conversion> out = new ArrayList<>();
            JsonNode items = document.get("items");
            for (int i = 0; i < items.size(); i++) {
                Conversion c = convert(items.get(i));
                out.add(c instanceof Conversion.Failed f
                        ? new Conversion.Failed(f.ref(), prefixField(f.problem(), "items[" + i + "]")) : c);
            }
            return out;
        }
        return List.of(convert(document));
    }

    /** Converts one object. */
    public Conversion convert(JsonNode object) {
        Field root = Field.root(object);
        if (!root.isPresent() || !object.isObject()) {
            return failed(Optional.empty(), "", "", "", "",
                    "a Kubernetes object (a mapping with apiVersion, kind and metadata) was expected, got "
                            + (root.isPresent() ? Field.describe(object) : "nothing"));
        }
        String kind = object.path("kind").isTextual() ? object.path("kind").textValue() : "";
        String apiVersion = object.path("apiVersion").isTextual() ? object.path("apiVersion").textValue() : "";
        KindConverter converter = converterFor(apiVersion, kind);
        ObjectHeader header;
        try {
            header = ObjectHeader.read(root, kind.equals("Namespace"), options.defaultNamespace());
        } catch (FieldException e) {
            JsonNode metadata = object.path("metadata");
            return failed(Optional.empty(), kind, metadata.path("namespace").asText(""),
                    metadata.path("name").asText(""), e.field(), e.getMessage());
        }
        if (converter == null) {
            String type = apiVersion + "/" + kind;
            return new Conversion.Skipped(type, Optional.of(new ConversionProblem(ConversionProblem.Severity.WARNING,
                    "", 0, 0, kind, header.meta().namespace(), header.meta().name(), "",
                    "kind " + type + " is not used by meshpilot; skipped")));
        }
        if (converter == meshConfig && !meshConfig.accepts(header)) {
            return new Conversion.Skipped(apiVersion + "/" + kind, Optional.empty());
        }
        try {
            MeshObjects.Builder out = MeshObjects.builder();
            converter.convert(header, root, out);
            return new Conversion.Converted(header.ref(), out.build());
        } catch (FieldException e) {
            return failed(Optional.of(header.ref()), kind, header.meta().namespace(), header.meta().name(), e.field(),
                    e.getMessage());
        } catch (IllegalArgumentException e) {
            return failed(Optional.of(header.ref()), kind, header.meta().namespace(), header.meta().name(), "",
                    e.getMessage());
        }
    }

    private KindConverter converterFor(String apiVersion, String kind) {
        if (ISTIO_VERSIONS.contains(apiVersion)) {
            return istioKinds.get(kind);
        }
        if (SECURITY_VERSIONS.contains(apiVersion)) {
            return securityKinds.get(kind);
        }
        return coreKinds.get(apiVersion + "/" + kind);
    }

    private static Conversion.Failed failed(Optional<ObjectRef> ref, String kind, String namespace, String name,
                                            String field, String message) {
        return new Conversion.Failed(ref, new ConversionProblem(ConversionProblem.Severity.ERROR, "", 0, 0, kind,
                namespace, name, field, message));
    }

    private static ConversionProblem prefixField(ConversionProblem p, String prefix) {
        String field = p.field().isEmpty() ? prefix : prefix + "." + p.field();
        return new ConversionProblem(p.severity(), p.file(), p.documentIndex(), p.line(), p.kind(), p.namespace(),
                p.name(), field, p.message());
    }
}
