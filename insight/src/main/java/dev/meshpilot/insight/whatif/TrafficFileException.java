package dev.meshpilot.insight.whatif;

/** A traffic file that cannot be read or parsed; the message names the file, line and field. */
public final class TrafficFileException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TrafficFileException(String message) {
        super(message);
    }
}
