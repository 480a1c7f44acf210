package dev.meshpilot.server.auth;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.logging.Logger;

/**
 * Re-runs a load when any of its files changed (modification time or size) and then stayed unchanged for one
 * period, so a certificate and its key written one after the other are read as a pair. A failing load keeps what
 * was loaded before and is logged once until the files change again. Owned by one scheduler thread.
 */
final class FileReload {
    private static final Logger LOG = Logger.getLogger(FileReload.class.getName());

    @FunctionalInterface
    interface Load {
        void run() throws IOException, GeneralSecurityException;
    }

    private final String what;
    private final List<Path> files;
    private final Load load;
    private List<String> stamp = List.of();
    private List<String> changing = List.of();

    FileReload(String what, List<Path> files, Load load) {
        this.what = what;
        this.files = List.copyOf(files);
        this.load = load;
    }

    /** Loads now, failing when the files cannot be read. */
    void load() throws IOException, GeneralSecurityException {
        List<String> now = stamp();
        load.run();
        stamp = now;
    }

    /** Checks every {@code periodMillis}; the returned handle stops it. */
    AutoCloseable every(long periodMillis, ScheduledExecutorService scheduler) {
        ScheduledFuture<?> task = scheduler.scheduleWithFixedDelay(this::reloadIfChanged, periodMillis, periodMillis,
                TimeUnit.MILLISECONDS);
        return () -> task.cancel(false);
    }

    private void reloadIfChanged() {
        List<String> now = stamp();
        if (now.equals(stamp)) {
            return;
        }
        if (!now.equals(changing)) {
            changing = now; // changed since the last look: wait one period for the writer to finish
            return;
        }
        try {
            load.run();
            LOG.info(() -> "xds tls: reloaded the " + what + " from " + files);
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            LOG.warning(() -> "xds tls: cannot reload the " + what + " from " + files + " (keeping the one loaded "
                    + "before): " + e.getMessage());
        }
        stamp = now;
    }

    private List<String> stamp() {
        List<String> out = new ArrayList<>();
        for (Path f : files) {
            try {
                out.add(Files.getLastModifiedTime(f).toMillis() + ":" + Files.size(f));
            } catch (IOException e) {
                out.add("missing");
            }
        }
        return out;
    }
}
