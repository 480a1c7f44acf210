package dev.meshpilot.kube.directory;

import dev.meshpilot.kube.convert.ConversionProblem;
import dev.meshpilot.kube.convert.ObjectRef;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What of a file's last good objects survives its new content, and whether the new content is suspicious enough to
 * wait for the settle window before it is applied. Pure functions over two loads of one file.
 */
final class LastGood {

    private LastGood() {
    }

    /**
     * Why a new load of a file should not be applied yet (it looks like a write in progress), or empty when it can be
     * applied at once: it is empty, unreadable, has a malformed document, or lacks an object the file served.
     * A file that served nothing is never held (there is nothing to lose).
     */
    static Optional<String> suspicion(FileLoad previous, FileLoad now) {
        if (previous == null || previous.objects().isEmpty()) {
            return Optional.empty();
        }
        if (now.unreadable()) {
            return Optional.of("cannot be read");
        }
        if (now.empty()) {
            return Optional.of("is empty");
        }
        if (!now.brokenDocuments().isEmpty()) {
            return Optional.of("has " + now.brokenDocuments().size() + " malformed document(s)");
        }
        Set<ObjectRef> present = new HashSet<>(now.failedRefs());
        now.objects().forEach(o -> present.add(o.ref()));
        long lost = previous.objects().stream().map(FileLoad.LoadedObject::ref).distinct()
                .filter(r -> !present.contains(r)).count();
        if (lost > 0) {
            return Optional.of("lost " + lost + " of its " + previous.objects().size() + " object(s)");
        }
        return Optional.empty();
    }

    /**
     * The file's effective content once {@code now} is applied: its objects, plus the last good version of every
     * object whose document is now malformed (matched by kind/namespace/name when a line scan of the document can
     * tell, else by position) or whose content is now invalid; a file that cannot be read or parsed at all keeps all
     * its last good objects. An empty file has none.
     */
    static FileLoad merge(FileLoad previous, FileLoad now) {
        if (previous == null || previous.objects().isEmpty()) {
            return now;
        }
        List<ConversionProblem> problems = new ArrayList<>(now.problems());
        if (now.unparsable()) {
            problems.add(new ConversionProblem(ConversionProblem.Severity.WARNING, now.file(), 0, 0, "", "", "", "",
                    (now.unreadable() ? "the file cannot be read" : "no document could be read")
                            + "; keeping the file's last good objects (" + previous.objects().size() + ")"));
            return now.withObjects(previous.objects(), problems);
        }
        Set<ObjectRef> loaded = new HashSet<>();
        now.objects().forEach(o -> loaded.add(o.ref()));
        List<FileLoad.LoadedObject> objects = new ArrayList<>(now.objects());
        for (FileLoad.LoadedObject old : previous.objects()) {
            if (loaded.contains(old.ref())) {
                continue;
            }
            if (now.failedRefs().contains(old.ref())) {
                objects.add(old);
                loaded.add(old.ref());
                problems.add(new ConversionProblem(ConversionProblem.Severity.WARNING, now.file(), old.documentIndex(),
                        old.line(), old.ref().kind(), old.ref().namespace(), old.ref().name(), "",
                        "invalid now; keeping its last good version"));
                continue;
            }
            for (FileLoad.BrokenDocument broken : now.brokenDocuments()) {
                if (broken.held(old)) {
                    objects.add(old);
                    loaded.add(old.ref());
                    problems.add(new ConversionProblem(ConversionProblem.Severity.WARNING, now.file(), broken.index(),
                            broken.line(), old.ref().kind(), old.ref().namespace(), old.ref().name(), "",
                            "document " + broken.index() + " is malformed; keeping the last good version (matched by "
                                    + (broken.named() ? "kind/namespace/name" : "position") + ")"));
                    break;
                }
            }
        }
        return now.withObjects(objects, problems);
    }
}
