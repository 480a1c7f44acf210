package dev.meshpilot.kube.ledger;

/**
 * A stored ledger page cannot be read: the message names the file or object, then the JSON path
 * ({@code calls[3].port}) or the line and column where reading stopped.
 */
public final class LedgerFormatException extends RuntimeException {
    public LedgerFormatException(String message) {
        super(message);
    }
}
