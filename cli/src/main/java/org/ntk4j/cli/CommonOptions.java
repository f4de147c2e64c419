package org.ntk4j.cli;

import org.ntk4j.backend.Backend;
import org.ntk4j.backend.BackendOptions;
import org.ntk4j.backend.Backends;
import org.ntk4j.backend.ProviderStatus;
import picocli.CommandLine;
import picocli.CommandLine.Option;

/** The options every command shares: backend, seed, quiet, verbose. */
final class CommonOptions {

    @CommandLine.Spec(CommandLine.Spec.Target.MIXEE)
    CommandLine.Model.CommandSpec command;

    @Option(names = "--backend", paramLabel = "NAME",
            description = "Backend to run on (see 'ntk4j backends'). Default: the ntk4j.backend property, the"
                    + " NTK4J_BACKEND variable, or else the available backend with the highest priority.")
    String backend;

    @Option(names = "--threads", paramLabel = "N", defaultValue = "0",
            description = "Threads for backends that use them; 0 lets the backend choose. Default: ${DEFAULT-VALUE}.")
    int threads;

    @Option(names = "--seed", paramLabel = "N", defaultValue = "42",
            description = "Seed for initialization, data splits and batches. Default: ${DEFAULT-VALUE}.")
    long seed;

    @Option(names = {"-q", "--quiet"}, description = "Print only results and errors: no progress.")
    boolean quiet;

    @Option(names = {"-v", "--verbose"}, description = "Print more detail, and the stack trace on failure.")
    boolean verbose;

    /** @return the chosen backend, which the caller closes */
    Backend createBackend() {
        check();
        BackendOptions o = BackendOptions.defaults();
        if (threads > 0) {
            o = o.withThreads(threads);
        }
        if (backend != null) {
            checkKnown("--backend", backend);
        }
        if (backend != null) {
            return Backends.create(backend, o);
        }
        Backend b = Backends.create(o);
        if (!quiet && command != null) {
            String note = fallbackNote(Backends.report());
            if (note != null) {
                command.commandLine().getErr().println(note);
                command.commandLine().getErr().flush();
            }
        }
        return b;
    }

    /**
     * @param report the providers, most preferred first, the automatic choice marked
     * @return a line saying why every preferred backend was passed over when the automatic choice fell to the
     *     last one (the fallback), or null when it did not
     */
    static String fallbackNote(java.util.List<ProviderStatus> report) {
        if (report.size() < 2 || !report.get(report.size() - 1).selected()) {
            return null;
        }
        StringBuilder sb = new StringBuilder("backend: running on ").append(report.get(report.size() - 1).name());
        String sep = " because ";
        for (ProviderStatus s : report.subList(0, report.size() - 1)) {
            sb.append(sep).append(s.name()).append(" is unavailable (").append(s.availability().detail()).append(')');
            sep = "; ";
        }
        return sb.toString();
    }

    /**
     * @throws UsageException if {@code --threads} is negative or an unknown backend is named
     */
    void check() {
        if (threads < 0) {
            throw new UsageException("--threads must be ≥ 0 (0: the backend chooses), got " + threads);
        }
        if (backend != null) {
            checkKnown("--backend", backend);
        }
    }

    /**
     * Rejects a backend name that no provider on the classpath has, as a usage error. A known backend that is
     * unavailable here (no GPU, say) is left to fail when created, with its reason.
     *
     * @param option the option that named it, for the message
     * @param name the backend name, case-insensitive
     * @throws UsageException if no provider has that name
     */
    static void checkKnown(String option, String name) {
        java.util.List<String> known = Backends.report().stream().map(s -> s.name()).distinct().toList();
        if (!known.isEmpty() && known.stream().noneMatch(k -> k.equalsIgnoreCase(name.trim()))) {
            throw new UsageException(option + ": unknown backend '" + name + "'; known here: "
                    + String.join(", ", known) + " (see 'ntk4j backends')");
        }
    }
}
