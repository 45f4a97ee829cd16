package dev.onelayer.model.markov;

/**
 * Law of the first symbol(s) of a sequence (the reference code's {@code --initial} flag,
 * markov.md section 1).
 */
public enum InitialLaw {
    /** The stationary distribution pi of the kernel (the reference code's default {@code steady}). */
    STATIONARY,
    /** Every state equally likely ({@code --initial uniform}). */
    UNIFORM
}
