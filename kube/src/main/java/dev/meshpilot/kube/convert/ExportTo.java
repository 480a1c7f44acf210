package dev.meshpilot.kube.convert;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/** Reading and validating {@code exportTo} values (R5, R9 of the scoping spec). */
final class ExportTo {

    private ExportTo() {
    }

    /** Each value is {@code *}, {@code .}, {@code ~} or a namespace name (DNS-1123 label). */
    static void checkValue(Field field, String value) {
        if (!value.equals("*") && !value.equals(".") && !value.equals("~") && !Names.isDns1123Label(value)) {
            throw field.error("invalid exportTo value \"" + value
                    + "\": use \"*\", \".\", \"~\" or a namespace name");
        }
    }

    /**
     * An Istio object's {@code spec.exportTo}, validated as Istio does: valid values, no duplicates ({@code .} and the
     * own namespace count as one), {@code *} alone, {@code ~} alone and only where {@code noneAllowed}.
     */
    static List<String> read(Field field, String ownNamespace, boolean noneAllowed) {
        List<String> values = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        List<Field> items = field.list();
        for (Field item : items) {
            String value = item.optString().orElseThrow(() -> item.error("must be a string, got null"));
            checkValue(item, value);
            String canonical = value.equals(ownNamespace) ? "." : value;
            if (!seen.add(canonical)) {
                throw item.error("duplicate exportTo value \"" + value + "\"");
            }
            values.add(value);
        }
        if (values.size() > 1 && values.contains("*")) {
            throw field.error("exportTo \"*\" must be the only value");
        }
        if (values.contains("~")) {
            if (!noneAllowed) {
                throw field.error("exportTo \"~\" is only allowed on ServiceEntry");
            }
            if (values.size() > 1) {
                throw field.error("exportTo \"~\" must be the only value");
            }
        }
        return values;
    }

    /** The Service annotation {@code networking.istio.io/exportTo}: comma-separated, each value trimmed. */
    static List<String> fromAnnotation(Field annotationField, String annotation) {
        List<String> values = new ArrayList<>();
        for (String part : annotation.split(",")) {
            String value = part.trim();
            if (!value.isEmpty()) {
                checkValue(annotationField, value);
                values.add(value);
            }
        }
        return values;
    }
}
