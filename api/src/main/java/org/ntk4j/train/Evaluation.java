package org.ntk4j.train;

import org.ntk4j.nn.Loss;
import org.ntk4j.nn.Params;
import org.ntk4j.tensor.Tensor;

/** Loss and accuracy on both splits at some parameters. */
final class Evaluation {

    static final Evaluation NONE = new Evaluation(Double.NaN, Double.NaN, Double.NaN, Double.NaN);

    final double trainLoss;
    final double trainAccuracy;
    final double testLoss;
    final double testAccuracy;

    private Evaluation(double trainLoss, double trainAccuracy, double testLoss, double testAccuracy) {
        this.trainLoss = trainLoss;
        this.trainAccuracy = trainAccuracy;
        this.testLoss = testLoss;
        this.testAccuracy = testAccuracy;
    }

    boolean evaluated() {
        return !Double.isNaN(testAccuracy);
    }

    static Evaluation of(TrainedNetwork net, Params params, Loss loss, Data data) {
        double[] train = lossAndAccuracy(net, params, loss, data.xTrain, data.yTrain, data.trainLabels);
        double[] test = lossAndAccuracy(net, params, loss, data.xTest, data.yTest, data.testLabels);
        return new Evaluation(train[0], train[1], test[0], test[1]);
    }

    private static double[] lossAndAccuracy(TrainedNetwork net, Params params, Loss loss, Tensor x, Tensor y, int[] labels) {
        try (Tensor out = net.apply(params, x)) {
            double value = loss.value(out, y);
            return new double[] {value, accuracy(out.backend().toHost(out), out.cols(), labels)};
        }
    }

    /**
     * @param outputs row-major n×classes outputs
     * @param classes the number of columns
     * @param labels the n labels
     * @return the fraction of rows whose largest output (first on ties) is at the label
     */
    static double accuracy(double[] outputs, int classes, int[] labels) {
        int correct = 0;
        for (int i = 0; i < labels.length; i++) {
            int best = 0;
            for (int c = 1; c < classes; c++) {
                if (outputs[i * classes + c] > outputs[i * classes + best]) {
                    best = c;
                }
            }
            if (best == labels[i]) {
                correct++;
            }
        }
        return (double) correct / labels.length;
    }
}
