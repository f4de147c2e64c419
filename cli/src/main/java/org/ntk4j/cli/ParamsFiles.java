package org.ntk4j.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.ntk4j.io.MalformedDataException;
import org.ntk4j.io.NpyArray;
import org.ntk4j.io.Npz;
import org.ntk4j.nn.HostParams;
import org.ntk4j.nn.Mlp;
import org.ntk4j.nn.MlpParams;
import org.ntk4j.nn.layers.Model;
import org.ntk4j.nn.layers.ModelParams;
import org.ntk4j.nn.layers.ParamSpec;

/**
 * Parameters as a NumPy {@code .npz}: an MLP's arrays {@code W0} (d0×d1), {@code b0} (d1), {@code W1}, …, a
 * layered model's {@code 0/W}, {@code 0/b}, … — readable with {@code numpy.load}; written by
 * {@link HostParams#save}. Reading also accepts a training checkpoint, whose arrays are {@code param.W0}, … beside
 * the optimizer state (which {@link MlpParams#load} rejects as arrays the network does not have).
 */
final class ParamsFiles {

    private ParamsFiles() {
    }

    /**
     * @param file the {@code .npz} to write (through a temporary file and a move)
     * @param params the parameters (not modified)
     * @throws IOException if writing fails
     */
    static void save(Path file, HostParams params) throws IOException {
        params.save(file, true);
    }

    /**
     * @param file a {@code .npz} written by {@link #save}
     * @param mlp the architecture the parameters must fit
     * @return the parameters
     * @throws MalformedDataException naming the file and the missing, misshapen or non-finite array
     * @throws IOException if reading fails
     */
    static MlpParams load(Path file, Mlp mlp) throws IOException {
        Map<String, NpyArray> arrays = Npz.read(file);
        double[][] w = new double[mlp.depth()][];
        double[][] b = mlp.hasBias() ? new double[mlp.depth()][] : null;
        for (int l = 0; l < mlp.depth(); l++) {
            w[l] = array(file, arrays, "W" + l, mlp.width(l) * mlp.width(l + 1), mlp.width(l) + "x" + mlp.width(l + 1));
            if (b != null) {
                b[l] = array(file, arrays, "b" + l, mlp.width(l + 1), String.valueOf(mlp.width(l + 1)));
            }
        }
        return new MlpParams(mlp, w, b);
    }

    /**
     * @param file a {@code .npz} of a layered model's parameters ({@code 0/W}, …, as {@code ModelParams.save}
     *             writes them) or a training checkpoint ({@code param.0/W}, …)
     * @param model the model the parameters must fit
     * @return the parameters
     * @throws MalformedDataException naming the file and the missing, misshapen or non-finite array
     * @throws IOException if reading fails
     */
    static ModelParams load(Path file, Model model) throws IOException {
        Map<String, NpyArray> arrays = Npz.read(file);
        List<double[]> values = new ArrayList<>();
        for (ParamSpec s : model.parameters()) {
            values.add(array(file, arrays, s.name(), s.size(), java.util.Arrays.toString(s.shape())));
        }
        return new ModelParams(model, values);
    }

    private static double[] array(Path file, Map<String, NpyArray> arrays, String name, int size, String shape)
            throws MalformedDataException {
        NpyArray a = arrays.containsKey(name) ? arrays.get(name) : arrays.get("param." + name);
        if (a == null) {
            throw new MalformedDataException(file + ": no array '" + name + "' (has " + arrays.keySet() + ")");
        }
        if (a.size() != size) {
            throw new MalformedDataException(file + ": array '" + name + "' has shape "
                    + java.util.Arrays.toString(a.shape()) + ", the network needs " + shape);
        }
        return MlpParams.requireFinite(file, name, a.toDoubles());
    }
}
