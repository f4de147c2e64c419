package org.ntk4j.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** Runs the command in-process and captures its output. */
record Cli(int code, String out, String err) {

    static Cli run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = Ntk4j.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
        return new Cli(code, out.toString(), err.toString());
    }
}
