"""The four workloads of scripts/bench/bench.ts in PyTorch on CPU (benchmark only; Debian: apt-get install python3-torch).

    /usr/bin/python3 scripts/bench/torch_reference.py WORKLOAD BATCH SAMPLES REPS [THREADS]

Prints one JSON line: {"backend": "pytorch", "workload", "samplesPerSecond" (median, wall clock),
"samplesPerCpuSecond" (median, per second of process CPU time), "runs", "samples", "detail"}.
Same models, batch, optimizer (Adam, lr 1e-3), loss (softmax cross-entropy) and random data as the TensorFlow.js side.
THREADS defaults to the number of CPUs (Debian's build otherwise starts with one OpenMP thread).
"""
import json
import os
import statistics
import sys
import time

import torch
from torch import nn


def cnn():
    return nn.Sequential(
        nn.Conv2d(1, 32, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Conv2d(32, 64, 3), nn.ReLU(), nn.MaxPool2d(2),
        nn.Flatten(), nn.Linear(64 * 5 * 5, 128), nn.ReLU(), nn.Linear(128, 10),
    )


class LstmClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.embedding = nn.Embedding(1000, 32)
        self.lstm = nn.LSTM(32, 64, batch_first=True)
        self.out = nn.Linear(64, 2)

    def forward(self, ids):
        _, (h, _) = self.lstm(self.embedding(ids))
        return self.out(h[-1])


class EncoderClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.block = nn.TransformerEncoderLayer(64, 4, 256, dropout=0.0, batch_first=True)
        self.out = nn.Linear(64, 10)

    def forward(self, x):
        return self.out(self.block(x).mean(dim=1))


def make(workload, batch):
    g = torch.Generator().manual_seed(1)
    if workload == "mlp":
        return nn.Sequential(nn.Linear(784, 128), nn.ReLU(), nn.Linear(128, 10)), torch.randn(batch, 784, generator=g), 10
    if workload == "cnn":
        return cnn(), torch.rand(batch, 1, 28, 28, generator=g), 10
    if workload == "lstm":
        return LstmClassifier(), torch.randint(0, 1000, (batch, 30), generator=g), 2
    if workload == "transformer":
        return EncoderClassifier(), torch.randn(batch, 32, 64, generator=g), 10
    raise SystemExit(f"unknown workload {workload!r}")


def main():
    workload, batch, samples, reps = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4])
    threads = int(sys.argv[5]) if len(sys.argv) > 5 else (os.cpu_count() or 1)
    torch.set_num_threads(threads)
    torch.manual_seed(0)
    model, x, classes = make(workload, batch)
    y = torch.randint(0, classes, (batch,), generator=torch.Generator().manual_seed(2))
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss()

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = loss_fn(model(x), y)
        loss.backward()
        optimizer.step()
        return loss

    step()  # warm-up
    steps = max(1, round(samples / batch))
    runs, cpu_runs = [], []
    for _ in range(reps):
        started, cpu_started = time.perf_counter(), time.process_time()
        for _ in range(steps):
            loss = step()
        loss.item()
        runs.append(steps * batch / (time.perf_counter() - started))
        cpu_runs.append(steps * batch / (time.process_time() - cpu_started))
    print(json.dumps({
        "backend": "pytorch", "workload": workload, "samplesPerSecond": statistics.median(runs),
        "samplesPerCpuSecond": statistics.median(cpu_runs), "runs": runs,
        "samples": steps * batch, "detail": f"torch {torch.__version__}, {torch.get_num_threads()} threads",
    }))


if __name__ == "__main__":
    main()
