// Tiled GEMM on row-major matrices with leading dimensions: C ← alpha·op(A)·op(B) + beta·C, where op(X)
// is X or Xᵀ; with beta = 0, C is only written (its old contents, even NaN, are ignored).
//
// A block of 16×16 threads computes a 128×128 tile of C; each thread holds an 8×8 register block at rows
// ty + 16·i and columns tx + 16·j. The K dimension advances in slices of 8 staged in shared memory; the
// loads are laid out so that consecutive threads read consecutive addresses for every transpose case.
#include "common.cuh"

#define GEMM_TM 128
#define GEMM_TN 128
#define GEMM_TK 8
#define GEMM_THREADS 256
// rows (and columns) of C per thread; each thread loads GEMM_LOADS values of each operand per slice
#define GEMM_R (GEMM_TM / 16)
#define GEMM_LOADS (GEMM_TM * GEMM_TK / GEMM_THREADS)

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

    T acc[GEMM_R][GEMM_R];
#pragma unroll
    for (int i = 0; i < GEMM_R; ++i) {
#pragma unroll
        for (int j = 0; j < GEMM_R; ++j) {
            acc[i][j] = (T)0;
        }
    }

    for (int k0 = 0; k0 < k; k0 += GEMM_TK) {
        // op(A)[row0 + i][k0 + p] for i < GEMM_TM, p < GEMM_TK: GEMM_LOADS values per thread
#pragma unroll
        for (int r = 0; r < GEMM_LOADS; ++r) {
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
        // op(B)[k0 + p][col0 + j] for p < GEMM_TK, j < GEMM_TN
#pragma unroll
        for (int r = 0; r < GEMM_LOADS; ++r) {
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
            T a[GEMM_R];
            T b[GEMM_R];
#pragma unroll
            for (int i = 0; i < GEMM_R; ++i) {
                a[i] = As[p][ty + 16 * i];
            }
#pragma unroll
            for (int j = 0; j < GEMM_R; ++j) {
                b[j] = Bs[p][tx + 16 * j];
            }
#pragma unroll
            for (int i = 0; i < GEMM_R; ++i) {
#pragma unroll
                for (int j = 0; j < GEMM_R; ++j) {
                    acc[i][j] += a[i] * b[j];
                }
            }
        }
        __syncthreads();
    }

    const T alpha = (T)alphaD;
    const T beta = (T)betaD;
#pragma unroll
    for (int i = 0; i < GEMM_R; ++i) {
        const int gi = row0 + ty + 16 * i;
#pragma unroll
        for (int j = 0; j < GEMM_R; ++j) {
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
