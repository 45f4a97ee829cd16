"""One training step of the diagonal multi-head linear attention with a positional matrix
(Sander et al. 2024, icar.md 2(b)) in PyTorch.

The same model as model/icar/DiagonalAttentionModel.java, written from its equation
    s^_{r+2} = sum_h sum_{t' <= r+1} P[r, t'] (s_r^* diag(a_h) s_t') diag(b_h) s_t',   r = 0..T-2
with loss sum_r |s^_{r+2} - s_{r+2}|^2 per sequence, mean over the batch, and computed by the same
algorithm as the Java kernel (form 3 through the key-value outer products, bench/ATTENTION.md; Java
PositionalOuter). The heads enter only through C = sum_h a_h b_h^T (d x d), and per row r
    M_r = sum_{t' <= r+1} P[r, t'] k_t' v_t'^T,      out[b, r, i] = sum_c q[b, r, c] C[c, i] M_r[c, i],
with q = k = v = s: one batched matmul of the masked P with the (T, d^2) outer products, and O(T d^2)
elementwise work around it. Complex data (unitary case, real pairs in the batch) are torch complex
tensors, as the Java complex spec: k v^T is the complex product, the query is conjugated
(out = sum_c C[c, i] conj(q_c) M[c, i]), and since P is real, M is the real matmul of P with the
(re, im) floats of the outer products, 2 d^2 per row. bench/pytorch/check_icar_equivalence.py checks
that loss and gradients equal the pair-by-pair form (two real terms for complex data) in float64.
Step: forward, backward, Adam (PyTorch defaults) with cosine decay from lr = 1e-2, float32, one
batch drawn once, as IcarStepBenchmark.

    /usr/bin/python3 bench/pytorch/icar_step.py --shape haar-d5 --threads 1 [--out results.jsonl]
"""
import math

import torch

import common

# kind, d, T, H, B: the shapes of IcarStepBenchmark.
SHAPES = {
    "haar-d5": ("haar", 5, 50, 64, 1024),
    "unitary-d10": ("unitary", 10, 20, 10, 256),
    "rotation-d10": ("rotation", 10, 20, 8, 256),
}


def rotation_blocks(theta):
    """Block-diagonal 2x2 rotations, one block per angle: (B, K) -> (B, 2K, 2K)."""
    b, k = theta.shape
    w = torch.zeros(b, 2 * k, 2 * k, dtype=theta.dtype)
    c, s = torch.cos(theta), torch.sin(theta)
    i = torch.arange(k)
    w[:, 2 * i, 2 * i], w[:, 2 * i, 2 * i + 1] = c, -s
    w[:, 2 * i + 1, 2 * i], w[:, 2 * i + 1, 2 * i + 1] = s, c
    return w


def sample(kind, d, seq_len, batch, gen):
    """Sequences s_0..s_T (B, T+1, dim), s_{t+1} = W s_t, s_0 = ones / sqrt(d) (complex one = (1, 0))."""
    if kind == "haar":
        g = torch.randn(batch, d, d, generator=gen, dtype=torch.float64)
        qm, r = torch.linalg.qr(g)
        w = qm * torch.sign(torch.diagonal(r, dim1=1, dim2=2)).unsqueeze(1)   # Haar on O(d)
        s0 = torch.full((batch, d), 1 / math.sqrt(d), dtype=torch.float64)
    else:
        k = d if kind == "unitary" else d // 2
        w = rotation_blocks(2 * math.pi * torch.rand(batch, k, generator=gen, dtype=torch.float64))
        s0 = torch.zeros(batch, 2 * d if kind == "unitary" else d, dtype=torch.float64)
        if kind == "unitary":
            s0[:, 0::2] = 1 / math.sqrt(d)
        else:
            s0[:] = 1 / math.sqrt(d)
    states = [s0]
    for _ in range(seq_len):
        states.append(torch.einsum("bij,bj->bi", w, states[-1]))
    return torch.stack(states, dim=1).float()


class DiagonalAttention(torch.nn.Module):
    def __init__(self, heads, seq_len, d, complex_data, std=0.1):
        super().__init__()
        self.complex = complex_data
        self.a = torch.nn.Parameter(std * torch.randn(heads, d))
        self.b = torch.nn.Parameter(std * torch.randn(heads, d))
        self.p = torch.nn.Parameter(std * torch.randn(seq_len, seq_len))
        t = torch.arange(seq_len)
        self.register_buffer("keys", (t[None, :] <= t[:, None] + 1).float())   # t' <= r + 1

    def forward(self, states):
        batch, seq_len, d = states.shape[0], self.p.shape[0], self.a.shape[1]
        s = states[:, :seq_len]
        c = self.a.T @ self.b                               # C[c, i] = sum_h a_hc b_hi
        g = self.p * self.keys
        # Broadcast products and sums over c (the contraction is elementwise in (c, i), no matmul):
        # measured faster here than the same einsums ("bsc,bsi->bsci", "btc,ci,btci->bti").
        if self.complex:
            z = torch.view_as_complex(s.reshape(batch, seq_len, d, 2))
            kv = z.unsqueeze(-1) * z.unsqueeze(-2)          # k_s v_s^T, complex (B, T, d, d)
            m = g @ torch.view_as_real(kv).reshape(batch, seq_len, 2 * d * d)   # P real: one real matmul
            m = torch.view_as_complex(m.reshape(batch, seq_len, d, d, 2))
            out = (z.conj().unsqueeze(-1) * c * m).sum(2)  # sum_c conj(q_c) C[c, i] M[c, i]
            out = torch.view_as_real(out).reshape(batch, seq_len, 2 * d)
        else:
            kv = s.unsqueeze(-1) * s.unsqueeze(-2)          # k_s v_s^T (B, T, d, d)
            m = (g @ kv.reshape(batch, seq_len, d * d)).reshape(batch, seq_len, d, d)
            out = (s.unsqueeze(-1) * c * m).sum(2)          # sum_c q_c C[c, i] M[c, i]
        err = out[:, : seq_len - 1] - states[:, 2:]
        return (err * err).sum() / batch


def main():
    ap = common.parser(__doc__)
    ap.add_argument("--shape", choices=sorted(SHAPES), default="haar-d5")
    args = ap.parse_args()
    common.setup(args)
    kind, d, seq_len, heads, batch = SHAPES[args.shape]
    states = sample(kind, d, seq_len, batch, torch.Generator().manual_seed(1))
    model = DiagonalAttention(heads, seq_len, d, kind == "unitary")
    opt = torch.optim.Adam(model.parameters(), lr=1e-2)
    sched = torch.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=1_000_000_000)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = model(states)
        loss.backward()
        opt.step()
        sched.step()
        return loss

    result = common.measure(step, args)
    common.report("icar", f"{args.shape} (d={d},T={seq_len},H={heads},B={batch})", args, result)


if __name__ == "__main__":
    main()
