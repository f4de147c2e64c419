// Shared definitions of the ntk4j CUDA kernels: precision traits, grid-stride loops, activation codes.
// Every kernel is compiled for float (suffix _f32) and double (suffix _f64) with extern "C" names, so the
// host finds them by name in the PTX module.
#ifndef NTK4J_COMMON_CUH
#define NTK4J_COMMON_CUH

// A grid-stride loop over [0, n) with a 64-bit index.
#define NTK_FOR_EACH(i, n)                                                              \
    for (long long i = (long long)blockIdx.x * blockDim.x + threadIdx.x; i < (n);       \
         i += (long long)blockDim.x * gridDim.x)

// Activation codes: must match CudaKernels.activationCode on the host.
#define ACT_IDENTITY 0
#define ACT_RELU 1
#define ACT_LEAKY_RELU 2
#define ACT_ERF 3
#define ACT_TANH 4
#define ACT_GELU 5
#define ACT_SIGMOID 6
#define ACT_SOFTPLUS 7

// Math functions by precision, so that templates call the float or double version explicitly.
template <typename T> struct Math;

template <> struct Math<float> {
    static __device__ __forceinline__ float sqrt(float x) { return sqrtf(x); }
    static __device__ __forceinline__ float exp(float x) { return expf(x); }
    static __device__ __forceinline__ float log1p(float x) { return log1pf(x); }
    static __device__ __forceinline__ float erf(float x) { return erff(x); }
    static __device__ __forceinline__ float tanh(float x) { return tanhf(x); }
    static __device__ __forceinline__ float normcdf(float x) { return normcdff(x); }
    static __device__ __forceinline__ float nan() { return __int_as_float(0x7fc00000); }
};

template <> struct Math<double> {
    static __device__ __forceinline__ double sqrt(double x) { return ::sqrt(x); }
    static __device__ __forceinline__ double exp(double x) { return ::exp(x); }
    static __device__ __forceinline__ double log1p(double x) { return ::log1p(x); }
    static __device__ __forceinline__ double erf(double x) { return ::erf(x); }
    static __device__ __forceinline__ double tanh(double x) { return ::tanh(x); }
    static __device__ __forceinline__ double normcdf(double x) { return ::normcdf(x); }
    static __device__ __forceinline__ double nan() { return __longlong_as_double(0x7ff8000000000000LL); }
};

#endif
