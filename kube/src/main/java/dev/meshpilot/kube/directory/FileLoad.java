package dev.meshpilot.kube.directory;

import dev.meshpilot.core.registry.MeshObjects;
import dev.meshpilot.kube.convert.ConversionProblem;
import dev.meshpilot.kube.convert.ObjectRef;

import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one manifest file yielded, before duplicates across files are settled.
 *
 * @param objects      converted objects in document order
 * @param failedRefs   objects whose header was readable but whose content was not (a watcher may keep their last
 *                     good version)
 * @param unparsable   true when the file had content and not one document of it was readable YAML
 */
record FileLoad(String file, List<LoadedObject> objects, List<ConversionProblem> problems,
                Map<String, Integer> skippedKinds, Set<ObjectRef> failedRefs, boolean unparsable) {

    FileLoad {
        objects = List.copyOf(objects);
        problems = List.copyOf(problems);
        skippedKinds = Map.copyOf(skippedKinds);
        failedRefs = Set.copyOf(failedRefs);
    }

    /** One converted object and where it was found. */
    record LoadedObject(ObjectRef ref, int documentIndex, int line, MeshObjects objects) {
    }
}
