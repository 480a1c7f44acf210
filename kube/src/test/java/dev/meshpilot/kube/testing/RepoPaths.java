package dev.meshpilot.kube.testing;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths inside the repository, for tests that read the bundled examples. */
public final class RepoPaths {
    private RepoPaths() {
    }

    public static Path root() {
        String configured = System.getProperty("meshpilot.repo.root");
        Path start = configured != null ? Path.of(configured) : Path.of("").toAbsolutePath();
        for (Path p = start.toAbsolutePath(); p != null; p = p.getParent()) {
            if (Files.isDirectory(p.resolve("examples")) && Files.exists(p.resolve("pom.xml"))) {
                return p;
            }
        }
        throw new IllegalStateException("repository root not found from " + start);
    }

    public static Path example(String name) {
        return root().resolve("examples").resolve(name);
    }
}
