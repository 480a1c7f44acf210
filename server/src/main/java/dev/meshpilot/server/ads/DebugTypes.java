package dev.meshpilot.server.ads;

/**
 * Istio's debug xDS types, as istiod's {@code StatusGen}/{@code DebugGen} serve them on the ADS stream: requests
 * for them are answered once each and never become a watch (no scope, no push tracking, no sync status).
 */
public final class DebugTypes {
    /** istiod's {@code DebugType}: the generic debug type ({@code istioctl x internal-debug}). */
    public static final String DEBUG = "istio.io/debug";
    /** Every connected proxy's sync status as {@code envoy.service.status.v3.ClientConfig} (proxy-status). */
    public static final String SYNCZ = DEBUG + "/syncz";
    /** The config dump of the proxy named in {@code resource_names} ({@code proxy-status POD.NS}). */
    public static final String CONFIG_DUMP = DEBUG + "/config_dump";

    private DebugTypes() {
    }

    /** {@code istio.io/debug} and everything below {@code istio.io/debug/}, as istiod routes them. */
    public static boolean isDebug(String typeUrl) {
        return typeUrl.equals(DEBUG) || typeUrl.startsWith(DEBUG + "/");
    }
}
