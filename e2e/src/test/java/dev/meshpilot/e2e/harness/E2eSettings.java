package dev.meshpilot.e2e.harness;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Where the end-to-end tests find the packaged server, the Node client sources and their scratch space. Maven
 * passes these as system properties (see e2e/pom.xml; {@code meshpilot.repo.root} comes from the parent pom, for
 * files the tests use as shipped, such as {@code deploy/}); the defaults suit a run from the repository root.
 */
public record E2eSettings(Path serverJar, Path nodeSources, Path workDir, Path repoRoot) {

    public static E2eSettings fromSystemProperties() {
        Path repoRoot = Path.of(System.getProperty("meshpilot.repo.root", ".")).toAbsolutePath().normalize();
        Path jar = pathProperty("meshpilot.e2e.jar", repoRoot.resolve("cli/target/meshpilot.jar"));
        Path node = pathProperty("meshpilot.e2e.nodeSources", repoRoot.resolve("e2e/src/test/node"));
        Path work = pathProperty("meshpilot.e2e.workDir", repoRoot.resolve("e2e/target/e2e-work"));
        return new E2eSettings(jar, node, work, repoRoot);
    }

    /** The server jar, or a failure that says how to build it. */
    public Path requireServerJar() {
        if (!Files.isRegularFile(serverJar)) {
            throw new IllegalStateException("The packaged server " + serverJar + " does not exist. Build it with "
                    + "`mvn -B -pl cli -am package -DskipTests` (or run the e2e tests through `mvn verify`).");
        }
        return serverJar;
    }

    private static Path pathProperty(String name, Path fallback) {
        String value = System.getProperty(name);
        return value == null || value.isBlank() ? fallback : Path.of(value).toAbsolutePath().normalize();
    }
}
