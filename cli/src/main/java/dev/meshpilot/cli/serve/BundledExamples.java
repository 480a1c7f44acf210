package dev.meshpilot.cli.serve;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds the bundled example meshes: under {@code $MESHPILOT_HOME/examples} (set by the {@code ./meshpilot}
 * launcher), else next to the jar ({@code cli/target/..} up to the repository root), else below the working
 * directory.
 */
final class BundledExamples {
    private BundledExamples() {
    }

    static Path bookinfo() {
        for (Path root : candidates()) {
            Path p = root.resolve("examples").resolve("bookinfo");
            if (Files.isDirectory(p)) {
                return p;
            }
        }
        return Path.of("examples", "bookinfo").toAbsolutePath();
    }

    private static List<Path> candidates() {
        List<Path> out = new ArrayList<>();
        String home = System.getenv("MESHPILOT_HOME");
        if (home != null && !home.isBlank()) {
            out.add(Path.of(home));
        }
        try {
            Path jar = Path.of(BundledExamples.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            for (Path p = jar.getParent(); p != null; p = p.getParent()) {
                out.add(p);
            }
        } catch (Exception e) {
            // running from an unusual class loader: fall back to the working directory
        }
        out.add(Path.of("").toAbsolutePath());
        return out;
    }
}
