package org.ntk4j.nn.layers;

import java.util.ArrayList;
import java.util.List;
import org.ntk4j.backend.Backend;
import org.ntk4j.tensor.Tensor;

/**
 * Layers in sequence: each layer's output is the next one's input. The parameters are the layers' parameters in
 * order, named {@code <index>/<name>} with the layer's index in this sequence (e.g. {@code 0/W}, {@code 0/b},
 * {@code 2/W}).
 */
public final class Serial implements Layer {

    private final List<Layer> layers;

    /**
     * @param layers at least one layer, in order (not modified, copied)
     */
    public Serial(List<Layer> layers) {
        if (layers.isEmpty()) {
            throw new IllegalArgumentException("serial needs at least one layer");
        }
        this.layers = List.copyOf(layers);
    }

    /** @return the layers, unmodifiable */
    public List<Layer> layers() {
        return layers;
    }

    @Override
    public Shape outputShape(Shape input) {
        Shape s = input;
        for (Layer l : layers) {
            s = l.outputShape(s);
        }
        return s;
    }

    @Override
    public List<ParamSpec> parameters(Shape input) {
        List<ParamSpec> specs = new ArrayList<>();
        Shape s = input;
        for (int i = 0; i < layers.size(); i++) {
            for (ParamSpec p : layers.get(i).parameters(s)) {
                specs.add(p.prefixed(i + "/"));
            }
            s = layers.get(i).outputShape(s);
        }
        return specs;
    }

    @Override
    public LayerTrace forward(Backend be, List<Tensor> params, Tensor x, Shape input) {
        List<LayerTrace> traces = new ArrayList<>();
        int[] offsets = new int[layers.size()];
        Shape s = input;
        Tensor cur = x;
        int used = 0;
        try {
            for (int i = 0; i < layers.size(); i++) {
                Layer l = layers.get(i);
                int count = l.parameters(s).size();
                offsets[i] = used;
                LayerTrace t = l.forward(be, params.subList(used, used + count), cur, s);
                traces.add(t);
                used += count;
                cur = t.output();
                s = l.outputShape(s);
            }
        } catch (RuntimeException e) {
            traces.forEach(LayerTrace::close);
            throw e;
        }
        if (used != params.size()) {
            traces.forEach(LayerTrace::close);
            throw new IllegalArgumentException(this + " takes " + used + " parameter tensors, got " + params.size());
        }
        return new Trace(traces, offsets);
    }

    /** The layers' maps in order; each intermediate value is closed once the next layer has mapped it. */
    @Override
    public KernelValue kernel(KernelValue in) {
        KernelValue cur = in;
        try {
            for (Layer l : layers) {
                KernelValue next = l.kernel(cur);
                if (cur != in) {
                    cur.close();
                }
                cur = next;
            }
        } catch (RuntimeException e) {
            if (cur != in) {
                cur.close();
            }
            throw e;
        }
        return cur;
    }

    @Override
    public boolean kernelNeedsFullSpatial() {
        for (Layer l : layers) {
            if (l.kernelNeedsFullSpatial()) {
                return true;
            }
        }
        return false;
    }

    private static final class Trace implements LayerTrace {
        private final List<LayerTrace> traces;
        private final int[] offsets;

        Trace(List<LayerTrace> traces, int[] offsets) {
            this.traces = traces;
            this.offsets = offsets;
        }

        @Override
        public Tensor output() {
            return traces.get(traces.size() - 1).output();
        }

        @Override
        public Cotangents vjp(Tensor cotangent) {
            List<List<Tensor>> grads = new ArrayList<>();
            Tensor cur = cotangent;
            for (int i = traces.size() - 1; i >= 0; i--) {
                Cotangents c = traces.get(i).vjp(cur);
                if (cur != cotangent) {
                    cur.close();
                }
                grads.add(0, c.params());
                cur = c.input();
            }
            List<Tensor> flat = new ArrayList<>();
            grads.forEach(flat::addAll);
            return new Cotangents(cur, flat);
        }

        @Override
        public Tensor backward(Tensor cotangent, boolean needInput, JacobianSink sink) {
            Tensor cur = cotangent;
            for (int i = traces.size() - 1; i >= 0; i--) {
                int offset = offsets[i];
                Tensor next = traces.get(i).backward(cur, needInput || i > 0, sink.shifted(offset));
                if (cur != cotangent) {
                    cur.close();
                }
                cur = next;
            }
            return cur;
        }

        @Override
        public void close() {
            traces.forEach(LayerTrace::close);
        }
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("serial(");
        for (int i = 0; i < layers.size(); i++) {
            sb.append(i == 0 ? "" : ", ").append(layers.get(i));
        }
        return sb.append(')').toString();
    }
}
