package dev.meshpilot.server.push;

import dev.meshpilot.core.scope.ProxyIdentity;
import dev.meshpilot.core.scope.ProxyScope;
import dev.meshpilot.server.ads.ProxyConnection;
import dev.meshpilot.server.ads.ResourceSet;
import dev.meshpilot.xds.resource.ProxyResources;

import java.util.Objects;

/**
 * What the server last decided for one connected proxy: who it is, its scope and resources (as generated and as
 * served), from which state.
 */
public record ProxyEntry(ProxyConnection connection, ProxyIdentity identity, ProxyScope scope,
                         ProxyResources resources, ResourceSet served, long stateVersion) {
    public ProxyEntry {
        Objects.requireNonNull(connection, "connection");
        Objects.requireNonNull(identity, "identity");
        Objects.requireNonNull(scope, "scope");
        Objects.requireNonNull(resources, "resources");
        Objects.requireNonNull(served, "served");
    }
}
