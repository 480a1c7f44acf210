package dev.meshpilot.core.scope;

import dev.meshpilot.core.model.DestinationRuleResource;
import dev.meshpilot.core.model.MeshConfig;
import dev.meshpilot.core.model.MeshService;
import dev.meshpilot.core.model.VirtualServiceResource;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The effective {@code exportTo} of an object (R5–R7): the declared list when it has entries, otherwise the whole
 * mesh default (a declared value replaces the default, it is never merged with it). Values are kept as declared (comma-separated
 * annotation values are split and trimmed):
 * {@code *} every namespace, {@code .} the owner's namespace, {@code ~} nobody, anything else a namespace name.
 *
 * @param values    the effective values, trimmed, in first-seen order
 * @param declared  true when the object declared the values itself, false when they are the mesh default
 */
public record ExportTo(Set<String> values, boolean declared) {

    public static final String PUBLIC = "*";
    public static final String PRIVATE = ".";
    public static final String NONE = "~";

    public ExportTo {
        values = Set.copyOf(new LinkedHashSet<>(Objects.requireNonNull(values, "values")));
    }

    /** A service's effective exportTo: its annotation / {@code spec.exportTo}, else {@code defaultServiceExportTo} (R6). */
    public static ExportTo forService(MeshService service, MeshConfig mesh) {
        return effective(service.declaredExportTo(), mesh.defaultServiceExportTo());
    }

    /** A VirtualService's effective exportTo: declared, else {@code defaultVirtualServiceExportTo} (R29). */
    public static ExportTo forVirtualService(VirtualServiceResource vs, MeshConfig mesh) {
        return effective(vs.exportTo(), mesh.defaultVirtualServiceExportTo());
    }

    /**
     * A DestinationRule's effective exportTo as Istio applies it (R30): a rule with a workloadSelector is private;
     * a declared list is used as is; otherwise only {@code .} in {@code defaultDestinationRuleExportTo} makes the
     * rule private, anything else leaves it visible everywhere.
     */
    public static ExportTo forDestinationRule(DestinationRuleResource dr, MeshConfig mesh) {
        if (dr.workloadSelector().isPresent()) {
            return new ExportTo(Set.of(PRIVATE), false);
        }
        ExportTo declaredOnly = effective(dr.exportTo(), List.of());
        if (!declaredOnly.values().isEmpty()) {
            return declaredOnly;
        }
        return new ExportTo(Set.of(mesh.defaultDestinationRuleExportTo().contains(PRIVATE) ? PRIVATE : PUBLIC), false);
    }

    /** The declared list when it names anything, else the mesh default. Blank entries are ignored. */
    public static ExportTo effective(List<String> declaredValues, List<String> meshDefault) {
        Set<String> declaredSet = trimmed(declaredValues);
        if (!declaredSet.isEmpty()) {
            return new ExportTo(declaredSet, true);
        }
        return new ExportTo(trimmed(meshDefault), false);
    }

    private static Set<String> trimmed(List<String> raw) {
        Set<String> out = new LinkedHashSet<>();
        if (raw != null) {
            for (String entry : raw) {
                if (entry == null) {
                    continue;
                }
                // a Kubernetes annotation value may still be one comma-separated string
                for (String v : entry.split(",")) {
                    if (!v.isBlank()) {
                        out.add(v.trim());
                    }
                }
            }
        }
        return out;
    }

    public boolean isPublic() {
        return values.contains(PUBLIC);
    }

    public boolean containsNone() {
        return values.contains(NONE);
    }

    /**
     * The R7 predicate: visible to {@code namespace} iff {@code *} is listed, or {@code .} is listed and the owner
     * lives in {@code namespace}, or {@code namespace} is listed by name. (Istio's {@code IsServiceVisible}; note
     * that it ignores {@code ~} when other entries say yes; the per-namespace index of R8 does not.)
     */
    public boolean admits(String ownerNamespace, String namespace) {
        return values.contains(PUBLIC)
                || (values.contains(PRIVATE) && ownerNamespace.equals(namespace))
                || values.contains(namespace);
    }

    /** Values sorted for display, e.g. {@code [., bar]}. */
    public String describe() {
        return values.stream().sorted().toList() + (declared ? "" : " (mesh default)");
    }
}
