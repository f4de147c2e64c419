package org.ntk4j.nn.layers;

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
import org.ntk4j.nn.HostParams;
import org.ntk4j.nn.Params;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;

/**
 * Host-side parameters of a {@link Model}: one row-major array per parameter, keyed by the parameter's name
 * ({@code <layer index>/<name>}). Immutable: arrays are copied in and out.
 *
 * <p>Files: {@link #save} writes a NumPy {@code .npz} archive with one float64 array per parameter under its name,
 * so Python reads them with {@code numpy.load(f)["0/W"]}: vectors and matrices in their logical shapes (dense W
 * (d_in, d_out), biases (n,)); a parameter of more dimensions as its 2-D backend shape, the same row-major values
 * (a conv kernel (kh, kw, C_in, C_out) is stored as (kh·kw·C_in, C_out), and {@code .reshape(kh, kw, C_in, C_out)}
 * restores it), because the project's {@code .npy} format support stops at two dimensions. The architecture is
 * not in the file.
 */
public final class ModelParams implements HostParams {

    private final Model model;
    private final List<double[]> values;

    /**
     * @param model the model
     * @param values one row-major array per parameter, in the model's order (not modified, copied)
     * @throws IllegalArgumentException naming the first array of the wrong length
     */
    public ModelParams(Model model, List<double[]> values) {
        this.model = model;
        List<ParamSpec> specs = model.parameters();
        if (values.size() != specs.size()) {
            throw new IllegalArgumentException(values.size() + " arrays for the " + specs.size() + " parameters "
                    + model.parameterNames());
        }
        List<double[]> copy = new ArrayList<>();
        for (int i = 0; i < specs.size(); i++) {
            if (values.get(i).length != specs.get(i).size()) {
                throw new IllegalArgumentException("parameter " + specs.get(i) + " needs " + specs.get(i).size()
                        + " values, got " + values.get(i).length);
            }
            copy.add(values.get(i).clone());
        }
        this.values = copy;
    }

    /** @return the model */
    public Model model() {
        return model;
    }

    /**
     * @param name a parameter name, e.g. {@code 0/W}
     * @return a copy of its values, row-major
     * @throws IllegalArgumentException when the model has no such parameter
     */
    public double[] get(String name) {
        int i = model.parameterNames().indexOf(name);
        if (i < 0) {
            throw new IllegalArgumentException("no parameter '" + name + "' in " + model.parameterNames());
        }
        return values.get(i).clone();
    }

    @Override
    public List<String> names() {
        return model.parameterNames();
    }

    @Override
    public double[] flatten() {
        double[] out = new double[Math.toIntExact(model.parameterCount())];
        int off = 0;
        for (double[] v : values) {
            System.arraycopy(v, 0, out, off, v.length);
            off += v.length;
        }
        return out;
    }

    /**
     * The same as {@link #toBackend}.
     *
     * @param backend the backend
     * @param dtype the element type
     * @return new tensors on the backend, in the parameters' 2-D shapes, as {@link Params} named like the model's
     */
    @Override
    public Params upload(Backend backend, DType dtype) {
        return toBackend(backend, dtype);
    }

    /**
     * @param backend the backend
     * @param dtype the element type
     * @return new tensors on the backend, in the parameters' 2-D shapes, as {@link Params} named like the model's
     */
    public Params toBackend(Backend backend, DType dtype) {
        List<Tensor> ts = new ArrayList<>();
        List<ParamSpec> specs = model.parameters();
        for (int i = 0; i < specs.size(); i++) {
            ts.add(backend.fromHost(values.get(i), specs.get(i).rows(), specs.get(i).cols(), dtype));
        }
        return new Params(backend, model.parameterNames(), ts);
    }

    /**
     * @param model the model
     * @param params parameters on a backend (not modified)
     * @return their values on the host
     */
    public static ModelParams fromBackend(Model model, Params params) {
        model.checkParams(params);
        return new ModelParams(model, params.toHost());
    }

    /**
     * Writes the parameters as a {@code .npz} archive through a temporary file and a move.
     *
     * @param file the file to create or replace
     * @param compressed whether to deflate the entries
     * @throws IOException if writing fails (an existing file is then unchanged)
     */
    @Override
    public void save(Path file, boolean compressed) throws IOException {
        Map<String, NpyArray> arrays = new LinkedHashMap<>();
        List<ParamSpec> specs = model.parameters();
        for (int i = 0; i < specs.size(); i++) {
            arrays.put(specs.get(i).name(), NpyArray.ofDoubles(values.get(i), fileShape(specs.get(i))));
        }
        Npz.write(file, arrays, compressed);
    }

    /** The shape of a parameter's array in a file: its logical shape up to two dimensions, else rows × cols. */
    private static int[] fileShape(ParamSpec s) {
        int[] shape = s.shape();
        return shape.length <= 2 ? shape : new int[] {s.rows(), s.cols()};
    }

    /**
     * Reads parameters written by {@link #save} (or by NumPy with the same names and shapes); float32 is widened,
     * and a bias may also be stored as (1, n).
     *
     * @param model the model the file must fit
     * @param file the {@code .npz} file
     * @return the parameters
     * @throws MalformedDataException naming the file and array when one is missing, has the wrong shape or type,
     *     or when the file has arrays the model does not
     * @throws IOException if the file cannot be read
     */
    public static ModelParams load(Model model, Path file) throws IOException {
        Map<String, NpyArray> arrays = Npz.read(file);
        List<double[]> values = new ArrayList<>();
        for (ParamSpec s : model.parameters()) {
            NpyArray a = arrays.get(s.name());
            if (a == null) {
                throw new MalformedDataException(file + ": array '" + s.name() + "' is missing (found "
                        + arrays.keySet() + ")");
            }
            int[] shape = fileShape(s);
            boolean ok = Arrays.equals(a.shape(), shape)
                    || shape.length == 1 && Arrays.equals(a.shape(), new int[] {1, shape[0]});
            if (!ok) {
                throw new MalformedDataException(file + ": array '" + s.name() + "' has shape "
                        + Arrays.toString(a.shape()) + ", expected " + Arrays.toString(shape));
            }
            if (!a.type().isFloat()) {
                throw new MalformedDataException(file + ": array '" + s.name() + "' is " + a.type()
                        + ", expected float64 or float32");
            }
            values.add(a.toDoubles());
        }
        List<String> extra = new ArrayList<>(arrays.keySet());
        extra.removeAll(model.parameterNames());
        if (!extra.isEmpty()) {
            throw new MalformedDataException(file + ": arrays " + extra + " do not belong to " + model
                    + " (expected " + model.parameterNames() + ")");
        }
        return new ModelParams(model, values);
    }
}
