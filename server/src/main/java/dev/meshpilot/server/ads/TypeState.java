package dev.meshpilot.server.ads;

import java.time.Instant;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** The per-type state of one stream. Owned by the stream's executor; never shared. */
final class TypeState {
    /** A client may name at most this many resources of one type; more are ignored with a warning. */
    static final int MAX_NAMES = 50_000;

    final String typeUrl;
    boolean wildcard;
    boolean everNamed;
    boolean everRequested;
    /** Explicitly subscribed names; call {@link #namesChanged()} after changing them. */
    Set<String> names = new HashSet<>();
    /** SotW: the names of the last request as sent, to tell a repeated subscription from a changed one. */
    List<String> lastRequested = List.of();
    private List<String> sortedNames = List.of();
    private boolean sortedNamesStale;

    /** SotW: the set last sent. Delta: what the client holds as far as we know. Immutable, replaced on send. */
    Map<String, VersionedResource> sent = Map.of();
    /** Delta: resource name to the version the client holds (from initial_resource_versions or our sends). */
    final Map<String, String> clientVersions = new HashMap<>();
    /** Delta: explicitly subscribed names we already told the client do not exist. */
    final Set<String> toldAbsent = new HashSet<>();

    String sentVersion = "";
    String sentNonce = "";
    Instant sentAt;
    String ackedVersion = "";
    String ackedNonce = "";
    Instant ackedAt;
    String lastError = "";
    String lastErrorNonce = "";
    Instant lastErrorAt;

    TypeState(String typeUrl) {
        this.typeUrl = typeUrl;
    }

    boolean wants(String name) {
        return wildcard || names.contains(name);
    }

    void namesChanged() {
        sortedNamesStale = true;
    }

    /**
     * The resources of this type the client subscribes to, in generation order; immutable. When the client wants
     * every resource of the type (wildcard, or it named them all) this is the shared map itself, not a copy.
     */
    Map<String, VersionedResource> selectFrom(ResourceSet resources) {
        Map<String, VersionedResource> all = resources.ofType(typeUrl);
        if (wildcard || names.containsAll(all.keySet())) {
            return all;
        }
        Map<String, VersionedResource> selected = new LinkedHashMap<>();
        all.forEach((name, r) -> {
            if (names.contains(name)) {
                selected.put(name, r);
            }
        });
        return Collections.unmodifiableMap(selected);
    }

    void recordSent(String version, String nonce, Map<String, VersionedResource> resources, Instant now) {
        sentVersion = version;
        sentNonce = nonce;
        sentAt = now;
        sent = resources;
    }

    void recordAck(String nonce, Instant now) {
        ackedNonce = nonce;
        ackedVersion = sentVersion;
        ackedAt = now;
    }

    void recordError(String nonce, String message, Instant now) {
        lastError = message;
        lastErrorNonce = nonce;
        lastErrorAt = now;
    }

    TypeStatus status() {
        if (sortedNamesStale) {
            sortedNames = List.copyOf(new TreeSet<>(names));
            sortedNamesStale = false;
        }
        return new TypeStatus(typeUrl, wildcard, sortedNames, sentVersion, sentNonce, sentAt, ackedVersion,
                ackedNonce, ackedAt, lastError, lastErrorNonce, lastErrorAt, sent.size());
    }
}
