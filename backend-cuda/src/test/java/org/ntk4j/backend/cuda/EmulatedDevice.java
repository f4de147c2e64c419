package org.ntk4j.backend.cuda;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Field;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import jcuda.NativePointerObject;
import jcuda.Pointer;
import jcuda.driver.CUdeviceptr;
import org.ntk4j.tensor.DType;

/**
 * A {@link Device} that runs the project's CUDA C kernels on the CPU: it drives {@code src/test/cuda/emulator.cpp}
 * (the kernels compiled with g++ through {@code cuda_emu.h}, with AddressSanitizer) as a child process. The
 * backend's Java logic and the kernels' CUDA C are the ones that run on a GPU; what this cannot check is
 * anything specific to the hardware.
 */
final class EmulatedDevice implements Device {

    private static final Path SOURCES = Path.of("src/test/cuda");
    private static final Path KERNELS = Path.of("src/main/cuda");
    private static final Path BINARY = Path.of("target/cuda-emulator/emulator");
    private static String buildFailure;
    private static boolean built;

    private final Process process;
    private final OutputStream out;
    private final DataInputStream in;
    private final MemoryLedger ledger;
    private final Path log;
    private boolean closed;

    /**
     * Compiles the emulator once per JVM, if g++ is here.
     *
     * @return null if it is ready, else why not
     */
    static synchronized String build() {
        if (built || buildFailure != null) {
            return buildFailure;
        }
        if (!Files.isRegularFile(SOURCES.resolve("emulator.cpp")) || !Files.isDirectory(KERNELS)) {
            buildFailure = "the kernel sources are not here (the emulator runs from the backend-cuda module folder)";
            return buildFailure;
        }
        try {
            Files.createDirectories(BINARY.getParent());
            if (!upToDate() || !starts()) {
                String failure = compile(true);
                if (failure != null) {
                    buildFailure = failure;
                    return buildFailure;
                }
                if (!starts()) { // AddressSanitizer cannot run in some containers: build without it
                    failure = compile(false);
                    if (failure != null) {
                        buildFailure = failure;
                        return buildFailure;
                    }
                    if (!starts()) {
                        throw new IllegalStateException("the CPU emulator of the kernels does not start");
                    }
                }
            }
            built = true;
            return null;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /** @return null when compiled, or why g++ could not be run; throws if the sources do not compile */
    private static String compile(boolean sanitize) throws IOException, InterruptedException {
        List<String> command = new java.util.ArrayList<>(List.of("g++", "-std=c++20", "-O1", "-g", "-pthread",
                "-Wall", "-Wno-unknown-pragmas", "-I", KERNELS.toString(), "-I", SOURCES.toString(), "-o",
                BINARY.toString(), SOURCES.resolve("emulator.cpp").toString()));
        if (sanitize) {
            command.addAll(1, List.of("-fsanitize=address", "-fno-omit-frame-pointer"));
        }
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            return "g++ is not available to build the CPU emulator of the kernels: " + e.getMessage();
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(10, TimeUnit.MINUTES) || p.exitValue() != 0) {
            throw new IllegalStateException("the CPU emulator of the kernels does not compile:\n" + output);
        }
        return null;
    }

    /** @return whether the built emulator starts and quits cleanly */
    private static boolean starts() throws IOException, InterruptedException {
        if (!Files.isExecutable(BINARY)) {
            return false;
        }
        ProcessBuilder pb = new ProcessBuilder(BINARY.toAbsolutePath().toString()).redirectErrorStream(true);
        pb.environment().put("ASAN_OPTIONS", "detect_leaks=0");
        Process p = pb.start();
        p.getOutputStream().write('Q');
        p.getOutputStream().close();
        p.getInputStream().readAllBytes();
        return p.waitFor(30, TimeUnit.SECONDS) && p.exitValue() == 0;
    }

    private static boolean upToDate() throws IOException {
        if (!Files.exists(BINARY)) {
            return false;
        }
        long binary = Files.getLastModifiedTime(BINARY).toMillis();
        try (Stream<Path> files = Stream.concat(Files.list(SOURCES), Files.list(KERNELS))) {
            return files.allMatch(f -> f.toFile().lastModified() < binary);
        }
    }

    /** @param ledger the memory ledger (modified by every allocation and free) */
    EmulatedDevice(MemoryLedger ledger) {
        String failure = build();
        if (failure != null) {
            throw new IllegalStateException(failure);
        }
        this.ledger = ledger;
        try {
            log = Files.createTempFile(BINARY.getParent(), "emulator", ".log");
            ProcessBuilder pb = new ProcessBuilder(BINARY.toAbsolutePath().toString())
                    .redirectError(log.toFile());
            pb.environment().put("ASAN_OPTIONS", "detect_leaks=0");
            process = pb.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        out = new BufferedOutputStream(process.getOutputStream(), 1 << 16);
        in = new DataInputStream(new BufferedInputStream(process.getInputStream(), 1 << 16));
    }

    // ------------------------------------------------------------------------------ pointer addresses

    private static final Field NATIVE_POINTER = field(NativePointerObject.class, "nativePointer");
    private static final Field BYTE_OFFSET = field(Pointer.class, "byteOffset");

    private static Field field(Class<?> type, String name) {
        try {
            Field f = type.getDeclaredField(name);
            f.setAccessible(true);
            return f;
        } catch (NoSuchFieldException e) {
            throw new IllegalStateException(e);
        }
    }

    static long address(CUdeviceptr p) {
        try {
            return NATIVE_POINTER.getLong(p) + BYTE_OFFSET.getLong(p);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
    }

    private static CUdeviceptr pointer(long address) {
        CUdeviceptr p = new CUdeviceptr();
        try {
            NATIVE_POINTER.setLong(p, address);
        } catch (IllegalAccessException e) {
            throw new IllegalStateException(e);
        }
        return p;
    }

    // ---------------------------------------------------------------------------------------- protocol

    private ByteBuffer command(char c, int size) {
        return ByteBuffer.allocate(1 + size).order(ByteOrder.LITTLE_ENDIAN).put((byte) c);
    }

    private void send(ByteBuffer b, byte[] payload) {
        try {
            out.write(b.array(), 0, b.position());
            if (payload != null) {
                out.write(payload);
            }
            out.flush();
            int status = in.read();
            if (status == 0) {
                return;
            }
            if (status == 1) {
                byte[] len = in.readNBytes(4);
                int n = ByteBuffer.wrap(len).order(ByteOrder.LITTLE_ENDIAN).getInt();
                throw new IllegalStateException("emulator: " + new String(in.readNBytes(n), StandardCharsets.UTF_8));
            }
            throw new EOFException("status " + status);
        } catch (IOException e) {
            throw new IllegalStateException("the kernel emulator died: " + errorLog(), e);
        }
    }

    private String errorLog() {
        try {
            process.waitFor(5, TimeUnit.SECONDS);
            String text = Files.readString(log);
            return text.length() > 6000 ? text.substring(0, 6000) : text;
        } catch (IOException e) {
            return "(no log: " + e + ")";
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "(interrupted)";
        }
    }

    private byte[] receive(int n) {
        try {
            byte[] b = in.readNBytes(n);
            if (b.length != n) {
                throw new EOFException();
            }
            return b;
        } catch (IOException e) {
            throw new IllegalStateException("the kernel emulator died: " + errorLog(), e);
        }
    }

    @Override
    public void enter() {
        if (closed) {
            throw new IllegalStateException("the emulated device is closed");
        }
    }

    @Override
    public CUdeviceptr alloc(long bytes) {
        enter();
        send(command('A', 8).putLong(bytes), null);
        long address = ByteBuffer.wrap(receive(8)).order(ByteOrder.LITTLE_ENDIAN).getLong();
        ledger.allocated(bytes);
        return pointer(address);
    }

    @Override
    public void free(CUdeviceptr p, long bytes) {
        if (closed) {
            return;
        }
        send(command('F', 8).putLong(address(p)), null);
        ledger.freed(bytes);
    }

    @Override
    public void zero(CUdeviceptr p, long bytes) {
        enter();
        send(command('Z', 16).putLong(address(p)).putLong(bytes), null);
    }

    private void upload(CUdeviceptr dst, ByteBuffer data) {
        enter();
        send(command('U', 16).putLong(address(dst)).putLong(data.capacity()), data.array());
    }

    private ByteBuffer download(CUdeviceptr src, long bytes) {
        enter();
        send(command('D', 16).putLong(address(src)).putLong(bytes), null);
        return ByteBuffer.wrap(receive((int) bytes)).order(ByteOrder.LITTLE_ENDIAN);
    }

    private static ByteBuffer buffer(int bytes) {
        return ByteBuffer.allocate(bytes).order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public void upload(CUdeviceptr dst, double[] src) {
        ByteBuffer b = buffer(8 * src.length);
        b.asDoubleBuffer().put(src);
        upload(dst, b);
    }

    @Override
    public void upload(CUdeviceptr dst, float[] src) {
        ByteBuffer b = buffer(4 * src.length);
        b.asFloatBuffer().put(src);
        upload(dst, b);
    }

    @Override
    public void upload(CUdeviceptr dst, int[] src) {
        ByteBuffer b = buffer(4 * src.length);
        b.asIntBuffer().put(src);
        upload(dst, b);
    }

    @Override
    public void download(double[] dst, CUdeviceptr src) {
        download(src, 8L * dst.length).asDoubleBuffer().get(dst);
    }

    @Override
    public void download(float[] dst, CUdeviceptr src) {
        download(src, 4L * dst.length).asFloatBuffer().get(dst);
    }

    @Override
    public void download(int[] dst, CUdeviceptr src) {
        download(src, 4L * dst.length).asIntBuffer().get(dst);
    }

    @Override
    public void copy(CUdeviceptr dst, CUdeviceptr src, long bytes) {
        enter();
        send(command('C', 24).putLong(address(dst)).putLong(address(src)).putLong(bytes), null);
    }

    @Override
    public void launch(Kernel kernel, DType dtype, int gridX, int gridY, int blockX, int blockY, Object... args) {
        enter();
        CudaContext.parameters(kernel, args); // the same argument checks as on a GPU
        if (gridY > 65535 || blockX * blockY > 1024) {
            throw new IllegalArgumentException(kernel + ": launch " + gridX + "×" + gridY + " blocks of " + blockX
                    + "×" + blockY + " threads exceeds CUDA's limits");
        }
        byte[] name = kernel.symbol(dtype).getBytes(StandardCharsets.US_ASCII);
        ByteBuffer b = command('L', 4 + name.length + 16 + 4 + 8 * args.length);
        b.putInt(name.length).put(name).putInt(gridX).putInt(gridY).putInt(blockX).putInt(blockY).putInt(args.length);
        for (Object a : args) {
            if (a instanceof CUdeviceptr) {
                b.putLong(address((CUdeviceptr) a));
            } else if (a instanceof Integer) {
                b.putLong((Integer) a);
            } else if (a instanceof Long) {
                b.putLong((Long) a);
            } else {
                b.putLong(Double.doubleToRawLongBits((Double) a));
            }
        }
        send(b, null);
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        try {
            out.write('Q');
            out.flush();
            process.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            // the process is gone already
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            process.destroy();
            new File(log.toString()).delete();
        }
    }
}
