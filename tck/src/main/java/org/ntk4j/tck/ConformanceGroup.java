package org.ntk4j.tck;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.function.Executable;
import org.ntk4j.backend.Backend;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;
import org.ntk4j.tensor.TensorScope;

/**
 * The base of every group of the kit: it creates one backend per group with {@link #createBackend()}, runs
 * each test inside a {@link TensorScope} so that its tensors are released, and derives the capability flags
 * from {@link Backend#dtypes()}: parameterized tests take their dtype from {@link #dtypes()}, so every test
 * runs once for every dtype the backend supports and never for one it does not.
 *
 * <p>Nothing assumes F64: a backend that lists only F32 (or only F64) gets every group for that dtype alone.
 * Each group can be used alone: a backend that wants, say, only the GEMM checks extends
 * {@link GemmConformance} and implements {@link #createBackend()}. {@link BackendConformanceKit} runs them all.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class ConformanceGroup {

    /** The backend under test, created before the group's first test and closed after its last. */
    protected Backend backend;
    private TensorScope testScope;

    /** For subclasses. */
    protected ConformanceGroup() {
    }

    /**
     * Creates a new instance of the backend under test. Called once per group (and once more by the scope
     * checks, which need a second instance).
     *
     * @return a new backend, closed by the kit
     */
    protected abstract Backend createBackend();

    @BeforeAll
    final void openBackend() {
        backend = createBackend();
        assertNotNull(backend, "createBackend() returned null");
        assertFalse(backend.dtypes().isEmpty(), "backend '" + backend.name() + "' lists no dtypes");
    }

    @AfterAll
    final void closeBackend() {
        if (backend != null) {
            backend.close();
        }
    }

    @BeforeEach
    final void openTestScope() {
        testScope = runsInScope() ? backend.scope() : null;
    }

    @AfterEach
    final void closeTestScope() {
        if (testScope != null) {
            testScope.close();
        }
    }

    /** @return whether each test runs inside a scope of its own; the scope checks turn this off */
    protected boolean runsInScope() {
        return true;
    }

    /** @return the dtypes the backend supports, in declaration order: the source of every dtype parameter */
    protected Stream<DType> dtypes() {
        Set<DType> supported = backend.dtypes();
        return EnumSet.allOf(DType.class).stream().filter(supported::contains);
    }

    /** @return the dtypes the backend does not support */
    protected List<DType> unsupportedDtypes() {
        List<DType> out = new ArrayList<>(EnumSet.allOf(DType.class));
        out.removeAll(backend.dtypes());
        return out;
    }

    /**
     * @param seed the seed
     * @param dtype the dtype values are rounded to
     * @return a seeded generator of inputs
     */
    protected static RandomData random(long seed, DType dtype) {
        return new RandomData(seed, dtype);
    }

    /**
     * Uploads a copy of {@code m}'s values, so that {@code m} stays a valid reference whatever the backend does
     * with the array it is given: a {@code fromHost} that keeps the caller's array fails
     * {@code MemoryConformance.hostArraysAreCopied} alone, not every check that compares against {@code m}.
     *
     * @param m the host values (not modified)
     * @param dtype the dtype
     * @return a new tensor with those values
     */
    protected Tensor tensor(HostMatrix m, DType dtype) {
        return backend.fromHost(m.data().clone(), m.rows(), m.cols(), dtype);
    }

    /**
     * @param t a tensor (not modified)
     * @return its values on the host, checked to have its shape
     */
    protected HostMatrix host(Tensor t) {
        double[] d = backend.toHost(t);
        assertEquals((long) t.rows() * t.cols(), d.length, "toHost length of a " + t.shape() + " tensor");
        return new HostMatrix(t.rows(), t.cols(), d);
    }

    /**
     * @param rows rows
     * @param cols columns
     * @param value the value of every element
     * @return a matrix filled with value
     */
    protected static HostMatrix filled(int rows, int cols, double value) {
        HostMatrix m = HostMatrix.zeros(rows, cols);
        Arrays.fill(m.data(), value);
        return m;
    }

    /**
     * Asserts that a call throws {@link IllegalArgumentException} whose message contains every given fragment.
     *
     * @param call the call
     * @param fragments texts the message must contain (shapes, names)
     * @return the exception
     */
    protected static IllegalArgumentException assertIllegalArgument(Executable call, String... fragments) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
        assertMessageContains(e, fragments);
        return e;
    }

    /**
     * @param e an exception
     * @param fragments texts its message must contain
     */
    protected static void assertMessageContains(Throwable e, String... fragments) {
        assertMessageContains("", e, fragments);
    }

    /**
     * @param what the call that threw, and its dtype, for the failure message
     * @param e the exception it threw
     * @param fragments texts its message must contain
     */
    protected static void assertMessageContains(String what, Throwable e, String... fragments) {
        String message = String.valueOf(e.getMessage());
        String prefix = what.isEmpty() ? "" : what + ": ";
        for (String f : fragments) {
            assertTrue(message.contains(f), () -> prefix + "the message \"" + message + "\" should name '" + f + "'");
        }
    }

    /**
     * A call named for the failure message, for checks that loop over many operations.
     *
     * @param name the operation and its arguments, as the message should show them ({@code "gemm(A closed)"})
     * @param body the call
     */
    protected record Call(String name, Executable body) {
    }

    /**
     * @param name the operation, for the failure message
     * @param body the call
     * @return the named call
     */
    protected static Call call(String name, Executable body) {
        return new Call(name, body);
    }

    /**
     * Asserts that each call throws {@code type} with a message naming every fragment; a failure names the
     * call, the dtype and the situation.
     *
     * @param <T> the exception type
     * @param type the exception each call must throw
     * @param situation what is wrong with the arguments, for the message ({@code "a closed tensor"})
     * @param dtype the dtype under test, for the message
     * @param calls the calls
     * @param fragments texts each exception's message must contain
     */
    protected static <T extends Throwable> void assertEachThrows(Class<T> type, String situation, DType dtype,
                                                                 List<Call> calls, String... fragments) {
        for (Call c : calls) {
            String what = c.name() + " " + dtype + " with " + situation;
            T e = assertThrows(type, c.body(), what + " should throw " + type.getSimpleName());
            assertMessageContains(what, e, fragments);
        }
    }
}
