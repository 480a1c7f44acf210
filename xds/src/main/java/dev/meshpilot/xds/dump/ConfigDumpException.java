package dev.meshpilot.xds.dump;

/**
 * A file that cannot be read as an Envoy config dump: not JSON, truncated, not a config dump, a dump of another
 * proxy (ztunnel), or a resource that does not parse. The message names the file and where in it the problem is.
 */
public final class ConfigDumpException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public ConfigDumpException(String message) {
        super(message);
    }

    public ConfigDumpException(String message, Throwable cause) {
        super(message, cause);
    }
}
