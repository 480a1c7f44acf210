package dev.meshpilot.server.ads;

import dev.meshpilot.server.auth.AuthRefusals;
import dev.meshpilot.server.auth.CallerIdentity;
import dev.meshpilot.server.auth.XdsAuthenticator;
import dev.meshpilot.server.limits.Rejections;
import dev.meshpilot.server.logging.LogText;
import io.envoyproxy.envoy.config.core.v3.Node;
import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;

import java.time.Instant;
import java.util.Comparator;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * One ADS stream of one proxy. All of its state is owned by its {@link SerialExecutor}: requests, pushes and
 * flow-control callbacks are all handed to it. Responses are computed when they can be written (the transport is
 * ready), so a client that stops reading costs one pending step per type, never a queue of responses.
 */
public abstract class ProxyConnection {
    private static final Logger LOG = Logger.getLogger(ProxyConnection.class.getName());
    private static final int MAX_UNKNOWN_TYPES = 16;
    /** Debug type URLs whose last answer's nonce a stream remembers (to tell their ACKs from new requests). */
    private static final int MAX_DEBUG_TYPES = 16;

    /** One unit of sending work: a type, adding/updating first, removing after everything else. */
    record Step(String typeUrl, boolean removal) {
        private static final int[] REMOVAL_ORDER = {2, 3, 0, 1}; // LDS, RDS, CDS, EDS

        int rank() {
            int push = XdsTypes.pushRank(typeUrl);
            if (!removal) {
                return push == XdsTypes.PUSH_ORDER.size() ? -1 : push; // unknown types answer first
            }
            return 10 + (push < REMOVAL_ORDER.length ? REMOVAL_ORDER[push] : 9);
        }
    }

    private static final Comparator<Step> STEP_ORDER = Comparator.comparingInt(Step::rank)
            .thenComparing(Step::typeUrl);

    private final long id;
    private final String protocol;
    private final String peer;
    private final boolean loopbackPeer;
    private final Instant connectedAt = Instant.now();
    final StreamContext context;
    final SerialExecutor executor;
    private final ServerCallStreamObserver<?> transport;

    final Map<String, TypeState> types = new LinkedHashMap<>();
    private final Map<String, TypeState> unknownTypes = new LinkedHashMap<>();
    private final TreeSet<Step> pending = new TreeSet<>(STEP_ORDER);
    private final Set<String> forced = new HashSet<>();

    private volatile Node node;
    /** The one debug request not answered yet (the transport was not ready); a newer one replaces it. */
    private DebugRequest pendingDebug;
    /** Per debug type, the nonce of the last answer: a request carrying it is the client's ACK or NACK of it. */
    private final Map<String, String> debugNonces = new LinkedHashMap<>();
    private Attachment attachment;
    ResourceSet current = ResourceSet.empty();
    private boolean closed;
    private long nonceCounter;
    private long pushStartedNanos = -1;
    private String pushReason = "";
    /** When a push started waiting for a client that does not read (transport not ready); -1 when none waits. */
    private long stuckSinceNanos = -1;
    private volatile ConnectionStatus status;
    private final Optional<CallerIdentity> caller = XdsAuthenticator.currentCaller();

    ProxyConnection(long id, String protocol, String peer, boolean loopbackPeer, StreamContext context,
                    ServerCallStreamObserver<?> transport) {
        this.id = id;
        this.protocol = protocol;
        this.peer = peer;
        this.loopbackPeer = loopbackPeer;
        this.context = context;
        this.executor = new SerialExecutor(context.pool());
        this.transport = transport;
        transport.setOnReadyHandler(() -> executor.execute(() -> {
            flushDebug();
            flush();
        }));
        transport.setOnCancelHandler(() -> executor.execute(this::close));
        // One request at a time: the next is read only once this one was handled, so a client that floods
        // requests is slowed by gRPC flow control instead of filling this stream's task queue.
        transport.disableAutoRequest();
        transport.request(1);
    }

    public final long id() {
        return id;
    }

    /** {@code POD.NS} once attached, empty before. */
    public final String proxyId() {
        ConnectionStatus s = status;
        return s == null ? "" : s.proxyId();
    }

    /** The node the client sent on its first request (clients send it once; it is remembered here). */
    public final Node node() {
        Node n = node;
        return n == null ? Node.getDefaultInstance() : n;
    }

    /**
     * Who authenticated this stream (the TLS port: an mTLS SPIFFE id or a token); empty on the plaintext port.
     * Read from the gRPC context when the stream is created.
     */
    public final Optional<CallerIdentity> caller() {
        return caller;
    }

    /** The latest published picture of this stream; null until attached. */
    public final ConnectionStatus status() {
        return status;
    }

    /** Hands this proxy new resources; the types named are compared with what the client has and sent if changed. */
    public final void push(ConfigUpdate update) {
        executor.execute(() -> {
            if (closed || attachment == null) {
                return;
            }
            current = update.resources();
            boolean scheduled = false;
            for (String type : update.types()) {
                TypeState st = types.get(type);
                if (st != null && st.everRequested) {
                    scheduleForPush(st);
                    scheduled = true;
                }
            }
            if (scheduled && pushStartedNanos < 0) {
                pushStartedNanos = update.enqueuedNanos();
                pushReason = update.reason();
            }
            flush();
        });
    }

    /** Ends the stream from the server side (shutdown): the client sees UNAVAILABLE and may reconnect elsewhere. */
    public final void terminate(String reason) {
        executor.execute(() -> {
            if (!closed) {
                safely(() -> transport.onError(Status.UNAVAILABLE.withDescription(reason).asRuntimeException()));
            }
            close();
        });
    }

    /** The inbound half of the gRPC stream. */
    final <Q> StreamObserver<Q> inbound(java.util.function.Function<Q, Node> nodeOf,
                                        java.util.function.Consumer<Q> handler,
                                        java.util.function.Function<Q, String> typeOf,
                                        java.util.function.ToIntFunction<Q> namesOf) {
        return new StreamObserver<>() {
            @Override
            public void onNext(Q request) {
                executor.execute(() -> receive(request, nodeOf, handler, typeOf, namesOf));
            }

            @Override
            public void onError(Throwable t) {
                executor.execute(ProxyConnection.this::close);
            }

            @Override
            public void onCompleted() {
                executor.execute(() -> {
                    if (!closed) {
                        safely(transport::onCompleted);
                    }
                    close();
                });
            }
        };
    }

    private <Q> void receive(Q request, java.util.function.Function<Q, Node> nodeOf,
                             java.util.function.Consumer<Q> handler, java.util.function.Function<Q, String> typeOf,
                             java.util.function.ToIntFunction<Q> namesOf) {
        if (closed) {
            return;
        }
        int names = namesOf.applyAsInt(request);
        if (names > context.limits().maxNamesPerRequest()) {
            refuse(Rejections.Reason.NAMES, "a request named " + names + " resources; at most "
                    + context.limits().maxNamesPerRequest() + " are allowed per request");
            return;
        }
        safely(() -> transport.request(1));
        String type = typeOf.apply(request);
        Node sentNode = nodeOf.apply(request);
        if (DebugTypes.isDebug(type)) {
            // Never a watch: a stream that only asks debug types is not attached as a proxy at all.
            receiveDebug(type, request, sentNode);
            return;
        }
        if (attachment == null && !attach(sentNode != null ? sentNode : node)) {
            return;
        }
        if (!XdsTypes.isServed(type)) {
            answerUnknownType(type, request);
        } else {
            handler.accept(request);
        }
        flush();
    }

    private boolean attach(Node first) {
        if (first == null || first.getId().isEmpty()) {
            refuse(null, "the first request on an ADS stream must carry the node (node.id and metadata)");
            return false;
        }
        int nodeBytes = first.getSerializedSize();
        if (nodeBytes > context.limits().maxNodeBytes()) {
            refuse(Rejections.Reason.METADATA_SIZE, "the node (id and metadata) is " + nodeBytes + " bytes; at most "
                    + context.limits().maxNodeBytes() + " are allowed");
            return false;
        }
        // Only what identifies the proxy is kept for the stream's lifetime; the rest of the metadata is dropped.
        this.node = NodeEssentials.of(first);
        try {
            attachment = context.source().attach(this);
        } catch (ProxyConfigSource.RejectedNodeException e) {
            if (e.refusal().isPresent()) {
                deny(first, e);
            } else {
                refuse(null, "cannot serve node " + LogText.safe(first.getId()) + ": " + e.getMessage());
            }
            return false;
        }
        current = attachment.resources();
        publish();
        context.registry().add(this);
        context.metrics().connected(istioVersion(), 1);
        reportDuplicate();
        context.streamLog().connected(() -> "xds: " + protocol + " stream " + id + " from "
                + LogText.safe(attachment.proxyId()) + " ("
                + peer + ") connected");
        return true;
    }

    /** Closes the stream with INVALID_ARGUMENT; {@code limit} is the limit that refused it, null for a bad node. */
    private void refuse(Rejections.Reason limit, String message) {
        refuse(limit, Status.INVALID_ARGUMENT, message);
    }

    private void refuse(Rejections.Reason limit, Status status, String message) {
        context.log().warn(limit == null ? "refused" : limit, () -> "xds: closing stream " + id + " from " + peer
                + ": " + message);
        context.metrics().streamRefused();
        if (limit != null) {
            context.rejections().count(limit);
        }
        safely(() -> transport.onError(status.withDescription(message).asRuntimeException()));
        close();
    }

    /**
     * A request for one of Istio's debug types: answered once (when the transport can take it), never recorded as
     * a subscription. The client's ACK of an answer carries that answer's nonce and is not a new request.
     */
    private <Q> void receiveDebug(String type, Q request, Node sentNode) {
        if (node == null) {
            if (sentNode == null || sentNode.getId().isEmpty()) {
                refuse(null, "the first request on an ADS stream must carry the node (node.id and metadata)");
                return;
            }
            node = sentNode;
        }
        String nonce = responseNonce(request);
        if (!nonce.isEmpty() && nonce.equals(debugNonces.get(type))) {
            return;
        }
        DebugRequest debugRequest = new DebugRequest(type, debugNames(request), node, peer, loopbackPeer);
        var refusal = DebugAccess.refusal(debugRequest);
        if (refusal.isPresent()) {
            refuse(null, Status.PERMISSION_DENIED, refusal.get());
            return;
        }
        pendingDebug = debugRequest;
        flushDebug();
    }

    private void flushDebug() {
        DebugRequest request = pendingDebug;
        if (request == null || closed || !transport.isReady()) {
            return;
        }
        pendingDebug = null;
        DebugAnswer answer;
        try {
            answer = context.debug().answer(request);
        } catch (RuntimeException e) {
            LOG.log(Level.WARNING, "xds: answering " + LogText.safe(request.typeUrl()) + " for "
                    + LogText.safe(node.getId()) + " failed", e);
            answer = DebugAnswer.empty("");
        }
        String nonce = nextNonce();
        if (!debugNonces.containsKey(request.typeUrl()) && debugNonces.size() >= MAX_DEBUG_TYPES) {
            debugNonces.remove(debugNonces.keySet().iterator().next());
        }
        debugNonces.put(request.typeUrl(), nonce);
        DebugAnswer sent = answer;
        LOG.fine(() -> "xds: " + request.typeUrl() + " " + request.resourceNames() + " for " + node.getId() + " ("
                + peer + "): " + sent.resources().size() + " resources");
        try {
            sendDebugAnswer(request.typeUrl(), sent, nonce);
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "xds: send failed", e);
            close();
        }
    }

    /** The response nonce of a request ({@code response_nonce} in both protocols). */
    abstract String responseNonce(Object request);

    /** The names a debug request carries. */
    abstract java.util.List<String> debugNames(Object request);

    /** Writes the answer to a debug request as this protocol's response. */
    abstract void sendDebugAnswer(String typeUrl, DebugAnswer answer, String nonce);

    /**
     * Another attached stream already claims this proxy id: both stay served, the debug views keep showing the first
     * one and list the others (syncz {@code duplicate_streams}, {@code /debug/authz}); a warning and a metric.
     */
    private void reportDuplicate() {
        java.util.List<ProxyConnection> same = context.registry().allOf(attachment.proxyId());
        if (same.size() < 2) {
            return;
        }
        context.metrics().duplicateStream();
        String ids = same.stream().map(c -> Long.toString(c.id())).collect(java.util.stream.Collectors.joining(", "));
        LOG.warning(() -> "xds: " + same.size() + " streams claim proxy " + AuthRefusals.clientText(attachment.proxyId())
                + " (connections " + ids + "; the debug views show connection " + same.get(0).id() + "); stream " + id
                + " from " + peer + caller.map(c -> " authenticated as " + c.display()).orElse(" unauthenticated"));
    }

    /** The authenticated caller may not claim this node: PERMISSION_DENIED, counted and kept for /debug/authz. */
    private void deny(Node first, ProxyConfigSource.RejectedNodeException e) {
        String callerText = caller.map(CallerIdentity::display).orElse("");
        context.refusals().record(e.refusal().orElseThrow(), peer, first.getId(), callerText, e.getMessage());
        LOG.warning(() -> "xds: refusing stream " + id + " from " + peer + " for node '"
                + AuthRefusals.clientText(first.getId()) + "': " + AuthRefusals.clientText(e.getMessage()));
        context.metrics().streamRefused();
        closed = true;
        safely(() -> transport.onError(Status.PERMISSION_DENIED.withDescription(e.getMessage()).asRuntimeException()));
    }

    private <Q> void answerUnknownType(String type, Q request) {
        TypeState st = unknownTypes.get(type);
        if (st != null) {
            return; // already answered once on this stream; ACKs of that answer need nothing
        }
        String message = type.isEmpty() ? "request has no type_url" : "type URL not served by meshpilot: "
                + LogText.safe(type);
        context.log().warn("unknown_type", () -> "xds: " + proxyIdOr() + ": " + message
                + " (answered with no resources)");
        context.metrics().unknownType();
        if (unknownTypes.size() < MAX_UNKNOWN_TYPES) {
            st = new TypeState(type);
            unknownTypes.put(type, st);
        }
        sendUnknownTypeAnswer(type, request, st);
        if (st != null) {
            st.recordError(st.sentNonce, message, Instant.now());
        }
    }

    private String proxyIdOr() {
        return attachment == null ? "stream " + id : LogText.safe(attachment.proxyId());
    }

    /**
     * True when the client subscribed to names of this type it is not served and the source will push them soon
     * (learning widens a proxyless gRPC client's scope on demand): the stream then waits for that push instead of
     * telling the client the names do not exist.
     */
    final boolean awaitsWidening(String typeUrl, java.util.Collection<String> subscribed) {
        if (attachment == null || subscribed.isEmpty()) {
            return false;
        }
        Map<String, VersionedResource> served = current.ofType(typeUrl);
        Set<String> missing = new TreeSet<>();
        for (String name : subscribed) {
            if (!"*".equals(name) && !served.containsKey(name)) {
                missing.add(name);
            }
        }
        return !missing.isEmpty() && context.source().unservedSubscription(this, typeUrl, missing);
    }

    /** Answers the first request for a type this server does not serve: no resources, the stream carries on. */
    abstract void sendUnknownTypeAnswer(String type, Object request, TypeState unknownState);

    /** Schedules what a push of this type needs (SotW: one full response; delta: changes, then removals). */
    abstract void scheduleForPush(TypeState st);

    /** Builds and sends the response for this step, or returns false when there is nothing to send. */
    abstract boolean sendStep(Step step, boolean forced);

    final TypeState state(String type) {
        return types.computeIfAbsent(type, TypeState::new);
    }

    final void schedule(String type, boolean removal, boolean force) {
        pending.add(new Step(type, removal));
        if (force) {
            forced.add(type);
        }
    }

    final boolean isPending(String type) {
        return pending.contains(new Step(type, false));
    }

    final String nextNonce() {
        return Long.toString(++nonceCounter);
    }

    /** Writes one response; false when the stream is gone. */
    final <R extends com.google.protobuf.MessageLite> boolean write(ServerCallStreamObserver<R> out, R response,
                                                                   String type) {
        // Published before the write: a client that has the response must never find syncz still showing the
        // previous version as sent.
        publish();
        try {
            out.onNext(response);
        } catch (RuntimeException e) {
            context.metrics().sendError(XdsTypes.shortName(type));
            LOG.log(Level.FINE, "xds: send failed", e);
            close();
            return false;
        }
        if (XdsTypes.isServed(type)) {
            context.metrics().sent(XdsTypes.shortName(type), response.getSerializedSize());
        }
        return true;
    }

    final void recordNack(TypeState st, String nonce, String message) {
        st.recordError(nonce, message, Instant.now());
        context.metrics().rejected(XdsTypes.shortName(st.typeUrl));
        context.log().warn("nack", () -> "xds: " + proxyIdOr() + " rejected " + LogText.safe(XdsTypes.shortName(
                st.typeUrl)) + " (nonce " + LogText.safe(nonce) + "): " + LogText.safe(message));
    }

    private void flush() {
        if (closed || attachment == null) {
            return;
        }
        while (!pending.isEmpty() && transport.isReady() && !closed) {
            Step step = pending.pollFirst();
            boolean force = !step.removal() && forced.remove(step.typeUrl());
            sendStep(step, force);
        }
        watchForSlowReader();
        if (pending.isEmpty() && pushStartedNanos >= 0) {
            long took = System.nanoTime() - pushStartedNanos;
            context.metrics().converged(took);
            LOG.fine(() -> "xds: " + proxyIdOr() + " converged after " + took / 1_000_000 + " ms (" + pushReason + ")");
            pushStartedNanos = -1;
        }
        publish();
    }

    /**
     * A push waiting for a client that does not read starts a clock; a client still not reading when the slow-reader
     * timeout has passed since is disconnected (its config would only grow stale, and gRPC would buffer for it).
     */
    private void watchForSlowReader() {
        if (closed || pending.isEmpty() || transport.isReady()) {
            stuckSinceNanos = -1;
            return;
        }
        if (stuckSinceNanos >= 0) {
            return;
        }
        long since = System.nanoTime();
        stuckSinceNanos = since;
        long timeout = context.limits().slowReaderTimeout().toNanos();
        try {
            context.timer().schedule(() -> executor.execute(() -> disconnectIfStillStuck(since)), timeout,
                    TimeUnit.NANOSECONDS);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // shutting down
        }
    }

    private void disconnectIfStillStuck(long since) {
        if (closed || stuckSinceNanos != since || transport.isReady()) {
            return;
        }
        long seconds = context.limits().slowReaderTimeout().toSeconds();
        context.rejections().count(Rejections.Reason.SLOW_READER);
        context.log().warn(Rejections.Reason.SLOW_READER, () -> "xds: " + proxyIdOr() + " (" + peer
                + ") has not read its config for " + seconds + " s; disconnecting it");
        safely(() -> transport.onError(Status.DEADLINE_EXCEEDED.withDescription("the client did not read pushed"
                + " config for " + seconds + " s").asRuntimeException()));
        close();
    }

    private void close() {
        if (attachment != null && !closedAttached) {
            closedAttached = true;
            // Released first, unlisted last: a stream missing from the registry is fully gone.
            context.source().detach(this);
            context.metrics().connected(istioVersion(), -1);
            context.registry().remove(this);
            context.streamLog().closed(() -> "xds: " + protocol + " stream " + id + " from "
                    + LogText.safe(attachment.proxyId())
                    + " closed");
        }
        closed = true;
        pending.clear();
        pendingDebug = null;
    }

    private boolean closedAttached;

    private String istioVersion() {
        if (node == null) {
            return "";
        }
        var field = node.getMetadata().getFieldsMap().get("ISTIO_VERSION");
        return field == null ? "" : field.getStringValue();
    }

    private void publish() {
        Map<String, TypeStatus> statuses = new LinkedHashMap<>();
        Map<String, Map<String, VersionedResource>> sent = new HashMap<>();
        types.forEach((type, st) -> {
            statuses.put(type, st.status());
            sent.put(type, st.sent);
        });
        unknownTypes.forEach((type, st) -> statuses.put(type, st.status()));
        status = new ConnectionStatus(id, attachment.proxyId(), attachment.namespace(), node, protocol, peer,
                connectedAt, statuses, ResourceSet.wrap(sent));
    }

    static void safely(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            LOG.log(Level.FINE, "xds: stream already closed", e);
        }
    }
}
