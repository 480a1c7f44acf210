package dev.meshpilot.e2e.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The gRPC xDS bootstrap file that points a proxyless client at meshpilot (plaintext ADS on loopback). */
public final class XdsBootstrap {

    private XdsBootstrap() {
    }

    /** The files of gRFC A65's {@code tls} channel credentials: the CA that signed the server, the client's pair. */
    public record TlsFiles(Path ca, Path certificate, Path key) {
    }

    public static Path write(Path file, int xdsPort, ProxyNode node) {
        return write(file, "127.0.0.1:" + xdsPort, "{ \"type\": \"insecure\" }", node);
    }

    /**
     * A bootstrap for the authenticated port: {@code localhost:PORT} (the name the server certificate holds) with
     * {@code channel_creds: [{"type": "tls", "config": {ca_certificate_file, certificate_file, private_key_file}}]}.
     */
    public static Path writeTls(Path file, int tlsPort, ProxyNode node, TlsFiles tls) {
        String creds = """
                { "type": "tls", "config": { "ca_certificate_file": "%s", "certificate_file": "%s", \
                "private_key_file": "%s" } }""".formatted(tls.ca(), tls.certificate(), tls.key());
        return write(file, "localhost:" + tlsPort, creds, node);
    }

    private static Path write(Path file, String serverUri, String channelCreds, ProxyNode node) {
        String json = """
                {
                  "xds_servers": [
                    {
                      "server_uri": "%s",
                      "channel_creds": [ %s ],
                      "server_features": [ "xds_v3" ]
                    }
                  ],
                  "node": {
                    "id": "%s",
                    "cluster": "%s",
                    "metadata": {
                      "NAMESPACE": "%s",
                      "NAME": "%s",
                      "GENERATOR": "grpc",
                      "LABELS": { "app": "%s" }
                    },
                    "locality": {}
                  }
                }
                """.formatted(serverUri, channelCreds, node.id(), node.proxyName(), node.namespace(), node.pod(), node.pod());
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, json);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write bootstrap " + file, e);
        }
    }
}
