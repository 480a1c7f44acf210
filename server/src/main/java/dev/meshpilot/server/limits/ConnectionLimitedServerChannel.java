package dev.meshpilot.server.limits;

import io.grpc.netty.shaded.io.netty.channel.Channel;
import io.grpc.netty.shaded.io.netty.channel.socket.nio.NioServerSocketChannel;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The xDS port's listening socket, counting the connections it accepted: a connection beyond the limit is closed
 * right at accept (before any buffer or HTTP/2 state exists for it), so its file descriptor is freed at once.
 */
final class ConnectionLimitedServerChannel extends NioServerSocketChannel {

    private final int max;
    private final AtomicInteger open;
    private final Runnable onRefused;

    ConnectionLimitedServerChannel(int max, AtomicInteger open, Runnable onRefused) {
        this.max = max;
        this.open = open;
        this.onRefused = onRefused;
    }

    @Override
    protected int doReadMessages(List<Object> buf) throws Exception {
        int before = buf.size();
        int read = super.doReadMessages(buf);
        for (int i = buf.size() - 1; i >= before; i--) {
            Channel accepted = (Channel) buf.get(i);
            if (!reserve()) {
                buf.remove(i);
                read--;
                accepted.unsafe().closeForcibly();
                onRefused.run();
            } else {
                accepted.closeFuture().addListener(f -> open.decrementAndGet());
            }
        }
        return read;
    }

    /**
     * Counts one more connection unless {@code max} are open. Never counts past the limit, not even for a moment:
     * the count is also the {@code meshpilot_xds_connections} gauge.
     */
    private boolean reserve() {
        return open.getAndUpdate(n -> n < max ? n + 1 : n) < max;
    }

}
