package dev.meshpilot.e2e.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.util.ArrayList;
import java.util.List;

/**
 * Loopback ports that were free a moment ago, for processes that must be told their port up front.
 *
 * <p>A process that needs several ports must take them in one {@link #distinct} call: the kernel may hand the port
 * it just released to the very next bind, so two {@link #next()} calls in a row can return the same port (one CI
 * run started a server whose xDS and debug ports were equal). {@code distinct} keeps every socket open until all
 * are chosen, so the ports differ.
 */
public final class FreePorts {

    private FreePorts() {
    }

    public static int next() {
        return distinct(1)[0];
    }

    /** {@code count} different loopback ports, all free at the moment of return. */
    public static int[] distinct(int count) {
        List<ServerSocket> held = new ArrayList<>(count);
        try {
            int[] ports = new int[count];
            for (int i = 0; i < count; i++) {
                ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress());
                held.add(socket);
                ports[i] = socket.getLocalPort();
            }
            return ports;
        } catch (IOException e) {
            throw new UncheckedIOException("no free loopback port", e);
        } finally {
            for (ServerSocket socket : held) {
                closeQuietly(socket);
            }
        }
    }

    private static void closeQuietly(ServerSocket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // the port is free either way once the process exits; nothing to report
        }
    }
}
