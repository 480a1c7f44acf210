package dev.meshpilot.e2e.harness;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The Node client installed from the committed {@code package.json}/{@code package-lock.json} with {@code npm ci}
 * into the build folder (never into the source tree). A stamp holding the lock file's hash makes later runs
 * skip the install while the lock file is unchanged.
 */
public final class NodeClientInstallation {

    private static final List<String> SOURCES = List.of("package.json", "package-lock.json", "xds-client.js",
            "whoami.proto");
    private static final Duration INSTALL_TIMEOUT = Duration.ofMinutes(3);

    private NodeClientInstallation() {
    }

    /** Copies the client sources to the work folder, runs {@code npm ci} if needed, and returns that folder. */
    public static synchronized Path ensureInstalled(E2eSettings settings) {
        Path target = settings.workDir().resolve("node-client");
        try {
            Files.createDirectories(target);
            for (String file : SOURCES) {
                Files.copy(settings.nodeSources().resolve(file), target.resolve(file),
                        StandardCopyOption.REPLACE_EXISTING);
            }
            String lockHash = sha256(Files.readAllBytes(target.resolve("package-lock.json")));
            Path stamp = target.resolve("node_modules/.meshpilot-installed");
            if (Files.exists(stamp) && Files.readString(stamp).equals(lockHash)) {
                return target;
            }
            npmCi(target);
            Files.writeString(stamp, lockHash, StandardCharsets.UTF_8);
            return target;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot install the Node xDS client into " + target, e);
        }
    }

    private static void npmCi(Path dir) throws IOException {
        Path log = dir.resolve("npm-ci.log");
        Process npm = new ProcessBuilder("npm", "ci", "--ignore-scripts", "--no-audit", "--no-fund")
                .directory(dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .start();
        try {
            if (!npm.waitFor(INSTALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
                npm.destroyForcibly();
                throw new IllegalStateException("npm ci did not finish within " + INSTALL_TIMEOUT + "\n"
                        + ProcessLogs.tail(log));
            }
        } catch (InterruptedException e) {
            npm.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
        if (npm.exitValue() != 0) {
            throw new IllegalStateException("npm ci failed with code " + npm.exitValue() + "\n" + ProcessLogs.tail(log));
        }
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
