package dev.onelayer.kernel;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A main for {@link JitTierDeterminismTest}: in a fresh JVM, runs every dense kernel (and the
 * width-8 softmax attention) once on
 * fixed inputs while the code is still interpreted, then many times until C2 has compiled it,
 * and prints one line per kernel whose output bits changed ("mismatch NAME"), then
 * "checked N kernels on IMPL".
 */
public final class TierProbe {

    private static final int WARM_ROUNDS = 20_000;

    private TierProbe() {
    }

    public static void main(String[] args) {
        SplittableRandom rng = new SplittableRandom(7);
        int n = 37, m = 9, k = 13;
        float[] x = values(rng, 4 * n), y = values(rng, 4 * n), a = values(rng, m * k), b = values(rng, k * n);
        Map<String, Long> cold = run(x, y, a, b, n, m, k);
        Map<String, Long> warm = null;
        for (int r = 0; r < WARM_ROUNDS; r++) warm = run(x, y, a, b, n, m, k);
        for (String name : cold.keySet()) {
            if (!cold.get(name).equals(warm.get(name))) System.out.println("mismatch " + name);
        }
        System.out.println("checked " + cold.size() + " kernels on " + Kernels.implementation().name());
    }

    private static float[] values(SplittableRandom rng, int len) {
        float[] v = new float[len];
        for (int i = 0; i < len; i++) v[i] = (float) (rng.nextDouble() * 6 - 3);
        return v;
    }

    private static Map<String, Long> run(float[] x, float[] y, float[] a, float[] b, int n, int m, int k) {
        Map<String, Long> h = new LinkedHashMap<>();
        h.put("dot", (long) Float.floatToRawIntBits(Kernels.dot(4 * n, x, 0, y, 0)));
        h.put("sum", (long) Float.floatToRawIntBits(Kernels.sum(4 * n, x, 0)));
        h.put("asum", (long) Float.floatToRawIntBits(Kernels.asum(4 * n, x, 0)));
        h.put("nrm2", (long) Float.floatToRawIntBits(Kernels.nrm2(4 * n, x, 0)));
        for (int t = 0; t < 4; t++) {
            boolean ta = (t & 2) != 0, tb = (t & 1) != 0;
            float[] c = new float[m * n];
            // A is m x k (or k x m), B is k x n (or n x k); the flat sizes are the same either way.
            Kernels.gemm(ta, tb, m, n, k, 0.75f, a, 0, ta ? m : k, b, 0, tb ? k : n, 0f, c, 0, n);
            h.put("gemm" + (ta ? "T" : "N") + (tb ? "T" : "N"), hash(c));
        }
        float[] yv = new float[n];
        Kernels.gemv(false, n, k, 1.5f, b, 0, k, x, 0, 0f, yv, 0);
        h.put("gemvN", hash(yv));
        float[] yt = new float[n];
        Kernels.gemv(true, k, n, 1.5f, b, 0, n, x, 0, 0f, yt, 0);
        h.put("gemvT", hash(yt));
        float[] s = new float[4 * n];
        Kernels.softmaxRows(4, n, x, 0, n, s, 0, n);
        h.put("softmaxRows", hash(s));
        Kernels.logSoftmaxRows(4, n, x, 0, n, s, 0, n);
        h.put("logSoftmaxRows", hash(s));
        Kernels.gelu(4 * n, x, 0, s, 0);
        h.put("gelu", hash(s));
        Kernels.geluBackward(4 * n, x, 0, y, 0, s, 0);
        h.put("geluBackward", hash(s));
        float[] acc = y.clone();
        Kernels.axpy(4 * n, -0.3f, x, 0, acc, 0);
        h.put("axpy", hash(acc));
        // Fused causal softmax attention at head width 8 (the vector implementation's width-8
        // kernels): T = n rows end both on and inside a key vector.
        SoftmaxAttentionSpec sp = SoftmaxAttentionSpec.causal(1, 1, n, 8);
        float[] q = new float[n * 8], kk = new float[n * 8], v = new float[n * 8], d = new float[n * 8];
        for (int i = 0; i < n * 8; i++) {
            q[i] = 0.5f * x[i % (4 * n)];
            kk[i] = 0.5f * y[(i + 3) % (4 * n)];
            v[i] = x[(i + 7) % (4 * n)];
            d[i] = y[(i + 11) % (4 * n)];
        }
        float[] ws = new float[sp.workspaceFloats()], out = new float[n * 8], lse = new float[n];
        Attention.softmax(sp, q, kk, v, out, lse, ws);
        h.put("softmaxAttention", hash(out) * 31 + hash(lse));
        float[] dq = new float[n * 8], dk = new float[n * 8], dv = new float[n * 8];
        Attention.softmaxBackward(sp, q, kk, v, out, lse, d, dq, dk, dv, ws);
        h.put("softmaxAttentionBackward", (hash(dq) * 31 + hash(dk)) * 31 + hash(dv));
        return h;
    }

    private static long hash(float[] v) {
        long h = 1;
        for (float f : v) h = 31 * h + Float.floatToRawIntBits(f);
        return h;
    }
}
