package dev.meshpilot.xds.golden;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.fail;

/**
 * Golden files under {@code xds/src/test/resources/golden/}: compared byte for byte; run the tests with
 * {@code -Dmeshpilot.golden.update=true} to rewrite them (then review the diff like code).
 */
public final class GoldenFiles {

    private GoldenFiles() {
    }

    public static boolean updating() {
        return Boolean.getBoolean("meshpilot.golden.update");
    }

    public static Path root() {
        return ExampleMeshes.repoRoot().resolve("xds/src/test/resources/golden");
    }

    public static void assertMatches(String relativePath, String actual) {
        Path file = root().resolve(relativePath);
        try {
            if (updating()) {
                Files.createDirectories(file.getParent());
                Files.writeString(file, actual, StandardCharsets.UTF_8);
                return;
            }
            if (!Files.exists(file)) {
                fail("golden file " + file + " is missing; run with -Dmeshpilot.golden.update=true to create it");
            }
            String expected = Files.readString(file, StandardCharsets.UTF_8);
            if (!expected.equals(actual)) {
                fail("generated output differs from golden file " + file + " at " + firstDifference(expected, actual)
                        + "; if the change is intended, rerun with -Dmeshpilot.golden.update=true and review the diff");
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String firstDifference(String expected, String actual) {
        String[] e = expected.split("\n", -1);
        String[] a = actual.split("\n", -1);
        for (int i = 0; i < Math.min(e.length, a.length); i++) {
            if (!e[i].equals(a[i])) {
                return "line " + (i + 1) + ": expected <" + e[i].strip() + "> but was <" + a[i].strip() + ">";
            }
        }
        return "line " + (Math.min(e.length, a.length) + 1) + " (expected " + e.length + " lines, got " + a.length + ")";
    }
}
