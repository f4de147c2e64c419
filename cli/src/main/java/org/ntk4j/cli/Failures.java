package org.ntk4j.cli;

import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Turns exceptions into one-line messages and exit codes: 2 for a usage error (anything wrong on the command line,
 * values out of range included), 1 for a failure while running (missing, unreadable or malformed input files, a
 * backend that is unavailable here, too little memory, a diverged run). With {@code --verbose} the stack trace
 * follows the line.
 */
final class Failures implements CommandLine.IExecutionExceptionHandler {

    @Override
    public int handleExecutionException(Exception ex, CommandLine cl, CommandLine.ParseResult parsed) {
        PrintWriter err = cl.getErr();
        if (ex instanceof UsageException) {
            err.println(cl.getCommandName() + ": " + ex.getMessage());
            err.println("Try 'ntk4j " + cl.getCommandName() + " --help' for the options.");
            return CommandLine.ExitCode.USAGE;
        }
        boolean verbose = verbose(parsed);
        // one line; only for what looks like a defect (not bad data, I/O or an unavailable backend) does it
        // point to the stack trace
        err.println("ntk4j " + cl.getCommandName() + ": error: " + oneLine(ex)
                + (verbose || expected(ex) ? "" : " (--verbose shows the stack trace)"));
        if (verbose) {
            ex.printStackTrace(err);
        }
        err.flush();
        return CommandLine.ExitCode.SOFTWARE;
    }

    /**
     * @param ex a failure
     * @return whether its message alone explains it: bad input, I/O, an unavailable backend, a failed solve
     */
    static boolean expected(Throwable ex) {
        return ex instanceof java.io.IOException || ex instanceof java.io.UncheckedIOException
                || ex instanceof IllegalArgumentException || ex instanceof IllegalStateException
                || ex instanceof org.ntk4j.backend.BackendUnavailableException
                || ex instanceof ArithmeticException || ex instanceof OutOfMemoryError;
    }

    /** The exception's message, or its type, with causes that add something appended. */
    static String oneLine(Throwable ex) {
        StringBuilder sb = new StringBuilder();
        String last = null;
        for (Throwable t = ex; t != null && sb.length() < 400; t = t.getCause()) {
            String m = t instanceof java.nio.file.FileSystemException fs ? fileProblem(fs) : t.getMessage();
            String part = m == null || m.isBlank() ? t.getClass().getSimpleName() : m.replaceAll("\\s*\\R\\s*", " ");
            if (t instanceof OutOfMemoryError) {
                part = outOfMemory(t);
            }
            if (last == null || !last.contains(part)) {
                sb.append(sb.length() > 0 ? ": " : "").append(part);
                last = part;
            }
        }
        return sb.toString();
    }

    /**
     * @param e an OutOfMemoryError
     * @return one line naming the fix
     */
    static String outOfMemory(Throwable e) {
        return "out of memory (" + (e.getMessage() == null ? "heap" : e.getMessage()) + ", heap limit "
                + HeapCheck.heap() + "): raise it with JAVA_OPTS=-Xmx…, or lower --samples, --hidden or --batch-size";
    }

    /** "no such file: x.npz" rather than the bare path that NoSuchFileException and its kind carry. */
    private static String fileProblem(java.nio.file.FileSystemException e) {
        String what = e instanceof java.nio.file.NoSuchFileException ? "no such file"
                : e instanceof java.nio.file.AccessDeniedException ? "permission denied"
                : e instanceof java.nio.file.NotDirectoryException ? "not a folder"
                : e instanceof java.nio.file.FileAlreadyExistsException ? "already exists"
                : e.getReason() != null ? e.getReason() : e.getClass().getSimpleName();
        return e.getFile() == null ? what : e.getFile() + ": " + what
                + (e.getOtherFile() == null ? "" : " (" + e.getOtherFile() + ")");
    }

    private static boolean verbose(CommandLine.ParseResult parsed) {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand()) {
            if (p.hasMatchedOption("--verbose")) {
                return true;
            }
        }
        return false;
    }

    /** Usage errors from the parser: one line plus a pointer to --help, exit code 2. */
    static final class Usage implements CommandLine.IParameterExceptionHandler {
        @Override
        public int handleParseException(CommandLine.ParameterException ex, String[] args) {
            CommandLine cl = ex.getCommandLine();
            PrintWriter err = cl.getErr();
            err.println(cl.getCommandName() + ": " + ex.getMessage());
            CommandLine.UnmatchedArgumentException.printSuggestions(ex, err);
            err.println("Try '" + qualifiedName(cl) + " --help' for the options.");
            return CommandLine.ExitCode.USAGE;
        }

        private static String qualifiedName(CommandLine cl) {
            return cl.getParent() == null ? cl.getCommandName() : "ntk4j " + cl.getCommandName();
        }
    }
}
