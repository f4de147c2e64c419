// Elementwise operations, row gathers and the transpose. Outputs may alias inputs where the host
// allows it: every element is read and written by one thread only.
#include "common.cuh"

template <typename T>
__device__ void axpby_body(long long n, double alpha, const T* x, double beta, const T* y, T* out) {
    const T a = (T)alpha;
    const T b = (T)beta;
    NTK_FOR_EACH(i, n) { out[i] = a * x[i] + b * y[i]; }
}

template <typename T>
__device__ void hadamard_body(long long n, const T* a, const T* b, T* out) {
    NTK_FOR_EACH(i, n) { out[i] = a[i] * b[i]; }
}

template <typename T>
__device__ void affine_body(long long n, double alpha, const T* x, double beta, T* out) {
    const T a = (T)alpha;
    const T b = (T)beta;
    NTK_FOR_EACH(i, n) { out[i] = a * x[i] + b; }
}

// NaN where x < 0, as sqrt gives; correctly rounded in both precisions (nvcc's default -prec-sqrt=true).
template <typename T>
__device__ void sqrt_body(long long n, const T* x, T* out) {
    NTK_FOR_EACH(i, n) { out[i] = Math<T>::sqrt(x[i]); }
}

// IEEE division (nvcc's default -prec-div=true): correctly rounded, ±Inf or NaN for a zero divisor.
template <typename T>
__device__ void divide_body(long long n, const T* a, const T* b, T* out) {
    NTK_FOR_EACH(i, n) { out[i] = a[i] / b[i]; }
}

// out[i][j] = a[i][j] + row[j] for a row-major matrix with `cols` columns.
template <typename T>
__device__ void add_row_vector_body(long long n, int cols, const T* a, const T* row, T* out) {
    NTK_FOR_EACH(i, n) { out[i] = a[i] + row[i % cols]; }
}

// out[r][c] = src[idx[r]][c]; the host has checked every index.
template <typename T>
__device__ void gather_rows_body(int rows, int cols, const T* src, const int* idx, T* out) {
    const long long n = (long long)rows * cols;
    NTK_FOR_EACH(i, n) {
        const long long r = i / cols;
        const long long c = i - r * cols;
        out[i] = src[(long long)idx[r] * cols + c];
    }
}

// out (cols×rows) = in (rows×cols)ᵀ through a 32×32 shared tile; blockDim = (32, 8). blockIdx.x walks
// the columns of `in`; the rows are walked by a loop, so any number of rows fits the grid.
template <typename T>
__device__ void transpose_body(int rows, int cols, const T* in, T* out) {
    __shared__ T tile[32][33];
    const int c0 = blockIdx.x * 32;
    for (int r0 = blockIdx.y * 32; r0 < rows; r0 += gridDim.y * 32) {
        for (int j = threadIdx.y; j < 32; j += 8) {
            const int r = r0 + j;
            const int c = c0 + threadIdx.x;
            if (r < rows && c < cols) {
                tile[j][threadIdx.x] = in[(long long)r * cols + c];
            }
        }
        __syncthreads();
        for (int j = threadIdx.y; j < 32; j += 8) {
            const int r = c0 + j;             // a row of out is a column of in
            const int c = r0 + threadIdx.x;   // a column of out is a row of in
            if (r < cols && c < rows) {
                out[(long long)r * rows + c] = tile[threadIdx.x][j];
            }
        }
        __syncthreads();
    }
}

#define NTK_ELEMENTWISE(T, S)                                                                          \
    extern "C" __global__ void axpby_##S(long long n, double alpha, const T* x, double beta,           \
                                         const T* y, T* out) {                                         \
        axpby_body<T>(n, alpha, x, beta, y, out);                                                      \
    }                                                                                                  \
    extern "C" __global__ void hadamard_##S(long long n, const T* a, const T* b, T* out) {             \
        hadamard_body<T>(n, a, b, out);                                                                \
    }                                                                                                  \
    extern "C" __global__ void affine_##S(long long n, double alpha, const T* x, double beta, T* out) { \
        affine_body<T>(n, alpha, x, beta, out);                                                        \
    }                                                                                                  \
    extern "C" __global__ void sqrt_##S(long long n, const T* x, T* out) { sqrt_body<T>(n, x, out); }      \
    extern "C" __global__ void divide_##S(long long n, const T* a, const T* b, T* out) {               \
        divide_body<T>(n, a, b, out);                                                                  \
    }                                                                                                  \
    extern "C" __global__ void add_row_vector_##S(long long n, int cols, const T* a, const T* row,     \
                                                  T* out) {                                            \
        add_row_vector_body<T>(n, cols, a, row, out);                                                  \
    }                                                                                                  \
    extern "C" __global__ void gather_rows_##S(int rows, int cols, const T* src, const int* idx,       \
                                               T* out) {                                               \
        gather_rows_body<T>(rows, cols, src, idx, out);                                                \
    }                                                                                                  \
    extern "C" __global__ void transpose_##S(int rows, int cols, const T* in, T* out) {                \
        transpose_body<T>(rows, cols, in, out);                                                        \
    }

NTK_ELEMENTWISE(float, f32)
NTK_ELEMENTWISE(double, f64)
