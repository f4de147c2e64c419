package org.ntk4j.cli;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongSupplier;

/**
 * Shows the progress of long work: on a terminal a bar redrawn in place with rate and ETA; otherwise plain
 * lines at most every few seconds (and one at the end), so logs stay readable; nothing when quiet.
 */
final class Progress implements AutoCloseable {

    /** How progress is shown. */
    enum Mode {
        /** A bar redrawn in place (terminals). */
        BAR,
        /** Periodic plain lines (pipes, files, CI logs). */
        LINES,
        /** Nothing. */
        NONE;

        /**
         * @param quiet whether the user asked for quiet output
         * @return NONE when quiet, BAR on an interactive terminal, LINES otherwise
         */
        static Mode auto(boolean quiet) {
            if (quiet) {
                return NONE;
            }
            return System.console() != null && !"dumb".equals(System.getenv("TERM")) ? BAR : LINES;
        }
    }

    private static final int WIDTH = 28;
    private static final long BAR_INTERVAL_NS = 100_000_000L;
    private static final long LINE_INTERVAL_NS = 2_000_000_000L;

    private final PrintWriter out;
    private final String what;
    private final String unit;
    private final long total;
    private final Mode mode;
    private final LongSupplier nanoClock;
    private final long start;
    private long lastDraw;
    private long lastDone = -1;
    private long lastDrawn = -1;
    private long base = -1;
    private String lastStatus = "";
    private boolean drawn;

    /**
     * @param out where progress goes (written to; usually standard error)
     * @param what what is being done ("train", "kernel")
     * @param unit the unit counted ("it", "tiles")
     * @param total the number of units, ≥ 1
     * @param mode how to show it
     * @param nanoClock a monotonic clock in nanoseconds (System::nanoTime, or a fake one in tests)
     */
    Progress(PrintWriter out, String what, String unit, long total, Mode mode, LongSupplier nanoClock) {
        this.out = out;
        this.what = what;
        this.unit = unit;
        this.total = Math.max(1, total);
        this.mode = mode;
        this.nanoClock = nanoClock;
        this.start = nanoClock.getAsLong();
        this.lastDraw = start - LINE_INTERVAL_NS;
    }

    /**
     * @param done units done so far
     * @param status a short status shown after the rate ("loss 0.12 acc 0.95"), or ""
     */
    void update(long done, String status) {
        if (base < 0) {
            base = Math.max(0, done - 1); // work resumed part-way counts its rate from here
        }
        lastDone = done;
        lastStatus = status;
        if (mode == Mode.NONE) {
            return;
        }
        long now = nanoClock.getAsLong();
        long interval = mode == Mode.BAR ? BAR_INTERVAL_NS : LINE_INTERVAL_NS;
        if (now - lastDraw < interval && done < total) {
            return;
        }
        lastDraw = now;
        draw(done, status, now);
    }

    private void draw(long done, String status, long now) {
        lastDrawn = done;
        double seconds = (now - start) / 1e9;
        double rate = seconds > 0 ? (done - Math.max(base, 0)) / seconds : 0;
        String eta = rate > 0 && done < total ? duration((total - done) / rate) : done >= total ? "done" : "?";
        String tail = String.format(Locale.ROOT, "%d/%d %s  %.1f %s/s  ETA %s  elapsed %s%s", done, total, unit,
                rate, unit, eta, duration(seconds), status.isEmpty() ? "" : "  " + status);
        if (mode == Mode.BAR) {
            int filled = (int) (WIDTH * Math.min(done, total) / total);
            String bar = "#".repeat(filled) + "-".repeat(WIDTH - filled);
            out.print("\r" + what + " [" + bar + "] " + String.format(Locale.ROOT, "%3d%% ", 100 * done / total)
                    + tail + "\u001b[K");
            drawn = true;
        } else {
            out.println(what + ": " + String.format(Locale.ROOT, "%3d%% ", 100 * done / total) + tail);
        }
        out.flush();
    }

    /**
     * @param seconds a duration
     * @return it as {@code 1:05:09}, {@code 5:09} or {@code 9.1s}
     */
    static String duration(double seconds) {
        if (seconds < 60) {
            return String.format(Locale.ROOT, "%.1fs", seconds);
        }
        long s = Math.round(seconds);
        return s >= 3600 ? String.format(Locale.ROOT, "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60)
                : String.format(Locale.ROOT, "%d:%02d", s / 60, s % 60);
    }

    /** Draws the last state (if it was not drawn yet: work that stopped early) and ends the bar's line. */
    @Override
    public void close() {
        if (mode == Mode.NONE) {
            return;
        }
        if (lastDone >= 0 && lastDone != lastDrawn) {
            draw(lastDone, lastStatus, nanoClock.getAsLong());
        }
        if (mode == Mode.BAR && drawn) {
            out.println();
            out.flush();
        }
    }
}
