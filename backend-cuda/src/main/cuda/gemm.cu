// Tiled GEMM on row-major matrices with leading dimensions: C ← alpha·op(A)·op(B) + beta·C, where op(X)
// is X or Xᵀ; with beta = 0, C is only written (its old contents, even NaN, are ignored).
//
// A block of 16×16 threads computes a 64×64 tile of C; each thread holds a 4×4 register block at rows
// ty + 16·i and columns tx + 16·j. The K dimension advances in slices of 16 staged in shared memory;
// the loads are laid out so that consecutive threads read consecutive addresses for every transpose case.
#include "common.cuh"

#define GEMM_TM 64
#define GEMM_TN 64
#define GEMM_TK 16
#define GEMM_THREADS 256

template <typename T>
__device__ void gemm_body(int m, int n, int k, double alphaD, const T* A, int lda, int transA,
                          const T* B, int ldb, int transB, double betaD, T* C, int ldc) {
    __shared__ T As[GEMM_TK][GEMM_TM + 1];
    __shared__ T Bs[GEMM_TK][GEMM_TN + 1];
    const int tx = threadIdx.x;
    const int ty = threadIdx.y;
    const int tid = ty * 16 + tx;
    const int row0 = blockIdx.y * GEMM_TM;
    const int col0 = blockIdx.x * GEMM_TN;

    T acc[4][4];
#pragma unroll
    for (int i = 0; i < 4; ++i) {
#pragma unroll
        for (int j = 0; j < 4; ++j) {
            acc[i][j] = (T)0;
        }
    }

    for (int k0 = 0; k0 < k; k0 += GEMM_TK) {
        // op(A)[row0 + i][k0 + p] for i < 64, p < 16: 1024 values, 4 per thread
#pragma unroll
        for (int r = 0; r < 4; ++r) {
            const int e = tid + GEMM_THREADS * r;
            int i;
            int p;
            if (transA) {  // A is k×m: contiguous along i
                i = e % GEMM_TM;
                p = e / GEMM_TM;
            } else {       // A is m×k: contiguous along p
                p = e % GEMM_TK;
                i = e / GEMM_TK;
            }
            const int gi = row0 + i;
            const int gp = k0 + p;
            T v = (T)0;
            if (gi < m && gp < k) {
                v = transA ? A[(long long)gp * lda + gi] : A[(long long)gi * lda + gp];
            }
            As[p][i] = v;
        }
        // op(B)[k0 + p][col0 + j] for p < 16, j < 64
#pragma unroll
        for (int r = 0; r < 4; ++r) {
            const int e = tid + GEMM_THREADS * r;
            int j;
            int p;
            if (transB) {  // B is n×k: contiguous along p
                p = e % GEMM_TK;
                j = e / GEMM_TK;
            } else {       // B is k×n: contiguous along j
                j = e % GEMM_TN;
                p = e / GEMM_TN;
            }
            const int gp = k0 + p;
            const int gj = col0 + j;
            T v = (T)0;
            if (gp < k && gj < n) {
                v = transB ? B[(long long)gj * ldb + gp] : B[(long long)gp * ldb + gj];
            }
            Bs[p][j] = v;
        }
        __syncthreads();
#pragma unroll
        for (int p = 0; p < GEMM_TK; ++p) {
            T a[4];
            T b[4];
#pragma unroll
            for (int i = 0; i < 4; ++i) {
                a[i] = As[p][ty + 16 * i];
            }
#pragma unroll
            for (int j = 0; j < 4; ++j) {
                b[j] = Bs[p][tx + 16 * j];
            }
#pragma unroll
            for (int i = 0; i < 4; ++i) {
#pragma unroll
                for (int j = 0; j < 4; ++j) {
                    acc[i][j] += a[i] * b[j];
                }
            }
        }
        __syncthreads();
    }

    const T alpha = (T)alphaD;
    const T beta = (T)betaD;
#pragma unroll
    for (int i = 0; i < 4; ++i) {
        const int gi = row0 + ty + 16 * i;
#pragma unroll
        for (int j = 0; j < 4; ++j) {
            const int gj = col0 + tx + 16 * j;
            if (gi < m && gj < n) {
                const long long idx = (long long)gi * ldc + gj;
                C[idx] = betaD == 0.0 ? alpha * acc[i][j] : alpha * acc[i][j] + beta * C[idx];
            }
        }
    }
}

#define NTK_GEMM(T, S)                                                                                 \
    extern "C" __global__ void __launch_bounds__(GEMM_THREADS)                                         \
        gemm_##S(int m, int n, int k, double alpha, const T* A, int lda, int transA, const T* B,       \
                 int ldb, int transB, double beta, T* C, int ldc) {                                    \
        gemm_body<T>(m, n, k, alpha, A, lda, transA, B, ldb, transB, beta, C, ldc);                    \
    }

NTK_GEMM(float, f32)
NTK_GEMM(double, f64)
