package org.ntk4j.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import org.ntk4j.backend.BackendSelector;
import org.ntk4j.backend.Backends;
import org.ntk4j.backend.ProviderStatus;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code ntk4j backends}: every backend provider found, its priority, and whether it is available or why not. */
@Command(name = "backends", mixinStandardHelpOptions = true,
        description = {"List every backend found on the classpath: priority, availability (or why not), and which"
                + " one runs by default (marked *).",
                "Choose one with --backend NAME, -Dntk4j.backend=NAME or NTK4J_BACKEND=NAME."})
final class BackendsCommand implements Callable<Integer> {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @CommandLine.Option(names = {"-v", "--verbose"}, description = "Print the stack trace on failure.")
    boolean verbose;

    @Override
    public Integer call() {
        PrintWriter out = spec.commandLine().getOut();
        List<ProviderStatus> report = Backends.report();
        if (report.isEmpty()) {
            out.println("no backend found on the classpath");
            return 1;
        }
        out.println("  name     prio  status       detail");
        report.forEach(out::println);
        String requested = Backends.selector().requestedName();
        if (requested != null) {
            out.println("(requested by " + BackendSelector.PROPERTY + " / " + BackendSelector.ENVIRONMENT + ": "
                    + requested + ")");
        }
        out.flush();
        return report.stream().anyMatch(s -> s.availability().available()) ? 0 : 1;
    }
}
