package dev.meshpilot.server.accesslog;

import dev.meshpilot.core.ledger.CallProtocol;
import dev.meshpilot.core.ledger.Destination;

import java.util.Objects;

/** What one access-log entry says about the caller's dependencies. */
sealed interface EntryOutcome {

    /**
     * The caller called {@code destination}.
     *
     * @param viaFallback the call to a registered service went through a fallback path (PassthroughCluster,
     *                    BlackHoleCluster) instead of the service's own cluster: its scope did not hold it
     */
    record Call(Destination destination, CallProtocol protocol, boolean viaFallback) implements EntryOutcome {
        public Call {
            Objects.requireNonNull(destination, "destination");
            Objects.requireNonNull(protocol, "protocol");
        }

        /** A call through the destination's own cluster. */
        public Call(Destination destination, CallProtocol protocol) {
            this(destination, protocol, false);
        }
    }

    /** Not an outbound call (traffic into the caller's own pod): ignored, not counted as dropped. */
    record NotACall() implements EntryOutcome {
    }

    /** Unusable; counted under {@code reason}. */
    record Dropped(DropReason reason) implements EntryOutcome {
    }
}
