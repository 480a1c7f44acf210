package dev.meshpilot.core.scope;

import dev.meshpilot.core.model.ConfigKey;
import dev.meshpilot.core.model.MeshService;

import java.util.AbstractSet;
import java.util.Arrays;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;

/**
 * A scope's dependency set (R48) without materialising two keys per scope service: the Sidecar, VirtualService and
 * DestinationRule keys are held as a set, the SERVICE and ENDPOINTS keys are answered from the scope's own service
 * list through a sorted hostname index. Immutable; a full-mesh scope of 10k services costs two arrays instead of a
 * 20k-entry hash set.
 */
final class DependencySet extends AbstractSet<ConfigKey> {

    private final Set<ConfigKey> explicit;
    private final String[] hostnames;
    private final String[] namespaces;

    DependencySet(Set<ConfigKey> explicit, List<MeshService> services) {
        this.explicit = Set.copyOf(explicit);
        MeshService[] sorted = services.toArray(new MeshService[0]);
        Arrays.sort(sorted, Comparator.comparing(MeshService::hostname));
        this.hostnames = new String[sorted.length];
        this.namespaces = new String[sorted.length];
        for (int i = 0; i < sorted.length; i++) {
            hostnames[i] = sorted[i].hostname();
            namespaces[i] = sorted[i].namespace();
        }
    }

    @Override
    public boolean contains(Object o) {
        if (!(o instanceof ConfigKey key)) {
            return false;
        }
        if (key.kind() == ConfigKey.Kind.SERVICE || key.kind() == ConfigKey.Kind.ENDPOINTS) {
            int at = Arrays.binarySearch(hostnames, key.name());
            return at >= 0 && namespaces[at].equals(key.namespace());
        }
        return explicit.contains(key);
    }

    @Override
    public int size() {
        return explicit.size() + 2 * hostnames.length;
    }

    @Override
    public Iterator<ConfigKey> iterator() {
        Iterator<ConfigKey> first = explicit.iterator();
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return first.hasNext() || next < 2 * hostnames.length;
            }

            @Override
            public ConfigKey next() {
                if (first.hasNext()) {
                    return first.next();
                }
                if (next >= 2 * hostnames.length) {
                    throw new NoSuchElementException();
                }
                int i = next / 2;
                ConfigKey.Kind kind = next % 2 == 0 ? ConfigKey.Kind.SERVICE : ConfigKey.Kind.ENDPOINTS;
                next++;
                return ConfigKey.of(kind, namespaces[i], hostnames[i]);
            }
        };
    }
}
