package dev.meshpilot.core.model;

import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A Kubernetes label selector ({@code matchLabels} AND {@code matchExpressions}). An empty selector selects
 * everything, as in Kubernetes.
 */
public record LabelSelector(Map<String, String> matchLabels, List<Requirement> matchExpressions) {

    public LabelSelector {
        matchLabels = Map.copyOf(matchLabels == null ? Map.of() : matchLabels);
        matchExpressions = List.copyOf(matchExpressions == null ? List.of() : matchExpressions);
    }

    public boolean matches(Map<String, String> labels) {
        for (Map.Entry<String, String> e : matchLabels.entrySet()) {
            if (!e.getValue().equals(labels.get(e.getKey()))) {
                return false;
            }
        }
        for (Requirement r : matchExpressions) {
            if (!r.matches(labels)) {
                return false;
            }
        }
        return true;
    }

    /** One {@code matchExpressions} entry: operator In, NotIn, Exists or DoesNotExist. */
    public record Requirement(String key, Operator operator, List<String> values) {
        public enum Operator { IN, NOT_IN, EXISTS, DOES_NOT_EXIST }

        public Requirement {
            Objects.requireNonNull(key, "key");
            Objects.requireNonNull(operator, "operator");
            values = List.copyOf(values == null ? List.of() : values);
        }

        boolean matches(Map<String, String> labels) {
            return switch (operator) {
                case IN -> labels.containsKey(key) && values.contains(labels.get(key));
                case NOT_IN -> !labels.containsKey(key) || !values.contains(labels.get(key));
                case EXISTS -> labels.containsKey(key);
                case DOES_NOT_EXIST -> !labels.containsKey(key);
            };
        }
    }
}
