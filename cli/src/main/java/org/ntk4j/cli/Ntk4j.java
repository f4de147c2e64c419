package org.ntk4j.cli;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code ntk4j} command. Exit codes: 0 success, 2 usage error, 1 failure; failures print one line with the
 * cause (the stack trace too with {@code --verbose}).
 */
@Command(name = "ntk4j",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = "Neural Tangent Kernel toolkit for the JVM: train networks with the proximal NTK optimizer,"
                + " compute empirical and infinite-width kernels, predict training dynamics, compare backends.",
        subcommands = {BackendsCommand.class, TrainCommand.class, KernelCommand.class, PredictCommand.class,
                BenchCommand.class, CommandLine.HelpCommand.class},
        footer = {"", "Run 'ntk4j <command> --help' for a command's options.",
                "Exit codes: 0 success, 1 failure while running (missing or malformed input, too little memory, a"
                        + " diverged run), 2 usage error (a bad or out-of-range option), 130 interrupted."})
public final class Ntk4j implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /**
     * Runs the command and exits the JVM with its exit code.
     *
     * @param args the command-line arguments (not modified)
     */
    public static void main(String[] args) {
        System.exit(run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true)));
    }

    /**
     * Runs the command without exiting.
     *
     * @param args the command-line arguments (not modified)
     * @param out standard output (written to)
     * @param err standard error (written to)
     * @return the exit code: 0 success, 1 failure, 2 usage error, 130 interrupted
     */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        CommandLine cl = commandLine();
        cl.setOut(out);
        cl.setErr(err);
        try {
            return cl.execute(args);
        } catch (OutOfMemoryError e) { // picocli passes errors through; the stack has unwound, memory is free again
            err.println("ntk4j: error: " + Failures.outOfMemory(e));
            err.flush();
            return CommandLine.ExitCode.SOFTWARE;
        }
    }

    /** @return the configured command line, for tests and for {@link #run} */
    static CommandLine commandLine() {
        CommandLine cl = new CommandLine(new Ntk4j());
        cl.setExecutionExceptionHandler(new Failures());
        cl.setParameterExceptionHandler(new Failures.Usage());
        cl.setUsageHelpWidth(100);
        cl.setUsageHelpAutoWidth(true);
        cl.setCaseInsensitiveEnumValuesAllowed(true);
        return cl;
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: one of backends, train,"
                + " kernel, predict, bench");
    }
}
