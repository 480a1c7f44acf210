package dev.meshpilot.e2e.harness;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The real xDS client implementations the scenarios run against, each launched as its own process. */
public enum ClientKind {

    /** grpc-java with grpc-xds, from a small main class in the e2e test sources. */
    GRPC_JAVA {
        @Override
        XdsClientProcess launch(E2eSettings settings, Path bootstrap, String target, Path log) {
            List<String> command = List.of(MeshpilotServer.javaExecutable(), "-Xmx256m",
                    "-cp", testClasspath(), "dev.meshpilot.e2e.client.JavaXdsClientMain", target);
            return XdsClientProcess.start("grpc-java client of " + target, command,
                    Map.of("GRPC_XDS_BOOTSTRAP", bootstrap.toString()), settings.workDir(), log);
        }
    },

    /** Node 20 with @grpc/grpc-js and @grpc/grpc-js-xds (register()), installed by npm ci. */
    GRPC_NODE {
        @Override
        XdsClientProcess launch(E2eSettings settings, Path bootstrap, String target, Path log) {
            Path installation = NodeClientInstallation.ensureInstalled(settings);
            List<String> command = List.of("node", installation.resolve("xds-client.js").toString(), target);
            // The resolver trace is where grpc-js-xds says a listener does not exist: its calls only time out.
            return XdsClientProcess.start("grpc-js-xds client of " + target, command,
                    Map.of("GRPC_XDS_BOOTSTRAP", bootstrap.toString(), "GRPC_TRACE", "xds_resolver",
                            "GRPC_VERBOSITY", "DEBUG"), installation, log);
        }
    };

    abstract XdsClientProcess launch(E2eSettings settings, Path bootstrap, String target, Path log);

    /**
     * Starts a client of {@code xds:///host:port} identified as {@code node}, with its bootstrap and log under
     * {@code dir}.
     */
    public XdsClientProcess start(E2eSettings settings, MeshpilotServer server, ProxyNode node, String hostAndPort,
            Path dir) {
        return start(settings, server.xdsPort(), node, hostAndPort, dir);
    }

    /** As {@link #start(E2eSettings, MeshpilotServer, ProxyNode, String, Path)}, for a server on {@code xdsPort}. */
    public XdsClientProcess start(E2eSettings settings, int xdsPort, ProxyNode node, String hostAndPort, Path dir) {
        String stem = label() + "-" + node.proxyName();
        Path bootstrap = XdsBootstrap.write(dir.resolve(stem + "-bootstrap.json"), xdsPort, node);
        return launch(settings, bootstrap, "xds:///" + hostAndPort, dir.resolve(stem + ".log"));
    }

    /**
     * As {@link #start(E2eSettings, MeshpilotServer, ProxyNode, String, Path)} on the server's authenticated TLS port,
     * the client presenting {@code tls}' certificate (gRFC A65 bootstrap credentials).
     */
    public XdsClientProcess startTls(E2eSettings settings, MeshpilotServer server, ProxyNode node, String hostAndPort,
            Path dir, XdsBootstrap.TlsFiles tls) {
        String stem = label() + "-" + node.proxyName() + "-tls";
        Path bootstrap = XdsBootstrap.writeTls(dir.resolve(stem + "-bootstrap.json"), server.xdsTlsPort(), node, tls);
        return launch(settings, bootstrap, "xds:///" + hostAndPort, dir.resolve(stem + ".log"));
    }

    /** {@code grpc-java} or {@code grpc-node}, for folder and file names. */
    public String label() {
        return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
    }

    /** The classpath the tests run with (surefire hands it over in a property of its own). */
    static String testClasspath() {
        String surefire = System.getProperty("surefire.test.class.path");
        return surefire != null && !surefire.isBlank() ? surefire : System.getProperty("java.class.path");
    }
}
