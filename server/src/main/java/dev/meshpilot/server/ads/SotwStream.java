package dev.meshpilot.server.ads;

import dev.meshpilot.server.logging.LogText;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

import java.time.Instant;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * State-of-the-world ADS: every LDS and CDS response carries the full subscribed set of its type (removals are
 * resources left out); EDS and RDS responses to an up-to-date client carry only the resources that changed. A cluster removal that races a listener or route change is sent in two steps: first the
 * old clusters stay alongside the new ones, and the final set goes after LDS and RDS.
 */
final class SotwStream extends ProxyConnection {
    private final ServerCallStreamObserver<DiscoveryResponse> out;

    SotwStream(long id, String peer, boolean loopbackPeer, StreamContext context, ServerCallStreamObserver<DiscoveryResponse> out) {
        super(id, "sotw", peer, loopbackPeer, context, out);
        this.out = out;
    }

    StreamObserver<DiscoveryRequest> inbound() {
        return inbound(r -> r.hasNode() ? r.getNode() : null, this::handle, DiscoveryRequest::getTypeUrl,
                DiscoveryRequest::getResourceNamesCount);
    }

    private void handle(DiscoveryRequest request) {
        TypeState st = state(request.getTypeUrl());
        String nonce = request.getResponseNonce();
        // A nonce on the first request of a type is one this stream never sent: the client reconnected (to a
        // restarted or another server) and still holds config. istiod answers it as a fresh subscription; so do we.
        boolean initial = nonce.isEmpty() || !st.everRequested;
        if (!initial) {
            if (!nonce.equals(st.sentNonce)) {
                return; // answers an older response; the newest one is on its way and will be acknowledged itself
            }
            if (request.hasErrorDetail()) {
                recordNack(st, nonce, request.getErrorDetail().getMessage());
            } else {
                st.recordAck(nonce, Instant.now());
            }
        }
        st.everRequested = true;
        boolean changed = updateSubscription(st, request.getResourceNamesList());
        if ((initial || changed) && !(changed && awaitsWidening(st.typeUrl, st.names))) {
            schedule(st.typeUrl, false, true);
        }
    }

    private boolean updateSubscription(TypeState st, List<String> requested) {
        boolean wasWildcard = st.wildcard;
        boolean star = requested.contains("*");
        // Most requests are ACKs repeating the previous request's names: check that without building a set.
        boolean namesChanged = !requested.equals(st.lastRequested);
        if (namesChanged) {
            st.lastRequested = List.copyOf(requested);
            Set<String> next = new HashSet<>();
            for (String name : requested) {
                if (!"*".equals(name) && next.size() < TypeState.MAX_NAMES) {
                    next.add(name);
                }
            }
            namesChanged = !next.equals(st.names);
            if (namesChanged) {
                st.names = next;
                st.namesChanged();
            }
        }
        if (requested.size() > TypeState.MAX_NAMES) {
            context.log().warn("names", () -> "xds: " + LogText.safe(proxyId()) + " named " + requested.size()
                    + " resources of " + LogText.safe(XdsTypes.shortName(st.typeUrl)) + "; only the first "
                    + TypeState.MAX_NAMES + " are served");
        }
        if (star) {
            st.wildcard = true;
        } else if (requested.isEmpty()) {
            st.wildcard = !st.everNamed && XdsTypes.isWildcardByDefault(st.typeUrl);
        } else {
            st.wildcard = false;
        }
        if (!st.names.isEmpty()) {
            st.everNamed = true;
        }
        return wasWildcard != st.wildcard || namesChanged;
    }

    @Override
    void scheduleForPush(TypeState st) {
        schedule(st.typeUrl, false, false);
    }

    @Override
    boolean sendStep(Step step, boolean forced) {
        TypeState st = types.get(step.typeUrl());
        Map<String, VersionedResource> selected = st.selectFrom(current);
        if (!step.removal() && XdsTypes.CLUSTER.equals(st.typeUrl)
                && (willChange(XdsTypes.LISTENER) || willChange(XdsTypes.ROUTE))
                && !selected.keySet().containsAll(st.sent.keySet())) {
            // Keep the clusters being removed until listeners and routes stop pointing at them.
            Map<String, VersionedResource> union = new LinkedHashMap<>(selected);
            st.sent.forEach(union::putIfAbsent);
            selected = Collections.unmodifiableMap(union);
            schedule(st.typeUrl, true, false);
        }
        String version = Versions.of(selected);
        if (!forced && version.equals(st.sentVersion)) {
            return false;
        }
        String nonce = nextNonce();
        DiscoveryResponse.Builder response = DiscoveryResponse.newBuilder()
                .setTypeUrl(st.typeUrl).setVersionInfo(version).setNonce(nonce);
        boolean onlyChanged = sendsOnlyChanged(st, forced);
        for (VersionedResource r : selected.values()) {
            VersionedResource held = onlyChanged ? st.sent.get(r.name()) : null;
            if (held == null || !held.version().equals(r.version())) {
                response.addResources(r.body());
            }
        }
        st.recordSent(version, nonce, selected, Instant.now());
        return write(out, response.build(), st.typeUrl);
    }

    /**
     * The xDS protocol lets a state-of-the-world response of a type other than Listener and Cluster carry only the
     * resources that changed: clients keep the others. meshpilot does so once the client has acknowledged the last
     * response of the type (so it holds exactly what was sent) and the push is not a reply to a new subscription.
     * An endpoint change then sends one ClusterLoadAssignment, not the proxy's whole EDS set.
     */
    private static boolean sendsOnlyChanged(TypeState st, boolean forced) {
        return !forced && !XdsTypes.isWildcardByDefault(st.typeUrl)
                && !st.sentNonce.isEmpty() && st.sentNonce.equals(st.ackedNonce);
    }

    /** True when a step of this type is pending and will send something new. */
    private boolean willChange(String type) {
        TypeState st = types.get(type);
        return st != null && isPending(type) && !Versions.of(st.selectFrom(current)).equals(st.sentVersion);
    }

    @Override
    void sendUnknownTypeAnswer(String type, Object request, TypeState unknownState) {
        if (unknownState == null && !((DiscoveryRequest) request).getResponseNonce().isEmpty()) {
            return; // too many unknown types to track: answer only requests without a nonce, so ACKs end it
        }
        String nonce = nextNonce();
        write(out, DiscoveryResponse.newBuilder().setTypeUrl(type).setNonce(nonce).build(), type);
        if (unknownState != null) {
            unknownState.recordSent("", nonce, Map.of(), Instant.now());
        }
    }

    @Override
    String responseNonce(Object request) {
        return ((DiscoveryRequest) request).getResponseNonce();
    }

    @Override
    List<String> debugNames(Object request) {
        return ((DiscoveryRequest) request).getResourceNamesList();
    }

    @Override
    void sendDebugAnswer(String typeUrl, DebugAnswer answer, String nonce) {
        DiscoveryResponse.Builder response = DiscoveryResponse.newBuilder().setTypeUrl(typeUrl)
                .setVersionInfo(answer.versionInfo()).setNonce(nonce);
        if (!answer.controlPlane().equals(io.envoyproxy.envoy.config.core.v3.ControlPlane.getDefaultInstance())) {
            response.setControlPlane(answer.controlPlane());
        }
        answer.resources().forEach(r -> response.addResources(r.getResource()));
        out.onNext(response.build());
    }
}
