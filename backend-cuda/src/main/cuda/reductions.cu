// Reductions, accumulated in double precision for both storage types. The results are deterministic:
// partial sums are combined in a fixed order, never with atomics.
#include "common.cuh"

// Sums of a 256-thread block's values in shared memory; every thread of the block must call it.
__device__ __forceinline__ double block_sum_256(double v, double* buf) {
    buf[threadIdx.x] = v;
    __syncthreads();
    for (int offset = 128; offset > 0; offset >>= 1) {
        if ((int)threadIdx.x < offset) {
            buf[threadIdx.x] += buf[threadIdx.x + offset];
        }
        __syncthreads();
    }
    const double total = buf[0];
    __syncthreads();  // buf may be reused by the caller's next round
    return total;
}

// Column sums, first pass: blockDim = (32, 8), blockIdx.x picks 32 columns, blockIdx.y a chunk of
// `chunkRows` rows; partial[chunk][col] (gridDim.y × cols, double) receives the chunk's sum.
template <typename T>
__device__ void column_sums_partial_body(int rows, int cols, int chunkRows, const T* a, double* partial) {
    __shared__ double buf[8][32];
    const int col = blockIdx.x * 32 + threadIdx.x;
    const long long r0 = (long long)blockIdx.y * chunkRows;
    const long long r1 = min((long long)rows, r0 + chunkRows);
    double s = 0.0;
    if (col < cols) {
        for (long long r = r0 + threadIdx.y; r < r1; r += 8) {
            s += (double)a[r * cols + col];
        }
    }
    buf[threadIdx.y][threadIdx.x] = s;
    __syncthreads();
    if (threadIdx.y == 0 && col < cols) {
        double total = 0.0;
        for (int t = 0; t < 8; ++t) {
            total += buf[t][threadIdx.x];
        }
        partial[(long long)blockIdx.y * cols + col] = total;
    }
}

// Column sums, second pass: out[col] = Σ_chunk partial[chunk][col].
template <typename T>
__device__ void column_sums_finish_body(int cols, int chunks, const double* partial, T* out) {
    NTK_FOR_EACH(col, (long long)cols) {
        double s = 0.0;
        for (int g = 0; g < chunks; ++g) {
            s += partial[(long long)g * cols + col];
        }
        out[col] = (T)s;
    }
}

// out[r] = Σ_c a[r][c]²: blockDim = (32, 8), each of the 8 rows of threads sums one matrix row, blocks
// striding over the rows.
template <typename T>
__device__ void row_sums_of_squares_body(int rows, int cols, const T* a, T* out) {
    __shared__ double buf[8][32];
    for (long long r0 = (long long)blockIdx.x * 8; r0 < rows; r0 += 8LL * gridDim.x) {
        const long long r = r0 + threadIdx.y;
        double s = 0.0;
        if (r < rows) {
            const T* row = a + r * cols;
            for (int c = threadIdx.x; c < cols; c += 32) {
                const double v = (double)row[c];
                s += v * v;
            }
        }
        buf[threadIdx.y][threadIdx.x] = s;
        __syncthreads();
        if (threadIdx.x == 0 && r < rows) {
            double total = 0.0;
            for (int t = 0; t < 32; ++t) {
                total += buf[threadIdx.y][t];
            }
            out[r] = (T)total;
        }
        __syncthreads();  // buf is reused by the next round
    }
}

// partial[block] = Σ a[i]·b[i] over the block's grid-stride share; blockDim = 256. The host adds the
// gridDim.x partial sums.
template <typename T>
__device__ void dot_partial_body(long long n, const T* a, const T* b, double* partial) {
    __shared__ double buf[256];
    double s = 0.0;
    NTK_FOR_EACH(i, n) { s += (double)a[i] * (double)b[i]; }
    const double total = block_sum_256(s, buf);
    if (threadIdx.x == 0) {
        partial[blockIdx.x] = total;
    }
}

#define NTK_REDUCTIONS(T, S)                                                                           \
    extern "C" __global__ void column_sums_partial_##S(int rows, int cols, int chunkRows, const T* a,  \
                                                       double* partial) {                              \
        column_sums_partial_body<T>(rows, cols, chunkRows, a, partial);                                \
    }                                                                                                  \
    extern "C" __global__ void column_sums_finish_##S(int cols, int chunks, const double* partial,     \
                                                      T* out) {                                        \
        column_sums_finish_body<T>(cols, chunks, partial, out);                                        \
    }                                                                                                  \
    extern "C" __global__ void row_sums_of_squares_##S(int rows, int cols, const T* a, T* out) {       \
        row_sums_of_squares_body<T>(rows, cols, a, out);                                               \
    }                                                                                                  \
    extern "C" __global__ void dot_partial_##S(long long n, const T* a, const T* b, double* partial) {  \
        dot_partial_body<T>(n, a, b, partial);                                                         \
    }

NTK_REDUCTIONS(float, f32)
NTK_REDUCTIONS(double, f64)
