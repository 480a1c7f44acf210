package dev.meshpilot.cli.serve;

import dev.meshpilot.cli.CliRun;
import dev.meshpilot.server.push.PushSettings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code serve --warm-start-budget}: the default is {@link PushSettings#DEFAULT_WARM_START_BUDGET}, {@code 0} and
 * durations are accepted (the server gets as far as binding its port), anything else is a usage error naming the
 * flag.
 */
class WarmStartBudgetFlagTest {
    @TempDir
    Path dir;

    private static Duration parsed(String... args) {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs(args);
        return ServeCommand.Durations.parse("--warm-start-budget", serve.warmStartBudget);
    }

    @Test
    void default_isThirtySeconds_asPushSettingsSays() {
        assertThat(parsed()).isEqualTo(PushSettings.DEFAULT_WARM_START_BUDGET).isEqualTo(Duration.ofSeconds(30));
    }

    @Test
    void zeroAndDurations_parse() {
        assertThat(parsed("--warm-start-budget", "0")).isZero();
        assertThat(parsed("--warm-start-budget", "5s")).isEqualTo(Duration.ofSeconds(5));
        assertThat(parsed("--warm-start-budget", "1m")).isEqualTo(Duration.ofMinutes(1));
    }

    /**
     * With the xDS port taken, {@code serve} fails only once its options were built and the server is starting: the
     * error is about the port, so the budget was accepted.
     */
    @Test
    void zeroAndFiveSeconds_areAccepted_serveGetsAsFarAsItsPort() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            for (String budget : new String[] {"0", "5s"}) {
                CliRun r = CliRun.of("serve", "--registry", dir.toString(), "--xds-address", "127.0.0.1",
                        "--xds-port", Integer.toString(taken.getLocalPort()), "--debug-port", "0",
                        "--warm-start-budget", budget);
                assertThat(r.exitCode()).as("--warm-start-budget %s", budget).isEqualTo(2);
                assertThat(r.err()).as("--warm-start-budget %s", budget)
                        .contains("cannot listen for xDS on 127.0.0.1:" + taken.getLocalPort())
                        .doesNotContain("--warm-start-budget");
            }
        }
    }

    @Test
    void bogus_isAUsageErrorNamingTheFlag() {
        CliRun r = CliRun.of("serve", "--registry", dir.toString(), "--warm-start-budget", "bogus");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("--warm-start-budget 'bogus'").contains("expected a duration").hasLineCount(1);
    }

    @Test
    void negative_isAUsageError() {
        CliRun r = CliRun.of("serve", "--registry", dir.toString(), "--warm-start-budget", "PT-5S");

        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.err()).contains("warm-start budget cannot be negative").hasLineCount(1);
    }
}
