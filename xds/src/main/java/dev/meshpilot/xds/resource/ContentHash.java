package dev.meshpilot.xds.resource;

import com.google.protobuf.ByteString;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;

/** SHA-256 based content hashes, printed as 16 hex digits (64 bits): resource and resource-set versions. */
final class ContentHash {

    private static final char[] HEX = "0123456789abcdef".toCharArray();
    private static final int PRINTED_BYTES = 8;

    private final MessageDigest digest;

    ContentHash() {
        try {
            digest = MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every Java platform", e);
        }
    }

    static String of(ByteString bytes) {
        ContentHash hash = new ContentHash();
        hash.add(bytes);
        return hash.finish();
    }

    ContentHash add(ByteString bytes) {
        for (java.nio.ByteBuffer buffer : bytes.asReadOnlyByteBufferList()) {
            digest.update(buffer);
        }
        return this;
    }

    ContentHash add(String text) {
        byte[] utf8 = text.getBytes(StandardCharsets.UTF_8);
        digest.update(Integer.toString(utf8.length).getBytes(StandardCharsets.US_ASCII));
        digest.update((byte) ':');
        digest.update(utf8);
        return this;
    }

    /** The first 64 bits of the digest, for composable set versions (see {@link ResourceSet}). */
    long finishAsLong() {
        byte[] sum = digest.digest();
        long out = 0;
        for (int i = 0; i < Long.BYTES; i++) {
            out = (out << 8) | (sum[i] & 0xffL);
        }
        return out;
    }

    /** 16 hex digits of a 64-bit value, as versions are printed. */
    static String hex(long value) {
        char[] out = new char[PRINTED_BYTES * 2];
        for (int i = out.length - 1; i >= 0; i--) {
            out[i] = HEX[(int) (value & 0xf)];
            value >>>= 4;
        }
        return new String(out);
    }

    String finish() {
        byte[] sum = digest.digest();
        char[] out = new char[PRINTED_BYTES * 2];
        for (int i = 0; i < PRINTED_BYTES; i++) {
            out[2 * i] = HEX[(sum[i] >> 4) & 0xf];
            out[2 * i + 1] = HEX[sum[i] & 0xf];
        }
        return new String(out);
    }
}
