"""The workloads of scripts/bench/bench.ts in PyTorch on CPU (benchmark only; Debian: apt-get install python3-torch).

    /usr/bin/python3 scripts/bench/torch_reference.py WORKLOAD BATCH SAMPLES REPS [THREADS]

Prints one JSON line: {"backend": "pytorch", "workload", "samplesPerSecond" (median, wall clock),
"samplesPerCpuSecond" (median, per second of process CPU time), "runs", "samples", "parameters" (trainable),
"threadUsage" {"threads", "busy", "cpuPerWall"} over the timed loops, "detail"}.
Same models, trainable parameter counts, batch, optimizer (Adam, lr 1e-3), loss (softmax cross-entropy) and kind of
random data as the TensorFlow.js side (scripts/bench/workloads.ts).

THREADS (default: the number of CPUs) pins every thread pool: OpenMP (OMP_NUM_THREADS, torch.set_num_threads),
OpenBLAS (OPENBLAS_NUM_THREADS: Debian's torch links OpenBLAS, whose own pthread pool otherwise starts one thread
per core, so a "1 thread" run computed on two CPUs), MKL where present, and torch's inter-op pool. The pools read
their variables when their libraries load, so they are set before `import torch`.
"""
import json
import os
import statistics
import sys
import time

WORKLOAD = sys.argv[1] if len(sys.argv) > 1 else ""
THREADS = int(sys.argv[5]) if len(sys.argv) > 5 else (os.cpu_count() or 1)
for _pool in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[_pool] = str(THREADS)

import torch  # noqa: E402  (after the thread pools are pinned)
from torch import nn  # noqa: E402

torch.set_num_threads(THREADS)
torch.set_num_interop_threads(THREADS)

# The shapes of scripts/bench/workloads.ts (SHAPES).
RECURRENT = dict(vocabulary=1000, embedding=32, units=64, steps=30, classes=2)
TRANSFORMER = dict(steps=32, d_model=64, heads=4, ff_dim=256, classes=10)
LM = dict(steps=64, vocabulary=64, d_model=64, heads=4, ff_dim=256, blocks=2)


def cnn():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 5 * 5, 128), nn.ReLU(), nn.Linear(128, 10),
    )


class RecurrentClassifier(nn.Module):
    """Embedding(1000, 32) → LSTM(64) or GRU(64), last state → Linear(2).

    PyTorch's cells add two bias vectors, b_ih + b_hh, where tfjs (and Keras with reset_after=False) has one; b_hh is
    fixed at zero and not trained, so both sides train the same parameters (for the LSTM the same function; PyTorch's
    GRU applies the reset gate after the recurrent product, tfjs's before it: the same products and sizes)."""

    def __init__(self, cell):
        super().__init__()
        r = RECURRENT
        self.embedding = nn.Embedding(r["vocabulary"], r["embedding"])
        self.rnn = (nn.LSTM if cell == "lstm" else nn.GRU)(r["embedding"], r["units"], batch_first=True)
        with torch.no_grad():
            self.rnn.bias_hh_l0.zero_()
        self.rnn.bias_hh_l0.requires_grad_(False)
        self.out = nn.Linear(r["units"], r["classes"])

    def forward(self, ids):
        _, state = self.rnn(self.embedding(ids))
        h = state[0] if isinstance(state, tuple) else state
        return self.out(h[-1])


class EncoderClassifier(nn.Module):
    """One post-norm encoder block (d = 64, 4 heads, FFN 256, ReLU, LayerNorm ε = 1e-5, no dropout), mean, Linear(10)."""

    def __init__(self):
        super().__init__()
        t = TRANSFORMER
        self.block = nn.TransformerEncoderLayer(t["d_model"], t["heads"], t["ff_dim"], dropout=0.0, batch_first=True)
        self.out = nn.Linear(t["d_model"], t["classes"])

    def forward(self, x):
        return self.out(self.block(x).mean(dim=1))


class CharLanguageModel(nn.Module):
    """Embedding(64, 64) + learned positions → 2 pre-norm blocks with a causal mask → LayerNorm → Linear(64) logits."""

    def __init__(self):
        super().__init__()
        m = LM
        self.tokens = nn.Embedding(m["vocabulary"], m["d_model"])
        self.positions = nn.Parameter(0.02 * torch.randn(m["steps"], m["d_model"]))
        self.blocks = nn.ModuleList(
            nn.TransformerEncoderLayer(m["d_model"], m["heads"], m["ff_dim"], dropout=0.0, batch_first=True, norm_first=True)
            for _ in range(m["blocks"])
        )
        self.norm = nn.LayerNorm(m["d_model"])
        self.out = nn.Linear(m["d_model"], m["vocabulary"])
        # Additive mask: −∞ above the diagonal, so position i attends to positions ≤ i only.
        self.register_buffer("causal", torch.triu(torch.full((m["steps"], m["steps"]), float("-inf")), diagonal=1))

    def forward(self, ids):
        h = self.tokens(ids) + self.positions
        for block in self.blocks:
            h = block(h, src_mask=self.causal)
        return self.out(self.norm(h))


def make(workload, batch):
    """(model, inputs, targets as class indices, number of classes)."""
    g = torch.Generator().manual_seed(1)
    labels = lambda shape, classes: torch.randint(0, classes, shape, generator=torch.Generator().manual_seed(2))  # noqa: E731
    if workload == "mlp":
        return nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10)), torch.randn(batch, 784, generator=g), labels((batch,), 10), 10
    if workload == "cnn":
        return cnn(), torch.rand(batch, 1, 28, 28, generator=g), labels((batch,), 10), 10
    if workload in ("lstm", "gru"):
        r = RECURRENT
        ids = torch.randint(0, r["vocabulary"], (batch, r["steps"]), generator=g)
        return RecurrentClassifier(workload), ids, labels((batch,), r["classes"]), r["classes"]
    if workload == "transformer":
        t = TRANSFORMER
        return EncoderClassifier(), torch.randn(batch, t["steps"], t["d_model"], generator=g), labels((batch,), t["classes"]), t["classes"]
    if workload == "lm":
        m = LM
        text = torch.randint(0, m["vocabulary"], (batch, m["steps"] + 1), generator=g)
        return CharLanguageModel(), text[:, :-1].contiguous(), text[:, 1:].contiguous(), m["vocabulary"]
    raise SystemExit(f"unknown workload {workload!r} (mlp, cnn, lstm, gru, transformer, lm)")


# ---- threads actually used (as scripts/bench/thread-usage.ts) ----------------------------------------------------

BUSY_SHARE = 0.1


def stat_ticks(stat):
    fields = stat[stat.rindex(")") + 2:].split(" ")
    return int(fields[14 - 3]) + int(fields[15 - 3])  # utime + stime


def thread_ticks():
    ticks = {}
    try:
        tids = os.listdir("/proc/self/task")
    except OSError:
        return None
    for tid in tids:
        try:
            with open(f"/proc/self/task/{tid}/stat") as f:
                ticks[int(tid)] = stat_ticks(f.read())
        except OSError:
            pass  # the thread ended between the listing and the read
    return ticks


def thread_usage(before, after, wall_seconds):
    hz = os.sysconf("SC_CLK_TCK")
    used = {tid: ticks - before.get(tid, 0) for tid, ticks in after.items()}
    busy = sum(1 for u in used.values() if u / hz >= BUSY_SHARE * wall_seconds)
    return {"threads": len(after), "busy": busy, "cpuPerWall": sum(used.values()) / hz / wall_seconds}


def main():
    batch, samples, reps = int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    torch.manual_seed(0)
    model, x, y, classes = make(WORKLOAD, batch)
    parameters = sum(p.numel() for p in model.parameters() if p.requires_grad)
    optimizer = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x).reshape(-1, classes), y.reshape(-1))
        loss.backward()
        optimizer.step()
        return loss

    step()  # warm-up
    steps = max(1, round(samples / batch))
    runs, cpu_runs = [], []
    ticks_before, wall_started = thread_ticks(), time.perf_counter()
    for _ in range(reps):
        started, cpu_started = time.perf_counter(), time.process_time()
        for _ in range(steps):
            loss = step()
        loss.item()
        runs.append(steps * batch / (time.perf_counter() - started))
        cpu_runs.append(steps * batch / (time.process_time() - cpu_started))
    ticks_after, wall = thread_ticks(), time.perf_counter() - wall_started
    print(json.dumps({
        "backend": "pytorch", "workload": WORKLOAD, "samplesPerSecond": statistics.median(runs),
        "samplesPerCpuSecond": statistics.median(cpu_runs), "runs": runs, "samples": steps * batch,
        "parameters": parameters,
        "threadUsage": thread_usage(ticks_before, ticks_after, wall) if ticks_before is not None else None,
        "detail": f"torch {torch.__version__}, {torch.get_num_threads()} intra-op / {torch.get_num_interop_threads()} inter-op thread(s)",
    }))


if __name__ == "__main__":
    main()
