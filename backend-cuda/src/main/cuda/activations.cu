// Activations, their derivatives and their infinite-width duals. The scalar definitions follow
// org.ntk4j.backend.Activation (apply, derivative) and org.ntk4j.backend.spi.ActivationDuals (duals).
#include "common.cuh"

#define NTK_PI 3.141592653589793
#define NTK_INV_SQRT_2PI 0.3989422804014327
#define NTK_TWO_OVER_SQRT_PI 1.1283791670955126
#define NTK_DBL_MIN_NORMAL 2.2250738585072014e-308

template <typename T>
__device__ __forceinline__ T sigmoid_of(T x) {
    if (x >= (T)0) {
        return (T)1 / ((T)1 + Math<T>::exp(-x));
    }
    const T e = Math<T>::exp(x);
    return e / ((T)1 + e);
}

template <typename T>
__device__ T activation_apply(int kind, T alpha, T x) {
    switch (kind) {
        case ACT_IDENTITY: return x;
        case ACT_RELU: return x > (T)0 ? x : (T)0;
        case ACT_LEAKY_RELU: return x > (T)0 ? x : alpha * x;
        case ACT_ERF: return Math<T>::erf(x);
        case ACT_TANH: return Math<T>::tanh(x);
        case ACT_GELU: return x * Math<T>::normcdf(x);
        case ACT_SIGMOID: return sigmoid_of<T>(x);
        case ACT_SOFTPLUS:
            return x > (T)0 ? x + Math<T>::log1p(Math<T>::exp(-x)) : Math<T>::log1p(Math<T>::exp(x));
        default: return Math<T>::nan();
    }
}

template <typename T>
__device__ T activation_derivative(int kind, T alpha, T x) {
    switch (kind) {
        case ACT_IDENTITY: return (T)1;
        case ACT_RELU: return x > (T)0 ? (T)1 : (T)0;
        case ACT_LEAKY_RELU: return x > (T)0 ? (T)1 : alpha;
        case ACT_ERF: return (T)NTK_TWO_OVER_SQRT_PI * Math<T>::exp(-x * x);
        case ACT_TANH: {
            const T t = Math<T>::tanh(x);
            return (T)1 - t * t;
        }
        case ACT_GELU: return Math<T>::normcdf(x) + x * (T)NTK_INV_SQRT_2PI * Math<T>::exp((T)-0.5 * x * x);
        case ACT_SIGMOID: {
            const T s = sigmoid_of<T>(x);
            return s * ((T)1 - s);
        }
        case ACT_SOFTPLUS: return sigmoid_of<T>(x);
        default: return Math<T>::nan();
    }
}

template <typename T>
__device__ void map_body(long long n, int kind, double alpha, const T* x, T* out) {
    const T a = (T)alpha;
    NTK_FOR_EACH(i, n) { out[i] = activation_apply<T>(kind, a, x[i]); }
}

template <typename T>
__device__ void map_derivative_body(long long n, int kind, double alpha, const T* x, T* out) {
    const T a = (T)alpha;
    NTK_FOR_EACH(i, n) { out[i] = activation_derivative<T>(kind, a, x[i]); }
}

__device__ __forceinline__ double clamp_unit(double c) { return fmax(-1.0, fmin(1.0, c)); }

// φ(x) = a·x for x < 0 and b·x for x > 0 (Cho & Saul's arc-cosine kernels of order 1 and 0).
__device__ void ab_relu_dual(double a, double b, double q1, double q2, double k, double* outK,
                             double* outKdot) {
    const double norm = sqrt(q1 * q2);
    double j1;
    double j0;
    if (norm == 0.0) {
        j1 = 0.0;
        j0 = 0.25;  // a zero-variance side is independent of the other: θ = π/2
    } else {
        const double theta = acos(clamp_unit(k / norm));
        j1 = norm / (2.0 * NTK_PI) * (sin(theta) + (NTK_PI - theta) * cos(theta));
        j0 = (NTK_PI - theta) / (2.0 * NTK_PI);
    }
    const double d = (b - a) * (b - a);
    *outK = a * b * k + d * j1;
    *outKdot = a * b + d * j0;
}

// The constants of org.ntk4j.backend.spi.ActivationDuals.quadrature: the trapezoid covers z in
// [-NTK_DUAL_RANGE, NTK_DUAL_RANGE] with a step min(NTK_DUAL_MAX_STEP, π²/(NTK_DUAL_ACCURACY·m)), m the largest
// standard deviation, and at most NTK_DUAL_MAX_POINTS points per axis.
#define NTK_DUAL_RANGE 8.0
#define NTK_DUAL_ACCURACY 36.0
#define NTK_DUAL_MAX_STEP 0.7
#define NTK_DUAL_MAX_POINTS 401

// Tensor-product trapezoidal rule in the standard normals z1, z2 of first = s1·z1, second = c·z1 + s2·z2,
// the Cholesky factor of [[q1, k], [k, q2]] taken with the smaller variance first, so that the result is
// exactly symmetric in (q1, q2). The same rule, in the same order of operations, as the host reference
// ActivationDuals.quadrature (the weights are recomputed in the inner loop instead of stored).
__device__ void quadrature_dual(int kind, double alpha, double q1, double q2, double k, double* outK,
                                double* outKdot) {
    const double lo = fmin(q1, q2);
    const double hi = fmax(q1, q2);
    const double s1 = sqrt(fmax(lo, 0.0));
    const double c = s1 > 0.0 ? k / s1 : 0.0;
    const double s2 = sqrt(fmax(hi - c * c, 0.0));
    const double m = fmax(s1, fmax(fabs(c), s2));
    double h = m > 0.0 ? fmin(NTK_DUAL_MAX_STEP, NTK_PI * NTK_PI / (NTK_DUAL_ACCURACY * m)) : NTK_DUAL_MAX_STEP;
    const int half = min((NTK_DUAL_MAX_POINTS - 1) / 2, (int)ceil(NTK_DUAL_RANGE / h));
    h = NTK_DUAL_RANGE / half;
    const double norm = h / sqrt(2.0 * NTK_PI);
    double sumK = 0.0;
    double sumKdot = 0.0;
    for (int i = -half; i <= half; ++i) {
        const double xi = i * h;
        const double wi = norm * exp(-0.5 * i * h * i * h);
        const double u = s1 * xi;
        const double fu = activation_apply<double>(kind, alpha, u);
        const double du = activation_derivative<double>(kind, alpha, u);
        const double shift = c * xi;
        double innerK = 0.0;
        double innerKdot = 0.0;
        for (int j = -half; j <= half; ++j) {
            const double wj = norm * exp(-0.5 * j * h * j * h);
            const double v = shift + s2 * (j * h);
            innerK += wj * activation_apply<double>(kind, alpha, v);
            innerKdot += wj * activation_derivative<double>(kind, alpha, v);
        }
        sumK += wi * fu * innerK;
        sumKdot += wi * du * innerKdot;
    }
    *outK = sumK;
    *outKdot = sumKdot;
}

// outK[i][j] = E[φ(u)φ(v)], outKdot[i][j] = E[φ'(u)φ'(v)] for (u, v) with variances q1[i], q2[j] and
// covariance k12[i][j]; computed in double for both storage types.
template <typename T>
__device__ void dual_body(int n1, int n2, int kind, double alpha, const T* k12, const T* q1, const T* q2,
                          T* outK, T* outKdot) {
    const long long n = (long long)n1 * n2;
    NTK_FOR_EACH(idx, n) {
        const long long i = idx / n2;
        const long long j = idx - i * n2;
        const double a = (double)q1[i];
        const double b = (double)q2[j];
        const double k = (double)k12[idx];
        double rK;
        double rKdot;
        switch (kind) {
            case ACT_IDENTITY:
                rK = k;
                rKdot = 1.0;
                break;
            case ACT_RELU:
                ab_relu_dual(0.0, 1.0, a, b, k, &rK, &rKdot);
                break;
            case ACT_LEAKY_RELU:
                ab_relu_dual(alpha, 1.0, a, b, k, &rK, &rKdot);
                break;
            case ACT_ERF: {
                const double d1 = 1.0 + 2.0 * a;
                const double d2 = 1.0 + 2.0 * b;
                const double s = clamp_unit(2.0 * k / sqrt(d1 * d2));
                rK = 2.0 / NTK_PI * asin(s);
                rKdot = 4.0 / NTK_PI / sqrt(fmax(d1 * d2 - 4.0 * k * k, NTK_DBL_MIN_NORMAL));
                break;
            }
            default:
                quadrature_dual(kind, alpha, a, b, k, &rK, &rKdot);
                break;
        }
        outK[idx] = (T)rK;
        outKdot[idx] = (T)rKdot;
    }
}

#define NTK_ACTIVATIONS(T, S)                                                                          \
    extern "C" __global__ void map_##S(long long n, int kind, double alpha, const T* x, T* out) {      \
        map_body<T>(n, kind, alpha, x, out);                                                           \
    }                                                                                                  \
    extern "C" __global__ void map_derivative_##S(long long n, int kind, double alpha, const T* x,     \
                                                  T* out) {                                            \
        map_derivative_body<T>(n, kind, alpha, x, out);                                                \
    }                                                                                                  \
    extern "C" __global__ void dual_##S(int n1, int n2, int kind, double alpha, const T* k12,          \
                                        const T* q1, const T* q2, T* outK, T* outKdot) {               \
        dual_body<T>(n1, n2, kind, alpha, k12, q1, q2, outK, outKdot);                                 \
    }

NTK_ACTIVATIONS(float, f32)
NTK_ACTIVATIONS(double, f64)
