package dev.meshpilot.xds.resource;

import com.google.protobuf.ByteString;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** SHA-256 based content hashes, printed as 16 hex digits (64 bits): resource and resource-set versions. */
final class ContentHash {

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
        return ByteBuffer.wrap(digest.digest()).getLong();
    }

    /** 16 hex digits of a 64-bit value, as versions are printed. */
    static String hex(long value) {
        return HexFormat.of().toHexDigits(value);
    }

    /** 16 hex digits: the first 64 bits of the digest. */
    String finish() {
        return hex(finishAsLong());
    }
}
