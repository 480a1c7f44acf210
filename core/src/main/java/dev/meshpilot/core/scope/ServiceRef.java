package dev.meshpilot.core.scope;

import dev.meshpilot.core.model.MeshService;

/** Identifies one service record of the mesh (two ServiceEntries may declare one host in one namespace). */
record ServiceRef(String hostname, String namespace, MeshService.Registry registry, String source) {

    static ServiceRef of(MeshService s) {
        return new ServiceRef(s.hostname(), s.namespace(), s.registry(), s.name());
    }
}
