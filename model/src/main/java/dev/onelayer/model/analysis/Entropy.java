package dev.onelayer.model.analysis;

/**
 * Entropies in nats for the Markov-chain task (Makkuva et al. 2024): the optimal next-token loss
 * on a stationary chain is its entropy rate, and the "unigram" bad local minimum reaches only the
 * entropy of the stationary distribution.
 */
public final class Entropy {

    /** Slack for "sums to one" and "is stochastic": a few ulps per entry of accumulated rounding. */
    private static final double SUM_TOL = 1e-9;

    private Entropy() {
    }

    /** {@code h(p) = −p ln p − (1−p) ln(1−p)}, with {@code 0 ln 0 = 0}; p in [0, 1]. */
    public static double binary(double p) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("binary entropy: p=" + p + " is outside [0, 1]");
        return xlnx(p) + xlnx(1 - p);
    }

    /** {@code H(π) = −Σ πᵢ ln πᵢ} of a probability vector (entries >= 0 summing to 1 within 1e-9). */
    public static double of(double[] dist) {
        checkDistribution("entropy", dist, 0, dist == null ? 0 : dist.length);
        double h = 0;
        for (double p : dist) h += xlnx(p);
        return h;
    }

    /**
     * Stationary distribution π of a row-stochastic kernel P ({@code P[i][j] = Pr(next = j | now = i)}),
     * the solution of {@code π P = π, Σ πᵢ = 1}. Solved directly: the system {@code (Pᵀ − I) π = 0}
     * with its last equation replaced by the normalisation, by Gaussian elimination with partial
     * pivoting; this also works for periodic chains where power iteration does not converge.
     * Throws if the solution is not unique (a reducible chain with several closed classes).
     */
    public static double[] stationaryDistribution(double[][] p) {
        int n = checkKernel("stationaryDistribution", p);
        double[][] a = new double[n][n + 1];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < n; j++) a[i][j] = p[j][i] - (i == j ? 1 : 0);
        }
        for (int j = 0; j < n; j++) a[n - 1][j] = 1;
        a[n - 1][n] = 1;
        for (int c = 0; c < n; c++) {
            int piv = c;
            for (int r = c + 1; r < n; r++) if (Math.abs(a[r][c]) > Math.abs(a[piv][c])) piv = r;
            // Entries of P - I are O(1): a pivot this small means a singular system.
            if (Math.abs(a[piv][c]) < 1e-12) {
                throw new IllegalArgumentException("stationaryDistribution: the chain has no unique stationary distribution (reducible kernel)");
            }
            double[] t = a[piv];
            a[piv] = a[c];
            a[c] = t;
            for (int r = c + 1; r < n; r++) {
                double f = a[r][c] / a[c][c];
                if (f == 0) continue;
                for (int j = c; j <= n; j++) a[r][j] -= f * a[c][j];
            }
        }
        double[] pi = new double[n];
        for (int i = n - 1; i >= 0; i--) {
            double s = a[i][n];
            for (int j = i + 1; j < n; j++) s -= a[i][j] * pi[j];
            pi[i] = s / a[i][i];
        }
        // Rounding can leave -1e-17 where the true value is 0; clamp and renormalise.
        double total = 0;
        for (int i = 0; i < n; i++) {
            pi[i] = Math.max(0, pi[i]);
            total += pi[i];
        }
        for (int i = 0; i < n; i++) pi[i] /= total;
        return pi;
    }

    /**
     * Entropy rate {@code H = Σᵢ πᵢ H(Pᵢ·)} of a stationary first-order chain with kernel P, in
     * nats per symbol (Cover &amp; Thomas, Thm 4.2.4). For the binary chain
     * {@code [[1−p, p], [q, 1−q]]} it equals {@code (q·h(p) + p·h(q)) / (p + q)}.
     */
    public static double entropyRate(double[][] p) {
        double[] pi = stationaryDistribution(p);
        double h = 0;
        for (int i = 0; i < pi.length; i++) {
            double row = 0;
            for (double x : p[i]) row += xlnx(x);
            h += pi[i] * row;
        }
        return h;
    }

    /** The binary chain's kernel {@code [[1−p, p], [q, 1−q]]} (p: 0→1 switch, q: 1→0 switch). */
    public static double[][] binaryChain(double p, double q) {
        if (!(p >= 0 && p <= 1) || !(q >= 0 && q <= 1)) {
            throw new IllegalArgumentException("binaryChain: p=" + p + " and q=" + q + " must be in [0, 1]");
        }
        return new double[][] {{1 - p, p}, {q, 1 - q}};
    }

    /** {@code −x ln x} with the limit 0 at 0. */
    private static double xlnx(double x) {
        return x == 0 ? 0 : -x * Math.log(x);
    }

    private static int checkKernel(String what, double[][] p) {
        if (p == null || p.length == 0) throw new IllegalArgumentException(what + ": kernel is null or empty");
        int n = p.length;
        for (int i = 0; i < n; i++) {
            if (p[i] == null || p[i].length != n) {
                throw new IllegalArgumentException(what + ": row " + i + " has length " + (p[i] == null ? "null" : p[i].length)
                        + ", kernel must be " + n + " x " + n);
            }
            checkDistribution(what + ": row " + i, p[i], 0, n);
        }
        return n;
    }

    private static void checkDistribution(String what, double[] d, int from, int to) {
        if (d == null || to - from == 0) throw new IllegalArgumentException(what + ": distribution is null or empty");
        double s = 0;
        for (int i = from; i < to; i++) {
            if (!(d[i] >= 0 && d[i] <= 1)) throw new IllegalArgumentException(what + ": entry " + i + " is " + d[i] + " (must be in [0, 1])");
            s += d[i];
        }
        if (Math.abs(s - 1) > SUM_TOL * (to - from)) throw new IllegalArgumentException(what + ": entries sum to " + s + ", not 1");
    }
}
