package dev.meshpilot.kube.convert;

/** A field of an object is missing, of the wrong type or has an invalid value; the object is skipped. */
final class FieldException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final String field;

    FieldException(String field, String message) {
        super(message, null, false, false);
        this.field = field;
    }

    String field() {
        return field;
    }
}
