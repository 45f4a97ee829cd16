package dev.onelayer.kernel;

/**
 * A tiny main for {@link KernelProviderTest}'s child JVMs: prints the implementation the facade
 * chose, its description, and a dot product whose exact value is known (sum of i^2 for i = 1..100
 * = 338350; every partial sum is an integer below 2^24, so any summation order is exact).
 */
public final class ProviderProbe {

    private ProviderProbe() {
    }

    public static void main(String[] args) {
        float[] x = new float[100];
        for (int i = 0; i < x.length; i++) x[i] = i + 1;
        System.out.println("impl=" + Kernels.implementation().name());
        System.out.println("describe=" + KernelProvider.describe());
        System.out.println("dot=" + Kernels.dot(x, x));
    }
}
