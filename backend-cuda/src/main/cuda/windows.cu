// Window primitives of convolution and pooling layers: im2col, its adjoint col2im, and the segmented outer-product
// sums of per-sample kernel gradients. Images are row-major with channels last; every output element is written
// by one thread, and col2im gathers instead of scattering, so results are deterministic (no atomics).
#include "common.cuh"

// The geometry: input H×W×C, window KH×KW, stride ST, padding PT (top) and PL (left), output OH×OW.
#define NTK_GEOMETRY_PARAMS int n, int h, int w, int c, int kh, int kw, int st, int pt, int pl, int oh, int ow

// out[(s·OH·OW + i·OW + j)][(p·KW + q)·C + ch] = x[s][((i·ST + p − PT)·W + j·ST + q − PL)·C + ch], 0 outside.
template <typename T>
__device__ void im2col_body(NTK_GEOMETRY_PARAMS, const T* x, T* out) {
    const long long k = (long long)kh * kw * c;
    const long long positions = (long long)oh * ow;
    const long long total = (long long)n * positions * k;
    NTK_FOR_EACH(e, total) {
        const long long row = e / k;
        const int col = (int)(e - row * k);
        const long long s = row / positions;
        const int pos = (int)(row - s * positions);
        const int i = pos / ow;
        const int j = pos - i * ow;
        const int ch = col % c;
        const int pq = col / c;
        const int p = pq / kw;
        const int q = pq - p * kw;
        const int y = i * st + p - pt;
        const int xx = j * st + q - pl;
        out[e] = (y < 0 || y >= h || xx < 0 || xx >= w) ? (T)0
                                                         : x[s * h * w * c + ((long long)y * w + xx) * c + ch];
    }
}

// dx[s][(y·W + x)·C + ch] = Σ over the windows (i, j) and offsets (p, q) that read pixel (y, x) of cols' entries.
template <typename T>
__device__ void col2im_body(NTK_GEOMETRY_PARAMS, const T* cols, T* dx) {
    const long long k = (long long)kh * kw * c;
    const long long positions = (long long)oh * ow;
    const long long size = (long long)h * w * c;
    const long long total = (long long)n * size;
    NTK_FOR_EACH(e, total) {
        const long long s = e / size;
        const int rest = (int)(e - s * size);
        const int ch = rest % c;
        const int pix = rest / c;
        const int y = pix / w;
        const int xx = pix - y * w;
        double acc = 0.0;
        for (int p = 0; p < kh; ++p) {
            const int iy = y + pt - p;
            if (iy < 0 || iy % st != 0 || iy / st >= oh) {
                continue;
            }
            const int i = iy / st;
            for (int q = 0; q < kw; ++q) {
                const int ix = xx + pl - q;
                if (ix < 0 || ix % st != 0 || ix / st >= ow) {
                    continue;
                }
                const int j = ix / st;
                acc += (double)cols[(s * positions + (long long)i * ow + j) * k + ((long long)p * kw + q) * c + ch];
            }
        }
        dx[e] = (T)acc;
    }
}

// out[s][a·Q + b] = alpha·Σ_{r < S} A[s·S + r][a]·B[s·S + r][b], accumulated in double.
template <typename T>
__device__ void segmented_outer_sums_body(int n, int segment, int pa, int qb, double alpha, const T* a, const T* b,
                                          T* out) {
    const long long size = (long long)pa * qb;
    const long long total = (long long)n * size;
    NTK_FOR_EACH(e, total) {
        const long long s = e / size;
        const int rest = (int)(e - s * size);
        const int i = rest / qb;
        const int j = rest - i * qb;
        double acc = 0.0;
        for (long long r = s * segment; r < (s + 1) * segment; ++r) {
            acc += (double)a[r * pa + i] * (double)b[r * qb + j];
        }
        out[e] = (T)(alpha * acc);
    }
}

#define NTK_WINDOWS(T, S)                                                                                     \
    extern "C" __global__ void im2col_##S(NTK_GEOMETRY_PARAMS, const T* x, T* out) {                          \
        im2col_body<T>(n, h, w, c, kh, kw, st, pt, pl, oh, ow, x, out);                                       \
    }                                                                                                         \
    extern "C" __global__ void col2im_##S(NTK_GEOMETRY_PARAMS, const T* cols, T* dx) {                        \
        col2im_body<T>(n, h, w, c, kh, kw, st, pt, pl, oh, ow, cols, dx);                                     \
    }                                                                                                         \
    extern "C" __global__ void segmented_outer_sums_##S(int n, int segment, int pa, int qb, double alpha,     \
                                                        const T* a, const T* b, T* out) {                     \
        segmented_outer_sums_body<T>(n, segment, pa, qb, alpha, a, b, out);                                   \
    }

NTK_WINDOWS(float, f32)
NTK_WINDOWS(double, f64)
