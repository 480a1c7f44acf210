package dev.meshpilot.kube.directory;

import dev.meshpilot.core.registry.MeshObjects;
import dev.meshpilot.kube.convert.ConversionProblem;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The outcome of reading a manifest directory: the model objects of each file (duplicates removed; the first
 * occurrence in path and document order is kept), every problem found, and how many objects of each unused type
 * were skipped.
 *
 * @param objectsByFile relative file path ({@code /}-separated) to its objects, in path order
 * @param skippedKinds  {@code apiVersion/kind} to the number of objects of that type that were skipped
 */
public record LoadResult(Map<String, MeshObjects> objectsByFile, List<ConversionProblem> problems,
                         Map<String, Integer> skippedKinds) {

    public LoadResult {
        objectsByFile = Collections.unmodifiableMap(new LinkedHashMap<>(new TreeMap<>(objectsByFile)));
        problems = List.copyOf(problems);
        skippedKinds = Collections.unmodifiableMap(new TreeMap<>(skippedKinds));
    }

    /** All objects of all files, in path order. */
    public MeshObjects objects() {
        MeshObjects.Builder all = MeshObjects.builder();
        objectsByFile.values().forEach(all::addAll);
        return all.build();
    }

    public List<ConversionProblem> errors() {
        return problems.stream().filter(ConversionProblem::isError).toList();
    }

    public List<ConversionProblem> warnings() {
        return problems.stream().filter(p -> !p.isError()).toList();
    }

    public int skippedCount() {
        return skippedKinds.values().stream().mapToInt(Integer::intValue).sum();
    }
}
