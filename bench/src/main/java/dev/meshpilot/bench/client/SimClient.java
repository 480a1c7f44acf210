package dev.meshpilot.bench.client;

import com.google.protobuf.Any;
import io.envoyproxy.envoy.service.discovery.v3.AggregatedDiscoveryServiceGrpc;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DeltaDiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryRequest;
import io.envoyproxy.envoy.service.discovery.v3.DiscoveryResponse;
import io.envoyproxy.envoy.service.discovery.v3.Resource;
import io.grpc.Channel;
import io.grpc.stub.StreamObserver;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * One simulated proxy on one ADS stream. It subscribes the way Envoy (wildcard CDS/LDS, then the EDS and RDS names
 * those reference) or a proxyless gRPC client (named LDS, then RDS, CDS, EDS) does, ACKs every response, and keeps
 * per type only an interned {@link TypeSnapshot}. All state is guarded by the client's monitor: gRPC delivers one
 * stream's callbacks in order, and the harness thread only reads through synchronized accessors.
 */
public final class SimClient {

    private static final int CDS = 0;
    private static final int EDS = 1;
    private static final int LDS = 2;
    private static final int RDS = 3;
    private static final String[] TYPE = {TypeUrls.CLUSTER, TypeUrls.ENDPOINT, TypeUrls.LISTENER, TypeUrls.ROUTE};

    private final ProxyNode proxy;
    private final ClientKind kind;
    private final Interner interner;
    private final ResourceLinks links;
    private final RunClock clock;

    private final TypeSnapshot[] held = {TypeSnapshot.EMPTY, TypeSnapshot.EMPTY, TypeSnapshot.EMPTY, TypeSnapshot.EMPTY};
    private final boolean[] received = new boolean[4];
    /** A response of the type arrived after its last subscription change (LDS/CDS responses are complete sets). */
    private final boolean[] answered = new boolean[4];
    private final String[][] subscribed = {null, null, null, null};
    private final String[] versions = {"", "", "", ""};
    private final String[] nonces = {"", "", "", ""};
    /** Sent on every request, as Envoy does by default (java-control-plane needs it). */
    private final io.envoyproxy.envoy.config.core.v3.Node node;

    private Channel channel;
    /** Clusters a simulated call is waiting for (name → run-clock nanos of its first fallback call). */
    private final java.util.HashMap<String, Long> awaitedClusters = new java.util.HashMap<>();
    /** Awaited clusters that arrived: name → nanos from the first fallback call until the CDS ACK. */
    private final java.util.TreeMap<String, Long> clusterAckLatencies = new java.util.TreeMap<>();
    private int peakClusters;
    private StreamObserver<DiscoveryRequest> sotw;
    private StreamObserver<DeltaDiscoveryRequest> delta;

    private long startNanos;
    private long convergedNanos;
    private long bytesReceived;
    private int responses;
    private String failure;

    /** Set while the harness expects the stream to end (a server restart): told instead of recording a failure. */
    private java.util.function.Consumer<SimClient> onStreamEnd;
    private boolean streamOpen;
    /** Counts the streams opened; callbacks of an older stream are ignored. */
    private int streamGeneration;
    private int reconnectAttempts;
    private long reconnectedNanos;
    private long reconvergedNanos;
    private final boolean[] answeredSinceReconnect = new boolean[4];
    private int responsesAfterReconverged;
    private int changingAfterReconverged;

    private TypeSnapshot[] markState;
    private long markNanos;
    private int responsesSinceMark;
    private int changingSinceMark;
    private long lastChangeAckNanos;

    public SimClient(ProxyNode proxy, ClientKind kind, Interner interner, ResourceLinks links, RunClock clock) {
        this.proxy = proxy;
        this.kind = kind;
        this.interner = interner;
        this.links = links;
        this.clock = clock;
        this.node = proxy.toNode(kind.proxyless());
        if (kind.proxyless()) {
            subscribed[LDS] = proxy.listeners().stream().map(interner::name).sorted().distinct().toArray(String[]::new);
        }
    }

    public ProxyNode proxy() {
        return proxy;
    }

    /** Opens the stream and sends the first subscriptions. */
    public synchronized void start(Channel channel) {
        startNanos = clock.now();
        openStream(channel);
        if (kind.proxyless()) {
            if (subscribed[LDS].length == 0) {
                convergedNanos = startNanos; // nothing to ask for (an empty SotW request would mean "everything")
                return;
            }
            subscribe(LDS, subscribed[LDS]);
        } else {
            subscribe(CDS, null);
            subscribe(LDS, null);
        }
    }

    private void openStream(Channel on) {
        this.channel = on;
        int generation = ++streamGeneration;
        AggregatedDiscoveryServiceGrpc.AggregatedDiscoveryServiceStub stub = AggregatedDiscoveryServiceGrpc.newStub(on);
        if (kind.delta()) {
            delta = stub.deltaAggregatedResources(new DeltaObserver(generation));
        } else {
            sotw = stub.streamAggregatedResources(new SotwObserver(generation));
        }
        streamOpen = true;
    }

    // ---------------------------------------------------------------- reconnecting (server restarts)

    /**
     * From now on the end of the stream is expected (the server is about to be killed): {@code listener} is told,
     * on the gRPC thread, instead of the end being recorded as a failure. It must not block.
     */
    public synchronized void expectStreamEnd(java.util.function.Consumer<SimClient> listener) {
        onStreamEnd = listener;
    }

    /** True while the client has no open stream (it ended and no new one was opened). */
    public synchronized boolean disconnected() {
        return !streamOpen;
    }

    /**
     * Opens a new stream on {@code on} and asks again for everything the client holds, as Envoy does after its
     * stream broke: every subscribed type at once, each with the names it had and (state of the world) the version
     * it last ACKed, and an empty nonce. Delta clients re-subscribe their names without initial resource versions,
     * so the server sends them everything again. What the client holds is kept; the client counts as converged
     * again once every type it subscribes has been answered on the new stream and the state is complete.
     */
    public synchronized void reconnect(Channel on) {
        reconnectAttempts++;
        reconnectedNanos = clock.now();
        reconvergedNanos = 0;
        Arrays.fill(answeredSinceReconnect, false);
        openStream(on);
        int[] order = kind.proxyless() ? new int[] {LDS, RDS, CDS, EDS} : new int[] {CDS, LDS, EDS, RDS};
        for (int type : order) {
            boolean wildcard = subscribed[type] == null;
            if (wildcard && kind.proxyless()) {
                answeredSinceReconnect[type] = true; // a proxyless client never asks for everything
                continue;
            }
            if (!wildcard && subscribed[type].length == 0) {
                answeredSinceReconnect[type] = true; // nothing to ask for
                continue;
            }
            if (kind.delta()) {
                DeltaDiscoveryRequest.Builder request = DeltaDiscoveryRequest.newBuilder().setTypeUrl(TYPE[type])
                        .setNode(node);
                if (!wildcard) {
                    request.addAllResourceNamesSubscribe(Arrays.asList(subscribed[type]));
                }
                delta.onNext(request.build());
            } else {
                DiscoveryRequest.Builder request = DiscoveryRequest.newBuilder().setTypeUrl(TYPE[type]).setNode(node)
                        .setVersionInfo(versions[type]);
                if (!wildcard) {
                    request.addAllResourceNames(Arrays.asList(subscribed[type]));
                }
                sotw.onNext(request.build());
            }
        }
    }

    /** Stream attempts made by {@link #reconnect} so far (a failed attempt ends its stream and counts too). */
    public synchronized int reconnectAttempts() {
        return reconnectAttempts;
    }

    /** Run-clock nanos at which the client was complete again after its last reconnect; 0 if not yet. */
    public synchronized long reconvergedNanos() {
        return reconvergedNanos;
    }

    /** Responses that arrived after the client had converged again, and how many of them changed its state. */
    public synchronized int[] responsesAfterReconverged() {
        return new int[] {responsesAfterReconverged, changingAfterReconverged};
    }

    /** What the client holds and (state of the world) the versions it ACKed, for before/after comparisons. */
    public synchronized HeldState heldState() {
        return new HeldState(List.of(held), kind.delta() ? List.of() : List.of(versions));
    }

    /** Per type (CDS, EDS, LDS, RDS): the resources held (names and digests) and the version ACKed. */
    public record HeldState(List<TypeSnapshot> types, List<String> versions) {
    }

    // ---------------------------------------------------------------- reading the state (harness thread)

    public synchronized boolean converged() {
        return convergedNanos != 0;
    }

    /** Nanoseconds on the run clock at which the client first held a complete configuration; 0 if not yet. */
    public synchronized long convergedNanos() {
        return convergedNanos;
    }

    public synchronized long startNanos() {
        return startNanos;
    }

    public synchronized long bytesReceived() {
        return bytesReceived;
    }

    public synchronized int responses() {
        return responses;
    }

    public synchronized String failure() {
        return failure;
    }

    public synchronized TypeSnapshot held(String typeUrl) {
        return held[TypeUrls.index(typeUrl)];
    }

    /** The channel the client's ADS stream runs on (its access-log stream shares it, as Envoy's xds-grpc does). */
    public synchronized Channel channel() {
        return channel;
    }

    /** What the client holds now, for deciding a call's path (immutable snapshots; parsed parts are shared). */
    public synchronized HeldConfig heldConfig() {
        return new HeldConfig(held[CDS], held[LDS], held[RDS], links);
    }

    /**
     * Remembers that a call at {@code callNanos} went through a fallback while {@code cluster} was missing; when a
     * CDS response that holds it is ACKed, the time since the call is kept ({@link #clusterAckLatencies}). The first
     * call to a cluster counts; a cluster already held is not awaited.
     */
    public synchronized void awaitCluster(String cluster, long callNanos) {
        if (!held[CDS].contains(cluster) && !clusterAckLatencies.containsKey(cluster)) {
            awaitedClusters.putIfAbsent(cluster, callNanos);
        }
    }

    /** The most clusters the client ever held at once. */
    public synchronized int peakClusters() {
        return peakClusters;
    }

    /** Clusters still awaited. */
    public synchronized java.util.Set<String> awaitedClusters() {
        return new TreeSet<>(awaitedClusters.keySet());
    }

    /** Awaited clusters that arrived, with nanoseconds from the first fallback call to the ACK of the CDS response. */
    public synchronized java.util.Map<String, Long> clusterAckLatencies() {
        return new TreeMap<>(clusterAckLatencies);
    }

    /** Remembers the current state: what follows is measured against it. */
    public synchronized void mark(long nanos) {
        markState = held.clone();
        markNanos = nanos;
        responsesSinceMark = 0;
        changingSinceMark = 0;
        lastChangeAckNanos = 0;
    }

    /** What happened since {@link #mark}: whether the config changed, how many responses came, the last ACK time. */
    public synchronized EventOutcome outcome() {
        boolean changed = markState != null && !Arrays.equals(markState, held);
        return new EventOutcome(proxy.proxyId(), changed, responsesSinceMark, changingSinceMark,
                changed ? lastChangeAckNanos - markNanos : -1);
    }

    // ---------------------------------------------------------------- protocol

    private void subscribe(int type, String[] names) {
        answered[type] = false;
        if (kind.delta()) {
            DeltaDiscoveryRequest.Builder request = DeltaDiscoveryRequest.newBuilder().setTypeUrl(TYPE[type]);
            String[] before = subscribed[type] == null ? new String[0] : subscribed[type];
            if (names != null) {
                TreeSet<String> now = new TreeSet<>(Arrays.asList(names));
                TreeSet<String> was = new TreeSet<>(Arrays.asList(before));
                now.stream().filter(n -> !was.contains(n)).forEach(request::addResourceNamesSubscribe);
                was.stream().filter(n -> !now.contains(n)).forEach(request::addResourceNamesUnsubscribe);
                if (received[type] && request.getResourceNamesSubscribeCount() == 0
                        && request.getResourceNamesUnsubscribeCount() == 0) {
                    return;
                }
                subscribed[type] = names;
            }
            request.setNode(node);
            delta.onNext(request.build());
        } else {
            DiscoveryRequest.Builder request = DiscoveryRequest.newBuilder().setTypeUrl(TYPE[type])
                    .setVersionInfo(versions[type]).setResponseNonce(nonces[type]);
            if (names != null) {
                request.addAllResourceNames(Arrays.asList(names));
                subscribed[type] = names;
            }
            request.setNode(node);
            sotw.onNext(request.build());
        }
    }

    private synchronized void onSotw(DiscoveryResponse response) {
        int type = TypeUrls.index(response.getTypeUrl());
        long now = clock.now();
        clock.responseArrived(now);
        bytesReceived += response.getSerializedSize();
        responses++;
        if (type < 0) {
            return;
        }
        boolean wildcard = subscribed[type] == null;
        TreeMap<String, Long> next = wildcard ? new TreeMap<>() : held[type].toMap();
        for (Any resource : response.getResourcesList()) {
            long digest = ResourceLinks.digest(TYPE[type], resource);
            String name = links.parsed(TYPE[type], digest, resource).name();
            if (wildcard || Arrays.binarySearch(subscribed[type], name) >= 0) {
                next.put(name, digest);
            }
        }
        versions[type] = response.getVersionInfo();
        nonces[type] = response.getNonce();
        DiscoveryRequest.Builder ack = DiscoveryRequest.newBuilder().setTypeUrl(TYPE[type]).setNode(node)
                .setVersionInfo(response.getVersionInfo()).setResponseNonce(response.getNonce());
        if (!wildcard) {
            ack.addAllResourceNames(Arrays.asList(subscribed[type]));
        }
        sotw.onNext(ack.build());
        applied(type, next, now);
    }

    private synchronized void onDelta(DeltaDiscoveryResponse response) {
        int type = TypeUrls.index(response.getTypeUrl());
        long now = clock.now();
        clock.responseArrived(now);
        bytesReceived += response.getSerializedSize();
        responses++;
        if (type < 0) {
            return;
        }
        TreeMap<String, Long> next = held[type].toMap();
        for (Resource resource : response.getResourcesList()) {
            long digest = ResourceLinks.digest(TYPE[type], resource.getResource());
            links.parsed(TYPE[type], digest, resource.getResource());
            next.put(interner.name(resource.getName()), digest);
        }
        response.getRemovedResourcesList().forEach(next::remove);
        delta.onNext(DeltaDiscoveryRequest.newBuilder().setTypeUrl(TYPE[type]).setNode(node)
                .setResponseNonce(response.getNonce()).build());
        applied(type, next, now);
    }

    /** Installs the new state of {@code type}, follows its references, and records timing. */
    private void applied(int type, TreeMap<String, Long> next, long receivedNanos) {
        TypeSnapshot before = held[type];
        held[type] = interner.snapshot(TypeSnapshot.of(next));
        received[type] = true;
        answered[type] = true;
        boolean changed = before != held[type];
        follow(type);
        long ackNanos = clock.now();
        if (type == CDS) {
            peakClusters = Math.max(peakClusters, held[CDS].size());
        }
        if (type == CDS && !awaitedClusters.isEmpty()) {
            for (var it = awaitedClusters.entrySet().iterator(); it.hasNext(); ) {
                var awaited = it.next();
                if (held[CDS].contains(awaited.getKey())) {
                    clusterAckLatencies.put(awaited.getKey(), ackNanos - awaited.getValue());
                    it.remove();
                }
            }
        }
        if (markState != null) {
            responsesSinceMark++;
            if (changed) {
                changingSinceMark++;
                lastChangeAckNanos = ackNanos;
            }
        }
        if (convergedNanos == 0 && complete()) {
            convergedNanos = ackNanos;
        }
        if (reconnectedNanos != 0) {
            if (reconvergedNanos != 0) {
                responsesAfterReconverged++;
                if (changed) {
                    changingAfterReconverged++;
                }
            } else {
                answeredSinceReconnect[type] = true;
                if (allAnsweredSinceReconnect() && complete()) {
                    reconvergedNanos = ackNanos;
                }
            }
        }
    }

    private boolean allAnsweredSinceReconnect() {
        for (boolean answeredType : answeredSinceReconnect) {
            if (!answeredType) {
                return false;
            }
        }
        return true;
    }

    /** Subscribes to what the new state references (and drops what it no longer does). */
    private void follow(int type) {
        int dependent = switch (type) {
            case CDS -> EDS;
            case LDS -> RDS;
            case RDS -> kind.proxyless() ? CDS : -1;
            default -> -1;
        };
        if (dependent < 0) {
            return;
        }
        String[] wanted = referenced(held[type]);
        if (subscribed[dependent] != null && Arrays.equals(subscribed[dependent], wanted)) {
            return;
        }
        if (wanted.length == 0 && (subscribed[dependent] == null || subscribed[dependent].length == 0)) {
            // An empty first request would mean "wildcard"; a client that needs nothing asks for nothing.
            subscribed[dependent] = wanted;
            return;
        }
        if (subscribed[dependent] != null && held[dependent].size() > 0) {
            TreeMap<String, Long> kept = held[dependent].toMap();
            kept.keySet().retainAll(Arrays.asList(wanted));
            held[dependent] = interner.snapshot(TypeSnapshot.of(kept));
        }
        subscribe(dependent, wanted);
    }

    private String[] referenced(TypeSnapshot snapshot) {
        TreeSet<String> names = new TreeSet<>();
        for (String name : snapshot.names()) {
            String[] refs = links.linksOf(snapshot.digestOf(name));
            if (refs != null) {
                names.addAll(Arrays.asList(refs));
            }
        }
        return names.toArray(String[]::new);
    }

    private static boolean fullStateType(int type) {
        return type == LDS || type == CDS;
    }

    private boolean complete() {
        for (int type = 0; type < 4; type++) {
            if (subscribed[type] == null) {
                boolean wildcardType = !kind.proxyless() && (type == CDS || type == LDS);
                if (wildcardType && !received[type]) {
                    return false;
                }
            } else if (fullStateType(type)) {
                // LDS and CDS responses carry every requested resource that exists: a name absent from an answer
                // does not exist (xDS protocol), so the client is done with it, as gRPC is after its timer.
                if (subscribed[type].length > 0 && !answered[type]) {
                    return false;
                }
            } else if (subscribed[type].length > 0 && !held[type].containsAll(Arrays.asList(subscribed[type]))) {
                return false;
            }
        }
        return true;
    }

    /** The stream of generation {@code generation} ended: a failure, unless the harness expects it. */
    private synchronized void ended(int generation, Throwable t) {
        if (generation != streamGeneration) {
            return; // an older stream's end, reported after a new one was opened
        }
        streamOpen = false;
        if (onStreamEnd != null) {
            onStreamEnd.accept(this);
            return;
        }
        failed(t);
    }

    private synchronized void failed(Throwable t) {
        if (failure == null) {
            failure = t.getClass().getSimpleName() + ": " + t.getMessage();
        }
    }

    private final class SotwObserver implements StreamObserver<DiscoveryResponse> {
        private final int generation;

        SotwObserver(int generation) {
            this.generation = generation;
        }

        @Override
        public void onNext(DiscoveryResponse value) {
            try {
                if (current(generation)) {
                    onSotw(value);
                }
            } catch (RuntimeException e) {
                failed(e);
                throw e;
            }
        }

        @Override
        public void onError(Throwable t) {
            ended(generation, t);
        }

        @Override
        public void onCompleted() {
            ended(generation, new IllegalStateException("server closed the stream"));
        }
    }

    private final class DeltaObserver implements StreamObserver<DeltaDiscoveryResponse> {
        private final int generation;

        DeltaObserver(int generation) {
            this.generation = generation;
        }

        @Override
        public void onNext(DeltaDiscoveryResponse value) {
            try {
                if (current(generation)) {
                    onDelta(value);
                }
            } catch (RuntimeException e) {
                failed(e);
                throw e;
            }
        }

        @Override
        public void onError(Throwable t) {
            ended(generation, t);
        }

        @Override
        public void onCompleted() {
            ended(generation, new IllegalStateException("server closed the stream"));
        }
    }

    private synchronized boolean current(int generation) {
        return generation == streamGeneration;
    }

    /** One line for diagnostics: per type, held/subscribed counts and the first missing name. */
    public synchronized String describe() {
        StringBuilder out = new StringBuilder(proxy.proxyId());
        for (int type = 0; type < 4; type++) {
            out.append(' ').append(TypeUrls.shortName(TYPE[type])).append('=').append(held[type].size());
            if (subscribed[type] != null) {
                out.append('/').append(subscribed[type].length);
                for (String name : subscribed[type]) {
                    if (!held[type].contains(name)) {
                        out.append(" missing ").append(name);
                        break;
                    }
                }
            } else {
                out.append(received[type] ? "/*" : "/* (none yet)");
            }
        }
        return out.toString();
    }

    /** For tests: the names currently subscribed for a named type (empty for wildcard). */
    synchronized List<String> subscriptions(String typeUrl) {
        String[] names = subscribed[TypeUrls.index(typeUrl)];
        return names == null ? List.of() : new ArrayList<>(Arrays.asList(names));
    }
}
