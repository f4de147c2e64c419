package org.ntk4j.train;

import java.nio.file.Path;
import java.util.Objects;
import org.ntk4j.backend.Activation;
import org.ntk4j.nn.Loss;
import org.ntk4j.nn.Parameterization;
import org.ntk4j.optim.Optimizer;
import org.ntk4j.optim.OptimizerOptions;
import org.ntk4j.optim.Optimizers;
import org.ntk4j.optim.ProximalNtk;

/**
 * An immutable training configuration: the network ({@link Architecture}: an MLP or any layered model, its input
 * shape and output width taken from the data), the loss, the optimizer (a typed {@link Optimizer}, resolved once),
 * the batch schedule, evaluation, early stopping, checkpoints and divergence detection. Every {@code with…} method
 * returns a copy (only {@code private final} fields).
 *
 * <pre>{@code
 * TrainingConfig mlp = TrainingConfig.defaults().withHidden(512).withOptimizer(Adam.withLearningRate(1e-3));
 * TrainingConfig cnn = TrainingConfig.defaults().withModel(new LayerArchitecture("cnn", o -> Layers.serial(
 *         Layers.conv(16, 3, 3), Layers.relu(), Layers.globalAvgPool(), Layers.dense(o))));
 * }</pre>
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
    private final Architecture architecture;
    private final Loss loss;
    private final Optimizer<?> optimizer;
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

    /** The fields of a configuration being derived; checked when a {@link TrainingConfig} is made of them. */
    private static final class Fields {
        String dataset;
        Architecture architecture;
        Loss loss;
        Optimizer<?> optimizer;
        int batchSize;
        long maxIterations;
        int evalEvery;
        double targetAccuracy;
        long initSeed;
        long shuffleSeed;
        Path checkpoint;
        int checkpointEvery;
        double divergenceFactor;
        int divergenceRising;
    }

    private TrainingConfig(Fields f) {
        this.dataset = Objects.requireNonNull(f.dataset, "dataset");
        this.architecture = Objects.requireNonNull(f.architecture, "architecture");
        this.loss = Objects.requireNonNull(f.loss, "loss");
        this.optimizer = Objects.requireNonNull(f.optimizer, "optimizer");
        if (f.batchSize < 1) {
            throw new IllegalArgumentException("batch size must be >= 1, got " + f.batchSize);
        }
        this.batchSize = f.batchSize;
        if (f.maxIterations < 1) {
            throw new IllegalArgumentException("the iteration budget must be >= 1, got " + f.maxIterations);
        }
        this.maxIterations = f.maxIterations;
        if (f.evalEvery < 1) {
            throw new IllegalArgumentException("evaluation interval must be >= 1, got " + f.evalEvery);
        }
        this.evalEvery = f.evalEvery;
        if (!Double.isNaN(f.targetAccuracy) && !(f.targetAccuracy > 0 && f.targetAccuracy <= 1)) {
            throw new IllegalArgumentException("target accuracy must be in (0, 1] or NaN (none), got "
                    + f.targetAccuracy);
        }
        this.targetAccuracy = f.targetAccuracy;
        this.initSeed = f.initSeed;
        this.shuffleSeed = f.shuffleSeed;
        this.checkpoint = f.checkpoint;
        if (f.checkpointEvery < 0) {
            throw new IllegalArgumentException("checkpoint interval must be >= 0, got " + f.checkpointEvery);
        }
        this.checkpointEvery = f.checkpointEvery;
        if (!(f.divergenceFactor > 1) || f.divergenceRising < 0) {
            throw new IllegalArgumentException("the divergence factor must be > 1 (+∞: off) and the count of rising"
                    + " evaluations ≥ 0 (0: off), got " + f.divergenceFactor + ", " + f.divergenceRising);
        }
        this.divergenceFactor = f.divergenceFactor;
        this.divergenceRising = f.divergenceRising;
    }

    private Fields fields() {
        Fields f = new Fields();
        f.dataset = dataset;
        f.architecture = architecture;
        f.loss = loss;
        f.optimizer = optimizer;
        f.batchSize = batchSize;
        f.maxIterations = maxIterations;
        f.evalEvery = evalEvery;
        f.targetAccuracy = targetAccuracy;
        f.initSeed = initSeed;
        f.shuffleSeed = shuffleSeed;
        f.checkpoint = checkpoint;
        f.checkpointEvery = checkpointEvery;
        f.divergenceFactor = divergenceFactor;
        f.divergenceRising = divergenceRising;
        return f;
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
        Fields f = new Fields();
        f.dataset = "digits";
        f.architecture = MlpArchitecture.of(256, 256);
        f.loss = Loss.MSE;
        f.optimizer = ProximalNtk.defaults();
        f.batchSize = 128;
        f.maxIterations = 200;
        f.evalEvery = 1;
        f.targetAccuracy = 0.97;
        f.initSeed = 0;
        f.shuffleSeed = 1;
        f.divergenceFactor = DEFAULT_DIVERGENCE_FACTOR;
        f.divergenceRising = DEFAULT_DIVERGENCE_RISING;
        return new TrainingConfig(f);
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
        Fields f = fields();
        f.divergenceFactor = factor;
        f.divergenceRising = risingEvaluations;
        return new TrainingConfig(f);
    }

    /**
     * @param name the data set's name, for reports and the CLI ({@code digits}, a file name)
     * @return a copy
     */
    public TrainingConfig withDataset(String name) {
        Fields f = fields();
        f.dataset = name;
        return new TrainingConfig(f);
    }

    /**
     * @param model the network: an {@link MlpArchitecture} or a {@link LayerArchitecture}
     * @return a copy
     */
    public TrainingConfig withModel(Architecture model) {
        Fields f = fields();
        f.architecture = model;
        return new TrainingConfig(f);
    }

    /** @return the MLP being configured, or the default MLP when the network is a layered model */
    private MlpArchitecture mlpOrDefault() {
        return architecture instanceof MlpArchitecture m ? m : MlpArchitecture.of(256, 256);
    }

    /**
     * The MLP shorthand: an MLP with these hidden widths and the current MLP's other settings (ReLU, NTK,
     * σ_w = √2, σ_b = 0.1 when the network was a layered model).
     *
     * @param widths the hidden layers' widths, each ≥ 1 (none for a linear model) (not modified)
     * @return a copy
     */
    public TrainingConfig withHidden(int... widths) {
        MlpArchitecture m = mlpOrDefault();
        return withModel(new MlpArchitecture(widths, m.activation(), m.parameterization(), m.sigmaW(), m.sigmaB()));
    }

    /**
     * The MLP shorthand: an MLP with the current MLP's widths (256, 256 when the network was a layered model) and
     * these settings.
     *
     * @param f the activation between layers
     * @param p the parameterization
     * @param sw σ_w, &gt; 0
     * @param sb σ_b, ≥ 0
     * @return a copy
     */
    public TrainingConfig withNetwork(Activation f, Parameterization p, double sw, double sb) {
        return withModel(new MlpArchitecture(mlpOrDefault().hidden(), f, p, sw, sb));
    }

    /**
     * @param l the loss
     * @return a copy
     */
    public TrainingConfig withLoss(Loss l) {
        Fields f = fields();
        f.loss = l;
        return new TrainingConfig(f);
    }

    /**
     * @param o the optimizer, e.g. {@code Adam.withLearningRate(1e-3)} or {@code ProximalNtk.defaults()}
     * @return a copy
     */
    public TrainingConfig withOptimizer(Optimizer<?> o) {
        Fields f = fields();
        f.optimizer = o;
        return new TrainingConfig(f);
    }

    /**
     * Resolves an optimizer by name now ({@link Optimizers#create(String, OptimizerOptions)}).
     *
     * @param name the optimizer's registered name
     * @param options its options (not modified)
     * @return a copy
     * @throws IllegalArgumentException naming the unknown optimizer or option
     */
    public TrainingConfig withOptimizer(String name, OptimizerOptions options) {
        return withOptimizer(Optimizers.create(name, options));
    }

    /**
     * @param size samples per batch, ≥ 1 (the last batch of an epoch may be smaller)
     * @return a copy
     */
    public TrainingConfig withBatchSize(int size) {
        Fields f = fields();
        f.batchSize = size;
        return new TrainingConfig(f);
    }

    /**
     * @param iterations the iteration budget, ≥ 1
     * @return a copy
     */
    public TrainingConfig withMaxIterations(long iterations) {
        Fields f = fields();
        f.maxIterations = iterations;
        return new TrainingConfig(f);
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
        Fields f = fields();
        f.evalEvery = every;
        return new TrainingConfig(f);
    }

    /**
     * @param accuracy stop once the test accuracy reaches this, in (0, 1]; NaN for no early stop
     * @return a copy
     */
    public TrainingConfig withTargetAccuracy(double accuracy) {
        Fields f = fields();
        f.targetAccuracy = accuracy;
        return new TrainingConfig(f);
    }

    /**
     * @param init the seed of the initial parameters
     * @param shuffle the seed of the batch shuffling
     * @return a copy
     */
    public TrainingConfig withSeeds(long init, long shuffle) {
        Fields f = fields();
        f.initSeed = init;
        f.shuffleSeed = shuffle;
        return new TrainingConfig(f);
    }

    /**
     * @param file the checkpoint file ({@code .npz}), replaced atomically each time; {@code null} for none
     * @param every write it every this many iterations (0: only when training ends), ≥ 0
     * @return a copy
     */
    public TrainingConfig withCheckpoint(Path file, int every) {
        Fields f = fields();
        f.checkpoint = file;
        f.checkpointEvery = every;
        return new TrainingConfig(f);
    }

    /** @return the data set's name */
    public String dataset() {
        return dataset;
    }

    /** @return the network */
    public Architecture model() {
        return architecture;
    }

    /** @return the loss */
    public Loss loss() {
        return loss;
    }

    /** @return the optimizer */
    public Optimizer<?> optimizer() {
        return optimizer;
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
        return "TrainingConfig{dataset=" + dataset + ", model=" + architecture.describe() + ", loss=" + loss
                + ", optimizer=" + optimizer + ", batch=" + batchSize + ", maxIterations=" + maxIterations
                + ", evalEvery=" + evalEvery + ", target=" + targetAccuracy + ", seeds=" + initSeed + "/" + shuffleSeed
                + (checkpoint == null ? "" : ", checkpoint=" + checkpoint + " every " + checkpointEvery)
                + ", divergence=" + divergenceFactor + "/" + divergenceRising + "}";
    }
}
