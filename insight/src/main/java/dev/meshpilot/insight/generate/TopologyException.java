package dev.meshpilot.insight.generate;

/** A topology folder that cannot be read; the message names the file and what is wrong. */
public final class TopologyException extends RuntimeException {

    public TopologyException(String message) {
        super(message);
    }

    public TopologyException(String message, Throwable cause) {
        super(message, cause);
    }
}
