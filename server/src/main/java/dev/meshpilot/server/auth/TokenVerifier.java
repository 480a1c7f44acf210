package dev.meshpilot.server.auth;

/** Checks a bearer token and says which service account it belongs to. */
public interface TokenVerifier {
    /** @throws AuthException when the token is not accepted (reason and a message the client may see) */
    CallerIdentity verify(String token) throws AuthException;
}
