package dev.meshpilot.kube.directory;

import dev.meshpilot.core.registry.MeshObjects;
import dev.meshpilot.kube.convert.ConversionProblem;
import dev.meshpilot.kube.convert.ObjectRef;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * Settles objects defined more than once (same kind, namespace and name, in two files or twice in one). Istio orders
 * configs by creation time, oldest first, then by name and namespace; duplicates share name and namespace, so the
 * rule here is:
 * <ol>
 *   <li>the older {@code metadata.creationTimestamp} wins (an absent or unreadable timestamp counts as newer than any
 *       written one);</li>
 *   <li>with equal (or no) timestamps, the copy already being served wins: adding a file never displaces an object
 *       that is served from another file;</li>
 *   <li>only when neither copy is served (a first load) does the lower file path, then document position, decide.</li>
 * </ol>
 * Every losing copy is reported with both locations; the winner is served.
 */
final class Duplicates {

    /**
     * @param result  objects per file with the losing copies left out, and every problem
     * @param winners where each object's served copy comes from (its file), to pass back as the next incumbents
     */
    record Resolution(LoadResult result, Map<ObjectRef, String> winners) {
    }

    private record Candidate(FileLoad.LoadedObject object, String file, Instant created, boolean served) {
        String location() {
            return file + " document " + object.documentIndex();
        }
    }

    private static final Comparator<Candidate> OLDEST_FIRST = Comparator
            .comparing(Candidate::created)
            .thenComparing(c -> !c.served())
            .thenComparing(Candidate::file)
            .thenComparingInt(c -> c.object().documentIndex());

    private Duplicates() {
    }

    /**
     * @param files      each file's effective objects, by path
     * @param incumbents where each object was served from before this resolution (empty on a first load)
     */
    static Resolution resolve(SortedMap<String, FileLoad> files, Map<ObjectRef, String> incumbents) {
        Map<ObjectRef, List<Candidate>> byRef = new LinkedHashMap<>();
        for (FileLoad load : files.values()) {
            for (FileLoad.LoadedObject object : load.objects()) {
                boolean served = load.file().equals(incumbents.get(object.ref()));
                byRef.computeIfAbsent(object.ref(), r -> new ArrayList<>())
                        .add(new Candidate(object, load.file(), created(object.creationTimestamp()), served));
            }
        }
        Map<ObjectRef, Candidate> winners = new HashMap<>();
        List<ConversionProblem> duplicateProblems = new ArrayList<>();
        byRef.forEach((ref, candidates) -> {
            if (candidates.size() == 1) {
                winners.put(ref, candidates.get(0));
                return;
            }
            List<Candidate> sorted = new ArrayList<>(candidates);
            sorted.sort(OLDEST_FIRST);
            Candidate winner = sorted.get(0);
            winners.put(ref, winner);
            for (Candidate loser : sorted.subList(1, sorted.size())) {
                FileLoad.LoadedObject o = loser.object();
                duplicateProblems.add(new ConversionProblem(ConversionProblem.Severity.ERROR, loser.file(),
                        o.documentIndex(), o.line(), ref.kind(), ref.namespace(), ref.name(), "metadata.name",
                        "duplicate object: also defined in " + winner.location() + ", which is kept ("
                                + why(winner, loser) + "); this copy in " + loser.location() + " is ignored"));
            }
        });
        Map<String, MeshObjects> objectsByFile = new LinkedHashMap<>();
        List<ConversionProblem> problems = new ArrayList<>();
        Map<String, Integer> skipped = new TreeMap<>();
        for (FileLoad load : files.values()) {
            problems.addAll(load.problems());
            load.skippedKinds().forEach((k, v) -> skipped.merge(k, v, Integer::sum));
            MeshObjects.Builder kept = MeshObjects.builder();
            for (FileLoad.LoadedObject object : load.objects()) {
                Candidate winner = winners.get(object.ref());
                if (winner.object() == object && winner.file().equals(load.file())) {
                    kept.addAll(object.objects());
                }
            }
            objectsByFile.put(load.file(), kept.build());
        }
        problems.addAll(duplicateProblems);
        Map<ObjectRef, String> winnerFiles = new HashMap<>();
        winners.forEach((ref, c) -> winnerFiles.put(ref, c.file()));
        return new Resolution(new LoadResult(objectsByFile, problems, skipped), winnerFiles);
    }

    private static String why(Candidate winner, Candidate loser) {
        if (winner.created().isBefore(loser.created())) {
            return winner.created().equals(Instant.MAX) ? "older creationTimestamp"
                    : "older creationTimestamp " + winner.created();
        }
        if (winner.served() && !loser.served()) {
            return "equal creationTimestamp; already served";
        }
        return "equal creationTimestamp; first in path and document order";
    }

    private static Instant created(String timestamp) {
        if (timestamp.isEmpty()) {
            return Instant.MAX;
        }
        try {
            return Instant.parse(timestamp);
        } catch (DateTimeParseException e) {
            return Instant.MAX;
        }
    }
}
