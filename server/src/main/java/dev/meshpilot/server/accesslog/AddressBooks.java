package dev.meshpilot.server.accesslog;

import dev.meshpilot.core.registry.MeshSnapshot;

/**
 * The {@link AddressBook} of the latest snapshot asked for, built on first use (only passthrough entries need
 * one) and rebuilt when the snapshot version changes. Synchronized, so concurrent streams build it once.
 */
final class AddressBooks {
    private AddressBook current;

    synchronized AddressBook of(MeshSnapshot snapshot) {
        if (current == null || current.version() != snapshot.version()) {
            current = AddressBook.of(snapshot);
        }
        return current;
    }
}
