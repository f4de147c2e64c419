package org.ntk4j.backend.cuda;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.DisplayName;
import org.junit.jupiter.api.Test;
import org.ntk4j.backend.Activation;
import org.ntk4j.tensor.DType;

/**
 * Checks the committed PTX against what the Java side launches, without a GPU: every kernel the host uses
 * exists in the right module with the parameter types its signature promises, and the constants shared
 * between the CUDA sources and Java agree.
 */
@DisplayName("The committed PTX and the CUDA sources")
class KernelSourcesTest {

    private static final Pattern ENTRY = Pattern.compile("\\.visible \\.entry (\\w+)\\(([^)]*)\\)");
    private static final Pattern PARAM = Pattern.compile("\\.param \\.(\\w+) ");
    private static final Path CUDA_SOURCES = Path.of("src/main/cuda");

    private static String ptx(String module) throws IOException {
        try (InputStream in = KernelSourcesTest.class.getResourceAsStream(CudaContext.PTX_FOLDER + module + ".ptx")) {
            assertNotNull(in, "PTX resource for module " + module);
            return new String(in.readAllBytes(), StandardCharsets.US_ASCII);
        }
    }

    /** @return entry name → PTX parameter types, for one module */
    private static Map<String, List<String>> entries(String module) throws IOException {
        Map<String, List<String>> out = new LinkedHashMap<>();
        Matcher m = ENTRY.matcher(ptx(module));
        while (m.find()) {
            List<String> types = new ArrayList<>();
            Matcher p = PARAM.matcher(m.group(2));
            while (p.find()) {
                types.add(p.group(1));
            }
            out.put(m.group(1), types);
        }
        return out;
    }

    private static String ptxType(char c) {
        switch (c) {
            case 'I': return "u32";
            case 'J': case 'P': return "u64";
            case 'D': return "f64";
            default: throw new AssertionError(c);
        }
    }

    @Test
    @DisplayName("holds every kernel the host launches, with matching parameter types, and no other")
    void signaturesMatch() throws IOException {
        Map<String, Map<String, List<String>>> modules = new HashMap<>();
        Set<String> expected = new TreeSet<>();
        for (Kernel k : Kernel.values()) {
            Map<String, List<String>> entries = modules.computeIfAbsent(k.module(), m -> {
                try {
                    return entries(m);
                } catch (IOException e) {
                    throw new AssertionError(e);
                }
            });
            for (DType dtype : DType.values()) {
                String symbol = k.symbol(dtype);
                expected.add(k.module() + ":" + symbol);
                List<String> types = entries.get(symbol);
                assertNotNull(types, symbol + " missing from " + k.module() + ".ptx");
                List<String> want = new ArrayList<>();
                for (char c : k.signature().toCharArray()) {
                    want.add(ptxType(c));
                }
                assertEquals(want, types, "parameters of " + symbol);
            }
        }
        Set<String> found = new TreeSet<>();
        modules.forEach((module, entries) -> entries.keySet().forEach(e -> found.add(module + ":" + e)));
        assertEquals(expected, found, "kernels in the PTX that the host does not know");
    }

    @Test
    @DisplayName("targets compute capability 7.5, which the driver JIT-compiles for newer GPUs")
    void target() throws IOException {
        for (String module : List.of("gemm", "elementwise", "activations", "reductions", "cholesky", "windows")) {
            assertTrue(ptx(module).contains("\n.target sm_75\n"), module);
        }
    }

    @Test
    @DisplayName("needs a driver for CUDA 13.0 (PTX ISA 9.0), which the probe checks")
    void requiredDriver() throws IOException {
        assertTrue(ptx("gemm").contains("\n.version 9.0\n"));
        assertEquals(13000, CudaProbe.requiredDriverVersion());
    }

    @Test
    @DisplayName("uses the host's activation codes")
    void activationCodes() throws IOException {
        String common = Files.readString(CUDA_SOURCES.resolve("common.cuh"));
        for (Activation.Kind kind : Activation.Kind.values()) {
            Matcher m = Pattern.compile("#define ACT_" + kind.name() + " (\\d+)").matcher(common);
            assertTrue(m.find(), "ACT_" + kind + " in common.cuh");
            assertEquals(CudaBackend.activationCode(kind), Integer.parseInt(m.group(1)), kind.name());
        }
    }

    @Test
    @DisplayName("uses the host's GEMM tile")
    void gemmTile() throws IOException {
        String source = Files.readString(CUDA_SOURCES.resolve("gemm.cu"));
        assertTrue(source.contains("#define GEMM_TM " + CudaBackend.GEMM_TILE + "\n"));
        assertTrue(source.contains("#define GEMM_TN " + CudaBackend.GEMM_TILE + "\n"));
    }

    @Test
    @DisplayName("uses the host's Cholesky block size")
    void choleskyBlock() throws IOException {
        String source = Files.readString(CUDA_SOURCES.resolve("cholesky.cu"));
        assertTrue(source.contains("#define CHOL_NB " + CudaLinalg.NB + "\n"));
    }
}
