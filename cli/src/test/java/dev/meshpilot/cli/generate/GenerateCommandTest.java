package dev.meshpilot.cli.generate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meshpilot.cli.Main;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

class GenerateCommandTest {

    @TempDir
    Path temp;

    private record Result(int exit, String out, String err) {
    }

    private Result run(String... args) {
        CommandLine cli = Main.newCommandLine();
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        cli.setOut(new PrintWriter(out));
        cli.setErr(new PrintWriter(err));
        int exit = cli.execute(args);
        return new Result(exit, out.toString(), err.toString());
    }

    private Path oneApp() throws IOException {
        Path app = temp.resolve("apps/shop");
        Files.createDirectories(app);
        Files.writeString(app.resolve("services.yaml"), """
                apiVersion: v1
                kind: Service
                metadata: {name: cart, namespace: default}
                spec:
                  selector: {app: cart}
                  ports: [{name: http, port: 80}]
                """);
        Files.writeString(app.resolve("workloads.yaml"), """
                apiVersion: apps/v1
                kind: Deployment
                metadata: {name: cart, namespace: default}
                spec:
                  replicas: 2
                  selector: {matchLabels: {app: cart}}
                  template: {metadata: {labels: {app: cart}}}
                """);
        return temp.resolve("apps");
    }

    @Test
    void generate_writesTheMesh_andSaysWhatItWrote() throws IOException {
        Result result = run("generate", "--copies", "3", "--replicas-factor", "2", "--sidecars", "root-default",
                "--topologies", oneApp().toString(), "--out", temp.resolve("mesh").toString());

        assertThat(result.exit()).as(result.err()).isZero();
        assertThat(result.out()).contains("3 services", "3 workloads (12 pods)", "1 sidecars");
        assertThat(temp.resolve("mesh/g3/shop/services.yaml")).exists();
        assertThat(temp.resolve("mesh/istio-system/sidecar-default.yaml")).exists();
    }

    @Test
    void unknownSidecarMode_isAUsageError() throws IOException {
        Result result = run("generate", "--copies", "1", "--sidecars", "some", "--topologies", oneApp().toString(),
                "--out", temp.resolve("mesh").toString());

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("unknown sidecar mode 'some'").doesNotContain("Exception");
    }

    @Test
    void missingTopologies_isAUsageErrorNamingTheFolder() {
        Path missing = temp.resolve("nowhere");

        Result result = run("generate", "--copies", "1", "--topologies", missing.toString(),
                "--out", temp.resolve("mesh").toString());

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains(missing.toString());
    }

    @Test
    void zeroCopies_isAUsageError() throws IOException {
        Result result = run("generate", "--copies", "0", "--topologies", oneApp().toString(),
                "--out", temp.resolve("mesh").toString());

        assertThat(result.exit()).isEqualTo(2);
        assertThat(result.err()).contains("copies must be at least 1");
    }
}
