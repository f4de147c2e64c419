package org.ntk4j.train;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.ntk4j.backend.Backend;
import org.ntk4j.io.MalformedDataException;
import org.ntk4j.io.NpyArray;
import org.ntk4j.io.Npz;
import org.ntk4j.nn.Mlp;
import org.ntk4j.nn.Params;
import org.ntk4j.optim.OptimizerState;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;

/**
 * A training checkpoint: everything needed to continue the exact same trajectory — parameters, optimizer state,
 * the batch schedule's position (which is its random generator's whole state) and the iteration count.
 *
 * <p>Stored as a NumPy {@code .npz} archive, written to a temporary file and moved into place, so a crash never
 * leaves a half-written checkpoint. Entries: {@code param.W0}, {@code param.b0}, … for an MLP, {@code param.0/W},
 * {@code param.0/b}, … for a layered model (float64, the parameters' 2-D shapes); {@code state.scalars} (float64,
 * the optimizer's numbers); {@code state.0}, {@code state.1}, … (the optimizer's tensors); {@code trainer} (int64: format version, iteration, epoch, batch, shuffle seed, batch size,
 * training set size); {@code trainer.loss} (float64: the run's first batch loss, the reference of divergence
 * detection); {@code optimizer} (int32: the optimizer's name as UTF-8 bytes; in Python
 * {@code bytes(z["optimizer"].astype("u1")).decode()}). Version 1 files, without batch size, training set size
 * and reference loss, are still read (those are then 0, 0 and NaN: unknown).
 *
 * @param optimizer the optimizer's name
 * @param iteration updates done
 * @param epoch the epoch of the next batch
 * @param batch the next batch's index in its epoch
 * @param shuffleSeed the shuffling seed
 * @param batchSize the batch size of the run, 0 if unknown
 * @param trainSize the size of the run's training set, 0 if unknown
 * @param referenceLoss the run's first batch loss, NaN if unknown
 * @param params the parameters by name, in the network's order (host copies)
 * @param stateScalars the optimizer state's numbers
 * @param stateTensors the optimizer state's tensors (host copies)
 */
public record Checkpoint(String optimizer, long iteration, long epoch, int batch, long shuffleSeed, int batchSize,
                         int trainSize, double referenceLoss, Map<String, NpyArray> params, double[] stateScalars,
                         List<NpyArray> stateTensors) {

    private static final long VERSION = 2;

    /**
     * Copies a training state to the host.
     *
     * @param optimizer the optimizer's name
     * @param iteration updates done
     * @param schedule the batch schedule (not modified)
     * @param shuffleSeed its seed
     * @param batchSize the batch size
     * @param trainSize the size of the training set
     * @param referenceLoss the run's first batch loss
     * @param params the parameters (not modified)
     * @param state the optimizer's state (not modified)
     * @return the checkpoint
     */
    public static Checkpoint of(String optimizer, long iteration, BatchSchedule schedule, long shuffleSeed,
                                int batchSize, int trainSize, double referenceLoss, Params params,
                                OptimizerState state) {
        Backend b = params.backend();
        Map<String, NpyArray> p = new LinkedHashMap<>();
        for (int i = 0; i < params.size(); i++) {
            Tensor t = params.tensor(i);
            p.put(params.name(i), NpyArray.ofDoubles(b.toHost(t), t.rows(), t.cols()));
        }
        List<NpyArray> s = new ArrayList<>();
        for (Tensor t : state.tensors()) {
            s.add(NpyArray.ofDoubles(b.toHost(t), t.rows(), t.cols()));
        }
        return new Checkpoint(optimizer, iteration, schedule.epoch(), schedule.batch(), shuffleSeed, batchSize,
                trainSize, referenceLoss, p, state.scalars(), s);
    }

    /**
     * Writes the checkpoint atomically (temporary file, then move); an existing file is replaced only when the new
     * one is complete.
     *
     * @param file the target {@code .npz}
     * @throws IOException if writing fails (the old file is then unchanged)
     */
    public void write(Path file) throws IOException {
        Map<String, NpyArray> a = new LinkedHashMap<>();
        params.forEach((name, v) -> a.put("param." + name, v));
        a.put("state.scalars", NpyArray.ofDoubles(stateScalars, stateScalars.length));
        for (int i = 0; i < stateTensors.size(); i++) {
            a.put("state." + i, stateTensors.get(i));
        }
        a.put("trainer", NpyArray.ofLongs(new long[] {VERSION, iteration, epoch, batch, shuffleSeed, batchSize,
            trainSize}, 7));
        a.put("trainer.loss", NpyArray.ofDoubles(new double[] {referenceLoss}, 1));
        byte[] name = optimizer.getBytes(StandardCharsets.UTF_8);
        int[] codes = new int[name.length];
        for (int i = 0; i < name.length; i++) {
            codes[i] = name[i] & 0xff;
        }
        a.put("optimizer", NpyArray.ofInts(codes, codes.length));
        Npz.write(file, a, false);
    }

    /**
     * @param file a checkpoint written by {@link #write(Path)}
     * @return the checkpoint
     * @throws MalformedDataException naming the file and the missing or malformed entry
     * @throws IOException if reading fails
     */
    public static Checkpoint read(Path file) throws IOException {
        Map<String, NpyArray> a = Npz.read(file);
        NpyArray trainer = require(a, "trainer", file);
        long[] t = trainer.toLongs();
        boolean v1 = t.length == 5 && t[0] == 1;
        if (!v1 && (t.length != 7 || t[0] != VERSION)) {
            throw new MalformedDataException(file + ": entry 'trainer' is not a version 1 or " + VERSION
                    + " checkpoint header");
        }
        double reference = v1 ? Double.NaN : require(a, "trainer.loss", file).toDoubles()[0];
        int[] codes = require(a, "optimizer", file).toInts();
        byte[] name = new byte[codes.length];
        for (int i = 0; i < codes.length; i++) {
            name[i] = (byte) codes[i];
        }
        Map<String, NpyArray> p = new LinkedHashMap<>();
        List<NpyArray> s = new ArrayList<>();
        for (Map.Entry<String, NpyArray> e : a.entrySet()) {
            if (e.getKey().startsWith("param.")) {
                p.put(e.getKey().substring("param.".length()), e.getValue());
            }
        }
        for (int i = 0; a.containsKey("state." + i); i++) {
            s.add(a.get("state." + i));
        }
        return new Checkpoint(new String(name, StandardCharsets.UTF_8), t[1], t[2], (int) t[3], t[4],
                v1 ? 0 : (int) t[5], v1 ? 0 : (int) t[6], reference, p, require(a, "state.scalars", file).toDoubles(), s);
    }

    private static NpyArray require(Map<String, NpyArray> a, String key, Path file) throws MalformedDataException {
        NpyArray v = a.get(key);
        if (v == null) {
            throw new MalformedDataException(file + ": not a training checkpoint, entry '" + key + "' is missing");
        }
        return v;
    }

    /**
     * @param mlp the network the parameters must fit
     * @param backend where to put them
     * @param dtype their element type
     * @return the parameters on the backend (owned by the caller)
     * @throws IllegalArgumentException naming the first parameter that is missing or has the wrong shape
     */
    public Params params(Mlp mlp, Backend backend, DType dtype) {
        List<Tensor> out = new ArrayList<>();
        for (String name : mlp.parameterNames()) {
            NpyArray v = params.get(name);
            if (v == null) {
                throw new IllegalArgumentException("checkpoint has no parameter " + name + " for " + mlp);
            }
            out.add(backend.fromHost(v.toDoubles(), v.rows(), v.cols(), dtype));
        }
        Params p = new Params(backend, mlp.parameterNames(), out);
        mlp.checkParams(p);
        return p;
    }

    /**
     * @param names the parameters wanted, in order (not modified)
     * @param backend where to put them
     * @param dtype their element type
     * @return the parameters on the backend (owned by the caller), in their stored shapes
     * @throws IllegalArgumentException naming the first parameter that is missing
     */
    public Params params(List<String> names, Backend backend, DType dtype) {
        List<Tensor> out = new ArrayList<>();
        for (String name : names) {
            NpyArray v = params.get(name);
            if (v == null) {
                throw new IllegalArgumentException("checkpoint has no parameter " + name + " (it has "
                        + params.keySet() + ")");
            }
            out.add(backend.fromHost(v.toDoubles(), v.rows(), v.cols(), dtype));
        }
        return new Params(backend, names, out);
    }

    /**
     * @param backend where to put them
     * @param dtype their element type
     * @return the optimizer state's tensors on the backend
     */
    public List<Tensor> stateTensors(Backend backend, DType dtype) {
        List<Tensor> out = new ArrayList<>();
        for (NpyArray v : stateTensors) {
            out.add(backend.fromHost(v.toDoubles(), v.rows(), v.cols(), dtype));
        }
        return out;
    }
}
