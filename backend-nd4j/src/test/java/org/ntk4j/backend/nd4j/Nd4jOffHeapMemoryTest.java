package org.ntk4j.backend.nd4j;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.SplittableRandom;
import org.bytedeco.javacpp.Pointer;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.ntk4j.backend.Activation;
import org.ntk4j.backend.Backend;
import org.ntk4j.backend.BackendOptions;
import org.ntk4j.backend.SymmetricEigen;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/**
 * Off-heap memory stays flat over a long loop of the operations a training step makes, with no garbage
 * collection asked for, so anything not freed explicitly would show. Three measures: the backend's own count
 * of live array bytes (exact), JavaCPP's {@link Pointer#totalBytes()} (the JavaCPP pointers ND4J and the
 * LAPACK calls make; ND4J 1.0.0-M2's data buffers are allocated natively and do not appear there), and the
 * process's resident memory outside the Java heap, {@link Pointer#physicalBytes()} minus the committed
 * heap, which does see ND4J's buffers. The module's surefire configuration fixes and pre-touches the heap
 * ({@code -Xms = -Xmx}, {@code -XX:+AlwaysPreTouch}) so that the heap's share of resident memory is constant.
 */
@DisplayName("The ND4J backend frees every off-heap buffer it makes")
@SuppressWarnings("try") // scopes close what the block made, unreferenced
class Nd4jOffHeapMemoryTest {

    private static final long BOUND = 1 << 20;
    private static final long RESIDENT_BOUND = 64L << 20;
    /** Steps before measuring: the JIT compilers and ND4J's shape caches settle in these. */
    private static final int WARM_UP = 100;
    private static final int STEPS = 500;

    private static long residentOffHeap() {
        return Pointer.physicalBytes() - Runtime.getRuntime().totalMemory();
    }

    @Test
    @DisplayName("the measures see tensors that are left open, and closing gives their memory back once the pool is drained")
    void measuresAreSensitive() {
        try (Backend be = new Nd4jBackendProvider().create(BackendOptions.defaults())) {
            be.zeros(1, 1, DType.F64).close();
            long live = Nd4jMemory.liveBytes();
            long resident = residentOffHeap();
            // 40 MB each: above glibc's largest mmap threshold (32 MiB), so that freeing them unmaps them whatever
            // the allocator's history in this JVM (smaller blocks may stay in its heap after free)
            Tensor[] open = new Tensor[4];
            for (int i = 0; i < open.length; i++) {
                open[i] = be.zeros(5000, 1000, DType.F64);
            }
            assertEquals(160_000_000L, Nd4jMemory.liveBytes() - live);
            long grown = residentOffHeap() - resident;
            assertTrue(grown > 2 * RESIDENT_BOUND, "4 open 40 MB tensors raised resident memory by only " + grown);
            for (Tensor t : open) {
                t.close();
            }
            assertEquals(live, Nd4jMemory.liveBytes());
            // the buffer pool keeps freed buffers of 1 MiB or more for reuse, until the backend closes
            Nd4jBufferPool.drain();
            long left = residentOffHeap() - resident;
            assertTrue(left < RESIDENT_BOUND, "closing them and draining the pool left " + left + " resident bytes");
        }
    }

    @Test
    @DisplayName("500 forward/backward/Gram/solve steps per dtype leave off-heap memory where it was")
    void longLoopIsFlat() {
        try (Backend be = new Nd4jBackendProvider().create(BackendOptions.defaults())) {
            for (DType d : new DType[] {DType.F64, DType.F32}) {
                SplittableRandom rnd = new SplittableRandom(7);
                Tensor x = be.fromHost(random(rnd, 128 * 64), 128, 64, d);
                Tensor w1 = be.fromHost(random(rnd, 64 * 96), 64, 96, d);
                Tensor b1 = be.fromHost(random(rnd, 96), 1, 96, d);
                Tensor w2 = be.fromHost(random(rnd, 96 * 10), 96, 10, d);
                Tensor b2 = be.fromHost(random(rnd, 10), 1, 10, d);
                steps(be, x, w1, b1, w2, b2, WARM_UP);
                long live = Nd4jMemory.liveBytes();
                long total = Pointer.totalBytes();
                long resident = residentOffHeap();
                steps(be, x, w1, b1, w2, b2, STEPS);
                assertEquals(live, Nd4jMemory.liveBytes(), d + ": live array bytes after " + STEPS + " steps");
                long growth = Pointer.totalBytes() - total;
                assertTrue(growth < BOUND, d + ": JavaCPP's totalBytes grew by " + growth + " over " + STEPS + " steps");
                long residentGrowth = residentOffHeap() - resident;
                assertTrue(residentGrowth < RESIDENT_BOUND,
                        d + ": resident memory outside the heap grew by " + residentGrowth + " over " + STEPS + " steps");
                for (Tensor t : new Tensor[] {x, w1, b1, w2, b2}) {
                    t.close();
                }
            }
        }
    }

    private static void steps(Backend be, Tensor x, Tensor w1, Tensor b1, Tensor w2, Tensor b2, int count) {
        DType d = x.dtype();
        for (int it = 0; it < count; it++) {
            try (TensorScope s = be.scope()) {
                Tensor z1 = be.denseForward(x, w1, b1, 0.125, 0.1);
                Tensor h1 = be.zeros(z1.rows(), z1.cols(), d);
                be.map(it % 2 == 0 ? Activation.RELU : Activation.ERF, z1, h1);
                Tensor out = be.denseForward(h1, w2, b2, 0.1, 0.1);
                Tensor g = be.copy(out);
                be.scale(1.0 / out.rows(), g, g);
                Tensor gw2 = be.zeros(w2.rows(), w2.cols(), d);
                Tensor gb2 = be.zeros(1, w2.cols(), d);
                be.denseBackward(h1, g, 0.1, 0.1, gw2, gb2);
                Tensor gh = be.zeros(h1.rows(), h1.cols(), d);
                be.gemm(0.1, g, false, w2, true, 0, gh);
                Tensor dz = be.zeros(z1.rows(), z1.cols(), d);
                be.mapDerivative(Activation.RELU, z1, dz);
                be.hadamard(dz, gh, dz);
                Tensor gw1 = be.zeros(w1.rows(), w1.cols(), d);
                Tensor gb1 = be.zeros(1, w1.cols(), d);
                be.denseBackward(x, dz, 0.125, 0.1, gw1, gb1);
                Tensor kx = be.gram(h1);
                Tensor kd = be.gram(dz);
                Tensor acc = be.zeros(kx.rows(), kx.cols(), d);
                be.ntkLayerAccumulate(kd, kx, 1.0 / 96, 0.01, acc);
                Tensor reg = be.gram(x);
                be.affine(1, reg, 0, reg);
                Tensor eye = be.fromHost(identity(reg.rows()), reg.rows(), reg.cols(), d);
                be.axpby(1, reg, 64, eye, reg);
                Tensor sol = be.zeros(reg.rows(), 10, d);
                be.choleskySolve(reg, out, sol);
                be.luSolve(reg, out, sol);
                if (it % 10 == 0) {
                    try (SymmetricEigen e = be.symmetricEigen(reg)) {
                        be.toHost(e.values());
                    }
                }
                Tensor ss = be.zeros(out.rows(), 1, d);
                be.rowSumsOfSquares(sol, ss);
                be.dot(gw1, w1);
                be.axpby(1, w2, -1e-6, gw2, w2);
                be.toHost(be.transpose(be.concatRows(java.util.List.of(gb1, be.gatherRows(gw1, new int[] {0, 3})))));
            }
        }
    }

    private static double[] identity(int n) {
        double[] v = new double[n * n];
        for (int i = 0; i < n; i++) {
            v[i * n + i] = 1;
        }
        return v;
    }

    private static double[] random(SplittableRandom rnd, int n) {
        double[] v = new double[n];
        for (int i = 0; i < n; i++) {
            v[i] = rnd.nextGaussian();
        }
        return v;
    }
}
