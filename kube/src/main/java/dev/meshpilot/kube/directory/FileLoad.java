package dev.meshpilot.kube.directory;

import dev.meshpilot.core.registry.MeshObjects;
import dev.meshpilot.kube.convert.ConversionProblem;
import dev.meshpilot.kube.convert.ObjectRef;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * What one manifest file yielded, before duplicates across files are settled.
 *
 * @param objects         converted objects in document order
 * @param failedRefs      objects whose header was readable but whose content was not (a watcher may keep their last
 *                        good version)
 * @param brokenDocuments documents that could not be parsed (or were refused by a limit before parsing)
 * @param documentCount   documents in the file (blank and comment-only parts are not documents)
 * @param unreadable      true when the file itself could not be read (I/O error, not UTF-8, over the size limit)
 */
record FileLoad(String file, List<LoadedObject> objects, List<ConversionProblem> problems,
                Map<String, Integer> skippedKinds, Set<ObjectRef> failedRefs, List<BrokenDocument> brokenDocuments,
                int documentCount, boolean unreadable) {

    FileLoad {
        Objects.requireNonNull(file, "file");
        objects = List.copyOf(objects);
        problems = List.copyOf(problems);
        skippedKinds = Map.copyOf(skippedKinds);
        failedRefs = Set.copyOf(failedRefs);
        brokenDocuments = List.copyOf(brokenDocuments);
    }

    /** True when the file could not be read, or had documents and not one of them could be parsed. */
    boolean unparsable() {
        return unreadable || documentCount > 0 && brokenDocuments.size() == documentCount;
    }

    /** True when the file was read and holds no document at all (0 bytes, blanks, comments). */
    boolean empty() {
        return !unreadable && documentCount == 0;
    }

    FileLoad withObjects(List<LoadedObject> newObjects, List<ConversionProblem> newProblems) {
        return new FileLoad(file, newObjects, newProblems, skippedKinds, failedRefs, brokenDocuments, documentCount,
                unreadable);
    }

    /**
     * One converted object and where it was found.
     *
     * @param creationTimestamp {@code metadata.creationTimestamp} as written (empty when absent); settles duplicates
     */
    record LoadedObject(ObjectRef ref, int documentIndex, int line, String creationTimestamp, MeshObjects objects) {
        LoadedObject {
            Objects.requireNonNull(ref, "ref");
            creationTimestamp = creationTimestamp == null ? "" : creationTimestamp;
            Objects.requireNonNull(objects, "objects");
        }
    }

    /**
     * A document that could not be parsed, with the object it names when a line scan can tell (kind and name;
     * namespace when written), so that the object's last good version can be kept.
     */
    record BrokenDocument(int index, int line, String kind, String namespace, String name) {

        boolean named() {
            return !kind.isEmpty() && !name.isEmpty();
        }

        /** Whether {@code old} is what this document held: same kind/namespace/name if named, else same position. */
        boolean held(LoadedObject old) {
            if (named()) {
                return old.ref().kind().equals(kind) && old.ref().name().equals(name)
                        && (namespace.isEmpty() || old.ref().namespace().equals(namespace));
            }
            return old.documentIndex() == index;
        }

        String describe() {
            return named() ? kind + " " + (namespace.isEmpty() ? name : namespace + "/" + name)
                    : "document " + index;
        }
    }
}
