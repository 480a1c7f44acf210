package dev.meshpilot.core.model;

import java.util.Objects;

/**
 * One port of a service. {@code targetPort} is the workload's port ({@code inbound|TARGETPORT||}); when the
 * manifest names a container port by name and none is known, it equals {@code port} and
 * {@code targetPortName} keeps the name.
 */
public record ServicePort(String name, int port, int targetPort, String targetPortName, Protocol protocol) {

    public ServicePort {
        name = name == null ? "" : name;
        Objects.requireNonNull(protocol, "protocol");
        if (port < 0 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        targetPortName = targetPortName == null ? "" : targetPortName;
    }

    public static ServicePort of(String name, int port, Protocol protocol) {
        return new ServicePort(name, port, port, "", protocol);
    }
}
