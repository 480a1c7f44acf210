package dev.meshpilot.server.debug;

import dev.meshpilot.server.limits.DebugLimits;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;
import io.netty.util.concurrent.DefaultThreadFactory;
import io.netty.util.concurrent.ScheduledFuture;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Future;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Logger;

/**
 * The debug port's HTTP transport: reads are non-blocking (a client that sends half a request holds no thread and
 * is dropped after the read timeout), connections are capped, and responses are computed on two bounded pools, one
 * for the probes ({@code /ready}, {@code /metrics}) and one for everything else, each with a bounded queue (full:
 * 503 at once) and a time limit per request (503 after it). So slow or many clients cannot block the probes.
 * Requests not from loopback need the bearer token when one is configured, except the open paths.
 */
final class HttpFront implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(HttpFront.class.getName());
    private static final int MAX_REQUEST_BYTES = 16 << 10;

    /** Computes one response; runs on a pool thread and may be interrupted when it takes too long. */
    @FunctionalInterface
    interface Dispatcher {
        Reply handle(String path, String method, String rawQuery);
    }

    record Reply(int status, String contentType, byte[] body) {
        static Reply text(int status, String text) {
            return new Reply(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private final DebugLimits limits;
    private final Optional<byte[]> token;
    private final Set<String> probePaths;
    private final Set<String> openPaths;
    private final Dispatcher dispatcher;
    private final EventLoopGroup boss;
    private final EventLoopGroup io;
    private final ThreadPoolExecutor probes;
    private final ThreadPoolExecutor workers;
    private final AtomicInteger open = new AtomicInteger();
    private final Channel listening;

    /**
     * @param token      the bearer token requests not from loopback must carry; empty: none needed
     * @param probePaths paths computed on the probe pool
     * @param openPaths  paths served without the token
     */
    HttpFront(InetSocketAddress address, DebugLimits limits, Optional<String> token, Set<String> probePaths,
              Set<String> openPaths, Dispatcher dispatcher) throws InterruptedException {
        this.limits = limits;
        this.token = token.map(t -> t.getBytes(StandardCharsets.UTF_8));
        this.probePaths = probePaths;
        this.openPaths = openPaths;
        this.dispatcher = dispatcher;
        this.probes = pool("meshpilot-debug-probe", 1, 8);
        this.workers = pool("meshpilot-debug", limits.workers(), limits.queue());
        this.boss = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("meshpilot-debug-accept", true),
                NioIoHandler.newFactory());
        this.io = new MultiThreadIoEventLoopGroup(1, new DefaultThreadFactory("meshpilot-debug-io", true),
                NioIoHandler.newFactory());
        ServerBootstrap bootstrap = new ServerBootstrap().group(boss, io).channel(NioServerSocketChannel.class)
                .option(ChannelOption.SO_BACKLOG, 64)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        if (open.incrementAndGet() > limits.maxConnections()) {
                            open.decrementAndGet();
                            ch.close();
                            return;
                        }
                        ch.closeFuture().addListener(f -> open.decrementAndGet());
                        ch.pipeline().addLast(new HttpServerCodec(4096, 8192, 8192))
                                .addLast(new HttpObjectAggregator(MAX_REQUEST_BYTES))
                                .addLast(new RequestHandler());
                    }
                });
        try {
            this.listening = bootstrap.bind(address).sync().channel();
        } catch (RuntimeException | InterruptedException e) {
            close();
            throw e;
        }
    }

    private static ThreadPoolExecutor pool(String name, int threads, int queue) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, 0, TimeUnit.SECONDS,
                queue == 0 ? new java.util.concurrent.SynchronousQueue<>() : new ArrayBlockingQueue<>(queue),
                new DefaultThreadFactory(name, true));
        return pool;
    }

    InetSocketAddress address() {
        return (InetSocketAddress) listening.localAddress();
    }

    @Override
    public void close() {
        if (listening != null) {
            listening.close().awaitUninterruptibly(1, TimeUnit.SECONDS);
        }
        boss.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        io.shutdownGracefully(0, 1, TimeUnit.SECONDS);
        probes.shutdownNow();
        workers.shutdownNow();
    }

    private boolean authorized(ChannelHandlerContext ctx, FullHttpRequest request, String path) {
        if (token.isEmpty() || openPaths.contains(path)) {
            return true;
        }
        if (ctx.channel().remoteAddress() instanceof InetSocketAddress remote && remote.getAddress() != null
                && remote.getAddress().isLoopbackAddress()) {
            return true;
        }
        String header = request.headers().get(HttpHeaderNames.AUTHORIZATION, "");
        if (!header.regionMatches(true, 0, "Bearer ", 0, 7)) {
            return false;
        }
        byte[] presented = header.substring(7).strip().getBytes(StandardCharsets.UTF_8);
        return MessageDigest.isEqual(presented, token.get());
    }

    /** One connection: a deadline for the whole next request, then its response, then (keep-alive) again. */
    private final class RequestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {
        private ScheduledFuture<?> readDeadline;

        @Override
        public void channelActive(ChannelHandlerContext ctx) throws Exception {
            armReadDeadline(ctx);
            super.channelActive(ctx);
        }

        @Override
        public void channelInactive(ChannelHandlerContext ctx) throws Exception {
            cancelReadDeadline();
            super.channelInactive(ctx);
        }

        private void armReadDeadline(ChannelHandlerContext ctx) {
            cancelReadDeadline();
            readDeadline = ctx.executor().schedule(() -> {
                ctx.close();
            }, limits.readTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }

        private void cancelReadDeadline() {
            if (readDeadline != null) {
                readDeadline.cancel(false);
                readDeadline = null;
            }
        }

        @Override
        protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
            cancelReadDeadline();
            boolean keepAlive = HttpUtil.isKeepAlive(request);
            if (!request.decoderResult().isSuccess()) {
                write(ctx, Reply.text(400, "malformed request\n"), false, false);
                return;
            }
            QueryStringDecoder uri = new QueryStringDecoder(request.uri());
            String path = uri.rawPath();
            String method = request.method().name();
            boolean head = HttpMethod.HEAD.equals(request.method());
            if (!authorized(ctx, request, path)) {
                write(ctx, Reply.text(401, "this endpoint needs Authorization: Bearer <token> (see"
                        + " --debug-token-file) when not called from loopback\n"), keepAlive, head);
                return;
            }
            String rawQuery = uri.rawQuery();
            ThreadPoolExecutor pool = probePaths.contains(path) ? probes : workers;
            AtomicBoolean answered = new AtomicBoolean();
            Future<?> work;
            try {
                work = pool.submit(() -> {
                    Reply reply;
                    try {
                        reply = dispatcher.handle(path, method, rawQuery);
                    } catch (RuntimeException e) {
                        reply = Reply.text(500, "internal error: " + e + "\n");
                    }
                    Reply done = reply;
                    if (answered.compareAndSet(false, true)) {
                        ctx.executor().execute(() -> write(ctx, done, keepAlive, head));
                    }
                });
            } catch (RejectedExecutionException e) {
                LOG.fine(() -> "debug: busy, refused " + path);
                write(ctx, Reply.text(503, "debug server busy, retry later\n"), keepAlive, head);
                return;
            }
            ctx.executor().schedule(() -> {
                if (answered.compareAndSet(false, true)) {
                    work.cancel(true);
                    write(ctx, Reply.text(503, "request took longer than " + limits.requestTimeout().toSeconds()
                            + " s\n"), keepAlive, head);
                }
            }, limits.requestTimeout().toMillis(), TimeUnit.MILLISECONDS);
        }

        private void write(ChannelHandlerContext ctx, Reply reply, boolean keepAlive, boolean head) {
            if (!ctx.channel().isActive()) {
                return;
            }
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                    HttpResponseStatus.valueOf(reply.status()),
                    head ? Unpooled.EMPTY_BUFFER : Unpooled.wrappedBuffer(reply.body()));
            response.headers().set(HttpHeaderNames.CONTENT_TYPE, reply.contentType());
            response.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, reply.body().length);
            if (reply.status() == 401) {
                response.headers().set(HttpHeaderNames.WWW_AUTHENTICATE, "Bearer");
            }
            if (keepAlive) {
                response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.KEEP_ALIVE);
                ctx.writeAndFlush(response).addListener(f -> {
                    if (f.isSuccess()) {
                        armReadDeadline(ctx);
                    } else {
                        ctx.close();
                    }
                });
            } else {
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            }
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            LOG.fine(() -> "debug: connection failed: " + cause);
            ctx.close();
        }
    }
}
