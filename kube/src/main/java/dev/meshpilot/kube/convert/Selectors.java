package dev.meshpilot.kube.convert;

import dev.meshpilot.core.model.LabelSelector;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Kubernetes label selectors ({@code matchLabels}, {@code matchExpressions}). */
final class Selectors {

    private static final Set<String> FIELDS = Set.of("matchLabels", "matchExpressions");
    private static final Set<String> EXPRESSION_FIELDS = Set.of("key", "operator", "values");

    private Selectors() {
    }

    static LabelSelector labelSelector(Field field) {
        field.object(FIELDS);
        List<LabelSelector.Requirement> requirements = new ArrayList<>();
        for (Field expression : field.get("matchExpressions").list()) {
            expression.requiredObject().object(EXPRESSION_FIELDS);
            String key = expression.get("key").string();
            Field operatorField = expression.get("operator");
            String operatorName = operatorField.string();
            LabelSelector.Requirement.Operator operator = switch (operatorName) {
                case "In" -> LabelSelector.Requirement.Operator.IN;
                case "NotIn" -> LabelSelector.Requirement.Operator.NOT_IN;
                case "Exists" -> LabelSelector.Requirement.Operator.EXISTS;
                case "DoesNotExist" -> LabelSelector.Requirement.Operator.DOES_NOT_EXIST;
                default -> throw operatorField.error("unknown operator \"" + operatorName
                        + "\" (use In, NotIn, Exists or DoesNotExist)");
            };
            List<String> values = expression.get("values").stringList();
            boolean needsValues = operator == LabelSelector.Requirement.Operator.IN
                    || operator == LabelSelector.Requirement.Operator.NOT_IN;
            if (needsValues && values.isEmpty()) {
                throw expression.get("values").error("must not be empty for operator " + operatorName);
            }
            if (!needsValues && !values.isEmpty()) {
                throw expression.get("values").error("must be empty for operator " + operatorName);
            }
            requirements.add(new LabelSelector.Requirement(key, operator, values));
        }
        return new LabelSelector(field.get("matchLabels").stringMap(), requirements);
    }
}
