package org.ntk4j.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ntk4j.backend.Activation;
import org.ntk4j.nn.Mlp;
import org.ntk4j.data.Dataset;
import org.ntk4j.io.Json;
import org.ntk4j.kernel.AnalyticNtk;
import org.ntk4j.nn.Parameterization;
import org.ntk4j.nn.layers.Model;
import org.ntk4j.nn.layers.ModelSpec;
import org.ntk4j.nn.layers.ModelSpecException;
import org.ntk4j.nn.layers.Shape;
import org.ntk4j.train.LayerArchitecture;
import org.ntk4j.train.MlpArchitecture;
import picocli.CommandLine.Option;

/**
 * The options that define the network: {@code --model SPEC} (any layered model, see {@link ModelSpec}), or the MLP
 * shorthand of hidden widths and activation; parameterization, σ_w and σ_b for both.
 */
final class ModelOptions {

    @Option(names = "--model", paramLabel = "SPEC",
            description = "A layered model instead of the MLP of --hidden/--activation: a one-line spec such as"
                    + " conv(32,3x3)-relu-conv(32,3x3,stride=2,valid)-relu-avgpool(2)-gap-dense(128)-relu-dense"
                    + " (a last dense without a width gets the number of classes), or a JSON model file"
                    + " (a path ending in .json). Dense and conv layers take --parameterization,"
                    + " --sigma-w and --sigma-b unless the spec sets them (see docs/cli.md).")
    String model;

    @Option(names = "--hidden", paramLabel = "W", split = ",", defaultValue = "256,256",
            description = "Hidden layer widths, comma-separated (input and output widths come from the data)."
                    + " Default: ${DEFAULT-VALUE}.")
    List<Integer> hidden;

    @Option(names = "--activation", paramLabel = "F", defaultValue = "relu",
            description = "Nonlinearity: identity, relu, leaky_relu:0.1 (slope 0.1 for x < 0), erf, tanh, gelu, sigmoid,"
                    + " softplus."
                    + " Default: ${DEFAULT-VALUE}.")
    String activation;

    @Option(names = "--parameterization", paramLabel = "P", defaultValue = "ntk",
            description = "ntk (unit-variance weights, σ_w/√n in the forward pass) or standard. Default: ${DEFAULT-VALUE}.")
    String parameterization;

    @Option(names = "--sigma-w", paramLabel = "S", defaultValue = "1.4142135623730951",
            description = "Weight standard deviation σ_w. Default: ${DEFAULT-VALUE} (√2, for ReLU).")
    double sigmaW;

    @Option(names = "--sigma-b", paramLabel = "S", defaultValue = "0.1",
            description = "Bias standard deviation σ_b (0 for an analytic kernel without biases)."
                    + " Default: ${DEFAULT-VALUE}.")
    double sigmaB;

    /**
     * @param inputs the input width
     * @param outputs the output width
     * @return the network
     * @throws UsageException naming the bad option
     */
    Mlp build(int inputs, int outputs) {
        Parameterization p = parameterization();
        int[] widths = new int[hidden.size() + 2];
        widths[0] = inputs;
        for (int i = 0; i < hidden.size(); i++) {
            if (hidden.get(i) < 1) {
                throw new UsageException("--hidden widths must be ≥ 1, got " + hidden);
            }
            widths[i + 1] = hidden.get(i);
        }
        widths[widths.length - 1] = outputs;
        for (int l = 0; l + 1 < widths.length; l++) {
            HeapCheck.elements("--hidden " + hiddenText(), "a " + widths[l] + "×" + widths[l + 1] + " weight matrix",
                    widths[l], widths[l + 1]);
        }
        try {
            return Mlp.builder(widths).activation(activation()).parameterization(p).sigmaW(sigmaW).sigmaB(sigmaB)
                    .build();
        } catch (IllegalArgumentException e) {
            throw new UsageException(e.getMessage());
        }
    }

    /**
     * The infinite-width kernel of the network: the MLP recursion for the shorthand, the layer-by-layer kernel maps
     * for a {@code --model}. For a model it first prints what the kernel costs (unless quiet): the spatial layout the
     * model needs and the memory of one block of samples, so that a user sees before computing what a model asks.
     *
     * @param data the data: its sample shape is the input shape, its class count the output width
     * @param block the samples a side of one kernel block
     * @param err where the cost goes (written to)
     * @param quiet whether to print nothing
     * @return the kernel
     * @throws UsageException when the model has no infinite-width kernel (e.g. it ends in images)
     */
    AnalyticNtk analytic(Dataset data, int block, PrintWriter err, boolean quiet) {
        if (model == null) {
            return AnalyticNtk.of(hidden.size() + 1, activation(), sigmaW, sigmaB);
        }
        Model m = network(data).model();
        AnalyticNtk a;
        try {
            a = AnalyticNtk.of(m);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--model " + spec() + ": " + e.getMessage());
        }
        if (!quiet) {
            int b = Math.max(1, Math.min(block, data.size()));
            err.printf(Locale.ROOT, "analytic kernel of %s: %s layout, %d position pairs per pair of samples; a %d × %d"
                    + " block needs about %.1f MiB%n", m, m.kernelLayout(), m.kernelPositionPairs(), b, b,
                    m.kernelBytes(b, b) / 1048576.0);
        }
        return a;
    }


    /** @return whether {@code --model} was given */
    boolean layered() {
        return model != null;
    }

    /**
     * @param data the data: its sample shape is the input shape, its class count the output width
     * @return the network: the {@code --model} or the MLP shorthand
     * @throws UsageException naming the option, and for a spec the token and its position
     */
    Network network(Dataset data) {
        if (model == null) {
            Mlp mlp = build(data.dims(), data.classes());
            return Network.of(mlp, new MlpArchitecture(hiddenWidths(), activation(), parameterization(), sigmaW,
                    sigmaB));
        }
        ModelSpec spec = spec();
        LayerArchitecture a = new LayerArchitecture(spec.toString(), spec::root);
        try {
            return new Network(null, a.model(Shape.ofSample(data.sampleShape()), data.classes()), a);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--model " + spec + ": " + e.getMessage() + " (the data's samples are "
                    + Shape.ofSample(data.sampleShape()) + ")");
        }
    }

    /** @return the parsed {@code --model}: a one-line spec, or a JSON file */
    ModelSpec spec() {
        ModelSpec.Defaults d = new ModelSpec.Defaults(parameterization(), sigmaW, sigmaB);
        String text = model.trim();
        try {
            if (text.toLowerCase(Locale.ROOT).endsWith(".json")) {
                Path file = Path.of(text);
                if (!Files.isRegularFile(file)) {
                    throw new UsageException("--model " + text + ": no such model file " + file);
                }
                return ModelSpec.fromJson(Json.parse(file), file.toString(), d);
            }
            return ModelSpec.parse(text, d);
        } catch (ModelSpecException e) {
            throw new UsageException("--model: " + e.getMessage());
        } catch (IOException e) {
            throw new UsageException("--model " + text + ": " + e.getMessage());
        }
    }

    /**
     * Checks that training the network can fit in the heap: its parameters, several times over (see
     * {@link #checkHeap(Mlp, int)}).
     *
     * @param net the network
     * @param copies how many float64 copies of the parameters the command holds at least
     */
    void checkHeap(Network net, int copies) {
        if (net.isMlp()) {
            checkHeap(net.mlp(), copies);
        } else {
            HeapCheck.fits(String.format(Locale.ROOT, "--model: the model's %.3g parameters (%d float64 copies)",
                    (double) net.parameterCount(), copies), (double) net.parameterCount() * copies, "--model");
        }
    }

    /**
     * Checks that training the network can fit in the heap: its parameters, several times over (parameters before
     * and after a step, the step, optimizer state, host copies).
     *
     * @param mlp the network
     * @param copies how many float64 copies of the parameters the command holds at least
     * @throws IllegalStateException naming the fix if they cannot fit
     */
    void checkHeap(Mlp mlp, int copies) {
        HeapCheck.fits(String.format(Locale.ROOT, "--hidden %s: the model's %.3g parameters (%d float64 copies)",
                hiddenText(), (double) mlp.parameterCount(), copies), (double) mlp.parameterCount() * copies,
                "--hidden");
    }

    private String hiddenText() {
        return hidden.stream().map(String::valueOf).collect(java.util.stream.Collectors.joining(","));
    }

    Parameterization parameterization() {
        return switch (parameterization.toLowerCase(Locale.ROOT)) {
            case "ntk" -> Parameterization.NTK;
            case "standard" -> Parameterization.STANDARD;
            default -> throw new UsageException("--parameterization must be ntk or standard, got " + parameterization);
        };
    }

    /** @return the hidden widths */
    int[] hiddenWidths() {
        return hidden.stream().mapToInt(Integer::intValue).toArray();
    }

    Activation activation() {
        try {
            return Activation.parse(activation);
        } catch (IllegalArgumentException e) {
            throw new UsageException("--activation: " + e.getMessage());
        }
    }

    /** @return the options as a JSON-ready map, for the run's config */
    Map<String, Object> describe() {
        Map<String, Object> m = new LinkedHashMap<>();
        if (model != null) {
            m.put("model", model);
        } else {
            m.put("hidden", hidden);
            m.put("activation", activation);
        }
        m.put("parameterization", parameterization);
        m.put("sigma_w", sigmaW);
        m.put("sigma_b", sigmaB);
        return m;
    }
}
