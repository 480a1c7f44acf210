package dev.meshpilot.cli.serve;

import dev.meshpilot.cli.Main;
import dev.meshpilot.server.RegistryWatchOptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code serve}'s flags for the registry directory: defaults, values, and usage errors that name the flag. */
class RegistryWatchFlagsTest {
    @TempDir
    Path dir;

    private record Run(int exit, String err) {
    }

    private Run run(String... args) {
        CommandLine cli = Main.newCommandLine();
        StringWriter err = new StringWriter();
        cli.setErr(new PrintWriter(err));
        cli.setOut(new PrintWriter(new StringWriter()));
        return new Run(cli.execute(args), err.toString());
    }

    @Test
    void defaults_areTheDocumentedOnes() {
        RegistryWatchFlags flags = new RegistryWatchFlags();
        new CommandLine(flags).parseArgs();

        assertThat(flags.options()).isEqualTo(RegistryWatchOptions.DEFAULT);
    }

    @Test
    void values_reachTheWatchSettings() {
        RegistryWatchFlags flags = new RegistryWatchFlags();
        new CommandLine(flags).parseArgs("--registry-settle", "5s", "--registry-poll", "50ms",
                "--registry-max-file-bytes", "1024", "--registry-max-scalar-chars", "64", "--max-service-ports", "8");

        RegistryWatchOptions options = flags.options();

        assertThat(options.watch().settleWindow()).isEqualTo(Duration.ofSeconds(5));
        assertThat(options.watch().pollInterval()).isEqualTo(Duration.ofMillis(50));
        assertThat(options.watch().limits().maxFileBytes()).isEqualTo(1024);
        assertThat(options.watch().limits().maxScalarChars()).isEqualTo(64);
        assertThat(options.maxServicePorts()).isEqualTo(8);
    }

    @Test
    void badValues_areUsageErrorsNamingTheFlag() {
        Run settle = run("serve", "--registry", dir.toString(), "--registry-settle", "soon");
        Run ports = run("serve", "--registry", dir.toString(), "--max-service-ports", "0");
        Run bytes = run("serve", "--registry", dir.toString(), "--registry-max-file-bytes", "0");

        assertThat(settle.exit()).isEqualTo(2);
        assertThat(settle.err()).contains("--registry-settle 'soon'");
        assertThat(ports.exit()).isEqualTo(2);
        assertThat(ports.err()).contains("--max-service-ports must be at least 1");
        assertThat(bytes.exit()).isEqualTo(2);
        assertThat(bytes.err()).contains("--registry-max-file-bytes must be between 1 and");
    }
}
