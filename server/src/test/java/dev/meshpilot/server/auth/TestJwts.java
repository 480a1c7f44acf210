package dev.meshpilot.server.auth;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.Signature;
import java.security.interfaces.RSAPublicKey;
import java.time.Instant;
import java.util.Base64;
import java.util.List;

/** RS256 service-account tokens signed by a key the test made, and the JWKS file that publishes its public key. */
final class TestJwts {
    private static final ObjectMapper JSON = new ObjectMapper();
    static final String ISSUER = "https://kubernetes.default.svc.cluster.local";

    final String kid;
    private final KeyPair pair;

    TestJwts(String kid) {
        this.kid = kid;
        try {
            KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
            g.initialize(2048);
            this.pair = g.generateKeyPair();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Writes a JWKS holding these issuers' public keys. */
    static void writeJwks(Path file, TestJwts... signers) throws IOException {
        ObjectNode root = JSON.createObjectNode();
        var keys = root.putArray("keys");
        for (TestJwts s : signers) {
            RSAPublicKey pub = (RSAPublicKey) s.pair.getPublic();
            keys.addObject().put("kty", "RSA").put("kid", s.kid).put("alg", "RS256").put("use", "sig")
                    .put("n", b64(unsigned(pub.getModulus()))).put("e", b64(unsigned(pub.getPublicExponent())));
        }
        Files.writeString(file, JSON.writeValueAsString(root));
    }

    /** A projected service-account token (kubernetes.io claims) for {@code ns/sa}, valid until {@code exp}. */
    String serviceAccountToken(String ns, String sa, List<String> audiences, Instant exp) {
        ObjectNode claims = JSON.createObjectNode();
        claims.put("iss", ISSUER);
        claims.put("sub", "system:serviceaccount:" + ns + ":" + sa);
        var aud = claims.putArray("aud");
        audiences.forEach(aud::add);
        claims.put("iat", exp.getEpochSecond() - 3600);
        claims.put("exp", exp.getEpochSecond());
        ObjectNode kube = claims.putObject("kubernetes.io");
        kube.put("namespace", ns);
        kube.putObject("serviceaccount").put("name", sa).put("uid", "0000");
        return sign(claims);
    }

    String sign(ObjectNode claims) {
        ObjectNode header = JSON.createObjectNode().put("alg", "RS256").put("kid", kid).put("typ", "JWT");
        try {
            String signed = b64(JSON.writeValueAsBytes(header)) + "." + b64(JSON.writeValueAsBytes(claims));
            Signature s = Signature.getInstance("SHA256withRSA");
            s.initSign(pair.getPrivate());
            s.update(signed.getBytes(StandardCharsets.US_ASCII));
            return signed + "." + b64(s.sign());
        } catch (IOException | GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] unsigned(BigInteger n) {
        byte[] b = n.toByteArray();
        return b[0] == 0 ? java.util.Arrays.copyOfRange(b, 1, b.length) : b;
    }

    private static String b64(byte[] b) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }
}
