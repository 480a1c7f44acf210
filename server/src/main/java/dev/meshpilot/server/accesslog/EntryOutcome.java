package dev.meshpilot.server.accesslog;

import dev.meshpilot.core.ledger.CallProtocol;
import dev.meshpilot.core.ledger.Destination;

import java.util.Objects;

/** What one access-log entry says about the caller's dependencies. */
sealed interface EntryOutcome {

    /** The caller called {@code destination}. */
    record Call(Destination destination, CallProtocol protocol) implements EntryOutcome {
        public Call {
            Objects.requireNonNull(destination, "destination");
            Objects.requireNonNull(protocol, "protocol");
        }
    }

    /** Not an outbound call (traffic into the caller's own pod): ignored, not counted as dropped. */
    record NotACall() implements EntryOutcome {
    }

    /** Unusable; counted under {@code reason}. */
    record Dropped(DropReason reason) implements EntryOutcome {
    }
}
