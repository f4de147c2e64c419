package org.ntk4j.it;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What a child JVM did. {@link #toString()} shows everything — command, status, time, both streams — and
 * every assertion on a child uses it as its message, so a failure in the test report says what happened.
 *
 * @param command the command line, with the environment variables that were added
 * @param exitCode the exit status, −1 when killed at the timeout
 * @param timedOut whether it was killed at the timeout
 * @param took how long it ran
 * @param stdout its standard output
 * @param stderr its standard error
 */
record ChildResult(String command, int exitCode, boolean timedOut, Duration took, String stdout, String stderr) {

    /**
     * @param key a key the probe prints as {@code key=value}
     * @return the value of the first line with that key, or null when there is none
     */
    String value(String key) {
        List<String> all = values(key);
        return all.isEmpty() ? null : all.get(0);
    }

    /**
     * @param key a key the probe prints as {@code key=value}
     * @return the values of every line with that key, in order
     */
    List<String> values(String key) {
        List<String> out = new ArrayList<>();
        for (String line : stdout.split("\\R")) {
            if (line.startsWith(key + "=")) {
                out.add(line.substring(key.length() + 1));
            }
        }
        return out;
    }

    /**
     * @param name a provider name
     * @return the report line the child printed for it, or null when it printed none
     */
    String reportLine(String name) {
        for (String line : values("report")) {
            String[] words = line.substring(1).trim().split("\\s+");
            if (words.length > 0 && words[0].equals(name)) {
                return line;
            }
        }
        return null;
    }

    /**
     * @param key {@code nngp}, {@code ntk} or {@code entk}
     * @return the kernel the probe printed under that key, row-major
     * @throws AssertionError (with everything the child printed) when it is missing or malformed
     */
    double[] kernel(String key) {
        String v = value(key);
        if (v == null) {
            throw new AssertionError("the child printed no '" + key + "=' line\n" + this);
        }
        int colon = v.indexOf(':');
        String[] cells = v.substring(colon + 1).split(",");
        double[] out = new double[cells.length];
        for (int i = 0; i < cells.length; i++) {
            out[i] = Double.parseDouble(cells[i]);
        }
        return out;
    }

    @Override
    public String toString() {
        return "child JVM: " + command + "\nexit status: " + (timedOut ? "killed after the timeout" : exitCode)
                + " after " + took.toMillis() + " ms\n---- stdout ----\n" + stdout + "---- stderr ----\n" + stderr
                + "----------------";
    }
}
