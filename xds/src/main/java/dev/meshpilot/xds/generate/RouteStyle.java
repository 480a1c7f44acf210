package dev.meshpilot.xds.generate;

/** Who consumes a route: an Envoy sidecar (Istio's defaults: no timeout, default retries) or a proxyless gRPC client. */
enum RouteStyle {
    SIDECAR, GRPC
}
