package org.ntk4j.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * Launches a child JVM — the {@code java} of the running JDK ({@code java.home}) — with a classpath and/or a
 * module path, a small heap ({@value #HEAP}) and a timeout, and captures its exit status, standard output
 * and standard error (through temporary files, so a chatty child never blocks on a full pipe).
 *
 * <p>The child's environment is this JVM's, less {@code NTK4J_BACKEND} and {@code JAVA_TOOL_OPTIONS}, plus
 * what {@link #env} adds: so only what a test asks for selects a backend.
 */
final class ChildJvm {

    /** The child's maximum heap. */
    static final String HEAP = "-Xmx512m";
    /** The default time a child may take before it is killed. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(90);

    private final List<Path> classpath = new ArrayList<>();
    private final List<Path> modulePath = new ArrayList<>();
    private final List<String> jvmOptions = new ArrayList<>();
    private final Map<String, String> env = new LinkedHashMap<>();
    private final List<String> arguments = new ArrayList<>();
    private String mainClass;
    private String module;
    private Duration timeout = DEFAULT_TIMEOUT;

    /**
     * @param entries classpath entries (not modified)
     * @return this
     */
    ChildJvm classpath(List<Path> entries) {
        classpath.addAll(entries);
        return this;
    }

    /**
     * @param entries module path entries (not modified)
     * @return this
     */
    ChildJvm modulePath(List<Path> entries) {
        modulePath.addAll(entries);
        return this;
    }

    /**
     * @param name a system property
     * @param value its value
     * @return this
     */
    ChildJvm systemProperty(String name, String value) {
        jvmOptions.add("-D" + name + "=" + value);
        return this;
    }

    /**
     * @param option a JVM option, as on the command line
     * @return this
     */
    ChildJvm jvmOption(String option) {
        jvmOptions.add(option);
        return this;
    }

    /**
     * @param name an environment variable
     * @param value its value
     * @return this
     */
    ChildJvm env(String name, String value) {
        env.put(name, value);
        return this;
    }

    /**
     * @param className the main class, run from the classpath
     * @return this
     */
    ChildJvm mainClass(String className) {
        this.mainClass = className;
        this.module = null;
        return this;
    }

    /**
     * @param moduleAndClass {@code module/class}, run with {@code -m}
     * @return this
     */
    ChildJvm module(String moduleAndClass) {
        this.module = moduleAndClass;
        this.mainClass = null;
        return this;
    }

    /**
     * @param value an argument for the program's main method
     * @return this
     */
    ChildJvm argument(String value) {
        arguments.add(value);
        return this;
    }

    /**
     * @param limit how long the child may run before it is killed
     * @return this
     */
    ChildJvm timeout(Duration limit) {
        this.timeout = limit;
        return this;
    }

    /** @return the command line this child runs with */
    List<String> command() {
        if (mainClass == null && module == null) {
            throw new IllegalStateException("no main class or module given");
        }
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        cmd.add(HEAP);
        cmd.add("-XX:TieredStopAtLevel=1");
        cmd.add("-XX:+UseSerialGC");
        cmd.addAll(jvmOptions);
        if (!modulePath.isEmpty()) {
            cmd.add("-p");
            cmd.add(join(modulePath));
        }
        if (!classpath.isEmpty()) {
            cmd.add("-cp");
            cmd.add(join(classpath));
        }
        if (module != null) {
            cmd.add("-m");
            cmd.add(module);
        } else {
            cmd.add(mainClass);
        }
        cmd.addAll(arguments);
        return cmd;
    }

    /**
     * Runs the child to completion or until the timeout.
     *
     * @return what it did; a child killed at the timeout has {@link ChildResult#timedOut()} set
     */
    ChildResult run() {
        List<String> cmd = command();
        Path out = null;
        Path err = null;
        try {
            out = Files.createTempFile("ntk4j-child-", ".out");
            err = Files.createTempFile("ntk4j-child-", ".err");
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile());
            pb.environment().remove("NTK4J_BACKEND");
            pb.environment().remove("JAVA_TOOL_OPTIONS");
            pb.environment().putAll(env);
            long start = System.nanoTime();
            Process p = pb.start();
            boolean finished = p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                p.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
            Duration took = Duration.ofNanos(System.nanoTime() - start);
            return new ChildResult(describe(cmd), finished ? p.exitValue() : -1, !finished, took,
                    Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("running " + describe(cmd), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + describe(cmd), e);
        } finally {
            deleteQuietly(out);
            deleteQuietly(err);
        }
    }

    private String describe(List<String> cmd) {
        String vars = env.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(" "));
        return (vars.isEmpty() ? "" : vars + " ") + String.join(" ", cmd);
    }

    private static String join(List<Path> entries) {
        return entries.stream().map(Path::toString).collect(Collectors.joining(File.pathSeparator));
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException ignored) {
                // a temporary file left behind is harmless
            }
        }
    }
}
