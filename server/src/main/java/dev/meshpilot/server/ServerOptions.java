package dev.meshpilot.server;

import dev.meshpilot.server.learn.LearningOptions;
import dev.meshpilot.server.learn.ScopingOptions;
import dev.meshpilot.server.limits.ResourceLimits;
import dev.meshpilot.server.push.PushSettings;

import java.nio.file.Path;
import java.util.Objects;

/**
 * How to run the control plane.
 *
 * @param source          where the mesh comes from
 * @param xdsAddress      address the xDS gRPC port binds ({@code 0.0.0.0} for all interfaces)
 * @param xdsPort         xDS gRPC port (0 picks a free one)
 * @param debugAddress    address of the debug/metrics HTTP port
 * @param debugPort       debug/metrics HTTP port (0 picks a free one)
 * @param systemNamespace the control plane's namespace (holds the {@code istio} MeshConfig ConfigMap)
 * @param push            debounce settings
 * @param streamThreads   threads that run the ADS streams' work: the bound on concurrent pushes
 * @param learning        the ledger's store, polled evidence readers, intervals and bounds of learning (the
 *                        access-log service is always on)
 * @param scoping         whether and how learned scopes are served ({@code --scoping}, re-evaluation interval)
 * @param limits          bounds on what clients can make the server hold, and the debug port's protection
 */
public record ServerOptions(MeshSourceSpec source, String xdsAddress, int xdsPort, String debugAddress, int debugPort,
                            String systemNamespace, PushSettings push, int streamThreads, LearningOptions learning,
                            ScopingOptions scoping, ResourceLimits limits) {
    public ServerOptions {
        Objects.requireNonNull(limits, "limits");
        Objects.requireNonNull(learning, "learning");
        Objects.requireNonNull(scoping, "scoping");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(xdsAddress, "xdsAddress");
        Objects.requireNonNull(debugAddress, "debugAddress");
        Objects.requireNonNull(systemNamespace, "systemNamespace");
        Objects.requireNonNull(push, "push");
        if (xdsPort < 0 || xdsPort > 65535 || debugPort < 0 || debugPort > 65535) {
            throw new IllegalArgumentException("ports must be between 0 and 65535");
        }
        if (streamThreads < 1) {
            throw new IllegalArgumentException("streamThreads must be at least 1");
        }
    }

    /** Options with {@link ResourceLimits#defaults()}. */
    public ServerOptions(MeshSourceSpec source, String xdsAddress, int xdsPort, String debugAddress, int debugPort,
                         String systemNamespace, PushSettings push, int streamThreads, LearningOptions learning,
                         ScopingOptions scoping) {
        this(source, xdsAddress, xdsPort, debugAddress, debugPort, systemNamespace, push, streamThreads, learning,
                scoping, ResourceLimits.defaults());
    }

    /** Options serving learned scopes as {@link ScopingOptions#defaults()} says (shadow mode). */
    public ServerOptions(MeshSourceSpec source, String xdsAddress, int xdsPort, String debugAddress, int debugPort,
                         String systemNamespace, PushSettings push, int streamThreads, LearningOptions learning) {
        this(source, xdsAddress, xdsPort, debugAddress, debugPort, systemNamespace, push, streamThreads, learning,
                ScopingOptions.defaults());
    }

    /** Options whose ledger lives in memory only, with no polled evidence readers. */
    public ServerOptions(MeshSourceSpec source, String xdsAddress, int xdsPort, String debugAddress, int debugPort,
                         String systemNamespace, PushSettings push, int streamThreads) {
        this(source, xdsAddress, xdsPort, debugAddress, debugPort, systemNamespace, push, streamThreads,
                LearningOptions.inMemory());
    }

    /** Options for a watched manifest directory. */
    public ServerOptions(Path registry, String xdsAddress, int xdsPort, String debugAddress, int debugPort,
                         String systemNamespace, PushSettings push, int streamThreads) {
        this(new MeshSourceSpec.Directory(registry), xdsAddress, xdsPort, debugAddress, debugPort, systemNamespace,
                push, streamThreads);
    }

    /** These options learning as {@code learning} says (a store, evidence readers, intervals). */
    public ServerOptions withLearning(LearningOptions learningOptions) {
        return new ServerOptions(source, xdsAddress, xdsPort, debugAddress, debugPort, systemNamespace, push,
                streamThreads, learningOptions, scoping, limits);
    }

    /** These options serving learned scopes as {@code scopingOptions} says ({@code --scoping}, re-evaluation). */
    public ServerOptions withScoping(ScopingOptions scopingOptions) {
        return new ServerOptions(source, xdsAddress, xdsPort, debugAddress, debugPort, systemNamespace, push,
                streamThreads, learning, scopingOptions, limits);
    }

    /** These options with these resource limits and debug-port protection. */
    public ServerOptions withLimits(ResourceLimits resourceLimits) {
        return new ServerOptions(source, xdsAddress, xdsPort, debugAddress, debugPort, systemNamespace, push,
                streamThreads, learning, scoping, resourceLimits);
    }

    /** Defaults: xDS on 0.0.0.0:15010, debug on 127.0.0.1:15014, system namespace istio-system. */
    public static ServerOptions defaults(Path registry) {
        return new ServerOptions(registry, "0.0.0.0", 15010, "127.0.0.1", 15014, "istio-system", PushSettings.DEFAULT,
                defaultStreamThreads());
    }

    /** Istio's auto-sized push throttle: min(15 + 5 × cores, 100). */
    public static int defaultStreamThreads() {
        return Math.min(15 + 5 * Runtime.getRuntime().availableProcessors(), 100);
    }
}
