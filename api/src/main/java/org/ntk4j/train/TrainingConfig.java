package org.ntk4j.train;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Objects;
import org.ntk4j.backend.Activation;
import org.ntk4j.nn.Loss;
import org.ntk4j.nn.Mlp;
import org.ntk4j.nn.Parameterization;
import org.ntk4j.optim.OptimizerOptions;

/**
 * An immutable training configuration: the network, the loss, the optimizer, the batch schedule, evaluation,
 * early stopping, checkpoints and divergence detection. Every {@code with…} method returns a copy (only
 * {@code private final} fields).
 *
 * <p>{@link #defaults()} is what {@code ntk4j train} runs without options: the bundled digits, an MLP
 * 64-256-256-10 with ReLU in NTK parameterization, the {@code proximal-ntk} optimizer on batches of 128, until
 * 0.97 test accuracy (6 to 8 iterations, about 13 CPU seconds on EJML).
 */
public final class TrainingConfig {

    /** The default divergence factor: a loss 1000 times the first batch loss has blown up. */
    public static final double DEFAULT_DIVERGENCE_FACTOR = 1e3;
    /** The default count of rising evaluations that counts as divergence. */
    public static final int DEFAULT_DIVERGENCE_RISING = 5;

    private final String dataset;
    private final int[] hidden;
    private final Activation activation;
    private final Parameterization parameterization;
    private final double sigmaW;
    private final double sigmaB;
    private final Loss loss;
    private final String optimizer;
    private final OptimizerOptions optimizerOptions;
    private final int batchSize;
    private final long maxIterations;
    private final int evalEvery;
    private final double targetAccuracy;
    private final long initSeed;
    private final long shuffleSeed;
    private final Path checkpoint;
    private final int checkpointEvery;
    private final double divergenceFactor;
    private final int divergenceRising;

    private TrainingConfig(String dataset, int[] hidden, Activation activation, Parameterization parameterization,
                           double sigmaW, double sigmaB, Loss loss, String optimizer, OptimizerOptions optimizerOptions,
                           int batchSize, long maxIterations, int evalEvery, double targetAccuracy, long initSeed,
                           long shuffleSeed, Path checkpoint, int checkpointEvery, double divergenceFactor,
                           int divergenceRising) {
        this.dataset = Objects.requireNonNull(dataset, "dataset");
        this.hidden = hidden.clone();
        for (int h : hidden) {
            if (h < 1) {
                throw new IllegalArgumentException("hidden widths must be >= 1, got " + Arrays.toString(hidden));
            }
        }
        this.activation = Objects.requireNonNull(activation, "activation");
        this.parameterization = Objects.requireNonNull(parameterization, "parameterization");
        if (!(sigmaW > 0) || !(sigmaB >= 0) || !Double.isFinite(sigmaW) || !Double.isFinite(sigmaB)) {
            throw new IllegalArgumentException("need σw > 0 and σb >= 0, got " + sigmaW + ", " + sigmaB);
        }
        this.sigmaW = sigmaW;
        this.sigmaB = sigmaB;
        this.loss = Objects.requireNonNull(loss, "loss");
        this.optimizer = Objects.requireNonNull(optimizer, "optimizer");
        this.optimizerOptions = Objects.requireNonNull(optimizerOptions, "optimizer options");
        if (batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
        }
        this.batchSize = batchSize;
        if (maxIterations < 1) {
            throw new IllegalArgumentException("the iteration budget must be >= 1, got " + maxIterations);
        }
        this.maxIterations = maxIterations;
        if (evalEvery < 1) {
            throw new IllegalArgumentException("evaluation interval must be >= 1, got " + evalEvery);
        }
        this.evalEvery = evalEvery;
        if (!Double.isNaN(targetAccuracy) && !(targetAccuracy > 0 && targetAccuracy <= 1)) {
            throw new IllegalArgumentException("target accuracy must be in (0, 1] or NaN (none), got " + targetAccuracy);
        }
        this.targetAccuracy = targetAccuracy;
        this.initSeed = initSeed;
        this.shuffleSeed = shuffleSeed;
        this.checkpoint = checkpoint;
        if (checkpointEvery < 0) {
            throw new IllegalArgumentException("checkpoint interval must be >= 0, got " + checkpointEvery);
        }
        this.checkpointEvery = checkpointEvery;
        if (!(divergenceFactor > 1) || divergenceRising < 0) {
            throw new IllegalArgumentException("the divergence factor must be > 1 (+∞: off) and the count of rising"
                    + " evaluations ≥ 0 (0: off), got " + divergenceFactor + ", " + divergenceRising);
        }
        this.divergenceFactor = divergenceFactor;
        this.divergenceRising = divergenceRising;
    }

    /**
     * The default run, used by {@code ntk4j train} without options: digits, MLP 64-256-256-10 ReLU (NTK
     * parameterization, σ_w = √2, σ_b = 0.1), squared error on one-hot targets, {@code proximal-ntk} with its
     * defaults, batches of 128 reshuffled every epoch, evaluation every iteration, stop at 0.97 test accuracy or
     * after 200 iterations; no checkpoints. Batches of 128 rather than 256 take about twice the iterations but
     * half the compute: the batch kernel and its solve grow with the cube of the batch.
     *
     * @return the defaults
     */
    public static TrainingConfig defaults() {
        return new TrainingConfig("digits", new int[] {256, 256}, Activation.RELU, Parameterization.NTK, Math.sqrt(2),
                0.1, Loss.MSE, "proximal-ntk", OptimizerOptions.defaults(), 128, 200, 1, 0.97, 0, 1, null, 0,
                DEFAULT_DIVERGENCE_FACTOR, DEFAULT_DIVERGENCE_RISING);
    }

    private TrainingConfig copy(int[] hidden, Activation activation, Parameterization parameterization, double sigmaW,
                                double sigmaB, Loss loss, String optimizer, OptimizerOptions optimizerOptions,
                                int batchSize, long maxIterations, int evalEvery, double targetAccuracy,
                                long initSeed, long shuffleSeed, Path checkpoint, int checkpointEvery) {
        return new TrainingConfig(dataset, hidden, activation, parameterization, sigmaW, sigmaB, loss, optimizer,
                optimizerOptions, batchSize, maxIterations, evalEvery, targetAccuracy, initSeed, shuffleSeed,
                checkpoint, checkpointEvery, divergenceFactor, divergenceRising);
    }

    /**
     * Sets when training counts as diverged, besides a loss that is NaN or infinite: an evaluated training loss
     * more than {@code factor} times the first batch loss, or one that rose at {@code risingEvaluations}
     * evaluations in a row while above the first batch loss. Defaults: 1000 and 5.
     *
     * @param factor &gt; 1; {@code Double.POSITIVE_INFINITY} turns the ratio test off
     * @param risingEvaluations ≥ 0; 0 turns the rising test off
     * @return a copy
     */
    public TrainingConfig withDivergence(double factor, int risingEvaluations) {
        return new TrainingConfig(dataset, hidden, activation, parameterization, sigmaW, sigmaB, loss, optimizer,
                optimizerOptions, batchSize, maxIterations, evalEvery, targetAccuracy, initSeed, shuffleSeed,
                checkpoint, checkpointEvery, factor, risingEvaluations);
    }

    /**
     * @param name the data set's name, for reports and the CLI ({@code digits}, a file name)
     * @return a copy
     */
    public TrainingConfig withDataset(String name) {
        return new TrainingConfig(name, hidden, activation, parameterization, sigmaW, sigmaB, loss, optimizer,
                optimizerOptions, batchSize, maxIterations, evalEvery, targetAccuracy, initSeed, shuffleSeed,
                checkpoint, checkpointEvery, divergenceFactor, divergenceRising);
    }

    /**
     * @param widths the hidden layers' widths, each ≥ 1 (none for a linear model) (not modified)
     * @return a copy
     */
    public TrainingConfig withHidden(int... widths) {
        return copy(widths, activation, parameterization, sigmaW, sigmaB, loss, optimizer, optimizerOptions, batchSize,
                maxIterations, evalEvery, targetAccuracy, initSeed, shuffleSeed, checkpoint, checkpointEvery);
    }

    /**
     * @param f the activation between layers
     * @param p the parameterization
     * @param sw σ_w, &gt; 0
     * @param sb σ_b, ≥ 0
     * @return a copy
     */
    public TrainingConfig withNetwork(Activation f, Parameterization p, double sw, double sb) {
        return copy(hidden, f, p, sw, sb, loss, optimizer, optimizerOptions, batchSize, maxIterations, evalEvery,
                targetAccuracy, initSeed, shuffleSeed, checkpoint, checkpointEvery);
    }

    /**
     * @param l the loss
     * @return a copy
     */
    public TrainingConfig withLoss(Loss l) {
        return copy(hidden, activation, parameterization, sigmaW, sigmaB, l, optimizer, optimizerOptions, batchSize,
                maxIterations, evalEvery, targetAccuracy, initSeed, shuffleSeed, checkpoint, checkpointEvery);
    }

    /**
     * @param name the optimizer's registered name
     * @param options its options
     * @return a copy
     */
    public TrainingConfig withOptimizer(String name, OptimizerOptions options) {
        return copy(hidden, activation, parameterization, sigmaW, sigmaB, loss, name, options, batchSize,
                maxIterations, evalEvery, targetAccuracy, initSeed, shuffleSeed, checkpoint, checkpointEvery);
    }

    /**
     * @param size samples per batch, ≥ 1 (the last batch of an epoch may be smaller)
     * @return a copy
     */
    public TrainingConfig withBatchSize(int size) {
        return copy(hidden, activation, parameterization, sigmaW, sigmaB, loss, optimizer, optimizerOptions, size,
                maxIterations, evalEvery, targetAccuracy, initSeed, shuffleSeed, checkpoint, checkpointEvery);
    }

    /**
     * @param iterations the iteration budget, ≥ 1
     * @return a copy
     */
    public TrainingConfig withMaxIterations(long iterations) {
        return copy(hidden, activation, parameterization, sigmaW, sigmaB, loss, optimizer, optimizerOptions, batchSize,
                iterations, evalEvery, targetAccuracy, initSeed, shuffleSeed, checkpoint, checkpointEvery);
    }

    /**
     * Sets the budget in epochs: ⌈trainingSamples / batchSize⌉ iterations per epoch.
     *
     * @param epochs the number of epochs, ≥ 1
     * @param trainingSamples the size of the training split
     * @return a copy
     */
    public TrainingConfig withEpochs(int epochs, int trainingSamples) {
        long perEpoch = (trainingSamples + batchSize - 1) / batchSize;
        return withMaxIterations(epochs * perEpoch);
    }

    /**
     * @param every evaluate the train and test splits every this many iterations, ≥ 1
     * @return a copy
     */
    public TrainingConfig withEvalEvery(int every) {
        return copy(hidden, activation, parameterization, sigmaW, sigmaB, loss, optimizer, optimizerOptions, batchSize,
                maxIterations, every, targetAccuracy, initSeed, shuffleSeed, checkpoint, checkpointEvery);
    }

    /**
     * @param accuracy stop once the test accuracy reaches this, in (0, 1]; NaN for no early stop
     * @return a copy
     */
    public TrainingConfig withTargetAccuracy(double accuracy) {
        return copy(hidden, activation, parameterization, sigmaW, sigmaB, loss, optimizer, optimizerOptions, batchSize,
                maxIterations, evalEvery, accuracy, initSeed, shuffleSeed, checkpoint, checkpointEvery);
    }

    /**
     * @param init the seed of the initial parameters
     * @param shuffle the seed of the batch shuffling
     * @return a copy
     */
    public TrainingConfig withSeeds(long init, long shuffle) {
        return copy(hidden, activation, parameterization, sigmaW, sigmaB, loss, optimizer, optimizerOptions, batchSize,
                maxIterations, evalEvery, targetAccuracy, init, shuffle, checkpoint, checkpointEvery);
    }

    /**
     * @param file the checkpoint file ({@code .npz}), replaced atomically each time; {@code null} for none
     * @param every write it every this many iterations (0: only when training ends), ≥ 0
     * @return a copy
     */
    public TrainingConfig withCheckpoint(Path file, int every) {
        return copy(hidden, activation, parameterization, sigmaW, sigmaB, loss, optimizer, optimizerOptions, batchSize,
                maxIterations, evalEvery, targetAccuracy, initSeed, shuffleSeed, file, every);
    }

    /**
     * @param inputs the input width d0
     * @param outputs the output width (the number of classes)
     * @return the network this configuration describes
     */
    public Mlp mlp(int inputs, int outputs) {
        int[] widths = new int[hidden.length + 2];
        widths[0] = inputs;
        System.arraycopy(hidden, 0, widths, 1, hidden.length);
        widths[widths.length - 1] = outputs;
        return Mlp.builder(widths).activation(activation).parameterization(parameterization).sigmaW(sigmaW)
                .sigmaB(sigmaB).build();
    }

    /** @return the data set's name */
    public String dataset() {
        return dataset;
    }

    /** @return the hidden widths (a copy) */
    public int[] hidden() {
        return hidden.clone();
    }

    /** @return the activation */
    public Activation activation() {
        return activation;
    }

    /** @return the parameterization */
    public Parameterization parameterization() {
        return parameterization;
    }

    /** @return σ_w */
    public double sigmaW() {
        return sigmaW;
    }

    /** @return σ_b */
    public double sigmaB() {
        return sigmaB;
    }

    /** @return the loss */
    public Loss loss() {
        return loss;
    }

    /** @return the optimizer's name */
    public String optimizer() {
        return optimizer;
    }

    /** @return the optimizer's options */
    public OptimizerOptions optimizerOptions() {
        return optimizerOptions;
    }

    /** @return samples per batch */
    public int batchSize() {
        return batchSize;
    }

    /** @return the iteration budget */
    public long maxIterations() {
        return maxIterations;
    }

    /** @return the evaluation interval in iterations */
    public int evalEvery() {
        return evalEvery;
    }

    /** @return the test accuracy that stops training, or NaN for none */
    public double targetAccuracy() {
        return targetAccuracy;
    }

    /** @return the seed of the initial parameters */
    public long initSeed() {
        return initSeed;
    }

    /** @return the seed of the batch shuffling */
    public long shuffleSeed() {
        return shuffleSeed;
    }

    /** @return the checkpoint file, or {@code null} */
    public Path checkpoint() {
        return checkpoint;
    }

    /** @return the checkpoint interval (0: only at the end) */
    public int checkpointEvery() {
        return checkpointEvery;
    }

    /** @return how many times the first batch loss an evaluated training loss may reach (+∞: no limit) */
    public double divergenceFactor() {
        return divergenceFactor;
    }

    /** @return how many rises in a row of the evaluated training loss count as divergence (0: never) */
    public int divergenceRising() {
        return divergenceRising;
    }

    @Override
    public String toString() {
        return "TrainingConfig{dataset=" + dataset + ", hidden=" + Arrays.toString(hidden) + ", " + activation + ", "
                + parameterization + ", σw=" + sigmaW + ", σb=" + sigmaB + ", loss=" + loss + ", optimizer=" + optimizer
                + optimizerOptions + ", batch=" + batchSize + ", maxIterations=" + maxIterations + ", evalEvery="
                + evalEvery + ", target=" + targetAccuracy + ", seeds=" + initSeed + "/" + shuffleSeed
                + (checkpoint == null ? "" : ", checkpoint=" + checkpoint + " every " + checkpointEvery)
                + ", divergence=" + divergenceFactor + "/" + divergenceRising + "}";
    }
}
