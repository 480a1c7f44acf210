package dev.meshpilot.cli.serve;

import dev.meshpilot.cli.CliRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The ways {@code serve} refuses to start: each one line on stderr and exit code 2. */
class ServeCommandTest {

    @TempDir
    Path dir;

    @Test
    void missingRegistryDirectory_isAUsageError() {
        CliRun r = CliRun.of("serve", "--registry", dir.resolve("nope").toString());
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).startsWith("error: --registry ").contains("no such directory").hasLineCount(1);
    }

    @Test
    void xdsPortInUse_isAUsageErrorNamingThePort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CliRun r = CliRun.of("serve", "--registry", dir.toString(), "--xds-address", "127.0.0.1",
                    "--xds-port", Integer.toString(taken.getLocalPort()), "--debug-port", "0");
            assertThat(r.exitCode()).isEqualTo(2);
            assertThat(r.err()).contains("cannot listen for xDS on 127.0.0.1:" + taken.getLocalPort());
        }
    }

    @Test
    void debugPortOffLoopbackWithoutAToken_isAUsageError() {
        CliRun r = CliRun.of("serve", "--registry", dir.toString(), "--xds-address", "127.0.0.1", "--xds-port", "0",
                "--debug-address", "0.0.0.0", "--debug-port", "0");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("not loopback").contains("--debug-token-file").hasLineCount(1);
    }

    @Test
    void limitOutOfRange_isAUsageErrorNamingIt() {
        CliRun r = CliRun.of("serve", "--registry", dir.toString(), "--max-connections", "0");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("maxConnections must be at least 1");
    }

    @Test
    void badDurations_areUsageErrors() {
        assertThat(CliRun.of("serve", "--registry", dir.toString(), "--debounce-after", "soon").err())
                .contains("--debounce-after 'soon'");
        CliRun r = CliRun.of("serve", "--registry", dir.toString(), "--debounce-after", "2s", "--debounce-max", "1s");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("debounce");
    }

    @Test
    void kubeAndRegistryTogether_orKubeconfigWithoutKube_areUsageErrors() {
        assertThat(CliRun.of("serve", "--kube", "--registry", dir.toString()).exitCode()).isEqualTo(2);
        assertThat(CliRun.of("serve", "--context", "prod").err()).contains("need --kube");
    }

    @Test
    void durations_acceptMillisecondsSecondsMinutesAndIso() {
        assertThat(ServeCommand.Durations.parse("x", "100ms")).isEqualTo(Duration.ofMillis(100));
        assertThat(ServeCommand.Durations.parse("x", "1.5s")).isEqualTo(Duration.ofMillis(1500));
        assertThat(ServeCommand.Durations.parse("x", "2m")).isEqualTo(Duration.ofMinutes(2));
        assertThat(ServeCommand.Durations.parse("x", "PT3S")).isEqualTo(Duration.ofSeconds(3));
        assertThatThrownBy(() -> ServeCommand.Durations.parse("--debounce-max", "-"))
                .hasMessageContaining("--debounce-max");
    }

    @Test
    void badLearningFlags_areUsageErrorsNamingTheFlag() {
        CliRun zeroBuffer = CliRun.of("serve", "--registry", dir.toString(), "--access-log-buffer", "0");
        assertThat(zeroBuffer.exitCode()).isEqualTo(2);
        assertThat(zeroBuffer.err()).contains("--access-log-buffer 0").hasLineCount(1);
        CliRun zeroFlush = CliRun.of("serve", "--registry", dir.toString(), "--access-log-flush-interval", "0s");
        assertThat(zeroFlush.exitCode()).isEqualTo(2);
        assertThat(zeroFlush.err()).contains("--access-log-flush-interval '0s'");
        assertThat(CliRun.of("serve", "--registry", dir.toString(), "--ledger-save-interval", "later").err())
                .contains("--ledger-save-interval 'later'");
    }

    @Test
    void badEvidenceAndStoreFlags_areUsageErrorsNamingTheFlag() throws Exception {
        CliRun prometheus = CliRun.of("serve", "--registry", dir.toString(), "--prometheus", "not a url");
        assertThat(prometheus.exitCode()).isEqualTo(2);
        assertThat(prometheus.err()).contains("--prometheus 'not a url'").hasLineCount(1);
        CliRun window = CliRun.of("serve", "--registry", dir.toString(), "--prometheus", "http://127.0.0.1:9",
                "--window", "2h");
        assertThat(window.exitCode()).isEqualTo(2);
        assertThat(window.err()).contains("--prometheus http://127.0.0.1:9").contains("window");
        java.nio.file.Path file = java.nio.file.Files.writeString(dir.resolve("a-file"), "x");
        CliRun stateDir = CliRun.of("serve", "--registry", dir.toString(), "--state-dir", file.toString());
        assertThat(stateDir.exitCode()).isEqualTo(2);
        assertThat(stateDir.err()).contains("--state-dir " + file);
        CliRun kubeWrite = CliRun.of("serve", "--registry", dir.toString(), "--kube-write", "patch");
        assertThat(kubeWrite.exitCode()).isEqualTo(2);
        assertThat(kubeWrite.err()).contains("--kube-write must be apply or replace");
    }

    @Test
    void badScopingFlags_areUsageErrorsNamingTheFlag() {
        CliRun mode = CliRun.of("serve", "--registry", dir.toString(), "--scoping", "narrow");
        assertThat(mode.exitCode()).isEqualTo(2);
        assertThat(mode.err()).contains("--scoping 'narrow'").contains("learned, shadow, off").hasLineCount(1);
        CliRun sample = CliRun.of("serve", "--registry", dir.toString(), "--access-log-sample", "2");
        assertThat(sample.exitCode()).isEqualTo(2);
        assertThat(sample.err()).contains("--access-log-sample 2.0").hasLineCount(1);
        CliRun interval = CliRun.of("serve", "--registry", dir.toString(), "--learning-reevaluate-interval", "0s");
        assertThat(interval.exitCode()).isEqualTo(2);
        assertThat(interval.err()).contains("--learning-reevaluate-interval '0s'");
    }

    @Test
    void scopingFlags_becomeTheServersScopingOptions() {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs("--scoping", "learned", "--learning-reevaluate-interval", "30s",
                "--access-log-cluster", "meshpilot-xds", "--access-log-sample", "0.05");
        assertThat(serve.scopingOptions().generatorOptions().accessLog()).isTrue();
        assertThat(serve.scopingOptions().generatorOptions().controlPlaneCluster()).isEqualTo("meshpilot-xds");
        assertThat(serve.scopingOptions().generatorOptions().inScopeSampleRate()).isEqualTo(0.05);
        assertThat(serve.scopingOptions().defaultMode()).isEqualTo(dev.meshpilot.server.learn.ScopingMode.LEARNED);
        assertThat(serve.scopingOptions().reevaluateInterval()).isEqualTo(Duration.ofSeconds(30));
        ServeCommand defaults = new ServeCommand();
        new CommandLine(defaults).parseArgs();
        assertThat(defaults.scopingOptions().defaultMode()).isEqualTo(dev.meshpilot.server.learn.ScopingMode.SHADOW);
    }

    @Test
    void help_saysTheLedgerLivesInMemoryWithoutAStore() {
        CliRun help = CliRun.of("serve", "--help");
        assertThat(help.exitCode()).isZero();
        assertThat(help.out()).contains("access-log service").contains("lives in memory")
                .contains("--access-log-buffer").contains("--replica-id");
    }

    @Test
    void bundledExample_isFoundFromTheRepository() {
        assertThat(BundledExamples.bookinfo()).isDirectory();
    }

    @Test
    void authFlagsThatCannotWork_areUsageErrors_withOneLocatedLine() {
        CliRun review = CliRun.of("serve", "--registry", dir.toString(), "--token-review");
        assertThat(review.exitCode()).isEqualTo(2);
        assertThat(review.err()).contains("--token-review needs --kube").hasLineCount(1);
        CliRun half = CliRun.of("serve", "--registry", dir.toString(), "--tls-cert", dir.toString());
        assertThat(half.exitCode()).isEqualTo(2);
        assertThat(half.err()).contains("--tls-cert and --tls-key go together");
        CliRun missing = CliRun.of("serve", "--registry", dir.toString(), "--jwt-jwks",
                dir.resolve("nope.json").toString());
        assertThat(missing.err()).contains("nope.json: no such readable file");
        CliRun port = CliRun.of("serve", "--registry", dir.toString(), "--xds-tls-port", "70000");
        assertThat(port.err()).contains("--xds-tls-port 70000");
    }
}
