package org.ntk4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.Map;
import org.ntk4j.io.AtomicFiles;
import org.ntk4j.io.Json;

/**
 * A training run's folder: {@code config.json} (the resolved options), {@code metrics.csv},
 * {@code checkpoint.npz}, the PNG plots and {@code summary.json}. Every file but the CSV log is written through a
 * temporary file and a move.
 */
final class RunFolder {

    private final Path dir;

    private RunFolder(Path dir) {
        this.dir = dir;
    }

    /**
     * @param explicit the folder the user named, or {@code null}
     * @param root where new run folders go
     * @param label a short label for the folder name ("digits-proximal-ntk")
     * @return the run folder, created
     * @throws IOException if it cannot be created
     */
    static RunFolder create(Path explicit, Path root, String label) throws IOException {
        Path dir = explicit;
        if (dir == null) {
            String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT));
            String safe = label.replaceAll("[^A-Za-z0-9._-]+", "_");
            dir = root.resolve(stamp + "-" + safe);
            for (int i = 2; Files.exists(dir); i++) {
                dir = root.resolve(stamp + "-" + safe + "-" + i);
            }
        }
        Files.createDirectories(dir);
        return new RunFolder(dir);
    }

    /** Deletes the folder if nothing was written into it (a run that failed before it started). */
    void deleteIfEmpty() {
        try (java.util.stream.Stream<Path> entries = Files.list(dir)) {
            if (entries.findAny().isEmpty()) {
                Files.delete(dir);
            }
        } catch (IOException e) {
            // best effort: an empty folder left behind is harmless
        }
    }

    /** @return the folder */
    Path dir() {
        return dir;
    }

    /**
     * @param name a file name in the folder
     * @return its path
     */
    Path file(String name) {
        return dir.resolve(name);
    }

    /**
     * @param name a JSON file name in the folder
     * @param content the content (not modified)
     * @throws IOException if writing fails
     */
    void writeJson(String name, Map<String, Object> content) throws IOException {
        AtomicFiles.writeString(file(name), Json.write(content));
    }
}
