package dev.meshpilot.server.learn;

import dev.meshpilot.core.model.NamespaceInfo;
import dev.meshpilot.core.registry.MeshSnapshot;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The scoping mode of each namespace of one snapshot: its {@value ScopingMode#NAMESPACE_LABEL} label, else the
 * server's default. An invalid label value is a located problem and the default applies. Immutable.
 */
public final class NamespaceModes {
    private final ScopingMode defaultMode;
    private final Map<String, ScopingMode> labelled;
    private final List<String> problems;

    private NamespaceModes(ScopingMode defaultMode, Map<String, ScopingMode> labelled, List<String> problems) {
        this.defaultMode = defaultMode;
        this.labelled = Map.copyOf(labelled);
        this.problems = List.copyOf(problems);
    }

    public static NamespaceModes of(MeshSnapshot snapshot, ScopingMode defaultMode) {
        Map<String, ScopingMode> labelled = new HashMap<>();
        List<String> problems = new ArrayList<>();
        for (NamespaceInfo ns : snapshot.namespaces()) {
            String value = ns.labels().get(ScopingMode.NAMESPACE_LABEL);
            if (value == null) {
                continue;
            }
            Optional<ScopingMode> mode = ScopingMode.parse(value);
            if (mode.isPresent()) {
                labelled.put(ns.name(), mode.get());
            } else {
                problems.add("Namespace " + ns.name() + ": label " + ScopingMode.NAMESPACE_LABEL + "=" + value
                        + " is not one of " + ScopingMode.choices() + "; the server's --scoping "
                        + defaultMode.label() + " applies");
            }
        }
        return new NamespaceModes(defaultMode, labelled, problems);
    }

    /** The mode of one namespace of the snapshot, without building the whole table (an invalid label: the default). */
    public static ScopingMode modeOf(MeshSnapshot snapshot, String namespace, ScopingMode defaultMode) {
        return snapshot.namespace(namespace).map(n -> n.labels().get(ScopingMode.NAMESPACE_LABEL))
                .flatMap(ScopingMode::parse).orElse(defaultMode);
    }

    public ScopingMode modeOf(String namespace) {
        return labelled.getOrDefault(namespace, defaultMode);
    }

    /** True when some namespace is not {@code off}: otherwise nothing about scopes is learned. */
    public boolean anyLearning() {
        return defaultMode != ScopingMode.OFF || labelled.values().stream().anyMatch(m -> m != ScopingMode.OFF);
    }

    public ScopingMode defaultMode() {
        return defaultMode;
    }

    /** One located message per invalid label value. */
    public List<String> problems() {
        return problems;
    }
}
