package dev.meshpilot.kube.directory;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * One listing of a manifest directory.
 *
 * @param files       manifest files that are regular files (or links to them), {@code /}-separated, sorted
 * @param brokenLinks manifest names that are symbolic links which do not resolve (dangling or looping), to why
 * @param failure     why the directory could not be listed (missing, not a directory, an I/O error such as
 *                    "Too many open files"); when present, the other fields are empty
 */
record DirectoryListing(List<String> files, Map<String, String> brokenLinks, Optional<String> failure) {

    DirectoryListing {
        files = List.copyOf(files);
        brokenLinks = Map.copyOf(brokenLinks);
        Objects.requireNonNull(failure, "failure");
    }

    static DirectoryListing failed(String why) {
        return new DirectoryListing(List.of(), Map.of(), Optional.of(why));
    }

    boolean empty() {
        return failure.isEmpty() && files.isEmpty() && brokenLinks.isEmpty();
    }
}
