package org.ntk4j.backend.ejml.layers;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.ntk4j.backend.Activation;
import org.ntk4j.backend.Backend;
import org.ntk4j.tck.model.LayerTesting;
import org.ntk4j.tck.model.UserActivationConformance;
import org.ntk4j.backend.ejml.nn.TestBackends;
import org.ntk4j.io.Json;
import org.ntk4j.nn.Parameterization;
import org.ntk4j.nn.layers.Layers;
import org.ntk4j.nn.layers.Model;
import org.ntk4j.nn.layers.ModelSpec;
import org.ntk4j.nn.layers.ModelSpecException;
import org.ntk4j.nn.layers.Padding;
import org.ntk4j.nn.layers.ParamSpec;
import org.ntk4j.nn.layers.Shape;

/**
 * The one-line and JSON model specs: the models they build equal hand-built ones (layers, parameters, and outputs
 * at the same parameters), and mistakes are one line naming the token and its position.
 */
class ModelSpecTest {

    private static final ModelSpec.Defaults D = new ModelSpec.Defaults(Parameterization.NTK, 1.4, 0.2);
    private static Backend be;

    @BeforeAll
    static void open() {
        be = TestBackends.ejml();
    }

    @AfterAll
    static void shut() {
        be.close();
    }

    /** Same layers, same parameter specs, and the same outputs at the same parameters. */
    private static void assertSameModel(Model want, Model got) {
        assertEquals(want.toString(), got.toString());
        List<ParamSpec> a = want.parameters();
        List<ParamSpec> b = got.parameters();
        assertEquals(a.size(), b.size());
        for (int i = 0; i < a.size(); i++) {
            assertEquals(a.get(i).name(), b.get(i).name());
            assertArrayEquals(a.get(i).shape(), b.get(i).shape(), a.get(i).name());
            assertEquals(a.get(i).initStd(), b.get(i).initStd(), 0, a.get(i).name());
        }
        int n = 3;
        double[] theta = LayerTesting.flat(want.init(4));
        double[] x = LayerTesting.values(5, n * want.inputShape().size());
        assertArrayEquals(LayerTesting.forward(be, want, theta, x, n), LayerTesting.forward(be, got, theta, x, n), 0,
                "outputs");
    }

    @Test
    @DisplayName("the issue's example spec builds the layers it names, the last dense as wide as the data's classes")
    void example() {
        String text = "conv(4,3x3)-relu-conv(4,3x3,stride=2,valid)-relu-avgpool(2)-gap-flatten-layernorm-dense(6)"
                + "-relu-dense";
        Shape in = Shape.image(9, 9, 2);
        Model got = new Model(in, ModelSpec.parse(text, D).root(10));
        Model want = Model.of(in, Layers.conv(4, 3, 3, 1, Padding.SAME, Parameterization.NTK, 1.4, 0.2, true),
                Layers.relu(), Layers.conv(4, 3, 3, 2, Padding.VALID, Parameterization.NTK, 1.4, 0.2, true),
                Layers.relu(), Layers.avgPool(2, 2), Layers.globalAvgPool(), Layers.flatten(), Layers.layerNorm(),
                Layers.dense(6, Parameterization.NTK, 1.4, 0.2, true), Layers.relu(),
                Layers.dense(10, Parameterization.NTK, 1.4, 0.2, true));
        assertSameModel(want, got);
        assertEquals(10, got.outputDim());
        assertEquals(text, ModelSpec.parse(" " + text + " ", D).toString());
    }

    @Test
    @DisplayName("per-layer settings, residual blocks, activations with a slope, spaces and case")
    void settingsAndResidual() {
        String text = "Conv(3, 2x3, padding=valid, sw=2, sb=0, param=standard, bias=false) - erf"
                + "-residual(conv(3,3)-leaky_relu(0.3)) - avgpool(2,1) - gap - dense(4, sw=0.5) - tanh - dense";
        Shape in = Shape.image(6, 7, 1);
        Model got = new Model(in, ModelSpec.parse(text, D).root(2));
        Model want = Model.of(in, Layers.conv(3, 2, 3, 1, Padding.VALID, Parameterization.STANDARD, 2, 0, false),
                Layers.activation(Activation.ERF),
                Layers.residual(Layers.conv(3, 3, 3, 1, Padding.SAME, Parameterization.NTK, 1.4, 0.2, true),
                        Layers.activation(Activation.leakyRelu(0.3))),
                Layers.avgPool(2, 1), Layers.globalAvgPool(),
                Layers.dense(4, Parameterization.NTK, 0.5, 0.2, true), Layers.activation(Activation.TANH),
                Layers.dense(2, Parameterization.NTK, 1.4, 0.2, true));
        assertSameModel(want, got);
    }

    @Test
    @DisplayName("a spec and a JSON model name a user activation they are given; without it, an unknown layer in one line")
    void userActivation() throws Exception {
        Activation swish = new UserActivationConformance.Swish();
        Shape in = Shape.vector(3);
        Model want = Model.of(in, Layers.dense(4, Parameterization.NTK, 1.4, 0.2, true), Layers.activation(swish),
                Layers.dense(2, Parameterization.NTK, 1.4, 0.2, true));
        assertSameModel(want, new Model(in, ModelSpec.parse("dense(4)-SWISH-dense", D, List.of(swish)).root(2)));
        Object json = Json.parse("[{\"type\": \"dense\", \"out\": 4}, {\"type\": \"swish\"}, {\"type\": \"dense\"}]",
                "s.json");
        assertSameModel(want, new Model(in, ModelSpec.fromJson(json, "s.json", D, List.of(swish)).root(2)));
        assertEquals("dense(4)-swish-dense", ModelSpec.parse("dense(4)-swish-dense", D, List.of(swish)).toString());
        ModelSpecException e = assertThrows(ModelSpecException.class, () -> ModelSpec.parse("dense(4)-swish-dense", D));
        assertEquals("unknown layer 'swish' at position 10; known: dense, conv, avgpool, gap, flatten, layernorm,"
                + " residual, and the activations relu, erf, tanh, gelu, sigmoid, softplus, identity, leaky_relu",
                e.getMessage());
        e = assertThrows(ModelSpecException.class, () -> ModelSpec.parse("dense(4)-swsh-dense", D, List.of(swish)));
        assertTrue(e.getMessage().startsWith("unknown layer 'swsh' at position 10;") && e.getMessage().endsWith(
                "leaky_relu, swish"), e.getMessage());
    }

    @Test
    @DisplayName("a JSON model builds the same model as its one-line spec")
    void json() throws Exception {
        String json = "{\"layers\": [{\"type\": \"conv\", \"out\": 4, \"kernel\": [3, 3], \"stride\": 2,"
                + " \"padding\": \"valid\"}, {\"type\": \"relu\"}, {\"type\": \"residual\", \"layers\": [{\"type\":"
                + " \"conv\", \"out\": 4, \"kernel\": \"3x3\"}, {\"type\": \"tanh\"}]}, {\"type\": \"layernorm\"},"
                + " {\"type\": \"gap\"}, {\"type\": \"dense\", \"sw\": 0.7}]}";
        ModelSpec fromJson = ModelSpec.fromJson(Json.parse(json, "m.json"), "m.json", D);
        ModelSpec fromLine = ModelSpec.parse("conv(4,3x3,stride=2,valid)-relu-residual(conv(4,3x3)-tanh)-layernorm"
                + "-gap-dense(sw=0.7)", D);
        Shape in = Shape.image(7, 7, 1);
        assertSameModel(new Model(in, fromLine.root(3)), new Model(in, fromJson.root(3)));
        assertEquals("m.json", fromJson.toString());
        Object array = Json.parse("[{\"type\": \"dense\", \"out\": 5}, {\"type\": \"relu\"}, {\"type\": \"dense\"}]",
                "a.json");
        assertEquals(List.of("0/W", "0/b", "2/W", "2/b"),
                new Model(Shape.vector(3), ModelSpec.fromJson(array, "a.json", D).root(2)).parameterNames());
        ModelSpecException e = assertThrows(ModelSpecException.class, () -> ModelSpec.fromJson(
                Map.of("layers", List.of(Map.of("type", "relu"), Map.of("type", "conv", "out", 3, "kernal", "3x3"))),
                "b.json", D));
        assertEquals("conv at b.json: layers[1]: unknown argument 'kernal'; known: out, kernel, stride, padding, sw,"
                + " sb, param, bias", e.getMessage());
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "conv(8,3x3)-rleu-dense | unknown layer 'rleu' at position 13; known: dense, conv, avgpool, gap, flatten,"
                + " layernorm, residual, and the activations relu, erf, tanh, gelu, sigmoid, softplus, identity,"
                + " leaky_relu",
        "conv(8,3y3)-relu | conv at position 1: filter size must be a whole number ≥ 1, got '3y3'",
        "conv(8,3x3x3) | conv at position 1: filter size must be KH x KW, e.g. 3x3, got '3x3x3'",
        "conv(8)-relu | conv at position 1: conv needs an output channel count and a filter size, e.g. conv(32,3x3)",
        "dense-relu-dense | dense at position 1: only the last layer's dense may leave out its width",
        "dense(0) | dense at position 1: width must be a whole number ≥ 1, got '0'",
        "dense(10,stride=2) | dense at position 1: unknown argument 'stride'; known: out, sw, sb, param, bias",
        "conv(8,3x3,padding=full) | conv at position 1: padding must be same or valid, got 'full'",
        "gap(2) | gap at position 1: takes no arguments, got '2'",
        "relu--dense | expected a layer name at position 6 ('-') of 'relu--dense'",
        "relu-dense(3 | unclosed '(' at position 11 ('dense(') of 'relu-dense(3'",
        "relu dense | expected '-' between layers at position 6 ('d') of 'relu dense'",
        "dense(sw=1,sw=2) | sw is given twice at position 12 ('sw=2') of 'dense(sw=1,sw=2)'",
        "avgpool(2,x) | avgpool at position 1: stride must be a whole number ≥ 1, got 'x'",
        "residual(dense(3)-relu | unclosed '(' at position 9 ('residual(') of 'residual(dense(3)-relu'",
        "dense(4,sw=-1) | dense at position 1: sw must be a finite number ≥ 0, got '-1'",
    })
    @DisplayName("a mistake is one line naming the token and its position")
    void mistakes(String spec, String message) {
        ModelSpecException e = assertThrows(ModelSpecException.class, () -> ModelSpec.parse(spec, D));
        assertEquals(message, e.getMessage());
    }
}
