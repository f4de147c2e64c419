// A stand-in for a GPU, driven over stdin/stdout by the tests' EmulatedDevice: it allocates "device"
// memory on the heap and runs the project's kernels, compiled from src/main/cuda for the CPU through
// cuda_emu.h. Built with AddressSanitizer where available, so a kernel that reads or writes outside a
// buffer aborts with a report.
//
// Protocol (little-endian; every command is answered by a status byte, 0 = ok, then its result):
//   'A' u64 bytes                        -> u64 address (memory filled with 0xFF bytes: NaN for floats)
//   'F' u64 address                      -> -
//   'Z' u64 address, u64 bytes           -> -
//   'U' u64 address, u64 bytes, data     -> -
//   'D' u64 address, u64 bytes           -> data
//   'C' u64 dst, u64 src, u64 bytes      -> -
//   'L' u32 name length, name, u32 gridX, gridY, blockX, blockY, u32 argc, argc × u64 -> -
//       (status 1 and a u32-length message if the kernel is unknown)
//   'Q'                                  -> exits
#include "cuda_emu.h"

#include "elementwise.cu"
#include "activations.cu"
#include "reductions.cu"
#include "gemm.cu"
#include "cholesky.cu"
#include "windows.cu"

#include <cstdio>
#include <cstdlib>
#include <map>
#include <string>
#include <type_traits>
#include <utility>

using Args = std::vector<uint64_t>;
using Invoker = std::function<void(const Args&)>;

template <typename T>
static T convert(uint64_t raw) {
    if constexpr (std::is_pointer_v<T>) {
        return reinterpret_cast<T>(static_cast<uintptr_t>(raw));
    } else if constexpr (std::is_same_v<T, double>) {
        double d;
        std::memcpy(&d, &raw, sizeof d);
        return d;
    } else {
        return static_cast<T>(static_cast<int64_t>(raw));
    }
}

template <typename... A, size_t... I>
static void invoke(void (*f)(A...), const Args& a, std::index_sequence<I...>) {
    f(convert<A>(a[I])...);
}

struct Entry {
    size_t arity;
    bool barriers;  // whether the kernel calls __syncthreads()
    Invoker run;
};

template <typename... A>
static Entry wrap(void (*f)(A...), bool barriers) {
    return {sizeof...(A), barriers, [f](const Args& a) { invoke(f, a, std::index_sequence_for<A...>{}); }};
}

#define BOTH(name, barriers) \
    {#name "_f32", wrap(&name##_f32, barriers)}, {#name "_f64", wrap(&name##_f64, barriers)}

static const std::map<std::string, Entry> KERNELS = {
    BOTH(axpby, false), BOTH(hadamard, false), BOTH(affine, false), BOTH(sqrt, false), BOTH(divide, false),
    BOTH(add_row_vector, false),
    BOTH(gather_rows, false), BOTH(transpose, true),
    BOTH(map, false), BOTH(map_derivative, false), BOTH(dual, false),
    BOTH(column_sums_partial, true), BOTH(column_sums_finish, false), BOTH(row_sums_of_squares, true),
    BOTH(dot_partial, true),
    BOTH(gemm, true),
    BOTH(im2col, false), BOTH(col2im, false), BOTH(segmented_outer_sums, false),
    BOTH(potrf_block, true), BOTH(trsm_panel, true), BOTH(trsm_lower, true), BOTH(trsm_upper, true),
};

static void read_exact(void* p, size_t n) {
    if (n > 0 && std::fread(p, 1, n, stdin) != n) {
        std::exit(0);  // the test closed the pipe
    }
}

template <typename T>
static T read_value() {
    T v;
    read_exact(&v, sizeof v);
    return v;
}

static void write_exact(const void* p, size_t n) {
    if (n > 0 && std::fwrite(p, 1, n, stdout) != n) {
        std::exit(1);
    }
}

static void reply(uint8_t status) { write_exact(&status, 1); }

int main() {
    std::setvbuf(stdout, nullptr, _IOFBF, 1 << 16);
    for (;;) {
        const char cmd = read_value<char>();
        switch (cmd) {
            case 'A': {
                const uint64_t bytes = read_value<uint64_t>();
                void* p = std::malloc(bytes);
                std::memset(p, 0xFF, bytes);
                const uint64_t address = reinterpret_cast<uintptr_t>(p);
                reply(0);
                write_exact(&address, 8);
                break;
            }
            case 'F':
                std::free(reinterpret_cast<void*>(read_value<uint64_t>()));
                reply(0);
                break;
            case 'Z': {
                const uint64_t address = read_value<uint64_t>();
                const uint64_t bytes = read_value<uint64_t>();
                std::memset(reinterpret_cast<void*>(address), 0, bytes);
                reply(0);
                break;
            }
            case 'U': {
                const uint64_t address = read_value<uint64_t>();
                const uint64_t bytes = read_value<uint64_t>();
                read_exact(reinterpret_cast<void*>(address), bytes);
                reply(0);
                break;
            }
            case 'D': {
                const uint64_t address = read_value<uint64_t>();
                const uint64_t bytes = read_value<uint64_t>();
                reply(0);
                write_exact(reinterpret_cast<void*>(address), bytes);
                break;
            }
            case 'C': {
                const uint64_t dst = read_value<uint64_t>();
                const uint64_t src = read_value<uint64_t>();
                const uint64_t bytes = read_value<uint64_t>();
                std::memcpy(reinterpret_cast<void*>(dst), reinterpret_cast<void*>(src), bytes);
                reply(0);
                break;
            }
            case 'L': {
                std::string name(read_value<uint32_t>(), '\0');
                read_exact(name.data(), name.size());
                dim3 grid{read_value<uint32_t>(), read_value<uint32_t>(), 1};
                dim3 block{read_value<uint32_t>(), read_value<uint32_t>(), 1};
                Args args(read_value<uint32_t>());
                for (auto& a : args) {
                    a = read_value<uint64_t>();
                }
                auto k = KERNELS.find(name);
                std::string error;
                if (k == KERNELS.end()) {
                    error = "unknown kernel " + name;
                } else if (k->second.arity != args.size()) {
                    error = name + " takes " + std::to_string(k->second.arity) + " arguments, got "
                            + std::to_string(args.size());
                }
                if (!error.empty()) {
                    reply(1);
                    const uint32_t n = error.size();
                    write_exact(&n, 4);
                    write_exact(error.data(), n);
                    break;
                }
                const Entry& entry = k->second;
                emu_launch(grid, block, [&] { entry.run(args); }, entry.barriers);
                reply(0);
                break;
            }
            case 'Q':
                return 0;
            default:
                std::fprintf(stderr, "emulator: unknown command %d\n", cmd);
                return 2;
        }
        std::fflush(stdout);
    }
}
