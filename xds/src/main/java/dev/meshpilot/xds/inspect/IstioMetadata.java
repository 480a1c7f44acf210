package dev.meshpilot.xds.inspect;

import com.google.protobuf.Struct;
import com.google.protobuf.Value;
import io.envoyproxy.envoy.config.core.v3.Metadata;

/**
 * The "DESTINATION RULE" / "VIRTUAL SERVICE" cell of istioctl's tables: the {@code istio} filter metadata's
 * {@code config} path rendered as {@code NAME.NAMESPACE} when it is an {@code /apis/networking.istio.io/...} path of
 * eight segments, empty for such a path of another length, {@code <unknown>} for any other path, empty when absent.
 */
final class IstioMetadata {

    private static final String PREFIX = "/apis/networking.istio.io/";

    private IstioMetadata() {
    }

    static String describeManagement(Metadata metadata) {
        Struct istio = metadata.getFilterMetadataMap().get("istio");
        if (istio == null) {
            return "";
        }
        Value config = istio.getFieldsMap().get("config");
        if (config == null) {
            return "";
        }
        String path = config.getStringValue();
        if (path.startsWith(PREFIX)) {
            String[] pieces = path.split("/", -1);
            return pieces.length == 8 ? pieces[7] + "." + pieces[5] : "";
        }
        return "<unknown>";
    }
}
