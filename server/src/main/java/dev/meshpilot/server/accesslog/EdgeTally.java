package dev.meshpilot.server.accesslog;

import java.time.Instant;

/** What the buffer gathered for one edge since the last flush: calls and the first and last time they were seen. */
record EdgeTally(Instant firstSeen, Instant lastSeen, long calls) {
}
