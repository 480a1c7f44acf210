package dev.meshpilot.server.debug;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/** The debug port's bearer token, read once at start from {@code --debug-token-file}. */
final class DebugToken {
    private DebugToken() {
    }

    /**
     * @throws IOException              when the file cannot be read
     * @throws IllegalArgumentException when it holds only whitespace
     */
    static Optional<String> read(Optional<Path> file) throws IOException {
        if (file.isEmpty()) {
            return Optional.empty();
        }
        String token;
        try {
            token = Files.readString(file.get()).strip();
        } catch (IOException e) {
            throw new IOException("cannot read the debug token file " + file.get() + ": " + e.getMessage(), e);
        }
        if (token.isEmpty()) {
            throw new IllegalArgumentException("the debug token file " + file.get() + " is empty");
        }
        return Optional.of(token);
    }
}
