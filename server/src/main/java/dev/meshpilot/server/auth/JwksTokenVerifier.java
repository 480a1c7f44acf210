package dev.meshpilot.server.auth;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.Signature;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;
import java.security.spec.ECPoint;
import java.security.spec.ECPublicKeySpec;
import java.security.spec.RSAPublicKeySpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Verifies service-account JWTs against the public keys of a JWKS file (RSA {@code RS256/384/512} and EC
 * {@code ES256/384}), with the JDK's {@code java.security}: signature, {@code exp}/{@code nbf} (with a minute of
 * skew), the audience (one of {@code audiences}) and, when configured, the issuer. The file is read again when its
 * modification time changes, so rotated keys apply without a restart; a file that cannot be read keeps the keys
 * last read.
 */
public final class JwksTokenVerifier implements TokenVerifier {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration SKEW = Duration.ofMinutes(1);
    private static final Map<String, String> ALGORITHMS = Map.of(
            "RS256", "SHA256withRSA", "RS384", "SHA384withRSA", "RS512", "SHA512withRSA",
            "ES256", "SHA256withECDSAinP1363Format", "ES384", "SHA384withECDSAinP1363Format");

    private final Path file;
    private final Optional<String> issuer;
    private final Set<String> audiences;
    private final Clock clock;
    private volatile Keys keys;

    private record Keys(FileTime modified, Map<String, PublicKey> byKid) {
    }

    /**
     * @throws IllegalArgumentException when the file cannot be read or holds no usable key (said with the file)
     */
    public JwksTokenVerifier(Path file, Optional<String> issuer, Set<String> audiences, Clock clock) {
        this.file = file;
        this.issuer = issuer;
        this.audiences = Set.copyOf(audiences);
        this.clock = clock;
        try {
            this.keys = load();
        } catch (IOException | RuntimeException e) {
            throw new IllegalArgumentException("JWKS file " + file + ": " + e.getMessage(), e);
        }
        if (keys.byKid().isEmpty()) {
            throw new IllegalArgumentException("JWKS file " + file + " holds no RSA or EC public key");
        }
    }

    @Override
    public CallerIdentity verify(String token) throws AuthException {
        String[] parts = token.split("\\.", -1);
        if (parts.length != 3) {
            throw invalid("not a signed JWT (expected three dot-separated parts)");
        }
        JsonNode header = decode(parts[0], "header");
        JsonNode claims = decode(parts[1], "payload");
        String alg = header.path("alg").asText("");
        String javaAlg = ALGORITHMS.get(alg);
        if (javaAlg == null) {
            throw invalid("unsupported alg '" + alg + "' (supported: RS256, RS384, RS512, ES256, ES384)");
        }
        Map<String, PublicKey> byKid = currentKeys();
        String kid = header.path("kid").asText("");
        List<PublicKey> candidates = kid.isEmpty() ? List.copyOf(byKid.values())
                : Optional.ofNullable(byKid.get(kid)).map(List::of).orElse(List.of());
        if (candidates.isEmpty()) {
            throw invalid("no key with kid '" + kid + "' in the configured JWKS");
        }
        byte[] signed = (parts[0] + "." + parts[1]).getBytes(StandardCharsets.US_ASCII);
        byte[] signature = base64(parts[2], "signature");
        if (candidates.stream().noneMatch(k -> verifies(javaAlg, k, signed, signature))) {
            throw invalid("signature does not verify with the configured keys");
        }
        Instant now = clock.instant();
        if (!claims.path("exp").canConvertToLong()) {
            throw invalid("no exp claim");
        }
        Instant exp = Instant.ofEpochSecond(claims.path("exp").asLong());
        if (now.isAfter(exp.plus(SKEW))) {
            throw new AuthException(RefusalReason.EXPIRED_TOKEN, "token expired at " + exp);
        }
        if (claims.has("nbf") && now.plus(SKEW).isBefore(Instant.ofEpochSecond(claims.path("nbf").asLong()))) {
            throw new AuthException(RefusalReason.EXPIRED_TOKEN, "token not valid before "
                    + Instant.ofEpochSecond(claims.path("nbf").asLong()));
        }
        if (issuer.isPresent() && !issuer.get().equals(claims.path("iss").asText(""))) {
            throw invalid("issuer '" + claims.path("iss").asText("") + "' is not the configured '" + issuer.get() + "'");
        }
        if (!audiences.isEmpty() && audienceOf(claims).stream().noneMatch(audiences::contains)) {
            throw invalid("audience " + audienceOf(claims) + " holds none of " + audiences);
        }
        String[] sa = ServiceAccountClaims.of(claims).orElseThrow(() -> invalid(
                "token names no service account (kubernetes.io claims or sub system:serviceaccount:NS:SA)"));
        return new CallerIdentity(sa[0], sa[1], CallerIdentity.Method.JWT, claims.path("sub").asText(""));
    }

    private static List<String> audienceOf(JsonNode claims) {
        JsonNode aud = claims.path("aud");
        if (aud.isTextual()) {
            return List.of(aud.asText());
        }
        List<String> out = new java.util.ArrayList<>();
        aud.forEach(a -> out.add(a.asText()));
        return out;
    }

    private static boolean verifies(String javaAlg, PublicKey key, byte[] signed, byte[] signature) {
        try {
            Signature s = Signature.getInstance(javaAlg);
            s.initVerify(key);
            s.update(signed);
            return s.verify(signature);
        } catch (GeneralSecurityException | RuntimeException e) {
            return false; // a key of another type or curve
        }
    }

    private Map<String, PublicKey> currentKeys() {
        Keys k = keys;
        try {
            if (!Files.getLastModifiedTime(file).equals(k.modified())) {
                Keys reloaded = load();
                if (!reloaded.byKid().isEmpty()) {
                    keys = reloaded;
                    return reloaded.byKid();
                }
            }
        } catch (IOException | RuntimeException e) {
            // keep the keys last read; the next call tries again
        }
        return k.byKid();
    }

    private Keys load() throws IOException {
        FileTime modified = Files.getLastModifiedTime(file);
        JsonNode root = JSON.readTree(file.toFile());
        Map<String, PublicKey> out = new HashMap<>();
        int index = 0;
        for (JsonNode key : root.path("keys")) {
            String kid = key.path("kid").asText("#" + index++);
            try {
                publicKey(key).ifPresent(k -> out.put(kid, k));
            } catch (GeneralSecurityException | RuntimeException e) {
                throw new IllegalArgumentException("key '" + kid + "': " + e.getMessage(), e);
            }
        }
        return new Keys(modified, Map.copyOf(out));
    }

    private static Optional<PublicKey> publicKey(JsonNode jwk) throws GeneralSecurityException {
        Base64.Decoder b64 = Base64.getUrlDecoder();
        switch (jwk.path("kty").asText("")) {
            case "RSA" -> {
                BigInteger n = new BigInteger(1, b64.decode(jwk.path("n").asText()));
                BigInteger e = new BigInteger(1, b64.decode(jwk.path("e").asText()));
                return Optional.of(KeyFactory.getInstance("RSA").generatePublic(new RSAPublicKeySpec(n, e)));
            }
            case "EC" -> {
                String curve = switch (jwk.path("crv").asText("")) {
                    case "P-256" -> "secp256r1";
                    case "P-384" -> "secp384r1";
                    default -> throw new IllegalArgumentException("unsupported curve " + jwk.path("crv").asText(""));
                };
                AlgorithmParameters params = AlgorithmParameters.getInstance("EC");
                params.init(new ECGenParameterSpec(curve));
                ECPoint point = new ECPoint(new BigInteger(1, b64.decode(jwk.path("x").asText())),
                        new BigInteger(1, b64.decode(jwk.path("y").asText())));
                return Optional.of(KeyFactory.getInstance("EC").generatePublic(
                        new ECPublicKeySpec(point, params.getParameterSpec(ECParameterSpec.class))));
            }
            default -> {
                return Optional.empty();
            }
        }
    }

    /** One base64url JSON part of a JWT ({@code what}: header or payload), decoded without checking anything else. */
    static JsonNode decode(String part, String what) throws AuthException {
        try {
            return JSON.readTree(base64(part, what));
        } catch (IOException e) {
            throw invalid("the " + what + " is not JSON");
        }
    }

    private static byte[] base64(String part, String what) throws AuthException {
        try {
            return Base64.getUrlDecoder().decode(part);
        } catch (IllegalArgumentException e) {
            throw invalid("the " + what + " is not base64url");
        }
    }

    private static AuthException invalid(String message) {
        return new AuthException(RefusalReason.INVALID_TOKEN, message);
    }
}
