package org.ntk4j.cli;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;
import org.ntk4j.io.AtomicFiles;
import org.ntk4j.io.Json;

/**
 * A training run's folder: {@code config.json} (the resolved options), {@code metrics.csv},
 * {@code checkpoint.npz}, the PNG plots and {@code summary.json}. Every file but the CSV log is written through a
 * temporary file and a move.
 *
 * <p>A run holds an exclusive lock on the folder's {@code .lock} file (which records its process id) from
 * {@link #open} to {@link #close}, so that a second run into the same folder refuses to start. A folder that
 * already holds files is used only to continue the run in it ({@code --resume} of that folder) or with
 * {@code --overwrite}.
 */
final class RunFolder implements AutoCloseable {

    /** The lock file. */
    static final String LOCK = ".lock";

    /** The files a run writes, removed by {@code --overwrite}. */
    static final List<String> RUN_FILES = List.of("config.json", "metrics.csv", TrainCommand.CHECKPOINT, "loss.png",
            "accuracy.png", "damping.png", "spectrum.png", "summary.json");

    private final Path dir;
    private final FileChannel channel;
    private final FileLock lock;

    private RunFolder(Path dir, FileChannel channel, FileLock lock) {
        this.dir = dir;
        this.channel = channel;
        this.lock = lock;
    }

    /** How an existing folder may be used. */
    enum Reuse {
        /** Only an empty or new folder. */
        NONE,
        /** The folder holds the run being resumed: keep its files, append to its log. */
        CONTINUE,
        /** Replace the run in it (--overwrite). */
        OVERWRITE
    }

    /**
     * Checks an explicit run folder without creating or locking anything.
     *
     * @param explicit the folder the user named, or {@code null}
     * @param reuse how an existing folder may be used
     * @throws UsageException if the option is empty, names a file, or names a folder that holds files without
     *                        leave to reuse them
     * @throws IOException if the folder cannot be listed
     */
    static void check(Path explicit, Reuse reuse) throws IOException {
        if (explicit == null) {
            return;
        }
        if (explicit.toString().isBlank()) {
            throw new UsageException("--run-dir must name a folder (it was empty)");
        }
        if (Files.exists(explicit) && !Files.isDirectory(explicit)) {
            throw new UsageException("--run-dir " + explicit + ": not a folder");
        }
        if (reuse == Reuse.NONE && Files.isDirectory(explicit)) {
            List<String> held = contents(explicit);
            if (!held.isEmpty()) {
                throw new UsageException("--run-dir " + explicit + " already holds " + String.join(", ",
                        held.subList(0, Math.min(4, held.size()))) + (held.size() > 4 ? ", …" : "")
                        + "; pass --overwrite to replace that run, --resume " + explicit + " to continue it, or"
                        + " name another folder");
            }
        }
    }

    /**
     * Creates (if needed) and locks the run folder.
     *
     * @param explicit the folder the user named, or {@code null} for a new one under {@code root}
     * @param root where new run folders go
     * @param label a short label for the folder name ("digits-proximal-ntk")
     * @param reuse how an existing folder may be used
     * @return the locked run folder, which the caller closes
     * @throws IllegalStateException if another process uses the folder
     * @throws UsageException as {@link #check} does
     * @throws IOException if it cannot be created or locked
     */
    static RunFolder open(Path explicit, Path root, String label, Reuse reuse) throws IOException {
        check(explicit, reuse);
        Path dir = explicit;
        if (dir == null) {
            String stamp = LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss", Locale.ROOT));
            String safe = label.replaceAll("[^A-Za-z0-9._-]+", "_");
            dir = root.resolve(stamp + "-" + safe);
            for (int i = 2; Files.exists(dir); i++) {
                dir = root.resolve(stamp + "-" + safe + "-" + i);
            }
        }
        boolean created = !Files.exists(dir);
        Files.createDirectories(dir);
        Path lockFile = dir.resolve(LOCK);
        FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE);
        FileLock lock;
        try {
            lock = channel.tryLock();
        } catch (OverlappingFileLockException e) {
            lock = null; // held by this process
        }
        if (lock == null) {
            channel.close();
            String pid = Files.readString(lockFile, StandardCharsets.UTF_8).trim();
            throw new IllegalStateException("run folder " + dir + " is in use by process "
                    + (pid.isEmpty() ? "(unknown)" : pid));
        }
        RunFolder run = new RunFolder(dir, channel, lock);
        try {
            channel.truncate(0);
            channel.write(ByteBuffer.wrap((ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.UTF_8)));
            channel.force(false);
            check(explicit, reuse); // again, now that no other run can be writing
            run.removeTemporaries();
            if (reuse == Reuse.OVERWRITE) {
                for (String f : RUN_FILES) {
                    Files.deleteIfExists(dir.resolve(f));
                }
            }
            return run;
        } catch (IOException | RuntimeException e) {
            run.close();
            if (created) {
                run.deleteIfEmpty();
            }
            throw e;
        }
    }

    /** @return the names in the folder, but the lock file, sorted */
    private static List<String> contents(Path dir) throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            return entries.map(p -> p.getFileName().toString()).filter(n -> !n.equals(LOCK)).sorted().toList();
        }
    }

    /** Deletes temporary files that a killed run left behind (".name.random.tmp"). */
    private void removeTemporaries() throws IOException {
        try (Stream<Path> entries = Files.list(dir)) {
            for (Path p : entries.toList()) {
                String n = p.getFileName().toString();
                if (n.startsWith(".") && n.endsWith(".tmp")) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    /** Deletes the folder if nothing but the lock file is in it (a run that failed before it started). */
    void deleteIfEmpty() {
        try {
            if (contents(dir).isEmpty()) {
                Files.deleteIfExists(dir.resolve(LOCK));
                Files.delete(dir);
            }
        } catch (IOException e) {
            // best effort: an empty folder left behind is harmless
        }
    }

    /** Releases the lock; the lock file stays (an unlocked one means nothing). */
    @Override
    public void close() {
        try {
            if (lock.isValid()) {
                lock.release();
            }
            channel.close();
        } catch (IOException e) {
            // the lock goes with the channel or the process anyway
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
