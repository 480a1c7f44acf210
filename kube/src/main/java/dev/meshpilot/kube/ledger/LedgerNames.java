package dev.meshpilot.kube.ledger;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Where a workload's page is kept: file names in a state directory and object names in the cluster. A name
 * that is already safe is used as it is (so {@code ls} and {@code kubectl get} show workload names); any other
 * is reduced to safe characters and suffixed with a digest of the original, so two workloads never share a place.
 * The page itself always carries the exact workload, so nothing depends on reversing these names.
 */
final class LedgerNames {

    /** Lower-case DNS-1123 subdomain characters: what Kubernetes allows in object names. */
    private static final Pattern SAFE = Pattern.compile("[a-z0-9]([a-z0-9.-]*[a-z0-9])?");
    private static final int MAX_FILE_NAME = 200;
    /** Object names are at most 253 characters; room is left for a shard suffix ({@code .shard-99}). */
    private static final int MAX_OBJECT_NAME = 240;
    private static final int MAX_LABEL_VALUE = 63;

    private LedgerNames() {
    }

    /**
     * A file-system name: safe names as they are, others with {@code _} for each unsafe character and
     * {@code _DIGEST} appended ({@code _} cannot occur in a Kubernetes name, so this never equals a safe one); never
     * starting with a dot, which marks temporary files.
     */
    static String fileName(String name) {
        if (SAFE.matcher(name).matches() && name.length() <= MAX_FILE_NAME) {
            return name;
        }
        String reduced = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]", "_").replaceFirst("^\\.", "_");
        reduced = reduced.substring(0, Math.min(reduced.length(), MAX_FILE_NAME - 9));
        return reduced + "_" + digest(name);
    }

    /** A Kubernetes object name (DNS-1123 subdomain): safe names as they are, others reduced with {@code -DIGEST}. */
    static String objectName(String name) {
        if (SAFE.matcher(name).matches() && name.length() <= MAX_OBJECT_NAME) {
            return name;
        }
        return reduced(name, MAX_OBJECT_NAME - 9) + "-" + digest(name);
    }

    /** A label value (at most 63 characters) naming the workload, for {@code kubectl get -l}. */
    static String labelValue(String name) {
        if (SAFE.matcher(name).matches() && name.length() <= MAX_LABEL_VALUE) {
            return name;
        }
        return reduced(name, MAX_LABEL_VALUE - 9) + "-" + digest(name);
    }

    private static String reduced(String name, int max) {
        String reduced = name.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9.-]+", "-");
        reduced = reduced.substring(0, Math.min(reduced.length(), max)).replaceAll("^[^a-z0-9]+|[^a-z0-9]+$", "");
        return reduced.isEmpty() ? "w" : reduced;
    }

    /** The first 8 hex digits of the name's SHA-256. */
    static String digest(String name) {
        try {
            byte[] sha = MessageDigest.getInstance("SHA-256").digest(name.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(sha, 0, 4);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM has SHA-256", e);
        }
    }
}
