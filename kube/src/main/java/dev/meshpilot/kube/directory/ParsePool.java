package dev.meshpilot.kube.directory;

import java.util.concurrent.Executor;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The bounded executor that parses manifest files off the watcher's thread: a fixed number of daemon threads and a
 * bounded queue (a full queue rejects, and the watcher reads the file again on its next scan).
 */
final class ParsePool implements Executor, AutoCloseable {
    private final ThreadPoolExecutor pool;

    ParsePool(int threads, int queue) {
        AtomicInteger ids = new AtomicInteger();
        pool = new ThreadPoolExecutor(threads, threads, 30, TimeUnit.SECONDS, new LinkedBlockingQueue<>(queue), r -> {
            Thread t = new Thread(r, "meshpilot-registry-parse-" + ids.incrementAndGet());
            t.setDaemon(true);
            return t;
        }, new ThreadPoolExecutor.AbortPolicy());
        pool.allowCoreThreadTimeOut(true);
    }

    @Override
    public void execute(Runnable task) {
        pool.execute(task);
    }

    @Override
    public void close() {
        pool.shutdownNow();
    }
}
