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
    private final boolean budget;
    private final Mode mode;
    private final LongSupplier nanoClock;
    private final long start;
    private long lastDraw;
    private long lastDone = -1;
    private long lastDrawn = -1;
    private long base = -1;
    private String lastStatus = "";
    private boolean drawn;
    private boolean closed;

    /**
     * @param out where progress goes (written to; usually standard error)
     * @param what what is being done ("train", "kernel")
     * @param unit the unit counted ("it", "tiles")
     * @param total the number of units, ≥ 1
     * @param mode how to show it
     * @param nanoClock a monotonic clock in nanoseconds (System::nanoTime, or a fake one in tests)
     */
    Progress(PrintWriter out, String what, String unit, long total, Mode mode, LongSupplier nanoClock) {
        this(out, what, unit, total, false, mode, nanoClock);
    }

    /**
     * @param out where progress goes (written to; usually standard error)
     * @param what what is being done ("train", "kernel")
     * @param unit the unit counted ("it", "tiles")
     * @param total the number of units, ≥ 1; with {@code budget}, the most there can be
     * @param budget whether {@code total} is only an upper bound (training that stops early at a target): then
     *     the count reads "6 of at most 200" and the time to the end of the budget "at most 7:28 left", with no
     *     percentage, so an early stop is not promised to take the whole budget's time
     * @param mode how to show it
     * @param nanoClock a monotonic clock in nanoseconds (System::nanoTime, or a fake one in tests)
     */
    Progress(PrintWriter out, String what, String unit, long total, boolean budget, Mode mode,
            LongSupplier nanoClock) {
        this.out = out;
        this.budget = budget;
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
        draw(done, status, now, false);
    }

    private void draw(long done, String status, long now, boolean finished) {
        lastDrawn = done;
        double seconds = (now - start) / 1e9;
        double rate = seconds > 0 ? (done - Math.max(base, 0)) / seconds : 0;
        String tail;
        if (budget) {
            String left = finished || done >= total ? "done"
                    : rate > 0 ? "at most " + duration((total - done) / rate) + " left" : "?";
            tail = String.format(Locale.ROOT, "%d of at most %d %s  %.1f %s/s  elapsed %s  %s%s", done, total, unit,
                    rate, unit, duration(seconds), left, status.isEmpty() ? "" : "  " + status);
        } else {
            String eta = done >= total || finished ? "done" : rate > 0 ? duration((total - done) / rate) : "?";
            tail = String.format(Locale.ROOT, "%3d%% %d/%d %s  %.1f %s/s  ETA %s  elapsed %s%s",
                    100 * Math.min(done, total) / total, done, total, unit, rate, unit, eta, duration(seconds),
                    status.isEmpty() ? "" : "  " + status);
        }
        if (mode == Mode.BAR) {
            int filled = (int) (WIDTH * Math.min(done, total) / total);
            String bar = "#".repeat(filled) + "-".repeat(WIDTH - filled);
            out.print("\r" + what + " [" + bar + "] " + tail + "\u001b[K");
            drawn = true;
        } else {
            out.println(what + ": " + tail);
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

    /**
     * Draws the last state (if it was not drawn yet: work that stopped early; always for a budget that was not
     * used up) and ends the bar's line.
     */
    @Override
    public void close() {
        if (mode == Mode.NONE || closed) {
            return;
        }
        closed = true;
        // a budget's last drawn line still says "at most … left": say that the work ended
        if (lastDone >= 0 && (lastDone != lastDrawn || budget && lastDone < total)) {
            draw(lastDone, lastStatus, nanoClock.getAsLong(), true);
        }
        if (mode == Mode.BAR && drawn) {
            out.println();
            out.flush();
        }
    }
}
