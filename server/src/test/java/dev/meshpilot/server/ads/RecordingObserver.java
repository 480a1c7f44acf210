package dev.meshpilot.server.ads;

import io.grpc.stub.StreamObserver;

import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** Collects what the server sends on one stream so a test can take responses one by one. */
final class RecordingObserver<T> implements StreamObserver<T> {
    final BlockingQueue<T> received = new LinkedBlockingQueue<>();
    final CompletableFuture<Throwable> ended = new CompletableFuture<>();

    @Override
    public void onNext(T value) {
        received.add(value);
    }

    @Override
    public void onError(Throwable t) {
        ended.complete(t);
    }

    @Override
    public void onCompleted() {
        ended.complete(null);
    }

    /** The next response, failing the test if none comes within 15 s. */
    T next() {
        try {
            T value = received.poll(15, TimeUnit.SECONDS);
            assertThat(value).as("a response within 15 s").isNotNull();
            return value;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }

    /** Asserts nothing more arrives within the given time. */
    void expectNothing(Duration quiet) {
        try {
            T value = received.poll(quiet.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(value).as("no further response").isNull();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError(e);
        }
    }
}
