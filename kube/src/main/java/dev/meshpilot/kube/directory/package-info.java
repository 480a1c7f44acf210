/**
 * The manifest-directory source: {@link dev.meshpilot.kube.directory.ManifestDirectory} reads every
 * {@code *.yaml}/{@code *.yml} below a directory (hidden paths skipped, sorted, multi-document, each document parsed
 * on its own so a malformed one costs only itself); {@link dev.meshpilot.kube.directory.MeshLoader} turns it into a
 * snapshot in one call; {@link dev.meshpilot.kube.directory.DirectoryWatcher} keeps a registry store in step with
 * the directory (file notifications plus polling), keeping the last good objects of a broken file.
 */
package dev.meshpilot.kube.directory;
