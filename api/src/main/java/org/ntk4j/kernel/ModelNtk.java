package org.ntk4j.kernel;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Metrics;
import java.util.Objects;
import java.util.Optional;
import org.ntk4j.nn.Mlp;
import org.ntk4j.nn.Params;
import org.ntk4j.nn.layers.DenseChains;
import org.ntk4j.nn.layers.Model;
import org.ntk4j.tensor.Tensor;

/**
 * The exact empirical NTK of any {@link Model}, by the fastest exact path that fits it: the structured
 * {@link EmpiricalNtk} when the model is a dense chain ({@link DenseChains#mlp(Model)}: per-layer Grams, GEMM-bound),
 * the generic {@link GenericNtk} otherwise (per-parameter Jacobian contraction). Both paths agree to 1e-10
 * relative on dense chains; the parameters are the model's, in its order. Instances are immutable.
 */
public final class ModelNtk {

    private final Model model;
    private final EmpiricalNtk structured;
    private final GenericNtk generic;

    /**
     * A kernel of {@code model} that reports to {@link Metrics#globalRegistry}; structured when it can be.
     *
     * @param model the model
     */
    public ModelNtk(Model model) {
        this(model, DenseChains.mlp(model).map(EmpiricalNtk::new).orElse(null), new GenericNtk(model));
    }

    private ModelNtk(Model model, EmpiricalNtk structured, GenericNtk generic) {
        this.model = Objects.requireNonNull(model, "model");
        this.structured = structured;
        this.generic = generic;
    }

    /**
     * @return a copy that always takes the generic path (to compare the two, or to time the generic one)
     */
    public ModelNtk generic() {
        return new ModelNtk(model, null, generic);
    }

    /** @return whether this kernel takes the structured path of a dense chain */
    public boolean structured() {
        return structured != null;
    }

    /** @return the MLP of a dense chain, when the structured path is taken */
    public Optional<Mlp> mlp() {
        return structured == null ? Optional.empty() : Optional.of(structured.mlp());
    }

    /** @return the model */
    public Model model() {
        return model;
    }

    /**
     * @param r the registry for the timer and flop counter, or {@code null} for none
     * @return a copy reporting there
     */
    public ModelNtk withMeterRegistry(MeterRegistry r) {
        return new ModelNtk(model, structured == null ? null : structured.withMeterRegistry(r),
                generic.withMeterRegistry(r));
    }

    /**
     * @param l the listener told after every computation
     * @return a copy with that listener
     */
    public ModelNtk withListener(KernelListener l) {
        return new ModelNtk(model, structured == null ? null : structured.withListener(l), generic.withListener(l));
    }

    /**
     * @param params the model's parameters (not modified)
     * @param x N × input-size inputs (not modified)
     * @param axes full (N·O × N·O) or traced (N × N)
     * @return a new kernel tensor
     */
    public Tensor compute(Params params, Tensor x, OutputAxes axes) {
        return compute(params, x, null, axes);
    }

    /**
     * @param params the model's parameters (not modified)
     * @param x1 N1 × input-size inputs (not modified)
     * @param x2 N2 × input-size inputs, or {@code null} for X1 itself (not modified)
     * @param axes full (N1·O × N2·O) or traced (N1 × N2)
     * @return a new kernel tensor
     */
    public Tensor compute(Params params, Tensor x1, Tensor x2, OutputAxes axes) {
        model.checkParams(params);
        return structured != null ? structured.compute(params, x1, x2, axes) : generic.compute(params, x1, x2, axes);
    }

    /**
     * The kernel tile by tile, on the host (see {@link GenericNtk#computeTiled} and
     * {@link EmpiricalNtk#computeTiled}).
     *
     * @param params the model's parameters (not modified)
     * @param x1 N1 × input-size inputs (not modified)
     * @param x2 N2 × input-size inputs, or {@code null} for X1 itself (not modified)
     * @param axes full or traced
     * @param batchSize samples per block, ≥ 1
     * @param progress told after every tile
     * @return the kernel on the host
     */
    public HostMatrix computeTiled(Params params, Tensor x1, Tensor x2, OutputAxes axes, int batchSize,
                                   TileProgress progress) {
        model.checkParams(params);
        return structured != null ? structured.computeTiled(params, x1, x2, axes, batchSize, progress)
                : generic.computeTiled(params, x1, x2, axes, batchSize, progress);
    }

    @Override
    public String toString() {
        return (structured != null ? "structured" : "generic") + " empirical NTK of " + model;
    }
}
