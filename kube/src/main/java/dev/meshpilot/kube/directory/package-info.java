/**
 * The manifest-directory source: {@link dev.meshpilot.kube.directory.ManifestDirectory} reads every
 * {@code *.yaml}/{@code *.yml} below a directory (hidden paths skipped, sorted, multi-document, each document parsed
 * on its own so a malformed one costs only itself, bounded by {@link dev.meshpilot.kube.directory.ParseLimits});
 * {@link dev.meshpilot.kube.directory.MeshLoader} turns it into a snapshot in one call;
 * {@link dev.meshpilot.kube.directory.DirectoryWatcher} keeps a registry store in step with the directory (file
 * notifications plus polling, parsing on a bounded pool) and never loses the last good mesh to a bad read: a
 * suspicious file waits for a settle window ({@code LastGood}), broken links, failed listings and a vanished or
 * emptied directory keep what was served, duplicates are settled by creation time ({@code Duplicates}), and
 * {@link dev.meshpilot.kube.directory.SourceHealth} tells {@code /ready} when the directory cannot be read.
 */
package dev.meshpilot.kube.directory;
