package dev.meshpilot.server.accesslog;

import dev.meshpilot.core.ledger.CallProtocol;
import dev.meshpilot.core.ledger.Destination;
import dev.meshpilot.core.ledger.WorkloadKey;

/** What the access-log buffer coalesces on: one caller calling one destination with one protocol. */
record EdgeKey(WorkloadKey caller, Destination destination, CallProtocol protocol) {
}
