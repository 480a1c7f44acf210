package dev.meshpilot.server.auth;

import dev.meshpilot.server.MeshpilotServer;
import dev.meshpilot.server.ServerOptions;
import dev.meshpilot.server.push.PushSettings;
import io.grpc.ChannelCredentials;
import io.grpc.Status;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/** Certificate files given with --tls-cert/--tls-key/--tls-client-ca are read again when they change. */
class CertificateReloadTest {
    private static final Duration DAY = Duration.ofDays(1);

    @TempDir
    Path dir;

    @Test
    void replacedServerCertificate_isServedToNewConnections_withoutRestart() throws Exception {
        Path mesh = Files.createDirectory(dir.resolve("mesh"));
        AuthMesh.write(mesh);
        CertificateAuthority first = CertificateAuthority.create("first CA", DAY);
        CertificateAuthority second = CertificateAuthority.create("second CA", DAY);
        Path firstCa = dir.resolve("first-ca.pem");
        Path secondCa = dir.resolve("second-ca.pem");
        first.write(firstCa, dir.resolve("first-ca-key.pem"));
        second.write(secondCa, dir.resolve("second-ca-key.pem"));
        // Client certificates of both CAs are trusted: the client CA file holds both.
        Path clientCa = dir.resolve("client-ca.pem");
        Files.writeString(clientCa, Files.readString(firstCa) + Files.readString(secondCa));
        Path cert = dir.resolve("server.pem");
        Path key = dir.resolve("server-key.pem");
        first.issueServer("meshpilot", List.of("localhost"), List.of(), DAY).write(cert, key);
        Path clientCert = dir.resolve("client.pem");
        Path clientKey = dir.resolve("client-key.pem");
        first.issueWorkload(new SpiffeId("cluster.local", "default", "bookinfo-productpage"), DAY)
                .write(clientCert, clientKey);

        XdsAuthOptions auth = XdsAuthOptions.off().withPort(0, "127.0.0.1")
                .withCertificate(cert, key, Optional.of(clientCa)).withReloadInterval(Duration.ofMillis(100));
        try (MeshpilotServer server = MeshpilotServer.start(new ServerOptions(mesh, "127.0.0.1", 0, "127.0.0.1", 0,
                "istio-system", new PushSettings(Duration.ofMillis(20), Duration.ofSeconds(1)), 2).withAuth(auth))) {
            ChannelCredentials trustsFirst = AdsProbe.tls(firstCa, clientCert, clientKey);
            ChannelCredentials trustsSecond = AdsProbe.tls(secondCa, clientCert, clientKey);
            assertThat(probe(server, trustsFirst).served()).isTrue();
            assertThat(probe(server, trustsSecond).status().getCode()).isEqualTo(Status.Code.UNAVAILABLE);

            second.issueServer("meshpilot", List.of("localhost"), List.of(), DAY).write(cert, key);

            await().atMost(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(200))
                    .until(() -> probe(server, trustsSecond).served());
            assertThat(probe(server, trustsFirst).status().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
        }
    }

    private static AdsProbe.Outcome probe(MeshpilotServer server, ChannelCredentials credentials) {
        return AdsProbe.sotw(server.xdsTlsPort(), credentials, Optional.empty(),
                AdsProbe.node("productpage-v1-0.default", Map.of()));
    }
}
