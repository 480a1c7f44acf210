package dev.meshpilot.server.ads;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;

/** The version of a set of resources: a short hash of its names and per-resource versions, in order. */
final class Versions {
    private Versions() {
    }

    static String of(Map<String, VersionedResource> resources) {
        MessageDigest digest = sha256();
        for (VersionedResource r : resources.values()) {
            digest.update(r.name().getBytes(StandardCharsets.UTF_8));
            digest.update((byte) 0);
            digest.update(r.version().getBytes(StandardCharsets.UTF_8));
            digest.update((byte) '\n');
        }
        return HexFormat.of().formatHex(digest.digest(), 0, 8);
    }

    private static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required by the Java platform", e);
        }
    }
}
