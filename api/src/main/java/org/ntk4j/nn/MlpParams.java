package org.ntk4j.nn;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ntk4j.backend.Backend;
import org.ntk4j.io.MalformedDataException;
import org.ntk4j.io.NpyArray;
import org.ntk4j.io.Npz;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;

/**
 * Host-side parameters of an {@link Mlp}: per layer l the weights W^l (d_l×d_{l+1}, row-major) and, with
 * biases, b^l (1×d_{l+1}). Immutable: the arrays are copied in and out.
 *
 * <p>Files: {@link #save} writes a NumPy {@code .npz} archive with one float64 array per tensor, named
 * {@code W0}, {@code b0}, {@code W1}, {@code b1}, … — {@code W<l>} of shape (d_l, d_{l+1}) and
 * {@code b<l>} of shape (d_{l+1},), the layout of {@code x @ W + b} — so Python reads them with
 * {@code numpy.load}. The architecture (activation, parameterization, σ's) is not in the file.
 */
public final class MlpParams implements HostParams {

    private final Mlp mlp;
    private final double[][] weights;
    private final double[][] biases;

    /**
     * @param mlp the architecture
     * @param weights per layer the row-major weights, length d_l·d_{l+1} (not modified, copied)
     * @param biases per layer the biases, length d_{l+1}; {@code null} when the network has none (not modified, copied)
     * @throws IllegalArgumentException naming the first array of the wrong length
     */
    public MlpParams(Mlp mlp, double[][] weights, double[][] biases) {
        this.mlp = mlp;
        int depth = mlp.depth();
        if (weights.length != depth) {
            throw new IllegalArgumentException(weights.length + " weight arrays for a " + depth + "-layer network");
        }
        if (mlp.hasBias() != (biases != null)) {
            throw new IllegalArgumentException(mlp.hasBias() ? "the network has biases but none were given"
                    : "the network has no biases but biases were given");
        }
        if (biases != null && biases.length != depth) {
            throw new IllegalArgumentException(biases.length + " bias arrays for a " + depth + "-layer network");
        }
        this.weights = new double[depth][];
        this.biases = biases == null ? null : new double[depth][];
        for (int l = 0; l < depth; l++) {
            int n = mlp.width(l) * mlp.width(l + 1);
            if (weights[l].length != n) {
                throw new IllegalArgumentException("W" + l + " has " + weights[l].length + " values, expected "
                        + mlp.width(l) + "×" + mlp.width(l + 1) + " = " + n);
            }
            this.weights[l] = weights[l].clone();
            if (biases != null) {
                if (biases[l].length != mlp.width(l + 1)) {
                    throw new IllegalArgumentException("b" + l + " has " + biases[l].length + " values, expected "
                            + mlp.width(l + 1));
                }
                this.biases[l] = biases[l].clone();
            }
        }
    }

    @Override
    public List<String> names() {
        return mlp.parameterNames();
    }

    /** @return the architecture */
    public Mlp mlp() {
        return mlp;
    }

    /**
     * @param layer l in [0, L)
     * @return a copy of W^l, row-major d_l×d_{l+1}
     */
    public double[] weight(int layer) {
        return weights[layer].clone();
    }

    /**
     * @param layer l in [0, L)
     * @return a copy of b^l
     * @throws IllegalStateException when the network has no biases
     */
    public double[] bias(int layer) {
        if (biases == null) {
            throw new IllegalStateException("this network has no biases");
        }
        return biases[layer].clone();
    }

    /**
     * Copies the parameters to a backend, in the order W0, b0, W1, b1, … with those names.
     *
     * @param backend the backend
     * @param dtype the element type
     * @return new parameters on the backend (owned by the caller or the current scope)
     */
    @Override
    public Params upload(Backend backend, DType dtype) {
        List<Tensor> out = new ArrayList<>();
        for (int l = 0; l < mlp.depth(); l++) {
            out.add(backend.fromHost(weights[l], mlp.width(l), mlp.width(l + 1), dtype));
            if (biases != null) {
                out.add(backend.fromHost(biases[l], 1, mlp.width(l + 1), dtype));
            }
        }
        return new Params(backend, mlp.parameterNames(), out);
    }

    /**
     * Copies parameters from a backend.
     *
     * @param mlp the architecture they belong to
     * @param params parameters on a backend in {@code mlp}'s layout (not modified)
     * @return new host parameters
     */
    public static MlpParams download(Mlp mlp, Params params) {
        mlp.checkParams(params);
        Backend be = params.backend();
        double[][] w = new double[mlp.depth()][];
        double[][] b = mlp.hasBias() ? new double[mlp.depth()][] : null;
        for (int l = 0; l < mlp.depth(); l++) {
            w[l] = be.toHost(params.tensor(mlp.weightIndex(l)));
            if (b != null) {
                b[l] = be.toHost(params.tensor(mlp.biasIndex(l)));
            }
        }
        return new MlpParams(mlp, w, b);
    }

    /** @return all values in the order W0, b0, W1, b1, …, each row-major */
    @Override
    public double[] flatten() {
        double[] out = new double[Math.toIntExact(mlp.parameterCount())];
        int off = 0;
        for (int l = 0; l < mlp.depth(); l++) {
            System.arraycopy(weights[l], 0, out, off, weights[l].length);
            off += weights[l].length;
            if (biases != null) {
                System.arraycopy(biases[l], 0, out, off, biases[l].length);
                off += biases[l].length;
            }
        }
        return out;
    }

    /**
     * The inverse of {@link #flatten()}.
     *
     * @param mlp the architecture
     * @param flat values in the order W0, b0, W1, b1, … (not modified)
     * @return new host parameters
     */
    public static MlpParams unflatten(Mlp mlp, double[] flat) {
        if (flat.length != mlp.parameterCount()) {
            throw new IllegalArgumentException("flat parameter vector has " + flat.length + " values, the network has "
                    + mlp.parameterCount());
        }
        double[][] w = new double[mlp.depth()][];
        double[][] b = mlp.hasBias() ? new double[mlp.depth()][] : null;
        int off = 0;
        for (int l = 0; l < mlp.depth(); l++) {
            int n = mlp.width(l) * mlp.width(l + 1);
            w[l] = Arrays.copyOfRange(flat, off, off + n);
            off += n;
            if (b != null) {
                b[l] = Arrays.copyOfRange(flat, off, off + mlp.width(l + 1));
                off += mlp.width(l + 1);
            }
        }
        return new MlpParams(mlp, w, b);
    }

    /**
     * Writes the parameters as a {@code .npz} archive (names and shapes in the class comment), through a
     * temporary file and a move, so an existing file is never left half-written.
     *
     * @param file the file to create or replace
     * @param compressed whether to deflate the entries ({@code savez_compressed}) or store them
     * @throws IOException if writing fails
     */
    @Override
    public void save(Path file, boolean compressed) throws IOException {
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        for (int l = 0; l < mlp.depth(); l++) {
            arrays.put("W" + l, NpyArray.ofDoubles(weights[l], mlp.width(l), mlp.width(l + 1)));
            if (biases != null) {
                arrays.put("b" + l, NpyArray.ofDoubles(biases[l], mlp.width(l + 1)));
            }
        }
        Npz.write(file, arrays, compressed);
    }

    /**
     * Reads parameters written by {@link #save} (or by NumPy with the same names and shapes). Float32 arrays
     * are widened; a bias may also be stored as (1, d_{l+1}).
     *
     * @param mlp the architecture the file must fit
     * @param file the {@code .npz} file
     * @return the parameters
     * @throws MalformedDataException naming the file and array when one is missing, has the wrong shape, is
     *     not floating point or holds a value that is not finite, or when the file has arrays the network does not
     * @throws IOException if the file cannot be read
     */
    public static MlpParams load(Mlp mlp, Path file) throws IOException {
        Map<String, NpyArray> arrays = Npz.read(file);
        double[][] w = new double[mlp.depth()][];
        double[][] b = mlp.hasBias() ? new double[mlp.depth()][] : null;
        for (int l = 0; l < mlp.depth(); l++) {
            w[l] = array(arrays, file, "W" + l, mlp.width(l), mlp.width(l + 1), false);
            if (b != null) {
                b[l] = array(arrays, file, "b" + l, 1, mlp.width(l + 1), true);
            }
        }
        List<String> extra = new ArrayList<>(arrays.keySet());
        extra.removeAll(mlp.parameterNames());
        if (!extra.isEmpty()) {
            throw new MalformedDataException(file + ": arrays " + extra + " do not belong to " + mlp
                    + " (expected " + mlp.parameterNames() + ")");
        }
        return new MlpParams(mlp, w, b);
    }

    private static double[] array(Map<String, NpyArray> arrays, Path file, String name, int rows, int cols,
                                  boolean vector) throws MalformedDataException {
        NpyArray a = arrays.get(name);
        if (a == null) {
            throw new MalformedDataException(file + ": array '" + name + "' is missing (found " + arrays.keySet() + ")");
        }
        int[] shape = a.shape();
        boolean ok = vector ? (shape.length == 1 && shape[0] == cols) || Arrays.equals(shape, new int[] {1, cols})
                : Arrays.equals(shape, new int[] {rows, cols});
        if (!ok) {
            throw new MalformedDataException(file + ": array '" + name + "' has shape " + Arrays.toString(shape)
                    + ", expected " + (vector ? "(" + cols + ",)" : "(" + rows + ", " + cols + ")"));
        }
        if (!a.type().isFloat()) {
            throw new MalformedDataException(file + ": array '" + name + "' is " + a.type() + ", expected float64 or float32");
        }
        return requireFinite(file, name, a.toDoubles());
    }

    /**
     * @param file the file the values came from, for the message
     * @param name the array's name, for the message
     * @param values the values (not modified)
     * @return {@code values}
     * @throws MalformedDataException naming the file, array and first value that is NaN or infinite
     */
    public static double[] requireFinite(Path file, String name, double[] values) throws MalformedDataException {
        for (int i = 0; i < values.length; i++) {
            if (!Double.isFinite(values[i])) {
                throw new MalformedDataException(file + ": array '" + name + "' holds " + values[i] + " at index " + i
                        + " (parameters must be finite)");
            }
        }
        return values;
    }
}
