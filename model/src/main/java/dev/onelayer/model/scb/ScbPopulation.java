package dev.onelayer.model.scb;

/**
 * Exact population quantities of the SCB task for the reduced model {@code y = V X A e_k}
 * (scb.md 2-3; all in float64).
 *
 * <p>With h = X a (X's columns i.i.d. mu, a any vector): {@code E[h h^T] = |a|^2 D + (1^T a)^2 mu mu^T}
 * where {@code D = diag mu - mu mu^T}; on the simplex this is the notes' second moment
 * {@code |q|^2 (diag mu - mu mu^T) + mu mu^T}. Likewise
 * {@code E[e_{x_o} h^T | k] = P [(q^(k) . a) D + (1^T a) mu mu^T]}. Hence, with
 * {@code c1 = tr(V^T P D)}, {@code c2 = (V mu).(P mu)}, {@code e1 = tr(V D V^T)}, {@code e2 = |V mu|^2}:
 * <pre>
 *   L(V, A) = 1/2 [ 1 - 2 sum_k mu_k ((q_k.a_k) c1 + (1^T a_k) c2) + sum_k mu_k (|a_k|^2 e1 + (1^T a_k)^2 e2) ]
 * </pre>
 * The Bayes predictor {@code E[e_{x_o} | X, k] = P X q^(k)} is the model at (P, A*), so
 * {@code L* = L(P, A*) = 1/2 [1 - |mu|^2 - tr(P D P^T) sum_k mu_k |q_k|^2]} is the minimum.
 */
public final class ScbPopulation {

    private ScbPopulation() {
    }

    /** {@code E[X a a^T X^T] = |a|^2 (diag mu - mu mu^T) + (1^T a)^2 mu mu^T} (N x N, row-major). */
    public static double[] secondMoment(double[] mu, double[] a) {
        if (mu == null || a == null) throw new IllegalArgumentException("secondMoment: null argument");
        int n = mu.length;
        double sq = 0, s = 0;
        for (double v : a) {
            sq += v * v;
            s += v;
        }
        double[] m = new double[n * n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) m[i * n + j] = (s * s - sq) * mu[i] * mu[j] + (i == j ? sq * mu[i] : 0);
        }
        return m;
    }

    /** Population loss {@code 1/2 E|e_{x_o} - V X A e_k|^2} of (V: N x N, A: T x N, row-major). */
    public static double loss(ScbTask task, float[] v, float[] a) {
        int n = task.vocab(), t = task.seqLen();
        if (v == null || v.length < n * n) throw new IllegalArgumentException("loss: V needs N*N=" + n * n + " floats");
        if (a == null || a.length < t * n) throw new IllegalArgumentException("loss: A needs T*N=" + t * n + " floats");
        double[] vd = new double[n * n], ad = new double[t * n];
        for (int i = 0; i < vd.length; i++) vd[i] = v[i];
        for (int i = 0; i < ad.length; i++) ad[i] = a[i];
        return loss(task, vd, ad);
    }

    /** {@link #loss(ScbTask, float[], float[])} for float64 parameters. */
    public static double loss(ScbTask task, double[] v, double[] a) {
        int n = task.vocab(), t = task.seqLen();
        if (v == null || v.length < n * n) throw new IllegalArgumentException("loss: V needs N*N=" + n * n + " doubles");
        if (a == null || a.length < t * n) throw new IllegalArgumentException("loss: A needs T*N=" + t * n + " doubles");
        return loss(task, v, a, n, 1);
    }

    /** The population loss of a model ({@link ScbModel#aT} read in place); the same bits as {@link #loss(ScbTask, float[], float[])} of V and A. */
    public static double loss(ScbTask task, ScbModel m) {
        int n = task.vocab(), t = task.seqLen();
        if (m == null || m.vocab != n || m.seqLen != t) throw new IllegalArgumentException("loss: the model's shape differs from the task's N=" + n + ", T=" + t);
        double[] vd = new double[n * n], aTd = new double[n * t];
        for (int i = 0; i < vd.length; i++) vd[i] = m.v[i];
        for (int i = 0; i < aTd.length; i++) aTd[i] = m.aT[i];
        return loss(task, vd, aTd, 1, t);
    }

    /** The loss with {@code A[pos][k] = a[pos*posStride + k*kStride]}; each column of A summed in position order. */
    private static double loss(ScbTask task, double[] v, double[] a, int posStride, int kStride) {
        int n = task.vocab(), t = task.seqLen();
        double[] vmu = new double[n];
        double vpmu = 0, vvmu = 0; // sum_ij V_ij P_ij mu_j and sum_ij V_ij^2 mu_j
        for (int i = 0; i < n; i++) {
            double acc = 0;
            for (int j = 0; j < n; j++) {
                double vij = v[i * n + j], m = task.mu(j);
                acc += vij * m;
                vpmu += vij * task.p(i, j) * m;
                vvmu += vij * vij * m;
            }
            vmu[i] = acc;
        }
        double c2 = 0, e2 = 0;
        for (int i = 0; i < n; i++) {
            c2 += vmu[i] * task.mu(i); // P mu = mu
            e2 += vmu[i] * vmu[i];
        }
        double c1 = vpmu - c2, e1 = vvmu - e2;
        double total = 1;
        for (int k = 0; k < n; k++) {
            double dot = 0, sum = 0, sq = 0;
            for (int pos = 0; pos < t; pos++) {
                double ak = a[pos * posStride + k * kStride];
                dot += task.aStar(pos, k) * ak;
                sum += ak;
                sq += ak * ak;
            }
            total += task.mu(k) * (-2 * (dot * c1 + sum * c2) + sq * e1 + sum * sum * e2);
        }
        return 0.5 * total;
    }

    /** {@code tr(P D P^T)}: the signal carried by the value matrix. */
    public static double transitionSignal(ScbTask task) {
        int n = task.vocab();
        double ppmu = 0, mu2 = 0;
        for (int i = 0; i < n; i++) {
            mu2 += task.mu(i) * task.mu(i);
            for (int j = 0; j < n; j++) ppmu += task.p(i, j) * task.p(i, j) * task.mu(j);
        }
        return ppmu - mu2;
    }

    /** {@code sum_k mu_k |q^(k)|^2}. */
    public static double attentionEnergy(ScbTask task) {
        int n = task.vocab(), t = task.seqLen();
        double s = 0;
        for (int k = 0; k < n; k++) {
            double sq = 0;
            for (int pos = 0; pos < t; pos++) sq += task.aStar(pos, k) * task.aStar(pos, k);
            s += task.mu(k) * sq;
        }
        return s;
    }

    /** The minimum {@code L* = 1/2 [1 - |mu|^2 - tr(P D P^T) sum_k mu_k |q_k|^2]}. */
    public static double optimalLoss(ScbTask task) {
        double mu2 = 0;
        for (int i = 0; i < task.vocab(); i++) mu2 += task.mu(i) * task.mu(i);
        return 0.5 * (1 - mu2 - transitionSignal(task) * attentionEnergy(task));
    }

    /** {@code L(V, A) - L*}. */
    public static double excessLoss(ScbTask task, float[] v, float[] a) {
        return loss(task, v, a) - optimalLoss(task);
    }

    /** {@code L(V, A) - L*} of a model. */
    public static double excessLoss(ScbTask task, ScbModel m) {
        return loss(task, m) - optimalLoss(task);
    }
}
