package dev.onelayer.model.train.toy;

import dev.onelayer.kernel.Kernels;
import dev.onelayer.model.core.Rng;
import dev.onelayer.model.train.Task;

/** {@code x ~ N(0, I)}, {@code y = W* x + b* + σ·ε}, ε ~ N(0, I): the toy that proves the loop. */
public final class RegressionTask implements Task<RegressionBatch> {

    private final int dIn, dOut;
    private final float[] wStar, bStar;
    private final double noise;

    /** W* (dOut x dIn) and b* drawn N(0, 1) from {@code rng}. */
    public RegressionTask(int dIn, int dOut, double noise, Rng rng) {
        if (dIn < 1 || dOut < 1) throw new IllegalArgumentException("RegressionTask: dIn=" + dIn + " and dOut=" + dOut + " must be positive");
        if (!(noise >= 0)) throw new IllegalArgumentException("RegressionTask: noise=" + noise + " must be >= 0");
        this.dIn = dIn;
        this.dOut = dOut;
        this.noise = noise;
        this.wStar = new float[dOut * dIn];
        this.bStar = new float[dOut];
        rng.fillNormal(wStar, 0, wStar.length, 0, 1);
        rng.fillNormal(bStar, 0, bStar.length, 0, 1);
    }

    public float[] wStar() {
        return wStar.clone();
    }

    public float[] bStar() {
        return bStar.clone();
    }

    public double noise() {
        return noise;
    }

    @Override
    public RegressionBatch newBatch(int size) {
        return new RegressionBatch(size, dIn, dOut);
    }

    @Override
    public void sample(Rng rng, RegressionBatch b) {
        if (b.dIn != dIn || b.dOut != dOut) throw new IllegalArgumentException("RegressionTask: batch is " + b.dIn + "->" + b.dOut + ", task is " + dIn + "->" + dOut);
        rng.fillNormal(b.x, 0, b.x.length, 0, 1);
        rng.fillNormal(b.y, 0, b.y.length, 0, noise);
        for (int i = 0; i < b.n; i++) Kernels.axpy(dOut, 1f, bStar, 0, b.y, i * dOut);
        // y = X W*^T + (b* + noise), all n rows at once
        Kernels.gemm(false, true, b.n, dOut, dIn, 1f, b.x, 0, dIn, wStar, 0, dIn, 1f, b.y, 0, dOut);
    }
}
