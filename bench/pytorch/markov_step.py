"""One training step of the Markov theory model (Makkuva et al. 2024, Section 3) in PyTorch.

The same model as model/markov/TheoryModel.java, written from its equations:
    x_n = x_n e + p_n
    y_n = x_n + W_O sum_{i<=n} softmax_i(<W_Q x_n, W_K x_i> / sqrt(d)) W_V x_i
    z_n = y_n + W_2 ReLU(W_1 y_n)
    logit_n = <a, z_n> + b,  loss = mean BCE(logit_n, x_{n+1})
and the same step as MarkovStepBenchmark: forward, backward, AdamW (0.9, 0.95, eps 1e-8, weight
decay 1e-3 on e, the matrices and a; none on p and b), one-cycle cosine schedule without momentum
cycling (model/optim/OneCycle.java does not cycle it). float32, one batch drawn once.

    /usr/bin/python3 bench/pytorch/markov_step.py --threads 1 [--tied] [--out results.jsonl]
"""
import math

import numpy as np
import torch
import torch.nn.functional as F

import common


class TheoryModel(torch.nn.Module):
    def __init__(self, d, seq_len, tied, std=0.02):
        super().__init__()
        h = 4 * d
        self.d, self.tied = d, tied

        def normal(*shape):
            return torch.nn.Parameter(torch.randn(*shape) * std)

        self.e = normal(d)
        self.p = normal(seq_len, d)
        self.w_q, self.w_k, self.w_v, self.w_o = normal(d, d), normal(d, d), normal(d, d), normal(d, d)
        self.w_1, self.w_2 = normal(h, d), normal(d, h)
        self.a = None if tied else normal(d)
        self.b = torch.nn.Parameter(torch.zeros(()))

    def decay_groups(self):
        decay = [self.e, self.w_q, self.w_k, self.w_v, self.w_o, self.w_1, self.w_2] + ([] if self.tied else [self.a])
        return decay, [self.p, self.b]

    def forward(self, inputs, targets):
        n = inputs.shape[1]
        x = inputs.unsqueeze(-1) * self.e + self.p                      # (B, N, d)
        q, k, v = x @ self.w_q.T, x @ self.w_k.T, x @ self.w_v.T
        scores = (q @ k.transpose(1, 2)) / math.sqrt(self.d)            # (B, N, N)
        causal = torch.ones(n, n, dtype=torch.bool).triu(1)
        att = torch.softmax(scores.masked_fill(causal, float("-inf")), dim=-1)
        y = x + (att @ v) @ self.w_o.T
        z = y + torch.relu(y @ self.w_1.T) @ self.w_2.T
        logit = z @ (self.e if self.tied else self.a) + self.b          # (B, N)
        return F.binary_cross_entropy_with_logits(logit, targets)


def sample_chain(p, q, batch, length, rng):
    """Binary chain, P(0->1) = p, P(1->0) = q, first symbol from the stationary law."""
    x = np.empty((batch, length), dtype=np.int64)
    x[:, 0] = rng.random(batch) < p / (p + q)
    u = rng.random((batch, length))
    for t in range(1, length):
        prev = x[:, t - 1]
        x[:, t] = np.where(prev == 0, u[:, t] < p, u[:, t] >= q)
    return x


def main():
    ap = common.parser(__doc__)
    ap.add_argument("--d", type=int, default=8)
    ap.add_argument("--seq-len", type=int, default=1024)
    ap.add_argument("--batch", type=int, default=16)
    ap.add_argument("--tied", action="store_true")
    args = ap.parse_args()
    common.setup(args)

    symbols = torch.from_numpy(sample_chain(0.2, 0.3, args.batch, args.seq_len + 1, np.random.default_rng(1)))
    inputs, targets = symbols[:, :-1].float(), symbols[:, 1:].float()
    model = TheoryModel(args.d, args.seq_len, args.tied)
    decay, no_decay = model.decay_groups()
    opt = torch.optim.AdamW([{"params": decay, "weight_decay": 1e-3}, {"params": no_decay, "weight_decay": 0.0}],
                            lr=2e-3, betas=(0.9, 0.95), eps=1e-8)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, max_lr=2e-3, total_steps=1_000_000_000, pct_start=0.02,
                                                anneal_strategy="cos", cycle_momentum=False, div_factor=100,
                                                final_div_factor=0.05)

    def step():
        opt.zero_grad(set_to_none=True)
        loss = model(inputs, targets)
        loss.backward()
        opt.step()
        sched.step()
        return loss

    result = common.measure(step, args)
    shape = f"d={args.d},N={args.seq_len},B={args.batch},{'tied' if args.tied else 'untied'}"
    common.report("markov", shape, args, result)


if __name__ == "__main__":
    main()
