package dev.meshpilot.server.abuse;

import dev.meshpilot.server.limits.DebugLimits;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.Inet4Address;
import java.net.InetAddress;
import java.net.NetworkInterface;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Issue 12: the debug port was deployed on 0.0.0.0 without auth. Off loopback it needs a bearer token now; loopback
 * and {@code /ready} stay open.
 */
class DebugTokenTest {
    private static final String TOKEN = "s3cret-token-for-tests";

    @TempDir
    Path dir;

    @Test
    void debugPortOffLoopbackWithoutAToken_refusesToStart() {
        assertThatThrownBy(() -> new AbuseServer(dir, AbuseServer.roomy(), "0.0.0.0").close())
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not loopback").hasMessageContaining("--debug-token-file");
    }

    @Test
    void requestsNotFromLoopback_needTheToken_exceptReady() throws Exception {
        InetAddress external = nonLoopbackAddress().orElse(null);
        Assumptions.assumeTrue(external != null, "this machine has no non-loopback IPv4 address");
        Path tokenFile = Files.writeString(dir.resolve("token"), TOKEN + "\n");
        Path mesh = Files.createDirectory(dir.resolve("mesh"));
        try (AbuseServer server = new AbuseServer(mesh, AbuseServer.roomy().withDebug(DebugLimits.defaults()
                .withTokenFile(tokenFile)), "0.0.0.0")) {
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
            String base = "http://" + external.getHostAddress() + ":" + server.server.debugAddress().getPort();
            assertThat(send(http, base + "/debug/syncz", null).statusCode()).isEqualTo(401);
            assertThat(send(http, base + "/metrics", "wrong").statusCode()).isEqualTo(401);
            assertThat(send(http, base + "/ready", null).statusCode()).isEqualTo(200);
            HttpResponse<String> authorized = send(http, base + "/debug/config_dump?proxyID=" + AbuseServer.PROXY,
                    TOKEN);
            assertThat(authorized.statusCode()).isEqualTo(200);
            assertThat(server.get("/debug/syncz").statusCode()).as("loopback needs no token").isEqualTo(200);
            AbuseServer.report("debug token: off loopback 401 without or with a wrong token, 200 with it; /ready"
                    + " and loopback open");
        }
    }

    private static HttpResponse<String> send(HttpClient http, String url, String token) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5));
        if (token != null) {
            b.header("Authorization", "Bearer " + token);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static Optional<InetAddress> nonLoopbackAddress() throws Exception {
        for (NetworkInterface nic : Collections.list(NetworkInterface.getNetworkInterfaces())) {
            if (!nic.isUp() || nic.isLoopback()) {
                continue;
            }
            for (InetAddress a : Collections.list(nic.getInetAddresses())) {
                if (a instanceof Inet4Address && !a.isLoopbackAddress() && !a.isLinkLocalAddress()) {
                    return Optional.of(a);
                }
            }
        }
        return Optional.empty();
    }
}
