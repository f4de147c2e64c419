package org.ntk4j.backend.ejml.train;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.Locale;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.Backends;
import org.ntk4j.data.Digits;
import org.ntk4j.data.Split;
import org.ntk4j.nn.Loss;
import org.ntk4j.optim.OptimizerOptions;
import org.ntk4j.optim.Phase;
import org.ntk4j.train.Trainer;
import org.ntk4j.train.TrainingConfig;
import org.ntk4j.train.TrainingResult;

/**
 * Iterations and wall time to 0.97 test accuracy on digits (MLP 64-256-256-10, ReLU, NTK parameterization) for
 * Adam and the proximal NTK optimizer. A benchmark, not a test: run it with
 * {@code java -cp … org.ntk4j.backend.ejml.train.DigitsBenchmark [runs]}.
 *
 * <p>Arguments (all optional, {@code key=value}): {@code optimizer=adam|proximal-ntk|all}, {@code lr=…},
 * {@code batch=…}, {@code loss=mse|xent}, {@code max=…} (iteration budget), {@code seeds=…} (runs per setting),
 * {@code damping=…}, {@code eval=…} (evaluation interval), {@code verbose=1}. Columns: iterations and wall time
 * until the first evaluation at ≥ 0.97 test accuracy; the same wall time less the evaluations' time; the JVM's
 * CPU time (all threads) until then, which is less sensitive to other load on the machine.
 */
public final class DigitsBenchmark {

    private DigitsBenchmark() {
    }

    /**
     * @param args {@code key=value} settings
     */
    public static void main(String[] args) {
        java.util.Map<String, String> a = new java.util.HashMap<>();
        for (String s : args) {
            int eq = s.indexOf('=');
            a.put(s.substring(0, eq), s.substring(eq + 1));
        }
        String which = a.getOrDefault("optimizer", "all");
        int seeds = Integer.parseInt(a.getOrDefault("seeds", "1"));
        Split split = Digits.standardSplit();
        try (Backend backend = Backends.create()) {
            System.out.printf(Locale.ROOT, "backend %s, %d cores, train %d, test %d%n", backend.name(),
                    Runtime.getRuntime().availableProcessors(), split.train().size(), split.test().size());
            System.out.println("| optimizer | options | loss | batch | seed | iterations to 0.97 | wall s to 0.97 "
                    + "| wall s without evaluation | process CPU s | final test acc |");
            System.out.println("|---|---|---|---|---|---|---|---|---|---|");
            for (String opt : which.equals("all") ? new String[] {"adam", "proximal-ntk"} : new String[] {which}) {
                boolean prox = opt.equals("proximal-ntk");
                OptimizerOptions o = OptimizerOptions.defaults();
                if (a.containsKey("lr")) {
                    o = o.with("lr", a.get("lr"));
                } else if (!prox) {
                    o = o.with("lr", "0.003");
                }
                if (prox && a.containsKey("damping")) {
                    o = o.with("damping", a.get("damping"));
                }
                Loss loss = Loss.parse(a.getOrDefault("loss", prox ? "mse" : "xent"));
                int batch = Integer.parseInt(a.getOrDefault("batch", prox ? "256" : "64"));
                long max = Long.parseLong(a.getOrDefault("max", prox ? "200" : "5000"));
                int eval = Integer.parseInt(a.getOrDefault("eval", "1"));
                for (int seed = 0; seed < seeds; seed++) {
                    TrainingConfig c = TrainingConfig.defaults().withOptimizer(opt, o).withLoss(loss)
                            .withBatchSize(batch).withMaxIterations(max).withEvalEvery(eval).withSeeds(seed, seed + 1);
                    Trainer t = new Trainer(backend, c).withRegistry(new SimpleMeterRegistry());
                    long[] evalNanos = {0};
                    double[] cpuAtTarget = {Double.NaN};
                    double cpu0 = processCpuSeconds();
                    t = t.withListener(e -> {
                        if (Double.isNaN(cpuAtTarget[0])) {
                            evalNanos[0] += e.phases().getOrDefault(Phase.EVAL, 0L);
                            if (e.testAccuracy() >= 0.97) {
                                cpuAtTarget[0] = processCpuSeconds() - cpu0;
                            }
                        }
                    });
                    if (a.containsKey("verbose")) {
                        t = t.withListener(e -> {
                            if (e.evaluated()) {
                                System.out.printf(Locale.ROOT, "  it %d loss %.4f train %.4f test %.4f λ %.3g %.2fs %s%n",
                                        e.iteration(), e.batchLoss(), e.trainAccuracy(), e.testAccuracy(), e.damping(),
                                        e.nanos() / 1e9, e.phases());
                            }
                        });
                    }
                    TrainingResult r = t.train(split);
                    boolean hit = r.iterationsToTarget() >= 0;
                    System.out.printf(Locale.ROOT, "| %s | %s | %s | %d | %d | %s | %s | %s | %s | %.4f |%n", opt, o,
                            loss, batch, seed, hit ? r.iterationsToTarget() : "not reached in " + max,
                            hit ? String.format(Locale.ROOT, "%.1f", r.nanosToTarget() / 1e9) : "-",
                            hit ? String.format(Locale.ROOT, "%.1f", (r.nanosToTarget() - evalNanos[0]) / 1e9) : "-",
                            hit ? String.format(Locale.ROOT, "%.1f", cpuAtTarget[0]) : "-", r.testAccuracy());
                }
            }
        }
    }

    /** @return the CPU time of this JVM, all threads, in seconds */
    private static double processCpuSeconds() {
        return ProcessHandle.current().info().totalCpuDuration().map(d -> d.toNanos() / 1e9).orElse(Double.NaN);
    }
}
