// The pieces of a right-looking blocked Cholesky factorization A = L·Lᵀ and of the two triangular
// solves that follow it; the host drives the block loop and does the trailing updates with gemm.
// Blocks are at most CHOL_NB = 32 wide. Only the lower triangle of A is read, and only the lower
// triangle of L is written or read back.
#include "common.cuh"

#define CHOL_NB 32

// Factors the nb×nb diagonal block at `a` (leading dimension lda) in place, one thread per row
// (blockDim.x = 32, one block). A pivot that is not positive (or NaN) stops the factorization and
// records offset + column + 1 in *info unless an earlier failure was recorded.
template <typename T>
__device__ void potrf_block_body(int nb, T* a, int lda, int offset, int* info) {
    __shared__ T L[CHOL_NB][CHOL_NB + 1];
    __shared__ int bad;
    const int t = threadIdx.x;
    if (t == 0) {
        bad = 0;
    }
    if (t < nb) {
        for (int c = 0; c <= t; ++c) {
            L[t][c] = a[(long long)t * lda + c];
        }
    }
    __syncthreads();
    for (int j = 0; j < nb; ++j) {
        if (t == j) {
            const T d = L[j][j];
            if (d > (T)0) {
                L[j][j] = Math<T>::sqrt(d);
            } else {
                bad = 1;
            }
        }
        __syncthreads();
        if (bad) {  // the same value for every thread of the block after the barrier
            if (t == 0 && *info == 0) {
                *info = offset + j + 1;
            }
            return;
        }
        if (t > j && t < nb) {
            L[t][j] /= L[j][j];
        }
        __syncthreads();
        if (t > j && t < nb) {
            const T ltj = L[t][j];
            for (int c = j + 1; c <= t; ++c) {
                L[t][c] -= ltj * L[c][j];
            }
        }
        __syncthreads();
    }
    if (t < nb) {
        for (int c = 0; c <= t; ++c) {
            a[(long long)t * lda + c] = L[t][c];
        }
    }
}

// Loads the lower triangle of the nb×nb block at l into shared memory (zeros above the diagonal).
template <typename T>
__device__ __forceinline__ void load_lower(int nb, const T* l, int lda, T (*L)[CHOL_NB + 1]) {
    for (int e = threadIdx.x; e < CHOL_NB * CHOL_NB; e += blockDim.x) {
        const int i = e / CHOL_NB;
        const int c = e % CHOL_NB;
        L[i][c] = (i < nb && c <= i) ? l[(long long)i * lda + c] : (T)0;
    }
    __syncthreads();
}

// The panel below a factored diagonal block: P ← P·L11⁻ᵀ for the m×nb panel at p (leading dimension
// lda), one thread per row.
template <typename T>
__device__ void trsm_panel_body(int m, int nb, const T* l11, T* p, int lda) {
    __shared__ T L[CHOL_NB][CHOL_NB + 1];
    load_lower<T>(nb, l11, lda, L);
    NTK_FOR_EACH(r, (long long)m) {
        T* row = p + r * lda;
        // solved in place: row[c] depends on row[0..c) only, which are final by then
        for (int c = 0; c < nb; ++c) {
            T s = row[c];
            for (int q = 0; q < c; ++q) {
                s -= row[q] * L[c][q];
            }
            row[c] = s / L[c][c];
        }
    }
}

// X ← L11⁻¹·X for the nb×cols block of right-hand sides at x (leading dimension ldx), one thread
// per column.
template <typename T>
__device__ void trsm_lower_body(int nb, int cols, const T* l11, int lda, T* x, int ldx) {
    __shared__ T L[CHOL_NB][CHOL_NB + 1];
    load_lower<T>(nb, l11, lda, L);
    NTK_FOR_EACH(q, (long long)cols) {
        for (int i = 0; i < nb; ++i) {
            T s = x[(long long)i * ldx + q];
            for (int p = 0; p < i; ++p) {
                s -= L[i][p] * x[(long long)p * ldx + q];
            }
            x[(long long)i * ldx + q] = s / L[i][i];
        }
    }
}

// X ← L11⁻ᵀ·X for the nb×cols block of right-hand sides at x, one thread per column.
template <typename T>
__device__ void trsm_upper_body(int nb, int cols, const T* l11, int lda, T* x, int ldx) {
    __shared__ T L[CHOL_NB][CHOL_NB + 1];
    load_lower<T>(nb, l11, lda, L);
    NTK_FOR_EACH(q, (long long)cols) {
        for (int i = nb - 1; i >= 0; --i) {
            T s = x[(long long)i * ldx + q];
            for (int p = i + 1; p < nb; ++p) {
                s -= L[p][i] * x[(long long)p * ldx + q];
            }
            x[(long long)i * ldx + q] = s / L[i][i];
        }
    }
}

#define NTK_CHOLESKY(T, S)                                                                             \
    extern "C" __global__ void potrf_block_##S(int nb, T* a, int lda, int offset, int* info) {         \
        potrf_block_body<T>(nb, a, lda, offset, info);                                                 \
    }                                                                                                  \
    extern "C" __global__ void trsm_panel_##S(int m, int nb, const T* l11, T* p, int lda) {            \
        trsm_panel_body<T>(m, nb, l11, p, lda);                                                        \
    }                                                                                                  \
    extern "C" __global__ void trsm_lower_##S(int nb, int cols, const T* l11, int lda, T* x,           \
                                              int ldx) {                                               \
        trsm_lower_body<T>(nb, cols, l11, lda, x, ldx);                                                \
    }                                                                                                  \
    extern "C" __global__ void trsm_upper_##S(int nb, int cols, const T* l11, int lda, T* x,           \
                                              int ldx) {                                               \
        trsm_upper_body<T>(nb, cols, l11, lda, x, ldx);                                                \
    }

NTK_CHOLESKY(float, f32)
NTK_CHOLESKY(double, f64)
