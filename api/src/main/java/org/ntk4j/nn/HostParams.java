package org.ntk4j.nn;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.ntk4j.backend.Backend;
import org.ntk4j.tensor.DType;

/**
 * Parameters of a network on the host, whatever the network: {@link MlpParams} ({@code W0}, {@code b0}, …) or a
 * layered model's {@code ModelParams} ({@code 0/W}, {@code 0/b}, …). Immutable.
 */
public interface HostParams {

    /** @return the parameter names in order */
    List<String> names();

    /** @return all values in the parameters' order, each row-major (a new array) */
    double[] flatten();

    /**
     * @param backend the backend
     * @param dtype the element type
     * @return new parameters on the backend, named and ordered as {@link #names()}
     */
    Params upload(Backend backend, DType dtype);

    /**
     * Writes the parameters as a NumPy {@code .npz} archive, one array per name, through a temporary file and a
     * move.
     *
     * @param file the file to create or replace
     * @param compressed whether to deflate the entries
     * @throws IOException if writing fails (an existing file is then unchanged)
     */
    void save(Path file, boolean compressed) throws IOException;
}
