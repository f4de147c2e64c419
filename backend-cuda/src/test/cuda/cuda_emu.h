// Runs the project's CUDA C kernels on the CPU, for tests on machines without a GPU. The blocks of a
// launch run one after another, each CUDA thread as a fiber; __shared__ variables become function
// statics (one block is alive at a time) and __syncthreads() switches to the next fiber of the block.
// This checks the kernels' indexing, bounds, barriers and arithmetic, not their speed or anything
// specific to the hardware (warps, memory coalescing, the JIT).
#ifndef NTK4J_CUDA_EMU_H
#define NTK4J_CUDA_EMU_H

#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <functional>
#include <ucontext.h>
#include <vector>
#include <math.h>

struct dim3 {
    unsigned x = 1, y = 1, z = 1;
};

// One fiber (ucontext) per CUDA thread of a block, all on the calling OS thread: a fiber runs until it
// reaches __syncthreads() or returns, then the next one runs; a round ends when every live fiber has
// reached the barrier. This is deterministic and cheap, and it is what a barrier means.
struct EmuFiber {
    ucontext_t context;
    std::vector<char> stack;
    dim3 index;
    bool done = false;
};

inline dim3 threadIdx;
inline dim3 blockIdx;
inline dim3 blockDim;
inline dim3 gridDim;
inline ucontext_t emu_scheduler;
inline EmuFiber* emu_current = nullptr;
inline const std::function<void()>* emu_body = nullptr;
inline std::vector<EmuFiber> emu_fibers;

#define __global__
#define __device__
#define __forceinline__ inline
#define __shared__ static
#define __launch_bounds__(n)

inline void __syncthreads() {
    if (emu_current == nullptr) {
        std::fprintf(stderr, "emulator: __syncthreads() in a kernel launched as barrier-free\n");
        std::abort();
    }
    swapcontext(&emu_current->context, &emu_scheduler);
}

inline float __int_as_float(int v) {
    float f;
    std::memcpy(&f, &v, sizeof f);
    return f;
}
inline double __longlong_as_double(long long v) {
    double d;
    std::memcpy(&d, &v, sizeof d);
    return d;
}
inline double normcdf(double x) { return 0.5 * std::erfc(-x * M_SQRT1_2); }
inline float normcdff(float x) { return 0.5f * erfcf(-x * (float)M_SQRT1_2); }
inline long long min(long long a, long long b) { return a < b ? a : b; }
inline int min(int a, int b) { return a < b ? a : b; }

inline void emu_fiber_entry() {
    (*emu_body)();
    emu_current->done = true;  // returning resumes uc_link, the scheduler
}

// Runs body once per thread of every block of the grid, blocks one after another. A kernel without
// __syncthreads() may be run barrier-free: its threads then run one after another without fibers.
inline void emu_launch(dim3 grid, dim3 block, const std::function<void()>& body, bool barriers) {
    gridDim = grid;
    blockDim = block;
    emu_body = &body;
    const unsigned threads = block.x * block.y * block.z;
    if (!barriers) {
        emu_current = nullptr;
        for (unsigned by = 0; by < grid.y; ++by) {
            for (unsigned bx = 0; bx < grid.x; ++bx) {
                blockIdx = dim3{bx, by, 1};
                for (unsigned t = 0; t < threads; ++t) {
                    threadIdx = dim3{t % block.x, t / block.x, 1};
                    body();
                }
            }
        }
        return;
    }
    if (emu_fibers.size() < threads) {
        emu_fibers.resize(threads);
    }
    for (unsigned by = 0; by < grid.y; ++by) {
        for (unsigned bx = 0; bx < grid.x; ++bx) {
            blockIdx = dim3{bx, by, 1};
            for (unsigned t = 0; t < threads; ++t) {
                EmuFiber& f = emu_fibers[t];
                f.stack.resize(256 * 1024);
                getcontext(&f.context);
                f.context.uc_stack.ss_sp = f.stack.data();
                f.context.uc_stack.ss_size = f.stack.size();
                f.context.uc_link = &emu_scheduler;
                makecontext(&f.context, emu_fiber_entry, 0);
                f.index = dim3{t % block.x, t / block.x, 1};
                f.done = false;
            }
            for (unsigned live = threads; live > 0;) {
                live = 0;
                for (unsigned t = 0; t < threads; ++t) {
                    EmuFiber& f = emu_fibers[t];
                    if (f.done) {
                        continue;
                    }
                    emu_current = &f;
                    threadIdx = f.index;
                    swapcontext(&emu_scheduler, &f.context);
                    if (!f.done) {
                        ++live;
                    }
                }
            }
        }
    }
}

#endif
