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
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Keeps a {@link RegistryStore} in step with a manifest directory: files added, changed or deleted become per-file
 * replacements in the store (one batch per scan, so one snapshot per burst of edits). It listens to the file
 * system's change notifications and also polls ({@link WatchSettings#pollInterval()}), so it works where
 * notifications are missing or late.
 *
 * <p>The last good mesh is never lost to a read:
 * <ul>
 *   <li>a file whose new content looks like a write in progress (empty, unreadable, a malformed document, or fewer
 *       objects than it served) keeps its last good objects until that content has been unchanged (size,
 *       modification time, SHA-256) for the settle window; then it applies as it is. Content that only adds or
 *       changes objects applies at once;</li>
 *   <li>a malformed document keeps its object's last good version (matched by kind/namespace/name, else position),
 *       an invalid object its last good version, an unreadable or wholly unparsable file all its objects;</li>
 *   <li>a manifest replaced by a dangling or looping symbolic link keeps its objects while the link is broken;</li>
 *   <li>a directory that cannot be listed, does not exist or holds no manifest at all keeps the whole mesh, and
 *       {@link #health()} says so, until it can be listed and holds manifests again;</li>
 *   <li>a deleted file takes its objects with it once two consecutive listings agree it is gone (so a directory
 *       being removed file by file is caught as vanished, not served half-empty).</li>
 * </ul>
 * Files are parsed on a bounded executor, off the watcher's thread: while one file parses, the others keep updating.
 */
public final class DirectoryWatcher implements AutoCloseable {

    private static final System.Logger LOG = System.getLogger(DirectoryWatcher.class.getName());
    private static final int PARSE_QUEUE = 256;
    /** How long a scan waits for its own parses so that a burst of edits stays one snapshot. */
    private static final Duration BATCH_WAIT = Duration.ofMillis(100);

    public static final Duration DEFAULT_POLL_INTERVAL = WatchSettings.DEFAULT.pollInterval();

    private record FileStamp(FileTime modified, long size, Object fileKey) {
    }

    /** What a file held when it was read: the settle window waits for this to stay the same. */
    private record Observation(long size, long modified, String digest) {
    }

    /** A parsed file whose content waits for the settle window (since when it was first seen unchanged). */
    private record Settling(Observation observation, long sinceMillis, FileLoad load, String why) {
    }

    private record Parsed(String file, Observation observation, FileLoad load) {
    }

    private record InFlight(Observation observation, CompletableFuture<Void> done) {
    }

    private final ManifestDirectory directory;
    private final RegistryStore store;
    private final WatchSettings settings;
    private final Clock clock;
    private final Executor parser;
    private final ParsePool ownPool;
    private final Consumer<LoadResult> onReload;

    private final Map<String, FileStamp> stamps = new HashMap<>();
    private final Map<String, Observation> applied = new HashMap<>();
    private final SortedMap<String, FileLoad> effective = new TreeMap<>();
    private final Map<String, Settling> settling = new TreeMap<>();
    private final Map<String, InFlight> inFlight = new HashMap<>();
    private final Map<String, Integer> missingScans = new HashMap<>();
    private final ConcurrentLinkedQueue<Parsed> completed = new ConcurrentLinkedQueue<>();
    private final Set<Path> registered = ConcurrentHashMap.newKeySet();
    private Map<String, String> brokenLinks = Map.of();
    private Map<ObjectRef, String> incumbents = Map.of();
    private Map<String, MeshObjects> published = Map.of();
    private volatile LoadResult current = new LoadResult(Map.of(), List.of(), Map.of());
    private volatile Optional<String> directoryProblem = Optional.empty();
    private volatile Instant lastSuccessfulScan = Instant.EPOCH;
    private volatile Instant lastScanAttempt = Instant.EPOCH;
    private WatchService watchService;
    private volatile Thread thread;
    private volatile boolean closed;

    /**
     * @param parser   runs file parses (a bounded executor); {@code null} for the watcher's own pool of
     *                 {@link WatchSettings#parseThreads()} threads
     * @param onReload called after each scan that changed the result (objects or problems), with the whole
     *                 directory's current result; called on the thread that scanned
     */
    public DirectoryWatcher(ManifestDirectory directory, RegistryStore store, WatchSettings settings, Clock clock,
                            Executor parser, Consumer<LoadResult> onReload) {
        this.directory = Objects.requireNonNull(directory, "directory");
        this.store = Objects.requireNonNull(store, "store");
        this.settings = Objects.requireNonNull(settings, "settings");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.onReload = Objects.requireNonNull(onReload, "onReload");
        if (parser == null) {
            this.ownPool = new ParsePool(settings.parseThreads(), PARSE_QUEUE);
            this.parser = ownPool;
        } else {
            this.ownPool = null;
            this.parser = parser;
        }
    }

    public DirectoryWatcher(ManifestDirectory directory, RegistryStore store, Duration pollInterval,
                            Consumer<LoadResult> onReload) {
        this(directory, store, WatchSettings.DEFAULT.withPollInterval(pollInterval), Clock.systemUTC(), null,
                onReload);
    }

    public DirectoryWatcher(ManifestDirectory directory, RegistryStore store) {
        this(directory, store, DEFAULT_POLL_INTERVAL, r -> { });
    }

    /**
     * Loads the directory into the store (synchronously, waiting for every parse) and starts watching it. Returns
     * the initial result.
     */
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
        LoadResult initial = scan(Set.of(), true);
        thread = new Thread(this::run, "meshpilot-registry-watch");
        thread.setDaemon(true);
        thread.start();
        return initial;
    }

    /** The result of the latest scan: objects per file and every current problem. */
    public LoadResult current() {
        return current;
    }

    /** How the source is doing: last successful listing, what keeps it from reading the directory, stalled. */
    public SourceHealth health() {
        Instant attempt = lastScanAttempt;
        boolean stalled = thread != null && !closed
                && Duration.between(attempt, clock.instant()).compareTo(settings.stallAfter()) > 0;
        return new SourceHealth(lastSuccessfulScan, attempt, directoryProblem, stalled);
    }

    /**
     * Scans now, on the calling thread, waiting for the parses it starts, and returns the result (the watch loop
     * scans without waiting).
     */
    public LoadResult rescan() {
        return scan(Set.of(), true);
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
        if (ownPool != null) {
            ownPool.close();
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
                scan(touched, false);
            } catch (RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "scanning " + directory.root() + " failed", e);
            }
        }
    }

    /**
     * Waits up to one poll interval for a notification (less while parses are running, to pick up their results
     * soon); collects the files named by notifications.
     */
    private void awaitChange(Set<String> touched) throws InterruptedException {
        long waitMillis = settings.pollInterval().toMillis();
        synchronized (this) {
            if (!inFlight.isEmpty() || !completed.isEmpty()) {
                waitMillis = Math.min(waitMillis, 20);
            }
        }
        WatchService ws = watchService;
        if (ws == null) {
            TimeUnit.MILLISECONDS.sleep(waitMillis);
            return;
        }
        WatchKey key = ws.poll(waitMillis, TimeUnit.MILLISECONDS);
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

    private synchronized LoadResult scan(Set<String> touched, boolean waitForParses) {
        long now = clock.millis();
        lastScanAttempt = Instant.ofEpochMilli(now);
        DirectoryListing listing = directory.listing();
        if (listing.failure().isPresent()) {
            return holdEverything(listing.failure().get() + "; keeping the last good mesh (" + meshSize()
                    + ") until the directory can be listed again");
        }
        if (listing.empty() && effective.values().stream().anyMatch(l -> !l.objects().isEmpty())) {
            return holdEverything("registry directory holds no manifest files (emptied or being replaced?); keeping "
                    + "the last good mesh (" + meshSize() + ") until it holds manifests again");
        }
        boolean changed = directoryProblem.isPresent(); // recovered: the problem leaves the result
        directoryProblem = Optional.empty();
        lastSuccessfulScan = Instant.ofEpochMilli(now);
        registerDirectories();

        Set<String> present = new HashSet<>(listing.files());
        present.addAll(listing.brokenLinks().keySet());
        if (!listing.brokenLinks().equals(brokenLinks)) {
            brokenLinks = listing.brokenLinks();
            changed = true;
        }
        listing.brokenLinks().keySet().forEach(stamps::remove);
        Set<String> known = new HashSet<>(effective.keySet());
        known.addAll(settling.keySet());
        known.addAll(stamps.keySet());
        for (String file : known) {
            if (present.contains(file)) {
                continue;
            }
            // Gone in two consecutive listings: a deletion, not a directory caught halfway through removal.
            if (missingScans.merge(file, 1, Integer::sum) >= 2) {
                forget(file);
                changed = true;
            }
        }
        missingScans.keySet().removeIf(present::contains);

        for (String file : listing.files()) {
            FileStamp stamp = stamp(file);
            if (stamp == null) {
                continue;
            }
            boolean due = !stamp.equals(stamps.get(file)) || touched.contains(file) || settling.containsKey(file);
            if (!due) {
                continue;
            }
            stamps.put(file, stamp);
            ManifestDirectory.FileBytes read = directory.read(file);
            Observation observation = observe(read);
            Settling waiting = settling.get(file);
            if (waiting != null && waiting.observation().equals(observation)) {
                continue; // unchanged while settling; the window check below decides
            }
            if (waiting == null && observation.equals(applied.get(file))) {
                continue; // touched, but the content is what is served
            }
            InFlight running = inFlight.get(file);
            if (running != null && running.observation().equals(observation)) {
                continue;
            }
            if (waiting != null) {
                settling.remove(file);
                changed = true;
            }
            submit(file, observation, read, waitForParses);
        }

        List<CompletableFuture<Void>> parsing = inFlight.values().stream().map(InFlight::done).toList();
        if (waitForParses) {
            CompletableFuture.allOf(parsing.toArray(CompletableFuture[]::new)).join();
        } else if (!parsing.isEmpty()) {
            // Keep a burst of edits in one batch (one snapshot), as long as no file is slow: wait briefly for this
            // scan's parses; whatever is not done by then is published by a later scan.
            try {
                CompletableFuture.allOf(parsing.toArray(CompletableFuture[]::new))
                        .get(BATCH_WAIT.toMillis(), TimeUnit.MILLISECONDS);
            } catch (java.util.concurrent.TimeoutException | java.util.concurrent.ExecutionException e) {
                // published later
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        for (Parsed parsed = completed.poll(); parsed != null; parsed = completed.poll()) {
            InFlight running = inFlight.get(parsed.file());
            if (running == null || !running.observation().equals(parsed.observation())) {
                continue; // superseded by a newer read of the file
            }
            inFlight.remove(parsed.file());
            if (!present.contains(parsed.file())) {
                continue;
            }
            changed |= decide(parsed.file(), parsed.observation(), parsed.load(), now);
        }
        for (Settling waiting : List.copyOf(settling.values())) {
            if (now - waiting.sinceMillis() >= settings.settleWindow().toMillis()) {
                String file = waiting.load().file();
                apply(file, waiting.observation(), LastGood.merge(effective.get(file), waiting.load()));
                changed = true;
            }
        }
        return publish(changed);
    }

    private LoadResult holdEverything(String problem) {
        boolean changed = !directoryProblem.equals(Optional.of(problem));
        directoryProblem = Optional.of(problem);
        return publish(changed);
    }

    private String meshSize() {
        long objects = effective.values().stream().mapToLong(l -> l.objects().size()).sum();
        return objects + " object(s) from " + effective.size() + " file(s)";
    }

    /**
     * Parses the file on the parse pool. When the pool's queue is full the file is read again by the next scan,
     * except in a scan that must see every file ({@code everyFile}: the initial load, which the server serves and
     * reports ready on), where the watcher parses it itself rather than start with part of the mesh.
     */
    private void submit(String file, Observation observation, ManifestDirectory.FileBytes read, boolean everyFile) {
        Runnable parse = () -> {
            FileLoad load;
            try {
                load = read.bytes() == null ? ManifestDirectory.unreadable(file, read.error())
                        : directory.parse(file, read.bytes());
            } catch (RuntimeException | StackOverflowError e) {
                load = ManifestDirectory.unreadable(file, "cannot parse file: " + e);
            }
            completed.add(new Parsed(file, observation, load));
        };
        CompletableFuture<Void> done;
        try {
            done = CompletableFuture.runAsync(parse, parser);
        } catch (RejectedExecutionException e) {
            if (!everyFile) {
                stamps.remove(file); // parsers are all busy and the queue is full: read it again next scan
                return;
            }
            parse.run();
            done = CompletableFuture.completedFuture(null);
        }
        inFlight.put(file, new InFlight(observation, done));
    }

    /** Applies a parsed file, or holds it for the settle window when it looks like a write in progress. */
    private boolean decide(String file, Observation observation, FileLoad load, long now) {
        FileLoad previous = effective.get(file);
        Optional<String> suspicion = LastGood.suspicion(previous, load);
        if (suspicion.isEmpty() || settings.settleWindow().isZero()) {
            apply(file, observation, LastGood.merge(previous, load));
            return true;
        }
        Settling earlier = settling.get(file);
        long since = earlier != null && earlier.observation().equals(observation) ? earlier.sinceMillis() : now;
        settling.put(file, new Settling(observation, since, load, suspicion.get()));
        return true;
    }

    private void apply(String file, Observation observation, FileLoad load) {
        effective.put(file, load);
        applied.put(file, observation);
        settling.remove(file);
    }

    private void forget(String file) {
        stamps.remove(file);
        applied.remove(file);
        effective.remove(file);
        settling.remove(file);
        inFlight.remove(file);
        missingScans.remove(file);
    }

    private LoadResult publish(boolean changed) {
        if (!changed) {
            return current;
        }
        Duplicates.Resolution resolution = Duplicates.resolve(effective, incumbents);
        LoadResult resolved = resolution.result();
        List<SourceChange> changes = new ArrayList<>();
        for (Map.Entry<String, MeshObjects> e : resolved.objectsByFile().entrySet()) {
            if (!e.getValue().equals(published.get(e.getKey()))) {
                changes.add(SourceChange.replace(e.getKey(), e.getValue()));
            }
        }
        for (String file : published.keySet()) {
            if (!resolved.objectsByFile().containsKey(file)) {
                changes.add(SourceChange.delete(file));
            }
        }
        if (!changes.isEmpty()) {
            store.apply(changes);
        }
        published = resolved.objectsByFile();
        incumbents = resolution.winners();
        List<ConversionProblem> problems = new ArrayList<>(resolved.problems());
        brokenLinks.forEach((file, why) -> problems.add(new ConversionProblem(ConversionProblem.Severity.ERROR, file,
                0, 0, "", "", "", "", why + "; keeping the file's last good objects ("
                + objectCount(file) + ") while the link is broken")));
        settling.forEach((file, waiting) -> waiting.load().problems().stream().filter(ConversionProblem::isError)
                .forEach(problems::add));
        settling.forEach((file, waiting) -> problems.add(new ConversionProblem(ConversionProblem.Severity.WARNING,
                file, 0, 0, "", "", "", "", "file " + waiting.why() + " (a write in progress?); serving its last "
                + "good objects (" + objectCount(file) + ") until it is unchanged for "
                + settings.settleWindow().toMillis() + " ms")));
        directoryProblem.ifPresent(p -> problems.add(new ConversionProblem(ConversionProblem.Severity.ERROR,
                directory.root().toString(), 0, 0, "", "", "", "", p)));
        LoadResult result = new LoadResult(resolved.objectsByFile(), problems, resolved.skippedKinds());
        if (!result.equals(current)) {
            current = result;
            onReload.accept(result);
        }
        return current;
    }

    private int objectCount(String file) {
        FileLoad load = effective.get(file);
        return load == null ? 0 : load.objects().size();
    }

    private static Observation observe(ManifestDirectory.FileBytes read) {
        if (read.bytes() == null) {
            return new Observation(read.size(), read.modified(), "unread: " + read.error());
        }
        return new Observation(read.size(), read.modified(), ContentDigest.sha256(read.bytes()));
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
