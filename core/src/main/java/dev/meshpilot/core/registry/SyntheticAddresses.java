package dev.meshpilot.core.registry;

import java.util.Set;

/**
 * Made-up IPv4 addresses for objects a manifest directory describes without one (pods standing for a
 * Deployment/StatefulSet, ClusterIPs of trimmed Services). An address is derived from a seed such as
 * {@code namespace/name} (FNV-1a) inside one range, probing forward past addresses already used so that every
 * address of a snapshot is unique; host parts ending in .0 and .255 are avoided. Ranges of different kinds are
 * disjoint, so a new service never moves a pod's address or the other way round.
 */
final class SyntheticAddresses {

    /** Pods: 10.64.0.0/10. */
    static final SyntheticAddresses PODS = new SyntheticAddresses(10 << 24 | 64 << 16, 22);
    /** Service ClusterIPs: 10.192.0.0/12 (a /12 like Kubernetes' default service range, outside the pod range). */
    static final SyntheticAddresses SERVICES = new SyntheticAddresses(10 << 24 | 192 << 16, 20);

    private final int base;
    private final int size;

    private SyntheticAddresses(int base, int bits) {
        this.base = base;
        this.size = 1 << bits;
    }

    /** The address for this seed: its hashed slot, or the next free one; {@code used} gains it. */
    String allocate(String seed, Set<String> used) {
        int hash = 0x811c9dc5;
        for (int i = 0; i < seed.length(); i++) {
            hash ^= seed.charAt(i);
            hash *= 0x01000193;
        }
        int offset = Math.floorMod(hash, size);
        for (int attempt = 0; attempt < size; attempt++) {
            int candidate = (offset + attempt) % size;
            int last = candidate & 0xff;
            if (last == 0 || last == 255) {
                continue;
            }
            String ip = format(base + candidate);
            if (used.add(ip)) {
                return ip;
            }
        }
        throw new IllegalStateException("no free synthetic address left");
    }

    private static String format(int address) {
        return (address >>> 24) + "." + ((address >>> 16) & 0xff) + "." + ((address >>> 8) & 0xff) + "." + (address & 0xff);
    }
}
