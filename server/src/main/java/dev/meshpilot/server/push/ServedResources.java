package dev.meshpilot.server.push;

import dev.meshpilot.server.ads.ResourceSet;
import dev.meshpilot.server.ads.VersionedResource;
import dev.meshpilot.xds.naming.XdsType;
import dev.meshpilot.xds.resource.ProxyResources;
import dev.meshpilot.xds.resource.XdsResource;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/** Turns generated {@link ProxyResources} into what streams serve: packed bodies with content-hash versions. */
final class ServedResources {
    private ServedResources() {
    }

    static ResourceSet of(ProxyResources resources) {
        Map<String, List<VersionedResource>> byType = new LinkedHashMap<>();
        for (XdsType type : XdsType.PUSH_ORDER) {
            List<VersionedResource> list = new ArrayList<>();
            for (XdsResource r : resources.get(type).resources()) {
                list.add(new VersionedResource(r.name(), r.toAny(), r.hash()));
            }
            byType.put(type.typeUrl(), list);
        }
        return ResourceSet.of(byType);
    }

    /** Type URLs whose set version differs between the two (all of them when {@code before} is null). */
    static Set<String> changedTypes(ProxyResources before, ProxyResources after) {
        Set<String> changed = new TreeSet<>();
        for (XdsType type : XdsType.PUSH_ORDER) {
            if (before == null || !before.get(type).version().equals(after.get(type).version())) {
                changed.add(type.typeUrl());
            }
        }
        return changed;
    }
}
