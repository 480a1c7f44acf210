package dev.meshpilot.xds.naming;

import dev.meshpilot.xds.golden.ExampleMeshes;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One naming authority: no production source outside {@code dev.meshpilot.xds.naming} spells a subset-key cluster
 * name by hand ({@code "outbound|"}, {@code "inbound|"}); they build and parse them with {@link ClusterName}.
 */
class NamingAuthorityGuardTest {

    private static final List<String> MODULES = List.of("core", "kube", "xds", "insight", "server", "cli");
    private static final Pattern HAND_MADE = Pattern.compile("\"(outbound|inbound)\\|");

    @Test
    void noModuleConcatenatesClusterNamesByHand() throws IOException {
        Path root = ExampleMeshes.repoRoot();
        List<String> offenders = new ArrayList<>();
        for (String module : MODULES) {
            Path sources = root.resolve(module).resolve("src/main/java");
            if (!Files.isDirectory(sources)) {
                continue;
            }
            try (Stream<Path> files = Files.walk(sources)) {
                for (Path file : files.filter(f -> f.toString().endsWith(".java")).toList()) {
                    if (file.toString().replace('\\', '/').contains("/dev/meshpilot/xds/naming/")) {
                        continue;
                    }
                    List<String> lines = Files.readAllLines(file);
                    for (int i = 0; i < lines.size(); i++) {
                        if (HAND_MADE.matcher(lines.get(i)).find()) {
                            offenders.add(root.relativize(file) + ":" + (i + 1));
                        }
                    }
                }
            }
        }
        assertThat(offenders).as("use ClusterName to build and parse cluster names").isEmpty();
    }
}
