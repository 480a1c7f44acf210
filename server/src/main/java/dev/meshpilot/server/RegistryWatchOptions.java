package dev.meshpilot.server;

import dev.meshpilot.kube.convert.ConverterOptions;
import dev.meshpilot.kube.directory.WatchSettings;

import java.util.Objects;

/**
 * How {@code serve --registry DIR} reads its directory: the watcher's settings (poll interval, settle window, stall
 * bound, parse threads, size limits) and the bound on ports per Service (which also applies to {@code --kube}).
 */
public record RegistryWatchOptions(WatchSettings watch, int maxServicePorts) {

    public static final RegistryWatchOptions DEFAULT =
            new RegistryWatchOptions(WatchSettings.DEFAULT, ConverterOptions.DEFAULT_MAX_SERVICE_PORTS);

    public RegistryWatchOptions {
        Objects.requireNonNull(watch, "watch");
        if (maxServicePorts < 1) {
            throw new IllegalArgumentException("maxServicePorts must be at least 1");
        }
    }
}
