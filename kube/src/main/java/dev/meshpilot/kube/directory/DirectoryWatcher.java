package dev.meshpilot.kube.directory;

import dev.meshpilot.core.registry.MeshObjects;
import dev.meshpilot.core.registry.RegistryStore;
import dev.meshpilot.core.registry.SourceChange;
import dev.meshpilot.kube.convert.ConversionProblem;
import dev.meshpilot.kube.convert.ObjectRef;

import java.io.IOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardWatchEventKinds;
import java.nio.file.WatchEvent;
import java.nio.file.WatchKey;
import java.nio.file.WatchService;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Keeps a {@link RegistryStore} in step with a manifest directory: files added, changed or deleted become per-file
 * replacements in the store (one batch per scan, so one snapshot per burst of edits). It listens to the file
 * system's change notifications and also polls (every 200 ms by default), so it works where notifications are
 * missing or late.
 *
 * <p>Last good state: when a file's new content is entirely unparsable YAML, the file's previous objects stay in
 * the store; when a single object of a file becomes invalid, its previous version stays. Both are reported.
 * A file that is deleted takes its objects with it.
 */
public final class DirectoryWatcher implements AutoCloseable {

    public static final Duration DEFAULT_POLL_INTERVAL = Duration.ofMillis(200);

    private static final String MISSING = "registry directory does not exist";
    private static final System.Logger LOG = System.getLogger(DirectoryWatcher.class.getName());

    private record FileStamp(FileTime modified, long size, Object fileKey) {
    }

    private final ManifestDirectory directory;
    private final RegistryStore store;
    private final Duration pollInterval;
    private final Consumer<LoadResult> onReload;

    private final Map<String, FileStamp> stamps = new HashMap<>();
    private final SortedMap<String, FileLoad> effective = new TreeMap<>();
    private final Set<Path> registered = ConcurrentHashMap.newKeySet();
    private Map<String, MeshObjects> published = Map.of();
    private volatile LoadResult current = new LoadResult(Map.of(), List.of(), Map.of());
    private WatchService watchService;
    private Thread thread;
    private volatile boolean closed;

    /**
     * @param onReload called after each scan that changed something, with the whole directory's current result
     *                 (problems included); called on the watcher thread
     */
    public DirectoryWatcher(ManifestDirectory directory, RegistryStore store, Duration pollInterval,
                            Consumer<LoadResult> onReload) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.store = Objects.requireNonNull(store, "store");
        this.pollInterval = Objects.requireNonNull(pollInterval, "pollInterval");
        this.onReload = Objects.requireNonNull(onReload, "onReload");
    }

    public DirectoryWatcher(ManifestDirectory directory, RegistryStore store) {
        this(directory, store, DEFAULT_POLL_INTERVAL, r -> { });
    }

    /** Loads the directory into the store (synchronously) and starts watching it. Returns the initial result. */
    public synchronized LoadResult start() {
        if (thread != null) {
            throw new IllegalStateException("already started");
        }
        try {
            watchService = FileSystems.getDefault().newWatchService();
        } catch (IOException | UnsupportedOperationException e) {
            LOG.log(System.Logger.Level.INFO, "file change notifications unavailable, polling only: " + e);
            watchService = null;
        }
        LoadResult initial = scan(Set.of());
        thread = new Thread(this::run, "meshpilot-registry-watch");
        thread.setDaemon(true);
        thread.start();
        return initial;
    }

    /** The result of the latest scan: objects per file and every current problem. */
    public LoadResult current() {
        return current;
    }

    /** Scans now, on the calling thread, and returns the result (also used by the watch loop). */
    public LoadResult rescan() {
        return scan(Set.of());
    }

    @Override
    public void close() {
        closed = true;
        Thread t;
        synchronized (this) {
            t = thread;
        }
        if (t != null) {
            t.interrupt();
            try {
                t.join(2000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        WatchService ws = watchService;
        if (ws != null) {
            try {
                ws.close();
            } catch (IOException e) {
                LOG.log(System.Logger.Level.DEBUG, "closing watch service", e);
            }
        }
    }

    private void run() {
        while (!closed) {
            Set<String> touched = new HashSet<>();
            try {
                awaitChange(touched);
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "watch service failed; polling", e);
            }
            if (closed) {
                return;
            }
            try {
                scan(touched);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "scanning " + directory.root() + " failed", e);
            }
        }
    }

    /** Waits up to one poll interval for a notification; collects the files named by notifications. */
    private void awaitChange(Set<String> touched) throws InterruptedException {
        WatchService ws = watchService;
        if (ws == null) {
            TimeUnit.MILLISECONDS.sleep(pollInterval.toMillis());
            return;
        }
        WatchKey key = ws.poll(pollInterval.toMillis(), TimeUnit.MILLISECONDS);
        while (key != null) {
            if (key.watchable() instanceof Path dir) {
                for (WatchEvent<?> event : key.pollEvents()) {
                    if (event.context() instanceof Path name) {
                        Path file = dir.resolve(name);
                        if (Files.isRegularFile(directory.root())) {
                            touched.add(directory.root().getFileName().toString());
                        } else if (file.startsWith(directory.root())) {
                            touched.add(directory.key(file));
                        }
                    }
                }
            }
            if (!key.reset()) {
                registered.remove((Path) key.watchable());
            }
            key = ws.poll();
        }
    }

    private synchronized LoadResult scan(Set<String> touched) {
        if (!Files.exists(directory.root())) {
            // A vanished directory is more likely a remount or a mistake than a request to empty the mesh.
            if (current.problems().stream().noneMatch(p -> p.message().startsWith(MISSING))) {
                List<ConversionProblem> problems = new ArrayList<>(current.problems());
                problems.add(new ConversionProblem(ConversionProblem.Severity.ERROR, directory.root().toString(), 0, 0,
                        "", "", "", "", MISSING + "; keeping the mesh as it was"));
                current = new LoadResult(current.objectsByFile(), problems, current.skippedKinds());
                onReload.accept(current);
            }
            return current;
        }
        registerDirectories();
        List<String> files = directory.manifestFiles();
        Set<String> present = new HashSet<>(files);
        boolean changed = false;
        for (String file : files) {
            FileStamp stamp = stamp(file);
            if (stamp == null) {
                continue;
            }
            if (!stamp.equals(stamps.get(file)) || touched.contains(file)) {
                stamps.put(file, stamp);
                effective.put(file, keepLastGood(effective.get(file), directory.loadFile(file)));
                changed = true;
            }
        }
        for (String file : new ArrayList<>(stamps.keySet())) {
            if (!present.contains(file)) {
                stamps.remove(file);
                effective.remove(file);
                changed = true;
            }
        }
        if (!changed) {
            return current;
        }
        LoadResult result = ManifestDirectory.assemble(effective);
        List<SourceChange> changes = new ArrayList<>();
        for (Map.Entry<String, MeshObjects> e : result.objectsByFile().entrySet()) {
            if (!e.getValue().equals(published.get(e.getKey()))) {
                changes.add(SourceChange.replace(e.getKey(), e.getValue()));
            }
        }
        for (String file : published.keySet()) {
            if (!result.objectsByFile().containsKey(file)) {
                changes.add(SourceChange.delete(file));
            }
        }
        store.apply(changes);
        published = result.objectsByFile();
        current = result;
        onReload.accept(result);
        return result;
    }

    /**
     * A file that is now entirely unparsable keeps its previous objects; an object that is now invalid keeps its
     * previous version. Both are reported as warnings next to the errors that caused them.
     */
    static FileLoad keepLastGood(FileLoad previous, FileLoad now) {
        if (previous == null || previous.objects().isEmpty()) {
            return now;
        }
        List<ConversionProblem> problems = new ArrayList<>(now.problems());
        if (now.unparsable()) {
            problems.add(new ConversionProblem(ConversionProblem.Severity.WARNING, now.file(), 0, 0, "", "", "", "",
                    "no document could be read; keeping the file's last good objects (" + previous.objects().size()
                            + ")"));
            return new FileLoad(now.file(), previous.objects(), problems, previous.skippedKinds(), Set.of(), true);
        }
        Set<ObjectRef> loaded = new HashSet<>();
        now.objects().forEach(o -> loaded.add(o.ref()));
        List<FileLoad.LoadedObject> objects = new ArrayList<>(now.objects());
        for (FileLoad.LoadedObject old : previous.objects()) {
            if (now.failedRefs().contains(old.ref()) && !loaded.contains(old.ref())) {
                objects.add(old);
                problems.add(new ConversionProblem(ConversionProblem.Severity.WARNING, now.file(), old.documentIndex(),
                        old.line(), old.ref().kind(), old.ref().namespace(), old.ref().name(), "",
                        "invalid now; keeping its last good version"));
            }
        }
        return new FileLoad(now.file(), objects, problems, now.skippedKinds(), now.failedRefs(), false);
    }

    private FileStamp stamp(String file) {
        try {
            BasicFileAttributes attributes = Files.readAttributes(directory.resolve(file), BasicFileAttributes.class);
            return new FileStamp(attributes.lastModifiedTime(), attributes.size(), attributes.fileKey());
        } catch (IOException e) {
            return null;
        }
    }

    private void registerDirectories() {
        WatchService ws = watchService;
        if (ws == null || closed) {
            return;
        }
        Path root = directory.root();
        List<Path> dirs;
        if (Files.isRegularFile(root)) {
            dirs = List.of(root.getParent());
        } else if (Files.isDirectory(root)) {
            try (Stream<Path> walk = Files.walk(root)) {
                dirs = walk.filter(Files::isDirectory)
                        .filter(d -> d.equals(root) || !root.relativize(d).toString().contains("/.")
                                && !root.relativize(d).toString().startsWith("."))
                        .toList();
            } catch (IOException | RuntimeException e) {
                return;
            }
        } else {
            return;
        }
        for (Path dir : dirs) {
            if (registered.contains(dir)) {
                continue;
            }
            try {
                dir.register(ws, StandardWatchEventKinds.ENTRY_CREATE, StandardWatchEventKinds.ENTRY_MODIFY,
                        StandardWatchEventKinds.ENTRY_DELETE);
                registered.add(dir);
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.DEBUG, "cannot watch " + dir + "; polling covers it", e);
            }
        }
    }
}
