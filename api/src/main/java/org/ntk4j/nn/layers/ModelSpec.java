package org.ntk4j.nn.layers;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.ntk4j.backend.Activation;
import org.ntk4j.nn.Parameterization;

/**
 * A model written as one line, or as JSON, whose output width may be left to the data:
 *
 * <pre>
 *   conv(32,3x3)-relu-conv(32,3x3,stride=2,valid)-relu-avgpool(2)-gap-flatten-layernorm-dense(128)-relu-dense
 * </pre>
 *
 * <p>Grammar: {@code spec := layer ('-' layer)*}, {@code layer := name ['(' arg (',' arg)* ')']},
 * {@code arg := value | key=value}; spaces are ignored. Layers (case-insensitive):
 * <ul>
 *   <li>{@code dense(out)}; a last {@code dense} without a width gets the data's output width;</li>
 *   <li>{@code conv(out, KHxKW)} (or {@code K} for a square filter), with {@code stride=S} (default 1) and
 *       {@code same} (default) or {@code valid} (also {@code padding=same|valid});</li>
 *   <li>dense and conv also take {@code sw=σ_w}, {@code sb=σ_b}, {@code param=ntk|standard},
 *       {@code bias=true|false}; without them, the spec's {@link Defaults};</li>
 *   <li>{@code avgpool(window)} (stride = window) or {@code avgpool(window, stride)}, VALID;</li>
 *   <li>{@code gap} (also {@code globalavgpool}), {@code flatten}, {@code layernorm};</li>
 *   <li>{@code residual(spec)}: x + spec(x), e.g. {@code residual(conv(16,3x3)-relu)};</li>
 *   <li>every activation: {@code relu}, {@code erf}, {@code tanh}, {@code gelu}, {@code sigmoid},
 *       {@code softplus}, {@code identity}, {@code leaky_relu} or {@code leaky_relu(0.2)}, and the
 *       {@linkplain Activation#name() names} of the activations given to
 *       {@link #parse(String, Defaults, Collection)}.</li>
 * </ul>
 *
 * <p>JSON: {@code {"layers": [{"type": "conv", "out": 32, "kernel": "3x3", "stride": 2, "padding": "valid"},
 * {"type": "relu"}, {"type": "residual", "layers": [...]}, {"type": "dense"}]}} (or the array alone), each object's
 * keys the keywords above ({@code out}, {@code kernel}, {@code window}, {@code stride}, {@code padding},
 * {@code sw}, {@code sb}, {@code param}, {@code bias}, {@code slope}).
 *
 * <p>Mistakes are reported in one line naming the token and its position (1-based character, or JSON layer
 * path): {@link ModelSpecException}. Immutable.
 */
public final class ModelSpec {

    /**
     * The settings of dense and conv layers that do not set their own.
     *
     * @param parameterization NTK or standard
     * @param sigmaW σ_w
     * @param sigmaB σ_b
     */
    public record Defaults(Parameterization parameterization, double sigmaW, double sigmaB) {
        /** @return NTK parameterization, σ_w = 1, σ_b = 0.1, as {@link Layers} */
        public static Defaults layers() {
            return new Defaults(Parameterization.NTK, Layers.SIGMA_W, Layers.SIGMA_B);
        }
    }

    /** The names a layer may have, for messages. */
    private static final String KNOWN = "dense, conv, avgpool, gap, flatten, layernorm, residual, and the"
            + " activations relu, erf, tanh, gelu, sigmoid, softplus, identity, leaky_relu";

    /** One parsed layer: its name, arguments and inner layers (residual), and where it was written. */
    private record Node(String name, List<String> positional, Map<String, String> named, List<Node> inner,
                        String where) {
    }

    private final String text;
    private final List<Node> nodes;
    private final Defaults defaults;
    private final List<Activation> activations;

    private ModelSpec(String text, List<Node> nodes, Defaults defaults, Collection<? extends Activation> activations) {
        this.text = text;
        this.nodes = nodes;
        this.defaults = defaults;
        this.activations = List.copyOf(activations);
        root(1); // every argument is checked now, with its position
    }

    /**
     * @param text the one-line spec
     * @param defaults the settings of dense and conv layers that do not set their own
     * @return the spec
     * @throws ModelSpecException naming the token and its position
     */
    public static ModelSpec parse(String text, Defaults defaults) {
        return parse(text, defaults, List.of());
    }

    /**
     * @param text the one-line spec
     * @param defaults the settings of dense and conv layers that do not set their own
     * @param activations activations beyond the built-ins that the spec may name, by {@link Activation#name()}
     *     (not modified)
     * @return the spec
     * @throws ModelSpecException naming the token and its position
     */
    public static ModelSpec parse(String text, Defaults defaults, Collection<? extends Activation> activations) {
        Parser p = new Parser(text);
        List<Node> nodes = p.sequence(false);
        p.skipSpaces();
        if (p.pos < text.length()) {
            throw p.error("expected '-' between layers", String.valueOf(text.charAt(p.pos)), p.pos);
        }
        return new ModelSpec(text.trim(), nodes, defaults, activations);
    }

    /**
     * @param json a parsed JSON value (see {@link org.ntk4j.io.Json}): an object with {@code layers}, or an array
     * @param source the file's name, for the description and messages
     * @param defaults the settings of dense and conv layers that do not set their own
     * @return the spec
     * @throws ModelSpecException naming the layer path and the key
     */
    public static ModelSpec fromJson(Object json, String source, Defaults defaults) {
        return fromJson(json, source, defaults, List.of());
    }

    /**
     * @param json a parsed JSON value (see {@link org.ntk4j.io.Json}): an object with {@code layers}, or an array
     * @param source the file's name, for the description and messages
     * @param defaults the settings of dense and conv layers that do not set their own
     * @param activations activations beyond the built-ins that the layers may name as their type (not modified)
     * @return the spec
     * @throws ModelSpecException naming the layer path and the key
     */
    public static ModelSpec fromJson(Object json, String source, Defaults defaults,
                                     Collection<? extends Activation> activations) {
        Object layers = json instanceof Map<?, ?> m ? m.get("layers") : json;
        if (!(layers instanceof List<?> list)) {
            throw new ModelSpecException(source + ": expected {\"layers\": [...]} or an array of layers");
        }
        return new ModelSpec(source, jsonNodes(list, source + ": layers"), defaults, activations);
    }

    private static List<Node> jsonNodes(List<?> list, String path) {
        List<Node> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            String where = path + "[" + i + "]";
            if (!(list.get(i) instanceof Map<?, ?> m) || !(m.get("type") instanceof String type)) {
                throw new ModelSpecException(where + ": expected an object with a \"type\"");
            }
            Map<String, String> named = new LinkedHashMap<>();
            List<Node> inner = List.of();
            for (Map.Entry<?, ?> e : m.entrySet()) {
                String key = String.valueOf(e.getKey());
                Object v = e.getValue();
                if (key.equals("type")) {
                    continue;
                }
                if (key.equals("layers") && v instanceof List<?> l) {
                    inner = jsonNodes(l, where + ".layers");
                } else if (v instanceof List<?> l && l.size() == 2) {
                    named.put(key, text(l.get(0)) + "x" + text(l.get(1)));
                } else {
                    named.put(key, text(v));
                }
            }
            out.add(new Node(type.toLowerCase(Locale.ROOT), List.of(), named, inner, where));
        }
        return out;
    }

    private static String text(Object v) {
        if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && Math.abs(n.doubleValue()) < 1e9) {
            return String.valueOf(n.longValue());
        }
        return String.valueOf(v);
    }

    /**
     * @param outputs the output width, for a last {@code dense} without one
     * @return the root layer: a {@link Serial} of the layers (a single layer as itself)
     */
    public Layer root(int outputs) {
        List<Layer> layers = build(nodes, outputs, true);
        return layers.size() == 1 ? layers.get(0) : new Serial(layers);
    }

    /** @return the spec as written (the JSON file's name for a JSON spec) */
    @Override
    public String toString() {
        return text;
    }

    private List<Layer> build(List<Node> list, int outputs, boolean top) {
        List<Layer> out = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            out.add(layer(list.get(i), outputs, top && i == list.size() - 1));
        }
        return out;
    }

    private Layer layer(Node n, int outputs, boolean last) {
        switch (n.name) {
            case "dense" -> {
                allow(n, 1, "out", "sw", "sb", "param", "bias");
                String w = arg(n, 0, "out");
                if (w == null && !last) {
                    throw bad(n, "only the last layer's dense may leave out its width");
                }
                int width = w == null ? outputs : positive(n, "width", w);
                return new Dense(width, param(n), sigma(n, "sw", defaults.sigmaW()), sigma(n, "sb", defaults.sigmaB()),
                        bias(n));
            }
            case "conv" -> {
                List<String> pos = new ArrayList<>();
                String padding = n.named.get("padding");
                for (String p : n.positional) {
                    String lower = p.toLowerCase(Locale.ROOT);
                    if (lower.equals("same") || lower.equals("valid")) {
                        padding = lower;
                    } else {
                        pos.add(p);
                    }
                }
                Node m = new Node(n.name, pos, n.named, n.inner, n.where);
                allow(m, 3, "out", "kernel", "stride", "padding", "sw", "sb", "param", "bias");
                String o = arg(m, 0, "out");
                String k = arg(m, 1, "kernel");
                if (o == null || k == null) {
                    throw bad(n, "conv needs an output channel count and a filter size, e.g. conv(32,3x3)");
                }
                int[] hw = kernel(n, k);
                String s = arg(m, 2, "stride");
                Padding pad = padding == null ? Padding.SAME : switch (padding.toLowerCase(Locale.ROOT)) {
                    case "same" -> Padding.SAME;
                    case "valid" -> Padding.VALID;
                    default -> throw bad(n, "padding must be same or valid, got '" + padding + "'");
                };
                return new Conv(positive(n, "channel count", o), hw[0], hw[1], s == null ? 1 : positive(n, "stride", s),
                        pad, param(n), sigma(n, "sw", defaults.sigmaW()), sigma(n, "sb", defaults.sigmaB()), bias(n));
            }
            case "avgpool", "avg_pool" -> {
                allow(n, 2, "window", "stride");
                String w = arg(n, 0, "window");
                if (w == null) {
                    throw bad(n, "avgpool needs a window, e.g. avgpool(2)");
                }
                int window = positive(n, "window", w);
                String s = arg(n, 1, "stride");
                return new AvgPool(window, s == null ? window : positive(n, "stride", s));
            }
            case "gap", "globalavgpool", "global_avg_pool" -> {
                allow(n, 0);
                return new GlobalAvgPool();
            }
            case "flatten" -> {
                allow(n, 0);
                return new Flatten();
            }
            case "layernorm", "layer_norm" -> {
                allow(n, 0);
                return new LayerNorm();
            }
            case "residual" -> {
                allow(n, 0);
                if (n.inner.isEmpty()) {
                    throw bad(n, "residual needs its block, e.g. residual(conv(16,3x3)-relu)");
                }
                List<Layer> block = build(n.inner, outputs, false);
                return new Residual(block.size() == 1 ? block.get(0) : new Serial(block));
            }
            default -> {
                allow(n, 1, "slope");
                String slope = arg(n, 0, "slope");
                try {
                    return new ActivationLayer(Activation.parse(slope == null ? n.name : n.name + ":" + slope,
                            activations));
                } catch (IllegalArgumentException e) {
                    StringBuilder known = new StringBuilder(KNOWN);
                    activations.forEach(f -> known.append(", ").append(f.name()));
                    throw new ModelSpecException("unknown layer '" + n.name + "' at " + n.where + "; known: " + known);
                }
            }
        }
    }

    private static ModelSpecException bad(Node n, String what) {
        return new ModelSpecException(n.name + " at " + n.where + ": " + what);
    }

    /** Refuses more positional arguments than {@code max} and keys not listed. */
    private static void allow(Node n, int max, String... keys) {
        if (n.positional.size() > max) {
            throw bad(n, "takes " + (max == 0 ? "no arguments" : "at most " + max + " plain argument"
                    + (max > 1 ? "s" : "")) + ", got '" + String.join(",", n.positional) + "'");
        }
        for (String k : n.named.keySet()) {
            if (!List.of(keys).contains(k)) {
                throw bad(n, "unknown argument '" + k + "'" + (keys.length == 0 ? "" : "; known: "
                        + String.join(", ", keys)));
            }
        }
        if (!n.inner.isEmpty() && !n.name.equals("residual")) {
            throw bad(n, "only residual takes layers as its argument");
        }
    }

    private static String arg(Node n, int index, String key) {
        String named = n.named.get(key);
        String plain = index < n.positional.size() ? n.positional.get(index) : null;
        if (named != null && plain != null) {
            throw bad(n, key + " is given twice");
        }
        return named != null ? named : plain;
    }

    private static int positive(Node n, String what, String v) {
        try {
            int i = Integer.parseInt(v.trim());
            if (i >= 1) {
                return i;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad(n, what + " must be a whole number ≥ 1, got '" + v + "'");
    }

    private static int[] kernel(Node n, String k) {
        String[] parts = k.toLowerCase(Locale.ROOT).split("x", -1);
        if (parts.length == 1) {
            int s = positive(n, "filter size", parts[0]);
            return new int[] {s, s};
        }
        if (parts.length != 2) {
            throw bad(n, "filter size must be KH x KW, e.g. 3x3, got '" + k + "'");
        }
        return new int[] {positive(n, "filter height", parts[0]), positive(n, "filter width", parts[1])};
    }

    private double sigma(Node n, String key, double fallback) {
        String v = n.named.get(key);
        if (v == null) {
            return fallback;
        }
        try {
            double d = Double.parseDouble(v.trim());
            if (d >= 0 && Double.isFinite(d)) {
                return d;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw bad(n, key + " must be a finite number ≥ 0, got '" + v + "'");
    }

    private Parameterization param(Node n) {
        String v = n.named.get("param");
        if (v == null) {
            return defaults.parameterization();
        }
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "ntk" -> Parameterization.NTK;
            case "standard" -> Parameterization.STANDARD;
            default -> throw bad(n, "param must be ntk or standard, got '" + v + "'");
        };
    }

    private static boolean bias(Node n) {
        String v = n.named.get("bias");
        if (v == null) {
            return true;
        }
        return switch (v.trim().toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw bad(n, "bias must be true or false, got '" + v + "'");
        };
    }

    /** A recursive-descent reader of the one-line form. */
    private static final class Parser {
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        void skipSpaces() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        ModelSpecException error(String what, String token, int at) {
            return new ModelSpecException(what + " at position " + (at + 1) + " ('" + token + "') of '" + s + "'");
        }

        /** layer ('-' layer)*, up to the end or (inside parentheses) a ')'. */
        List<Node> sequence(boolean inner) {
            List<Node> out = new ArrayList<>();
            while (true) {
                out.add(layer());
                skipSpaces();
                if (pos < s.length() && s.charAt(pos) == '-') {
                    pos++;
                    continue;
                }
                if (pos >= s.length() || inner && s.charAt(pos) == ')') {
                    return out;
                }
                throw error("expected '-' between layers", String.valueOf(s.charAt(pos)), pos);
            }
        }

        Node layer() {
            skipSpaces();
            int start = pos;
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) {
                pos++;
            }
            if (pos == start) {
                String token = pos < s.length() ? String.valueOf(s.charAt(pos)) : "end of spec";
                throw error("expected a layer name", token, start);
            }
            String name = s.substring(start, pos).toLowerCase(Locale.ROOT);
            String where = "position " + (start + 1);
            skipSpaces();
            List<String> positional = new ArrayList<>();
            Map<String, String> named = new LinkedHashMap<>();
            List<Node> inner = List.of();
            if (pos < s.length() && s.charAt(pos) == '(') {
                int open = pos++;
                if (name.equals("residual")) {
                    inner = sequence(true);
                } else {
                    while (true) {
                        int argStart = pos;
                        while (pos < s.length() && s.charAt(pos) != ',' && s.charAt(pos) != ')') {
                            pos++;
                        }
                        if (pos >= s.length()) {
                            throw error("unclosed '('", name + "(", open);
                        }
                        String arg = s.substring(argStart, pos).trim();
                        if (arg.isEmpty()) {
                            throw error("empty argument of " + name, s.substring(open, pos + 1), argStart);
                        }
                        int eq = arg.indexOf('=');
                        if (eq >= 0) {
                            String key = arg.substring(0, eq).trim().toLowerCase(Locale.ROOT);
                            if (named.put(key, arg.substring(eq + 1).trim()) != null) {
                                throw error(key + " is given twice", arg, argStart);
                            }
                        } else {
                            positional.add(arg);
                        }
                        if (s.charAt(pos++) == ')') {
                            break;
                        }
                    }
                }
                if (inner != null && name.equals("residual")) {
                    if (pos >= s.length() || s.charAt(pos) != ')') {
                        throw error("unclosed '('", name + "(", open);
                    }
                    pos++;
                }
            }
            return new Node(name, positional, named, inner, where);
        }
    }
}
