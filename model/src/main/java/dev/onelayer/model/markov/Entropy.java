package dev.onelayer.model.markov;

/** Entropies in nats (natural logarithm), with the convention 0 log 0 = 0. */
public final class Entropy {

    private Entropy() {
    }

    /** Binary entropy {@code h(x) = -x log x - (1-x) log(1-x)} for x in [0, 1]. */
    public static double binary(double x) {
        if (!(x >= 0 && x <= 1)) throw new IllegalArgumentException("Entropy.binary: x=" + x + " is outside [0, 1]");
        return -xLogX(x) - xLogX(1 - x);
    }

    /** Shannon entropy {@code -sum_i p_i log p_i} of a probability vector. */
    public static double of(double[] p) {
        if (p == null) throw new IllegalArgumentException("Entropy.of: p is null");
        double h = 0;
        for (double pi : p) {
            if (!(pi >= 0 && pi <= 1)) throw new IllegalArgumentException("Entropy.of: probability " + pi + " is outside [0, 1]");
            h -= xLogX(pi);
        }
        return h;
    }

    static double xLogX(double x) {
        return x == 0 ? 0 : x * Math.log(x);
    }
}
