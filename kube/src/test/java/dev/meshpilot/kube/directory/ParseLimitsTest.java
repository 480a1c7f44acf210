package dev.meshpilot.kube.directory;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import dev.meshpilot.core.model.MeshConfig;
import dev.meshpilot.core.registry.RegistryStore;
import dev.meshpilot.kube.convert.ConversionProblem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;

import static dev.meshpilot.kube.testing.Manifests.write;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Size bounds are checked before parsing: a 50 MB scalar is refused from the file's size without being read, a
 * scalar longer than the bound on one line before its document is parsed, and the parser refuses alias bombs and deep
 * nesting. The figures are printed; the bound on time is generous, only there to fail a test that parses.
 */
class ParseLimitsTest {
    private static final String SERVICE = """
            apiVersion: v1
            kind: Service
            metadata: {name: good, namespace: shop}
            spec:
              ports: [{name: http, port: 80}]
            """;

    @TempDir
    Path dir;

    private static String configMapWithScalar(int chars) {
        char[] value = new char[chars];
        Arrays.fill(value, 'a');
        return "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big, namespace: shop}\ndata:\n  blob: "
                + new String(value) + "\n";
    }

    private static void writeHugeScalarFile(Path file, long bytes) {
        try (OutputStream out = Files.newOutputStream(file)) {
            out.write("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: huge, namespace: shop}\ndata:\n  blob: "
                    .getBytes(StandardCharsets.UTF_8));
            byte[] chunk = new byte[1 << 20];
            Arrays.fill(chunk, (byte) 'a');
            for (long written = 0; written < bytes; written += chunk.length) {
                out.write(chunk);
            }
            out.write('\n');
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void fiftyMegabyteScalar_isRefusedFromTheFileSize_withoutBeingParsed_andTheOtherFilesLoad() {
        write(dir, "good.yaml", SERVICE);
        writeHugeScalarFile(dir.resolve("huge.yaml"), 50L << 20);
        RegistryStore store = new RegistryStore(MeshConfig.DEFAULT);
        DirectoryWatcher watcher = new DirectoryWatcher(new ManifestDirectory(dir), store, Duration.ofMillis(200),
                r -> { });

        long started = System.nanoTime();
        LoadResult result = watcher.rescan();
        long millis = (System.nanoTime() - started) / 1_000_000;

        System.out.printf("50 MB scalar: refused in %d ms (before the bound: ~11 min of the only watcher thread, "
                + "issue 12)%n", millis);
        assertThat(millis).isLessThan(5_000);
        assertThat(store.current().services()).hasSize(1);
        assertThat(result.errors()).singleElement().extracting(ConversionProblem::toString).asString()
                .matches("huge\\.yaml: file is \\d+ bytes, over the limit of 16777216 bytes "
                        + "\\(--registry-max-file-bytes\\); not read");
        watcher.close();
    }

    @Test
    void scalarLongerThanTheBound_onOneLine_isRefusedBeforeParsing_andOnlyItsDocumentIsLost() {
        int twoMiB = 2 << 20;
        write(dir, "mesh.yaml", SERVICE + "---\n" + configMapWithScalar(twoMiB));

        long started = System.nanoTime();
        LoadResult result = new ManifestDirectory(dir).load();
        long boundedMillis = (System.nanoTime() - started) / 1_000_000;
        long unboundedMillis = timeUnboundedParse(configMapWithScalar(twoMiB));

        System.out.printf("2 MiB scalar: refused in %d ms with the bound; an unbounded parse took %d ms%n",
                boundedMillis, unboundedMillis);
        assertThat(result.objects().services()).hasSize(1);
        assertThat(result.errors()).singleElement().hasToString("mesh.yaml:11: document 2: line is 2097160 characters "
                + "long, over the scalar limit of 1048576 (--registry-max-scalar-chars); document not parsed");
    }

    @Test
    void multiLineScalarLongerThanTheBound_isRefusedByTheParser() {
        StringBuilder block = new StringBuilder("apiVersion: v1\nkind: ConfigMap\nmetadata: {name: big, namespace: "
                + "shop}\ndata:\n  blob: |\n");
        String line = "    " + "b".repeat(1000) + "\n";
        for (int i = 0; i < 1100; i++) {
            block.append(line);
        }
        write(dir, "mesh.yaml", SERVICE + "---\n" + block);

        LoadResult result = new ManifestDirectory(dir).load();

        assertThat(result.objects().services()).hasSize(1);
        assertThat(result.errors()).singleElement().hasToString("mesh.yaml:7: document 2: data.blob: scalar is over "
                + "the limit of 1048576 characters (--registry-max-scalar-chars); document not used");
    }

    @Test
    void aliasBomb_isNotExpanded_andCostsOnlyItsDocument() {
        StringBuilder bomb = new StringBuilder("a: &a [x, x, x, x, x, x, x, x, x]\n");
        for (char c = 'b'; c <= 'k'; c++) {
            char prev = (char) (c - 1);
            bomb.append(c).append(": &").append(c).append(" [*").append(prev).append(", *").append(prev)
                    .append(", *").append(prev).append(", *").append(prev).append(", *").append(prev).append(", *")
                    .append(prev).append(", *").append(prev).append(", *").append(prev).append(", *").append(prev)
                    .append("]\n");
        }
        write(dir, "mesh.yaml", SERVICE + "---\n" + bomb);

        LoadResult result = new ManifestDirectory(dir).load();

        // Jackson reads YAML as events and never composes aliased collections, so 9^10 elements are never built;
        // the document is not a Kubernetes object and is reported as such.
        assertThat(result.objects().services()).hasSize(1);
        assertThat(result.errors()).singleElement().hasToString("mesh.yaml:7: document 2: apiVersion: is required");
    }

    @Test
    void nestingDeeperThanTheBound_isRefusedByTheParser() {
        write(dir, "mesh.yaml", SERVICE + "---\ndeep: " + "[".repeat(100) + "]".repeat(100) + "\n");

        LoadResult result = new ManifestDirectory(dir).load();

        assertThat(result.objects().services()).hasSize(1);
        assertThat(result.errors()).singleElement().extracting(ConversionProblem::message).asString()
                .startsWith("malformed YAML: ");
    }

    private static long timeUnboundedParse(String yaml) {
        ObjectMapper unbounded = new ObjectMapper(YAMLFactory.builder()
                .loaderOptions(new org.yaml.snakeyaml.LoaderOptions())
                .streamReadConstraints(com.fasterxml.jackson.core.StreamReadConstraints.builder()
                        .maxStringLength(Integer.MAX_VALUE).build())
                .build());
        long started = System.nanoTime();
        try {
            unbounded.readTree(yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return (System.nanoTime() - started) / 1_000_000;
    }
}
