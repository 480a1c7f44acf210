package dev.meshpilot.kube.ledger;

import dev.meshpilot.core.ledger.DependencyLedger;
import dev.meshpilot.core.ledger.LedgerStore;
import dev.meshpilot.core.ledger.LedgerStoreException;
import dev.meshpilot.core.ledger.WorkloadKey;
import dev.meshpilot.core.ledger.WorkloadLedger;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Clock;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.stream.Stream;

/**
 * The ledger in a state directory ({@code --state-dir DIR}, embedded mode): one file per workload,
 * {@code DIR/ledger/NAMESPACE/NAME.json} in the {@link LedgerJson} shape (names made safe by {@link LedgerNames}).
 *
 * <ul>
 *   <li>Writes are atomic: the page goes to a temporary file in the same directory ({@code .NAME.json.*.tmp}),
 *       is flushed to disk, and replaces the page with an atomic move; the directory is then flushed too. A crash
 *       leaves the old page or the new one, and at worst a temporary file, which loading ignores.</li>
 *   <li>Saving reads the stored page, merges, and writes only when the merge changed it. Saves hold an exclusive
 *       lock on {@code DIR/ledger/.lock}, so two processes (or two stores in one process) sharing a directory
 *       never lose each other's evidence.</li>
 *   <li>A page that cannot be read (corrupt, truncated, empty, a newer format) is moved aside to
 *       {@code NAME.json.corrupt-<UTC time>} — never overwritten — and reported once in
 *       {@link Loaded#problems()} with its location (by the next load of this store when a save found it); the
 *       other pages load.</li>
 * </ul>
 */
public final class StateDirectoryLedgerStore implements LedgerStore {

    static final String SUFFIX = ".json";
    static final String TEMP_SUFFIX = ".tmp";
    private static final DateTimeFormatter ASIDE_TIME =
            DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss.SSS'Z'").withZone(ZoneOffset.UTC);

    private final Path stateDir;
    private final Path ledgerDir;
    private final Clock clock;
    /** Pages found unreadable and set aside by a save, reported by the next {@link #load()}. */
    private final Queue<String> setAsideWhileSaving = new ConcurrentLinkedQueue<>();

    /** A store under {@code stateDir} (created when first written). */
    public StateDirectoryLedgerStore(Path stateDir) {
        this(stateDir, Clock.systemUTC());
    }

    StateDirectoryLedgerStore(Path stateDir, Clock clock) {
        this.stateDir = stateDir;
        this.ledgerDir = stateDir.resolve("ledger");
        this.clock = clock;
    }

    @Override
    public Loaded load() {
        List<String> problems = new ArrayList<>();
        for (String problem = setAsideWhileSaving.poll(); problem != null; problem = setAsideWhileSaving.poll()) {
            problems.add(problem);
        }
        DependencyLedger ledger = readAll(problems);
        return new Loaded(ledger, problems);
    }

    /** Every readable page; each unreadable one is set aside and described in {@code problems}. */
    private DependencyLedger readAll(List<String> problems) {
        if (Files.isRegularFile(stateDir)) {
            throw new LedgerStoreException("state directory " + stateDir + " is a file, not a directory");
        }
        if (!Files.isDirectory(ledgerDir)) {
            return DependencyLedger.empty();
        }
        List<WorkloadLedger> pages = new ArrayList<>();
        for (Path file : pageFiles()) {
            try {
                read(file).ifPresent(pages::add);
            } catch (LedgerFormatException e) {
                setAside(file).ifPresent(aside -> problems.add(e.getMessage() + "; set aside as " + aside.getFileName()));
            } catch (IOException e) {
                throw new LedgerStoreException("cannot read " + file + ": " + e.getMessage(), e);
            }
        }
        return DependencyLedger.of(pages);
    }

    @Override
    public DependencyLedger save(DependencyLedger ledger) {
        try {
            Files.createDirectories(ledgerDir);
        } catch (IOException e) {
            throw new LedgerStoreException("cannot create " + ledgerDir + ": " + e.getMessage(), e);
        }
        try (FileChannel lockFile = FileChannel.open(ledgerDir.resolve(".lock"), StandardOpenOption.CREATE,
                StandardOpenOption.WRITE); FileLock ignored = exclusive(lockFile)) {
            for (WorkloadLedger page : ledger.pages()) {
                savePage(page);
            }
            List<String> problems = new ArrayList<>();
            DependencyLedger stored = readAll(problems);
            setAsideWhileSaving.addAll(problems);
            return stored.merge(ledger);
        } catch (IOException e) {
            throw new LedgerStoreException("cannot write the ledger in " + ledgerDir + ": " + e.getMessage(), e);
        }
    }

    @Override
    public String describe() {
        return "state directory " + stateDir;
    }

    /** The file of a workload's page. */
    Path fileOf(WorkloadKey workload) {
        return ledgerDir.resolve(LedgerNames.fileName(workload.namespace()))
                .resolve(LedgerNames.fileName(workload.name()) + SUFFIX);
    }

    private void savePage(WorkloadLedger page) throws IOException {
        Path file = fileOf(page.workload());
        WorkloadLedger stored = null;
        try {
            stored = read(file).orElse(null);
        } catch (LedgerFormatException e) {
            setAside(file).ifPresent(aside -> setAsideWhileSaving.add(e.getMessage() + "; set aside as "
                    + aside.getFileName()));
        }
        WorkloadLedger merged = stored == null ? page : stored.merge(page);
        if (!merged.equals(stored)) {
            writeAtomically(file, LedgerJson.toBytes(merged));
        }
    }

    /** The page in {@code file}, empty if there is none; a page of another workload counts as unreadable. */
    private Optional<WorkloadLedger> read(Path file) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        WorkloadLedger page = LedgerJson.fromBytes(bytes, file.toString());
        if (!fileOf(page.workload()).equals(file)) {
            throw new LedgerFormatException(file + ": workload: holds the page of " + page.workload()
                    + ", whose file is " + fileOf(page.workload()));
        }
        return Optional.of(page);
    }

    private List<Path> pageFiles() {
        try (Stream<Path> files = Files.find(ledgerDir, 2, (path, attributes) -> attributes.isRegularFile()
                && path.getFileName().toString().endsWith(SUFFIX)
                && !path.getFileName().toString().startsWith("."))) {
            return files.sorted().toList();
        } catch (IOException e) {
            throw new LedgerStoreException("cannot list " + ledgerDir + ": " + e.getMessage(), e);
        }
    }

    /** Moves an unreadable page aside; empty when another reader already did (and reports it). */
    private Optional<Path> setAside(Path file) {
        Path aside = file.resolveSibling(file.getFileName() + ".corrupt-" + ASIDE_TIME.format(clock.instant()));
        try {
            Files.move(file, aside, StandardCopyOption.ATOMIC_MOVE);
            return Optional.of(aside);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        } catch (IOException e) {
            throw new LedgerStoreException("cannot set aside unreadable " + file + ": " + e.getMessage(), e);
        }
    }

    private static void writeAtomically(Path file, byte[] bytes) throws IOException {
        Path dir = file.getParent();
        Files.createDirectories(dir);
        Path temp = Files.createTempFile(dir, "." + file.getFileName() + ".", TEMP_SUFFIX);
        try {
            try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.WRITE)) {
                ByteBuffer buffer = ByteBuffer.wrap(bytes);
                while (buffer.hasRemaining()) {
                    channel.write(buffer);
                }
                channel.force(true);
            }
            Files.move(temp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            throw new LedgerStoreException(dir + " cannot replace files atomically: " + e.getMessage(), e);
        } finally {
            Files.deleteIfExists(temp);
        }
        flushDirectory(dir);
    }

    /** Makes the rename durable; platforms that cannot open a directory for syncing skip it. */
    private static void flushDirectory(Path dir) {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        } catch (IOException e) {
            // not supported here (e.g. Windows); the rename is still atomic
        }
    }

    /** An exclusive lock, waiting while another process or another store of this process holds it. */
    private static FileLock exclusive(FileChannel channel) throws IOException {
        while (true) {
            try {
                return channel.lock();
            } catch (OverlappingFileLockException e) {
                try {
                    Thread.sleep(2);
                } catch (InterruptedException interrupted) {
                    Thread.currentThread().interrupt();
                    throw new LedgerStoreException("interrupted waiting for the ledger lock", interrupted);
                }
            }
        }
    }
}
