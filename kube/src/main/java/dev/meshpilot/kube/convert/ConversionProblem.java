package dev.meshpilot.kube.convert;

import java.util.Objects;

/**
 * One thing wrong with the input, located as precisely as we can: file, document index (1-based, as the
 * document appears in the file), the object's kind and namespace/name when known, and the field at fault.
 * {@link #toString()} is the one-line message users see.
 *
 * @param file          the file as the user named it (relative to the loaded directory); empty for API objects
 * @param documentIndex 1-based position of the YAML document in the file; 0 when not applicable
 * @param line          1-based line in the file where the document (or the YAML error) is; 0 when unknown
 * @param kind          the object's kind, empty when the document could not be read
 * @param field         dotted path of the field at fault (e.g. {@code spec.egress[0].hosts[1]}); empty if none
 */
public record ConversionProblem(Severity severity, String file, int documentIndex, int line, String kind,
                                String namespace, String name, String field, String message) {

    /** Errors skip the object; warnings are informational (the object was skipped on purpose or kept). */
    public enum Severity { ERROR, WARNING }

    public ConversionProblem {
        Objects.requireNonNull(severity, "severity");
        file = file == null ? "" : file;
        kind = kind == null ? "" : kind;
        namespace = namespace == null ? "" : namespace;
        name = name == null ? "" : name;
        field = field == null ? "" : field;
        Objects.requireNonNull(message, "message");
    }

    public boolean isError() {
        return severity == Severity.ERROR;
    }

    /** The same problem placed in a file and document (used by sources that read files). */
    public ConversionProblem at(String newFile, int newDocumentIndex, int newLine) {
        return new ConversionProblem(severity, newFile, newDocumentIndex, newLine, kind, namespace, name, field,
                message);
    }

    /** {@code namespace/name}, or just the name for cluster-scoped objects; empty when unknown. */
    public String objectName() {
        if (name.isEmpty()) {
            return "";
        }
        return namespace.isEmpty() ? name : namespace + "/" + name;
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder();
        if (severity == Severity.WARNING) {
            b.append("warning: ");
        }
        if (!file.isEmpty()) {
            b.append(file);
            if (line > 0) {
                b.append(':').append(line);
            }
            b.append(": ");
        }
        if (documentIndex > 0) {
            b.append("document ").append(documentIndex).append(": ");
        }
        if (!kind.isEmpty()) {
            b.append(kind);
            if (!name.isEmpty()) {
                b.append(' ').append(objectName());
            }
            b.append(": ");
        }
        if (!field.isEmpty()) {
            b.append(field).append(": ");
        }
        return b.append(message).toString();
    }
}
