package dev.onelayer.model.train.toy;

import dev.onelayer.model.train.Batch;

/** n examples {@code (x, y)}, x row-major n x dIn, y row-major n x dOut. */
public final class RegressionBatch implements Batch {

    public final int n, dIn, dOut;
    public final float[] x, y;

    public RegressionBatch(int n, int dIn, int dOut) {
        if (n < 1 || dIn < 1 || dOut < 1) throw new IllegalArgumentException("RegressionBatch: n=" + n + ", dIn=" + dIn + ", dOut=" + dOut + " must all be positive");
        this.n = n;
        this.dIn = dIn;
        this.dOut = dOut;
        this.x = new float[n * dIn];
        this.y = new float[n * dOut];
    }

    @Override
    public int size() {
        return n;
    }
}
