"""One SGD step of the low-rank paper's model (Li et al. 2024) in PyTorch, d = 32, L = 32, M = 16,
m = 256, batch 64.

The same model as model/lowrank/AttentionMlpModel.java (branch lowrank), from its equation
    F(X) = (1/L) sum_l a^T ReLU(W_O W_V X softmax(X^T W_K^T W_Q x_l))
with tokens as rows, full (non-causal) softmax attention without a 1/sqrt(d) scale, a = +-1/m fixed
(half of each sign), mean hinge loss max(0, 1 - y F(X)), and plain SGD: lr 2 on W_Q, W_K, W_V and
lr * m/64 on W_O (the config's lrOMult for m = 256). Initialisation N(0, (s/sqrt d)^2) with
s = 0.1, 1, 0.01. Data: 64 samples of tokens that are orthonormal patterns plus bounded noise, labels
+-1, drawn once (the step's cost does not depend on them). float32.

    /usr/bin/python3 bench/pytorch/lowrank_step.py [--threads 1] [--out results.jsonl]
"""
import math

import torch

import common


def main():
    ap = common.parser(__doc__)
    ap.add_argument("--d", type=int, default=32)
    ap.add_argument("--seq-len", type=int, default=32)
    ap.add_argument("--patterns", type=int, default=16)
    ap.add_argument("--neurons", type=int, default=256)
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--lr", type=float, default=2.0)
    args = ap.parse_args()
    common.setup(args)
    d, L, M, m, B = args.d, args.seq_len, args.patterns, args.neurons, args.batch

    patterns = torch.linalg.qr(torch.randn(d, d))[0][:M]                   # M orthonormal rows
    which = torch.randint(0, M, (B, L))
    noise = torch.randn(B, L, d)
    noise *= 0.1 * torch.rand(B, L, 1) / noise.norm(dim=-1, keepdim=True)
    x = patterns[which] + noise
    y = torch.where(torch.arange(B) % 2 == 0, 1.0, -1.0)

    std = 1 / math.sqrt(d)
    w_q = (0.1 * std * torch.randn(d, d)).requires_grad_()
    w_k = (0.1 * std * torch.randn(d, d)).requires_grad_()
    w_v = (1.0 * std * torch.randn(d, d)).requires_grad_()
    w_o = (0.01 * std * torch.randn(m, d)).requires_grad_()
    a = torch.full((m,), 1.0 / m)
    a[torch.randperm(m)[: m // 2]] = -1.0 / m
    lr_o = args.lr * m / 64

    def step():
        for w in (w_q, w_k, w_v, w_o):
            w.grad = None
        q, k, v = x @ w_q.T, x @ w_k.T, x @ w_v.T
        z = torch.softmax(q @ k.transpose(1, 2), dim=-1) @ v             # (B, L, d)
        f = (torch.relu(z @ w_o.T) @ a).mean(1)                          # (B,)
        loss = torch.clamp(1 - y * f, min=0).mean()
        loss.backward()
        with torch.no_grad():
            for w in (w_q, w_k, w_v):
                w.sub_(args.lr * w.grad)  # in place: rebinding would make the names local
            w_o.sub_(lr_o * w_o.grad)
        return loss

    result = common.measure(step, args)
    common.report("lowrank", f"d={d},L={L},M={M},m={m},B={B}", args, result)


if __name__ == "__main__":
    main()
