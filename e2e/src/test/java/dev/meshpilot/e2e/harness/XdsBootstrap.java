package dev.meshpilot.e2e.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The gRPC xDS bootstrap file that points a proxyless client at meshpilot (plaintext ADS on loopback). */
public final class XdsBootstrap {

    private XdsBootstrap() {
    }

    public static Path write(Path file, int xdsPort, ProxyNode node) {
        String json = """
                {
                  "xds_servers": [
                    {
                      "server_uri": "127.0.0.1:%d",
                      "channel_creds": [ { "type": "insecure" } ],
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
                """.formatted(xdsPort, node.id(), node.proxyName(), node.namespace(), node.pod(), node.pod());
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, json);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write bootstrap " + file, e);
        }
    }
}
