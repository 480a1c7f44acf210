package dev.meshpilot.server.ads;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import java.util.Map;

/**
 * The version of a set of resources sent to one client: a 64-bit value derived from the sum of its resources'
 * (name, version) digests and its size, printed as 16 hex digits. The sum makes it independent of order and cheap:
 * each resource's digest is computed once, when the resource is made, and a proxy's set version costs one addition
 * per resource instead of rehashing every name.
 */
final class Versions {
    private static final long FNV_OFFSET = 0xcbf29ce484222325L;
    private static final long FNV_PRIME = 0x100000001b3L;

    private Versions() {
    }

    static String of(Map<String, VersionedResource> resources) {
        long sum = 0;
        for (VersionedResource r : resources.values()) {
            sum += r.digest();
        }
        return HexFormat.of().toHexDigits(mix(sum + 0x9E3779B97F4A7C15L * (resources.size() + 1L)));
    }

    /** 64-bit FNV-1a over the UTF-8 of name, a separator and version, then mixed; the input of {@link #of}. */
    static long digest(String name, String version) {
        long h = FNV_OFFSET;
        for (byte b : name.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * FNV_PRIME;
        }
        h = (h ^ 0xff) * FNV_PRIME; // 0xff never occurs in UTF-8, so (a, bc) and (ab, c) differ
        for (byte b : version.getBytes(StandardCharsets.UTF_8)) {
            h = (h ^ (b & 0xff)) * FNV_PRIME;
        }
        return mix(h);
    }

    /** SplitMix64's finalizer: spreads every input bit over the output. */
    private static long mix(long z) {
        z = (z ^ (z >>> 30)) * 0xBF58476D1CE4E5B9L;
        z = (z ^ (z >>> 27)) * 0x94D049BB133111EBL;
        return z ^ (z >>> 31);
    }
}
