/**
 * Float64 analysis of trained weights and of the tasks' reference values: {@link
 * dev.onelayer.model.analysis.Svd} (one-sided Jacobi), {@link dev.onelayer.model.analysis.Spectra}
 * (effective rank, energy of the top singular values), {@link
 * dev.onelayer.model.analysis.PrincipalAngles} (angles between column spaces) and {@link
 * dev.onelayer.model.analysis.Entropy} (binary entropy, entropy of a distribution, stationary
 * distribution and entropy rate of a Markov kernel, all in nats).
 *
 * <p>Everything here is plain double arithmetic with no kernel calls: these are references, so
 * accuracy matters more than speed and the matrices are small (a head's weight, a d x d update).
 */
package dev.onelayer.model.analysis;
