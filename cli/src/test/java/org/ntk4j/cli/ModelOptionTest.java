package org.ntk4j.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.Backends;
import org.ntk4j.data.Dataset;
import org.ntk4j.data.Digits;
import org.ntk4j.io.Json;
import org.ntk4j.io.Npy;
import org.ntk4j.io.NpyArray;
import org.ntk4j.io.Npz;
import org.ntk4j.kernel.GenericNtk;
import org.ntk4j.kernel.OutputAxes;
import org.ntk4j.nn.Parameterization;
import org.ntk4j.nn.layers.Model;
import org.ntk4j.nn.layers.ModelParams;
import org.ntk4j.nn.layers.ModelSpec;
import org.ntk4j.nn.layers.Shape;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/** {@code --model}: training, kernels and predictions of a layered model, its JSON form, and its mistakes. */
class ModelOptionTest {

    @TempDir
    Path tmp;

    private static final String CNN = "conv(4,3x3)-relu-avgpool(2)-residual(conv(4,3x3)-tanh)-layernorm-flatten-dense";

    @Test
    @DisplayName("train --model: a CNN on the 8×8 digits; the run folder records the spec and 0/K-named parameters")
    void trainsACnn() throws Exception {
        Path run = tmp.resolve("run");
        Cli c = Cli.run("train", "--model", CNN, "--iterations", "4", "--batch-size", "16", "--eval-every", "2",
                "--target-accuracy", "0", "--spectrum-samples", "20", "--run-dir", run.toString());
        assertEquals(0, c.code(), c.err());
        assertTrue(c.out().startsWith("training model[(8, 8, 1) → serial(conv(4, 3x3, SAME)"), c.out());
        Map<?, ?> config = (Map<?, ?>) Json.parse(run.resolve("config.json"));
        Map<?, ?> model = (Map<?, ?>) config.get("model");
        assertEquals(CNN, model.get("model"));
        assertEquals("[8, 8, 1]", String.valueOf(model.get("input_shape")));
        Map<String, NpyArray> k = Npz.read(run.resolve(TrainCommand.CHECKPOINT));
        assertArrayEquals(new int[] {9, 4}, k.get("param.0/K").shape());
        assertTrue(k.containsKey("param.6/W"), k.keySet().toString());
        Cli resumed = Cli.run("train", "-q", "--model", CNN, "--iterations", "6", "--batch-size", "16",
                "--eval-every", "2", "--target-accuracy", "0", "--spectrum-samples", "0", "--resume", run.toString(),
                "--run-dir", run.toString());
        assertEquals(0, resumed.code(), resumed.err());
        Cli other = Cli.run("train", "-q", "--hidden", "8", "--iterations", "6", "--batch-size", "16",
                "--spectrum-samples", "0", "--resume", run.toString(), "--run-dir", tmp.resolve("x").toString());
        assertEquals(2, other.code());
        assertTrue(other.err().contains("the checkpoint's parameter W0 is missing"), other.err());
    }

    @Test
    @DisplayName("kernel --model: the .npy is the generic eNTK at the 0/K-named parameters written beside it")
    void kernelOfACnn() throws Exception {
        Path model = tmp.resolve("cnn.json");
        Files.writeString(model, "{\"layers\": [{\"type\": \"conv\", \"out\": 3, \"kernel\": \"3x3\", \"stride\": 2},"
                + " {\"type\": \"erf\"}, {\"type\": \"gap\"}, {\"type\": \"dense\"}]}");
        Path out = tmp.resolve("k.npy");
        Cli c = Cli.run("kernel", "-q", "--model", model.toString(), "--samples", "12", "--batch-size", "5", "--seed", "2",
                "-o", out.toString());
        assertEquals(0, c.code(), c.err());
        Dataset x = Digits.standardSplit().train().subset(KernelCommand.range(12), "x");
        Model m = new Model(Shape.image(8, 8, 1), ModelSpec.fromJson(Json.parse(model), model.toString(),
                new ModelSpec.Defaults(Parameterization.NTK, Math.sqrt(2), 0.1)).root(10));
        ModelParams p = ParamsFiles.load(tmp.resolve("k-params.npz"), m);
        assertArrayEquals(m.init(2).flatten(), p.flatten(), 0, "the seeded initialization is what was written");
        try (Backend b = Backends.create("ejml"); TensorScope s = b.scope()) {
            Tensor xs = b.fromHost(x.features(), 12, 64, DType.F64);
            double[] ref = b.toHost(new GenericNtk(m).withMeterRegistry(null).compute(p.toBackend(b, DType.F64), xs,
                    OutputAxes.TRACED));
            assertArrayEquals(ref, Npy.read(out).toDoubles(), 1e-10);
        }
    }

    @Test
    @DisplayName("kernel --kind analytic --model: a dense chain's layer maps give the MLP recursion's kernel, and a"
            + " CNN's cost is printed first")
    void analyticKernelOfAModel() throws Exception {
        Path viaModel = tmp.resolve("model.npy");
        Path viaMlp = tmp.resolve("mlp.npy");
        Cli m = Cli.run("kernel", "-q", "--kind", "analytic", "--kernel", "nngp", "--model",
                "flatten-dense(64)-erf-dense(64)-erf-dense", "--samples", "40", "--batch-size", "16", "-o",
                viaModel.toString());
        assertEquals(0, m.code(), m.err());
        Cli mlp = Cli.run("kernel", "-q", "--kind", "analytic", "--kernel", "nngp", "--hidden", "64,64",
                "--activation", "erf", "--samples", "40", "--batch-size", "16", "-o", viaMlp.toString());
        assertEquals(0, mlp.code(), mlp.err());
        double[] a = Npy.read(viaModel).toDoubles();
        double[] b = Npy.read(viaMlp).toDoubles();
        for (int i = 0; i < a.length; i++) {
            assertEquals(b[i], a[i], 1e-12 * Math.abs(b[i]) + 1e-14, "entry " + i);
        }
        Cli cnn = Cli.run("kernel", "--kind", "analytic", "--model", "conv(4,3x3)-relu-gap-dense", "--samples", "6",
                "--batch-size", "3", "-o", tmp.resolve("cnn.npy").toString());
        assertEquals(0, cnn.code(), cnn.err());
        assertTrue(cnn.err().contains("FULL layout, 4096 position pairs per pair of samples; a 3 × 3 block needs"),
                cnn.err());
    }

    @Test
    @DisplayName("predict --model: linearized predictions of a CNN from its empirical kernel")
    void predictsWithACnn() {
        Path out = tmp.resolve("p.csv");
        Cli c = Cli.run("predict", "-q", "--kind", "empirical", "--model", "conv(2,3x3)-relu-gap-dense",
                "--limit", "60", "--out", out.toString());
        assertEquals(0, c.code(), c.err());
        assertTrue(Files.exists(out));
    }

    @Test
    @DisplayName("mistakes exit 2 with one line naming the token and its position")
    void mistakes() {
        Cli c = Cli.run("train", "--model", "conv(8,3x3)-rleu-dense", "--run-dir", tmp.resolve("r").toString());
        assertEquals(2, c.code());
        String first = c.err().lines().findFirst().orElseThrow();
        assertTrue(first.startsWith("train: --model: unknown layer 'rleu' at position 13; known: dense, conv,"),
                c.err());
        assertTrue(first.endsWith("leaky_relu"), "the whole mistake on the first line: " + c.err());
        Cli vector = Cli.run("train", "--model", "conv(8,3x3)-relu-dense", "--data", "sentiment:yelp",
                "--run-dir", tmp.resolve("r2").toString());
        assertEquals(2, vector.code(), vector.err());
        assertTrue(vector.err().contains("--model conv(8,3x3)-relu-dense:"), vector.err());
        Cli analytic = Cli.run("kernel", "--kind", "analytic", "--model", "conv(2,3x3)-relu");
        assertEquals(2, analytic.code(), analytic.err());
        assertTrue(analytic.err().lines().findFirst().orElseThrow().startsWith("kernel: --model conv(2,3x3)-relu"),
                analytic.err());
        Cli missing = Cli.run("kernel", "--model", tmp.resolve("none.json").toString());
        assertEquals(2, missing.code());
        assertTrue(missing.err().contains("no such model file"), missing.err());
    }
}
