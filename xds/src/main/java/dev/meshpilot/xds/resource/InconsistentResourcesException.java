package dev.meshpilot.xds.resource;

import java.util.List;

/**
 * A generated resource set refers to something it does not contain. Always a generator bug, never a user
 * mistake: the set must not be published (the previous one stays in place).
 */
public final class InconsistentResourcesException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final transient List<String> problems;

    public InconsistentResourcesException(String proxyId, List<String> problems) {
        super("inconsistent xDS resources for " + proxyId + ": " + String.join("; ", problems));
        this.problems = List.copyOf(problems);
    }

    public List<String> problems() {
        return problems;
    }
}
