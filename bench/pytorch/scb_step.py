"""One step of each SCB training algorithm (Ren, Wang, Lee 2024) in PyTorch, N = 20, T = 500, Q = 4, B = 64.

Written from model/scb: the reduced linear transformer y_hat = V X A e_k (ScbModel), loss
1/B sum_b 1/2 |e_{x_o} - y_hat_b|^2, and ScbOptimizer.step:
  * mu, pi estimated online from the context and query tokens (one pseudo-count per token), mu
    and s, m below only by the presets that use them (as ScbOptimizer: plain SGD uses neither);
  * s = sum_k pi_k |a_k|^2, m = sum_k pi_k (1^T a_k)^2, tr(V D V^T) = sum V_ij^2 mu_j - |V mu|^2;
  * V <- V - eta_V' G_V H^-1, H^-1 = diag(1/mu)/s - (m - s)/(s m) 1 1^T (preconditioned variants),
    then every column onto the simplex;
  * a_k <- a_k - eta_A' G_A e_k / (pi_k max(tr, floor)), soft-threshold by eta_A' lambda, simplex;
  * rates decay as 1/(1 + n/2e4) with n the samples seen.
PPPD, PPPD-vn and SGD (lr 0.1) are the presets of ScbOptimizerConfig. "softmax" is the reduced
softmax transformer (SoftmaxScbModel): alpha = softmax_t(W[., k]), z = V X alpha, cross-entropy, Adam
lr 0.01 (float32 in both: FloatSoftmaxScbModel and FloatSoftmaxAdam on the Java side). Eight batches are
drawn up front and used in turn.

    /usr/bin/python3 bench/pytorch/scb_step.py --algorithm PPPD [--out results.jsonl]
"""
import numpy as np
import torch
import torch.nn.functional as F

import common

N, T, Q, BATCH, POOL = 20, 500, 4, 64, 8

# name: etaV, etaA, decaySamples, precondition, simplexV, simplexA, lambda, divideByPi, curvatureFloor, vnScale
PRESETS = {
    "PPPD": (0.1, 0.01, 2e4, True, True, True, 3e-4, True, 0.02, 0.0),
    "PPPD-vn": (0.1, 0.01, 2e4, True, True, True, 3e-4, True, 0.0, 0.5),
    "SGD": (0.1, 0.1, 0.0, False, False, False, 0.0, False, 0.0, 0.0),
}


def make_task(rng):
    """A column-stochastic P (mixture of 3 permutations), its stationary mu, Q-sparse attention columns."""
    w = rng.dirichlet([2.0] * 3)
    p = sum(w[i] * np.eye(N)[rng.permutation(N)] for i in range(3))
    lazy = 0.5 * (np.eye(N) + p)
    mu = np.full(N, 1.0 / N)
    for _ in range(10000):
        mu = lazy @ mu
    a_star = np.zeros((T, N))
    for k in range(N):
        a_star[rng.choice(T, Q, replace=False), k] = rng.dirichlet([2.0] * Q)
    return p, mu / mu.sum(), a_star


def sample_batch(rng, p, mu, a_star):
    tokens = rng.choice(N, size=(BATCH, T), p=mu)
    queries = rng.choice(N, size=BATCH, p=mu)
    pos = np.array([rng.choice(T, p=a_star[:, k]) for k in queries])
    targets = np.array([rng.choice(N, p=p[:, tokens[b, pos[b]]]) for b in range(BATCH)])
    return torch.from_numpy(tokens), torch.from_numpy(queries), torch.from_numpy(targets)


def simplex_columns(x):
    """Euclidean projection of every column onto the probability simplex (Duchi et al. 2008, sort-based)."""
    u, _ = torch.sort(x, dim=0, descending=True)
    css = u.cumsum(0) - 1
    j = torch.arange(1, x.shape[0] + 1, dtype=x.dtype).unsqueeze(1)
    rho = (u - css / j > 0).sum(0, keepdim=True)                # the condition holds on a prefix
    tau = css.gather(0, rho - 1) / rho
    return torch.clamp(x - tau, min=0)


class Pppd:
    """ScbOptimizer.step on the linear model, for one preset."""

    def __init__(self, cfg):
        self.eta_v, self.eta_a, self.decay_samples, self.precondition, self.simplex_v, self.simplex_a, \
            self.lam, self.divide_by_pi, self.floor, self.vn_scale = cfg
        self.v = torch.full((N, N), 1.0 / N, requires_grad=True)
        self.a = torch.full((T, N), 1.0 / T, requires_grad=True)
        self.token_counts = torch.zeros(N, dtype=torch.float64)
        self.query_counts = torch.zeros(N, dtype=torch.float64)
        self.samples = 0

    def loss(self, tokens, queries, targets):
        h = torch.zeros(BATCH, N).scatter_add_(1, tokens, self.a[:, queries].T)   # X_b A e_{k_b}
        y = h @ self.v.T
        return 0.5 * ((F.one_hot(targets, N).float() - y) ** 2).sum() / BATCH

    def step(self, tokens, queries, targets):
        self.v.grad = self.a.grad = None
        loss = self.loss(tokens, queries, targets)
        loss.backward()
        with torch.no_grad():
            # As ScbOptimizer: mu is counted only by the presets that read it (preconditioner,
            # curvature floor), and s, m only computed when read (preconditioner, vn scaling).
            tracks_mu = self.precondition or self.floor > 0
            needs_moments = self.precondition or self.vn_scale > 0
            if tracks_mu:
                self.token_counts += torch.bincount(tokens.flatten(), minlength=N)
                mu32 = ((self.token_counts + 1) / (self.token_counts.sum() + N)).float()
            self.query_counts += torch.bincount(queries, minlength=N)
            pi32 = ((self.query_counts + 1) / (self.query_counts.sum() + N)).float()
            decay = 1.0 / (1.0 + self.samples / self.decay_samples) if self.decay_samples > 0 else 1.0
            self.samples += BATCH
            v, a, g_v, g_a = self.v, self.a, self.v.grad, self.a.grad
            s = m = 0.0
            if needs_moments:
                s = float((pi32 * (a * a).sum(0)).sum())
                m = float((pi32 * a.sum(0) ** 2).sum())
            tr = float((v * v * mu32).sum() - ((v @ mu32) ** 2).sum()) if self.floor > 0 else 1.0
            eta_v = self.eta_v * decay * (min(1.0, s / self.vn_scale) if self.vn_scale > 0 else 1.0)
            if self.precondition:
                shift = (m - s) / (s * m)
                g_v = g_v / (s * mu32) - shift * g_v.sum(1, keepdim=True)
            v -= eta_v * g_v
            if self.simplex_v:
                v.copy_(simplex_columns(v))
            eta_a = self.eta_a * decay
            curv = max(tr, self.floor) if self.floor > 0 else 1.0
            step = eta_a / ((pi32 if self.divide_by_pi else 1.0) * curv)
            a -= step * g_a
            if self.lam > 0:
                a.copy_(torch.sign(a) * torch.clamp(a.abs() - eta_a * self.lam, min=0))
            if self.simplex_a:
                a.copy_(simplex_columns(a))
        return loss


class SoftmaxAdam:
    """SoftmaxScbModel's cross-entropy step with Adam (lr 0.01), zero init."""

    def __init__(self):
        self.v = torch.zeros(N, N, requires_grad=True)
        self.w = torch.zeros(T, N, requires_grad=True)
        self.opt = torch.optim.Adam([self.v, self.w], lr=0.01)

    def step(self, tokens, queries, targets):
        self.opt.zero_grad(set_to_none=True)
        alpha = torch.softmax(self.w[:, queries].T, dim=1)                        # (B, T)
        h = torch.zeros(BATCH, N).scatter_add_(1, tokens, alpha)
        loss = F.cross_entropy(h @ self.v.T, targets)
        loss.backward()
        self.opt.step()
        return loss


def main():
    ap = common.parser(__doc__)
    ap.add_argument("--algorithm", choices=list(PRESETS) + ["softmax"], default="PPPD")
    args = ap.parse_args()
    common.setup(args)
    rng = np.random.default_rng(1)
    p, mu, a_star = make_task(rng)
    batches = [sample_batch(rng, p, mu, a_star) for _ in range(POOL)]
    algo = SoftmaxAdam() if args.algorithm == "softmax" else Pppd(PRESETS[args.algorithm])
    state = {"i": 0}

    def step():
        b = batches[state["i"]]
        state["i"] = (state["i"] + 1) % POOL
        return algo.step(*b)

    result = common.measure(step, args)
    common.report("scb", f"{args.algorithm} (N={N},T={T},Q={Q},B={BATCH})", args, result)


if __name__ == "__main__":
    main()
