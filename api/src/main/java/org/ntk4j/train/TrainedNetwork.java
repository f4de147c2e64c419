package org.ntk4j.train;

import io.micrometer.core.instrument.MeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.ntk4j.backend.Backend;
import org.ntk4j.data.Dataset;
import org.ntk4j.kernel.EmpiricalNtk;
import org.ntk4j.kernel.ModelNtk;
import org.ntk4j.metrics.TrainingMetrics;
import org.ntk4j.nn.HostParams;
import org.ntk4j.nn.Loss;
import org.ntk4j.nn.Mlp;
import org.ntk4j.nn.MlpParams;
import org.ntk4j.nn.Params;
import org.ntk4j.nn.layers.Model;
import org.ntk4j.nn.layers.ModelParams;
import org.ntk4j.nn.layers.ParamSpec;
import org.ntk4j.nn.layers.Shape;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;

/**
 * What the training loop needs of a network, for an {@link Mlp} (the structured MLP path) or any layered
 * {@link Model}: initial parameters, the batch objective, outputs, the parameter layout and host copies.
 */
interface TrainedNetwork {

    /** @return a short tag for the metrics, e.g. {@code mlp-64-256-10} */
    String tag();

    /** @return the parameter names in order */
    List<String> names();

    /** @return the rows and columns of every parameter tensor, in order */
    List<int[]> shapes();

    /**
     * @param seed the initialization seed
     * @param backend where the parameters go
     * @return new parameters
     */
    Params init(long seed, Backend backend);

    /** @return the objective on one batch; x and y must stay open while it is used */
    BatchObjective objective(Loss loss, Tensor x, Tensor y, PhaseTimes times, TrainingMetrics metrics);

    /** @return a new N×O tensor of outputs */
    Tensor apply(Params params, Tensor x);

    /** @return host copies of the parameters */
    HostParams download(Params params);

    /**
     * @param architecture the configured network
     * @param train the training data: its sample shape and class count fix the input shape and output width
     * @param registry where the kernel reports
     * @return the network
     * @throws IllegalArgumentException naming the layer that cannot take the data's samples
     */
    static TrainedNetwork of(Architecture architecture, Dataset train, MeterRegistry registry) {
        if (architecture instanceof MlpArchitecture a) {
            return new MlpNetwork(a.mlp(train.dims(), train.classes()), registry);
        }
        return new LayerNetwork(((LayerArchitecture) architecture).model(inputShape(train), train.classes()),
                registry);
    }

    /**
     * @param data a data set
     * @return its samples' shape: an image (H, W, C) when the data says so, a vector otherwise
     */
    static Shape inputShape(Dataset data) {
        return Shape.ofSample(data.sampleShape());
    }

    /** An MLP on the structured path; parameters {@code W0}, {@code b0}, …. */
    final class MlpNetwork implements TrainedNetwork {
        private final Mlp mlp;
        private final EmpiricalNtk ntk;

        MlpNetwork(Mlp mlp, MeterRegistry registry) {
            this.mlp = mlp;
            this.ntk = new EmpiricalNtk(mlp).withMeterRegistry(registry);
        }

        @Override
        public String tag() {
            StringBuilder sb = new StringBuilder("mlp");
            for (int w : mlp.widths()) {
                sb.append('-').append(w);
            }
            return sb.toString();
        }

        @Override
        public List<String> names() {
            return mlp.parameterNames();
        }

        @Override
        public List<int[]> shapes() {
            List<int[]> out = new ArrayList<>();
            for (int l = 0; l < mlp.depth(); l++) {
                out.add(new int[] {mlp.width(l), mlp.width(l + 1)});
                if (mlp.hasBias()) {
                    out.add(new int[] {1, mlp.width(l + 1)});
                }
            }
            return out;
        }

        @Override
        public Params init(long seed, Backend backend) {
            return mlp.init(seed).upload(backend, DType.F64);
        }

        @Override
        public BatchObjective objective(Loss loss, Tensor x, Tensor y, PhaseTimes times, TrainingMetrics metrics) {
            return new MlpObjective(mlp, loss, x, y, ntk, times, metrics);
        }

        @Override
        public Tensor apply(Params params, Tensor x) {
            return mlp.apply(params, x);
        }

        @Override
        public HostParams download(Params params) {
            return MlpParams.download(mlp, params);
        }

        @Override
        public String toString() {
            return mlp.toString();
        }
    }

    /** Any layered model; parameters {@code <layer index>/<name>}. */
    final class LayerNetwork implements TrainedNetwork {
        /** Samples per forward pass when evaluating. */
        static final int BLOCK = 256;
        private final Model model;
        private final ModelNtk ntk;

        LayerNetwork(Model model, MeterRegistry registry) {
            this.model = model;
            this.ntk = new ModelNtk(model).withMeterRegistry(registry);
        }

        @Override
        public String tag() {
            return "model-" + model.parameterCount();
        }

        @Override
        public List<String> names() {
            return model.parameterNames();
        }

        @Override
        public List<int[]> shapes() {
            List<int[]> out = new ArrayList<>();
            for (ParamSpec s : model.parameters()) {
                out.add(new int[] {s.rows(), s.cols()});
            }
            return out;
        }

        @Override
        public Params init(long seed, Backend backend) {
            return model.init(seed).toBackend(backend, DType.F64);
        }

        @Override
        public BatchObjective objective(Loss loss, Tensor x, Tensor y, PhaseTimes times, TrainingMetrics metrics) {
            return new ModelObjective(model, loss, x, y, ntk, times, metrics);
        }

        /** Outputs in blocks of {@value #BLOCK} samples, so that wide activations of a large split fit. */
        @Override
        public Tensor apply(Params params, Tensor x) {
            Backend be = params.backend();
            int n = x.rows();
            if (n <= BLOCK) {
                return model.apply(params, x);
            }
            int o = model.outputDim();
            double[] out = new double[Math.multiplyExact(n, o)];
            for (int r0 = 0; r0 < n; r0 += BLOCK) {
                int[] rows = new int[Math.min(BLOCK, n - r0)];
                for (int i = 0; i < rows.length; i++) {
                    rows[i] = r0 + i;
                }
                try (Tensor xb = be.gatherRows(x, rows); Tensor yb = model.apply(params, xb)) {
                    System.arraycopy(be.toHost(yb), 0, out, r0 * o, rows.length * o);
                }
            }
            return be.fromHost(out, n, o, x.dtype());
        }

        @Override
        public HostParams download(Params params) {
            return ModelParams.fromBackend(model, params);
        }

        @Override
        public String toString() {
            return model.toString();
        }
    }
}
