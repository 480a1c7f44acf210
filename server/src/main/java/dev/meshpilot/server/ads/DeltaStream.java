package dev.meshpilot.server.ads;

import dev.meshpilot.server.logging.LogText;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Incremental ADS: responses carry only resources whose version differs from what the client holds, and
 * {@code removed_resources} for what it holds that no longer exists (sent after all additions of a push).
 * {@code initial_resource_versions} seed what the client holds on reconnect.
 */
final class DeltaStream extends ProxyConnection {
    private final ServerCallStreamObserver<DeltaDiscoveryResponse> out;

    DeltaStream(long id, String peer, boolean loopbackPeer, StreamContext context, ServerCallStreamObserver<DeltaDiscoveryResponse> out) {
        super(id, "delta", peer, loopbackPeer, context, out);
        this.out = out;
    }

    StreamObserver<DeltaDiscoveryRequest> inbound() {
        return inbound(r -> r.hasNode() ? r.getNode() : null, this::handle, DeltaDiscoveryRequest::getTypeUrl,
                r -> r.getResourceNamesSubscribeCount() + r.getResourceNamesUnsubscribeCount()
                        + r.getInitialResourceVersionsCount());
    }

    private void handle(DeltaDiscoveryRequest request) {
        TypeState st = state(request.getTypeUrl());
        String nonce = request.getResponseNonce();
        // Only an answer to the newest response counts: a NACK naming a nonce never sent (or an older one) is
        // not recorded, so a client cannot fake rejections.
        if (!nonce.isEmpty() && nonce.equals(st.sentNonce)) {
            if (request.hasErrorDetail()) {
                recordNack(st, nonce, request.getErrorDetail().getMessage());
            } else {
                st.recordAck(nonce, Instant.now());
            }
        }
        boolean first = !st.everRequested;
        st.everRequested = true;
        boolean newInterest = first;
        if (first) {
            request.getInitialResourceVersionsMap().forEach((name, version) -> {
                if (st.clientVersions.size() < TypeState.MAX_NAMES) {
                    st.clientVersions.put(name, version);
                }
            });
            if (request.getResourceNamesSubscribeCount() == 0 && XdsTypes.isWildcardByDefault(st.typeUrl)) {
                st.wildcard = true;
            }
        }
        List<String> added = new ArrayList<>();
        for (String name : request.getResourceNamesSubscribeList()) {
            if ("*".equals(name)) {
                newInterest |= !st.wildcard;
                st.wildcard = true;
            } else if (st.names.size() < TypeState.MAX_NAMES) {
                if (st.names.add(name)) {
                    added.add(name);
                    newInterest = true;
                    st.namesChanged();
                }
            } else {
                context.log().warn("names", () -> "xds: " + LogText.safe(proxyId()) + " subscribed to more than "
                        + TypeState.MAX_NAMES + " " + LogText.safe(XdsTypes.shortName(st.typeUrl))
                        + " resources; the rest are ignored");
                break;
            }
        }
        for (String name : request.getResourceNamesUnsubscribeList()) {
            if ("*".equals(name)) {
                st.wildcard = false;
                st.clientVersions.keySet().retainAll(st.names);
                st.toldAbsent.retainAll(st.names);
            } else {
                if (st.names.remove(name)) {
                    st.namesChanged();
                }
                st.toldAbsent.remove(name);
                if (!st.wildcard) {
                    st.clientVersions.remove(name);
                }
            }
        }
        if (first && !st.clientVersions.isEmpty()) {
            st.clientVersions.keySet().removeIf(name -> !st.wants(name));
            Map<String, VersionedResource> alreadyHeld = new LinkedHashMap<>();
            current.ofType(st.typeUrl).forEach((name, r) -> {
                if (r.version().equals(st.clientVersions.get(name))) {
                    alreadyHeld.put(name, r);
                }
            });
            st.sent = Collections.unmodifiableMap(alreadyHeld);
        }
        if (newInterest && !awaitsWidening(st.typeUrl, added)) {
            schedule(st.typeUrl, false, true);
        }
        if (!st.sent.keySet().stream().allMatch(st::wants)) {
            Map<String, VersionedResource> kept = new LinkedHashMap<>(st.sent);
            kept.keySet().removeIf(name -> !st.wants(name));
            st.sent = Collections.unmodifiableMap(kept);
        }
    }

    @Override
    void scheduleForPush(TypeState st) {
        schedule(st.typeUrl, false, false);
        schedule(st.typeUrl, true, false);
    }

    @Override
    boolean sendStep(Step step, boolean forced) {
        TypeState st = types.get(step.typeUrl());
        Map<String, VersionedResource> available = current.ofType(st.typeUrl);
        List<VersionedResource> upserts = new ArrayList<>();
        List<String> removals = new ArrayList<>();
        if (!step.removal()) {
            for (VersionedResource r : available.values()) {
                if (st.wants(r.name()) && !r.version().equals(st.clientVersions.get(r.name()))) {
                    upserts.add(r);
                }
            }
        }
        if (step.removal() || forced) {
            for (String held : st.clientVersions.keySet()) {
                if (!available.containsKey(held)) {
                    removals.add(held);
                }
            }
            for (String name : st.names) {
                if (!available.containsKey(name) && !st.clientVersions.containsKey(name)
                        && !st.toldAbsent.contains(name)) {
                    removals.add(name);
                }
            }
        }
        boolean firstAnswer = st.sentNonce.isEmpty();
        if (upserts.isEmpty() && removals.isEmpty() && !(forced && firstAnswer)) {
            return false;
        }
        Map<String, VersionedResource> holding = new LinkedHashMap<>(st.sent);
        DeltaDiscoveryResponse.Builder response = DeltaDiscoveryResponse.newBuilder().setTypeUrl(st.typeUrl);
        for (VersionedResource r : upserts) {
            response.addResources(Resource.newBuilder().setName(r.name()).setVersion(r.version()).setResource(r.body()));
            st.clientVersions.put(r.name(), r.version());
            st.toldAbsent.remove(r.name());
            holding.put(r.name(), r);
        }
        for (String name : removals) {
            response.addRemovedResources(name);
            if (st.clientVersions.remove(name) == null) {
                st.toldAbsent.add(name);
            }
            holding.remove(name);
        }
        Map<String, VersionedResource> held = Collections.unmodifiableMap(holding);
        String version = Versions.of(held);
        String nonce = nextNonce();
        response.setSystemVersionInfo(version).setNonce(nonce);
        st.recordSent(version, nonce, held, Instant.now());
        return write(out, response.build(), st.typeUrl);
    }

    @Override
    void sendUnknownTypeAnswer(String type, Object request, TypeState unknownState) {
        DeltaDiscoveryRequest r = (DeltaDiscoveryRequest) request;
        if (unknownState == null && !r.getResponseNonce().isEmpty()) {
            return; // too many unknown types to track: answer only requests without a nonce, so ACKs end it
        }
        String nonce = nextNonce();
        DeltaDiscoveryResponse.Builder response = DeltaDiscoveryResponse.newBuilder().setTypeUrl(type).setNonce(nonce);
        r.getResourceNamesSubscribeList().stream().filter(n -> !"*".equals(n)).limit(TypeState.MAX_NAMES)
                .forEach(response::addRemovedResources);
        write(out, response.build(), type);
        if (unknownState != null) {
            unknownState.recordSent("", nonce, Map.of(), Instant.now());
        }
    }

    @Override
    String responseNonce(Object request) {
        return ((DeltaDiscoveryRequest) request).getResponseNonce();
    }

    @Override
    List<String> debugNames(Object request) {
        return ((DeltaDiscoveryRequest) request).getResourceNamesSubscribeList();
    }

    @Override
    void sendDebugAnswer(String typeUrl, DebugAnswer answer, String nonce) {
        DeltaDiscoveryResponse.Builder response = DeltaDiscoveryResponse.newBuilder().setTypeUrl(typeUrl)
                .setSystemVersionInfo(answer.versionInfo()).setNonce(nonce).addAllResources(answer.resources());
        if (!answer.controlPlane().equals(io.envoyproxy.envoy.config.core.v3.ControlPlane.getDefaultInstance())) {
            response.setControlPlane(answer.controlPlane());
        }
        out.onNext(response.build());
    }
}
