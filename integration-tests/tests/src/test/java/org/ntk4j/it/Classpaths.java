package org.ntk4j.it;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * The runtime classpaths the child JVMs get: each was written by Maven (maven-dependency-plugin's
 * build-classpath) to {@code integration-tests/classpaths/NAME/target/classpath.txt} in the package phase,
 * so it holds the reactor's freshly built jars and their exact transitive dependencies.
 */
final class Classpaths {

    /** The system property (set by the failsafe configuration) naming the folder of the classpath modules. */
    static final String PROPERTY = "ntk4j.it.classpaths";

    private Classpaths() {
    }

    /**
     * @param name the classpath module's folder name: {@code none}, {@code ejml}, {@code simple}, …
     * @return its entries in Maven's order; every one exists
     * @throws IllegalStateException naming the file and how to make it when it is missing or names a missing file
     */
    static List<Path> of(String name) {
        String root = System.getProperty(PROPERTY);
        if (root == null) {
            throw new IllegalStateException("system property " + PROPERTY + " is not set: run these tests with "
                    + "'mvn verify' (maven-failsafe-plugin), which sets it");
        }
        Path file = Path.of(root, name, "target", "classpath.txt");
        if (!Files.isRegularFile(file)) {
            throw new IllegalStateException(file + " does not exist: the module integration-tests/classpaths/" + name
                    + " writes it in the package phase; run 'mvn verify' from the project root");
        }
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8).trim();
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
        List<Path> entries = new ArrayList<>();
        for (String entry : text.split(File.pathSeparator)) {
            if (entry.isBlank()) {
                continue;
            }
            Path p = Path.of(entry.trim());
            if (!Files.exists(p)) {
                throw new IllegalStateException(file + " names " + p + ", which does not exist");
            }
            entries.add(p);
        }
        if (entries.isEmpty()) {
            throw new IllegalStateException(file + " is empty");
        }
        return entries;
    }

    /**
     * @param name a classpath module's folder name
     * @return whether its classpath file exists (the module is part of this build)
     */
    static boolean exists(String name) {
        String root = System.getProperty(PROPERTY);
        return root != null && Files.isRegularFile(Path.of(root, name, "target", "classpath.txt"));
    }

    /**
     * @param entries classpath entries (not modified)
     * @param fileNamePrefix the start of a jar's file name, such as {@code "ntk4j-backend-ejml-"}
     * @return the one entry whose file name starts so
     * @throws IllegalStateException unless exactly one matches
     */
    static Path jar(List<Path> entries, String fileNamePrefix) {
        List<Path> found = entries.stream().filter(startsWith(fileNamePrefix)).collect(Collectors.toList());
        if (found.size() != 1) {
            throw new IllegalStateException("expected one entry named " + fileNamePrefix + "* in " + entries
                    + ", found " + found);
        }
        return found.get(0);
    }

    /**
     * @param fileNamePrefix the start of a file name
     * @return a test of whether an entry's file name starts with it
     */
    static Predicate<Path> startsWith(String fileNamePrefix) {
        return p -> p.getFileName().toString().startsWith(fileNamePrefix);
    }

    /**
     * @param lists classpaths (not modified)
     * @return their union, in order of first appearance
     */
    @SafeVarargs
    static List<Path> union(List<Path>... lists) {
        Set<Path> all = new LinkedHashSet<>();
        Arrays.stream(lists).forEach(all::addAll);
        return List.copyOf(all);
    }

    /**
     * @param from a classpath (not modified)
     * @param remove entries to leave out (not modified)
     * @return the entries of {@code from} not in {@code remove}, in order
     */
    static List<Path> minus(List<Path> from, List<Path> remove) {
        Set<Path> drop = Set.copyOf(remove);
        return from.stream().filter(p -> !drop.contains(p)).collect(Collectors.toList());
    }
}
