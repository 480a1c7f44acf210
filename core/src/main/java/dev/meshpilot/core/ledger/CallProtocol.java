package dev.meshpilot.core.ledger;

/** How a call was seen: as HTTP requests (including gRPC over an HTTP connection manager) or as TCP connections. */
public enum CallProtocol {
    HTTP, GRPC, TCP
}
