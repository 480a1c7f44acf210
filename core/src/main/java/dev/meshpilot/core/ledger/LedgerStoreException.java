package dev.meshpilot.core.ledger;

/** A ledger store cannot be read or written at all (as opposed to one unreadable page, which is set aside). */
public class LedgerStoreException extends RuntimeException {
    public LedgerStoreException(String message) {
        super(message);
    }

    public LedgerStoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
