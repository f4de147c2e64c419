package org.ntk4j.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.ntk4j.backend.Backend;
import org.ntk4j.io.AtomicFiles;
import org.ntk4j.io.Json;
import org.ntk4j.io.MalformedDataException;
import org.ntk4j.io.NpyArray;
import org.ntk4j.io.Npz;
import org.ntk4j.nn.Mlp;
import org.ntk4j.nn.MlpParams;
import org.ntk4j.optim.OptimizerState;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;

/**
 * Checkpoints of {@code ntk4j train}: a folder {@code checkpoints/iter-NNNNNN} holding {@code params.npz} (the
 * MLP's W0, b0, …), {@code optimizer.npz} (the optimizer state's scalars and tensors) and
 * {@code checkpoint.json} (iteration, optimizer), each written through a temporary file and a move;
 * {@code checkpoint.json} is written last, so a folder without it is incomplete and ignored.
 */
final class CheckpointFiles {

    private static final String META = "checkpoint.json";

    private CheckpointFiles() {
    }

    /** A checkpoint read back: iteration, optimizer name, parameters and the optimizer state's pieces. */
    record Saved(Path dir, long iteration, String optimizer, MlpParams params, double[] scalars,
                 List<NpyArray> stateTensors) {
        /**
         * @param backend where to upload the state tensors
         * @return the state tensors on the backend (owned by the caller or its scope)
         */
        List<Tensor> tensors(Backend backend) {
            List<Tensor> out = new ArrayList<>();
            for (NpyArray a : stateTensors) {
                out.add(backend.fromHost(a.toDoubles(), a.rows(), a.cols(), DType.F64));
            }
            return out;
        }
    }

    /**
     * @param dir the checkpoint folder (created)
     * @param iteration the iteration
     * @param optimizer the optimizer's name
     * @param params the parameters (not modified)
     * @param state the optimizer state (not modified)
     * @throws IOException if writing fails
     */
    static void save(Path dir, long iteration, String optimizer, MlpParams params, OptimizerState state)
            throws IOException {
        List<NpyArray> tensors = new ArrayList<>();
        for (Tensor t : state.tensors()) {
            tensors.add(NpyArray.ofDoubles(t.backend().toHost(t), t.rows(), t.cols()));
        }
        save(dir, iteration, optimizer, params, state.scalars(), tensors);
    }

    /**
     * @param dir the checkpoint folder (created)
     * @param iteration the iteration
     * @param optimizer the optimizer's name
     * @param params the parameters (not modified)
     * @param scalars the optimizer state's scalars (not modified)
     * @param tensors the optimizer state's tensors on the host (not modified)
     * @throws IOException if writing fails
     */
    static void save(Path dir, long iteration, String optimizer, MlpParams params, double[] scalars,
                     List<NpyArray> tensors) throws IOException {
        Files.createDirectories(dir);
        ParamsFiles.save(dir.resolve("params.npz"), params);
        Map<String, NpyArray> s = new LinkedHashMap<>();
        s.put("scalars", NpyArray.ofDoubles(scalars, scalars.length));
        for (int i = 0; i < tensors.size(); i++) {
            s.put("tensor" + i, tensors.get(i));
        }
        Npz.write(dir.resolve("optimizer.npz"), s, true);
        Map<String, Object> meta = new LinkedHashMap<>();
        meta.put("iteration", iteration);
        meta.put("optimizer", optimizer);
        meta.put("state_tensors", tensors.size());
        AtomicFiles.writeString(dir.resolve(META), Json.write(meta));
    }

    /**
     * @param path a checkpoint folder, or a run folder (its latest complete checkpoint is taken)
     * @param mlp the architecture the parameters must fit
     * @return the checkpoint
     * @throws MalformedDataException naming the file if something is missing or does not fit
     * @throws IOException if reading fails
     */
    @SuppressWarnings("unchecked")
    static Saved load(Path path, Mlp mlp) throws IOException {
        Path dir = Files.isRegularFile(path.resolve(META)) ? path : latest(path);
        Map<String, Object> meta = (Map<String, Object>) Json.parse(Files.readString(dir.resolve(META)),
                dir.resolve(META).toString());
        if (!(meta.get("iteration") instanceof Long iteration) || !(meta.get("optimizer") instanceof String opt)) {
            throw new MalformedDataException(dir.resolve(META) + ": needs \"iteration\" and \"optimizer\"");
        }
        MlpParams params = ParamsFiles.load(dir.resolve("params.npz"), mlp);
        Map<String, NpyArray> s = Npz.read(dir.resolve("optimizer.npz"));
        NpyArray scalars = s.get("scalars");
        if (scalars == null) {
            throw new MalformedDataException(dir.resolve("optimizer.npz") + ": no 'scalars' array");
        }
        List<NpyArray> tensors = new ArrayList<>();
        for (int i = 0; s.containsKey("tensor" + i); i++) {
            tensors.add(s.get("tensor" + i));
        }
        return new Saved(dir, iteration, opt, params, scalars.toDoubles(), tensors);
    }

    private static Path latest(Path runDir) throws IOException {
        Path checkpoints = runDir.resolve("checkpoints");
        if (!Files.isDirectory(checkpoints)) {
            throw new MalformedDataException(runDir + ": neither a checkpoint folder (no " + META
                    + ") nor a run folder (no checkpoints/)");
        }
        try (Stream<Path> dirs = Files.list(checkpoints)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve(META))).max(Path::compareTo)
                    .orElseThrow(() -> new MalformedDataException(checkpoints + ": no complete checkpoint"));
        }
    }
}
