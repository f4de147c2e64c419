package org.ntk4j.train;

import org.ntk4j.backend.Backend;
import org.ntk4j.data.Dataset;
import org.ntk4j.tensor.DType;
import org.ntk4j.tensor.Tensor;

/** A split's features and one-hot targets on a backend, with the labels on the host. */
final class Data {

    final Tensor xTrain;
    final Tensor yTrain;
    final Tensor xTest;
    final Tensor yTest;
    final int[] trainLabels;
    final int[] testLabels;

    Data(Backend b, Dataset train, Dataset test) {
        xTrain = b.fromHost(train.features(), train.size(), train.dims(), DType.F64);
        yTrain = b.fromHost(train.oneHot(), train.size(), train.classes(), DType.F64);
        xTest = b.fromHost(test.features(), test.size(), test.dims(), DType.F64);
        yTest = b.fromHost(test.oneHot(), test.size(), test.classes(), DType.F64);
        trainLabels = train.labels();
        testLabels = test.labels();
    }

    int trainSize() {
        return trainLabels.length;
    }
}
