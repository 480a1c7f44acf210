package dev.meshpilot.cli;

import dev.meshpilot.core.scope.ProxyIdentity.ProxyKind;
import picocli.CommandLine;
import picocli.CommandLine.ITypeConverter;

import java.util.Locale;

/**
 * The proxy kinds a user can name on the command line ({@code --proxy-kind}): {@code istio-proxy} (also
 * {@code sidecar}, the default), {@code envoy} (upstream Envoy, no Istio extensions) and {@code grpc} (also
 * {@code proxyless}, {@code proxyless-grpc}).
 */
public final class ProxyKindOption implements ITypeConverter<ProxyKind> {

    /** What {@code --proxy-kind} accepts, for help texts. */
    public static final String VALUES = "istio-proxy|envoy|grpc";

    /** @throws CommandLine.TypeConversionException naming the accepted values when {@code value} is none of them */
    @Override
    public ProxyKind convert(String value) {
        return switch (value == null ? "" : value.trim().toLowerCase(Locale.ROOT)) {
            case "istio-proxy", "sidecar" -> ProxyKind.SIDECAR;
            case "envoy" -> ProxyKind.ENVOY;
            case "grpc", "proxyless", "proxyless-grpc" -> ProxyKind.PROXYLESS_GRPC;
            default -> throw new CommandLine.TypeConversionException("'" + value
                    + "' is not a proxy kind; use istio-proxy (or sidecar), envoy or grpc");
        };
    }
}
