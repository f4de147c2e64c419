package org.ntk4j.backend.spi;

/**
 * arccos in pure Java, by fdlibm's algorithm (e_acos.c: a rational approximation of asin on [0, 0.5] and the
 * half-angle reduction beyond), accurate to within 1 ulp. {@link Math#acos} on Java 17 is a native call to the
 * same algorithm that costs tens of times more than the arithmetic, and the ReLU duals evaluate one arccos per
 * kernel element.
 */
final class Acos {

    private static final double PI = 3.14159265358979311600e+00;
    private static final double PIO2_HI = 1.57079632679489655800e+00;
    private static final double PIO2_LO = 6.12323399573676603587e-17;
    private static final double PS0 = 1.66666666666666657415e-01;
    private static final double PS1 = -3.25565818622400915405e-01;
    private static final double PS2 = 2.01212532134862925881e-01;
    private static final double PS3 = -4.00555345006794114027e-02;
    private static final double PS4 = 7.91534994289814532176e-04;
    private static final double PS5 = 3.47933107596021167570e-05;
    private static final double QS1 = -2.40339491173441421878e+00;
    private static final double QS2 = 2.02094576023350569471e+00;
    private static final double QS3 = -6.88283971605453293030e-01;
    private static final double QS4 = 7.70381505559019352791e-02;

    private Acos() {
    }

    /**
     * @param x the cosine
     * @return arccos x in [0, π]; NaN outside [−1, 1]
     */
    static double acos(double x) {
        double ax = Math.abs(x);
        if (!(ax < 1)) {
            if (x == 1) {
                return 0;
            }
            return x == -1 ? PI : Double.NaN;
        }
        if (ax < 0.5) {
            if (ax < 0x1p-57) {
                return PIO2_HI + PIO2_LO;
            }
            double z = x * x;
            return PIO2_HI - (x - (PIO2_LO - x * ratio(z)));
        }
        if (x < 0) {
            double z = (1 + x) * 0.5;
            double s = Math.sqrt(z);
            double w = ratio(z) * s - PIO2_LO;
            return PI - 2 * (s + w);
        }
        double z = (1 - x) * 0.5;
        double s = Math.sqrt(z);
        double df = Double.longBitsToDouble(Double.doubleToRawLongBits(s) & 0xffffffff00000000L);
        double c = (z - df * df) / (s + df);
        double w = ratio(z) * s + c;
        return 2 * (df + w);
    }

    /** The rational approximation r(z) of (asin(√z) − √z)/√z·… as fdlibm writes it: p(z)/q(z). */
    private static double ratio(double z) {
        double p = z * (PS0 + z * (PS1 + z * (PS2 + z * (PS3 + z * (PS4 + z * PS5)))));
        double q = 1 + z * (QS1 + z * (QS2 + z * (QS3 + z * QS4)));
        return p / q;
    }
}
