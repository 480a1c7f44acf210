package dev.meshpilot.core.ledger;

/** An evidence source could not be read; the message says which and why, in one line. */
public class EvidenceException extends RuntimeException {
    public EvidenceException(String message) {
        super(message);
    }

    public EvidenceException(String message, Throwable cause) {
        super(message, cause);
    }
}
