#!/usr/bin/env python3
"""The suite in PyTorch: the same networks, He-normal initialisation, SGD with momentum and timing protocol
as CnnTrain.Benchmark (networks.json, peers/suite.py), in the modes a PyTorch user would pick:

  eager                                 plain PyTorch on the GPU, data resident on the GPU
  cuda-graph                            the whole step (gather of the batch, forward, backward, optimizer step)
                                        captured in one CUDA graph and replayed once per step
  compile-max-autotune-no-cudagraphs    torch.compile of model + loss with autotuned kernels, compiled optimizer step
  compile-reduce-overhead               torch.compile's CUDA-graph mode, compiled optimizer step
  cpu                                   plain PyTorch on the CPU at each of --threads

A mode may end in ":tf32" to run it with PyTorch's default TF32 convolutions instead of full FP32; FP32 turns
TF32 off (torch.backends.cudnn.allow_tf32 = False, torch.backends.cuda.matmul.allow_tf32 = False).
cuDNN's autotuner is on (torch.backends.cudnn.benchmark = True), as a user after speed would set it.
"""
import argparse
import os
import sys
import time

import torch
import torch.nn as nn

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import suite  # noqa: E402


def build(network):
    layers, shape = [], list(network["input"])
    for layer in map(suite.layer_defaults, network["layers"]):
        kind = layer["type"]
        if kind == "conv2d":
            k, s, p = layer["kernel"], layer["stride"], layer["padding"]
            layers.append(nn.Conv2d(shape[0], layer["filters"], k, stride=s, padding=p))
            shape = [layer["filters"], (shape[1] + 2 * p - k) // s + 1, (shape[2] + 2 * p - k) // s + 1]
        elif kind == "relu":
            layers.append(nn.ReLU())
        elif kind == "maxpool2d":
            q = layer["size"]
            layers.append(nn.MaxPool2d(q))
            shape = [shape[0], (shape[1] - q) // q + 1, (shape[2] - q) // q + 1]
        elif kind == "flatten":
            layers.append(nn.Flatten())
            shape = [shape[0] * shape[1] * shape[2]]
        elif kind == "dense":
            layers.append(nn.Linear(shape[0], layer["units"]))
            shape = [layer["units"]]
        else:
            raise ValueError(f"unknown layer type {kind}")
    model = nn.Sequential(*layers)
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.Linear)):
            nn.init.kaiming_normal_(m.weight, nonlinearity="relu")  # He normal: std sqrt(2 / fan-in)
            nn.init.zeros_(m.bias)
    return model


class WithLoss(nn.Module):
    def __init__(self, model):
        super().__init__()
        self.model = model
        self.loss = nn.CrossEntropyLoss()

    def forward(self, x, y):
        return self.loss(self.model(x), y)


class Run:
    """One network, batch and mode: the model, its optimizer and a step function; train(images) runs one epoch."""

    def __init__(self, network, batch, mode, device, x, y, spec):
        torch.manual_seed(spec["seed"])
        self.device, self.batch, self.mode = device, batch, mode
        self.x, self.y = x, y
        self.model = build(network).to(device)
        self.with_loss = WithLoss(self.model)
        self.optimizer = torch.optim.SGD(self.model.parameters(), lr=network["learningRate"], momentum=spec["momentum"])
        self.generator = torch.Generator().manual_seed(spec["seed"])
        self.fixed_shape = mode == "cuda-graph"
        start = time.perf_counter()
        if mode == "cuda-graph":
            self.step = self.graph_step()
        elif mode.startswith("compile-"):
            self.step = self.compiled_step(mode[len("compile-"):])
            # Compiling happens at the first calls; done here, so the protocol's probe times a compiled step.
            for _ in range(2):
                self.step(torch.arange(batch, device=device))
            self.synchronize()
        else:
            self.step = self.eager_step(self.with_loss, self.optimizer.step)
        self.setup_seconds = time.perf_counter() - start

    def eager_step(self, loss_of, optimizer_step, before=None):
        def step(idx):
            if before:
                before()
            self.optimizer.zero_grad(set_to_none=True)
            loss_of(self.x.index_select(0, idx), self.y.index_select(0, idx)).backward()
            optimizer_step()
        return step

    def compiled_step(self, compile_mode):
        loss_of = torch.compile(self.with_loss, mode=compile_mode)

        @torch.compile(fullgraph=False)
        def optimizer_step():
            self.optimizer.step()

        mark = torch.compiler.cudagraph_mark_step_begin if compile_mode == "reduce-overhead" else None
        return self.eager_step(loss_of, optimizer_step, mark)

    def graph_step(self):
        static_idx = torch.arange(self.batch, device=self.device)
        side = torch.cuda.Stream()
        side.wait_stream(torch.cuda.current_stream())
        with torch.cuda.stream(side):  # warm up on a side stream before capture, as PyTorch's docs require
            for _ in range(3):
                self.optimizer.zero_grad(set_to_none=True)
                self.with_loss(self.x.index_select(0, static_idx), self.y.index_select(0, static_idx)).backward()
                self.optimizer.step()
        torch.cuda.current_stream().wait_stream(side)
        graph = torch.cuda.CUDAGraph()
        self.optimizer.zero_grad(set_to_none=True)
        with torch.cuda.graph(graph):
            self.with_loss(self.x.index_select(0, static_idx), self.y.index_select(0, static_idx)).backward()
            self.optimizer.step()

        def step(idx):
            static_idx.copy_(idx)
            graph.replay()
        return step

    def synchronize(self):
        if self.device.type == "cuda":
            torch.cuda.synchronize()

    def train(self, images):
        self.synchronize()
        start = time.perf_counter()
        order = torch.randperm(images, generator=self.generator).to(self.device)
        steps = images // self.batch if self.fixed_shape else -(-images // self.batch)
        for s in range(steps):
            self.step(order[s * self.batch:(s + 1) * self.batch])
        self.synchronize()
        return time.perf_counter() - start


def set_precision(tf32):
    torch.backends.cudnn.allow_tf32 = tf32
    torch.backends.cuda.matmul.allow_tf32 = False  # PyTorch's default for matrix products, also under ":tf32"
    torch.backends.cudnn.benchmark = True


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--device", default="cuda", choices=["cuda", "cpu"])
    parser.add_argument("--modes", default="eager,cuda-graph,cuda-graph:tf32,compile-max-autotune-no-cudagraphs,compile-reduce-overhead")
    parser.add_argument("--threads", default=str(os.cpu_count()), help="CPU thread counts, comma-separated (--device cpu)")
    parser.add_argument("--networks", default="all")
    parser.add_argument("--batches", default=None, help="batch sizes for every network (default: each network's own)")
    parser.add_argument("--images", type=int, default=None)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--budget", type=float, default=2.0)
    parser.add_argument("--spec", default=suite.DEFAULT_SPEC)
    parser.add_argument("--data", default=suite.DEFAULT_DATA)
    parser.add_argument("--output", default=None, help="JSON-lines file for the results")
    args = parser.parse_args()
    spec = suite.load_spec(args.spec)
    networks = suite.select(spec, args.networks)
    images = args.images or spec["epochImages"]
    device = torch.device(args.device)
    if args.device == "cuda":
        runs = [(m.split(":")[0], "tf32" if m.endswith(":tf32") else "fp32", None) for m in args.modes.split(",") if m]
        device_name = torch.cuda.get_device_name()
    else:
        runs = [("cpu", "fp32", int(t)) for t in args.threads.split(",")]
        device_name = suite.machine()["processor"] or "cpu"
    version = f"torch {torch.__version__}" + (f", cuDNN {torch.backends.cudnn.version()}" if torch.backends.cudnn.is_available() else "")
    log = suite.ResultLog(args.output)
    for network in networks:
        x_host, y_host = suite.epoch_data(network, images, spec["seed"], args.data)
        x, y = torch.from_numpy(x_host).to(device), torch.from_numpy(y_host).to(device)
        for batch in [int(b) for b in args.batches.split(",")] if args.batches else network["batches"]:
            for mode, precision, threads in runs:
                if threads:
                    torch.set_num_threads(threads)
                set_precision(precision == "tf32")
                suite.reset_host_peak()
                if device.type == "cuda":
                    torch.cuda.reset_peak_memory_stats()
                label = f"{network['name']} batch {batch} pytorch {mode} {precision}"
                try:
                    run = Run(network, batch, mode, device, x, y, spec)
                    timing = suite.measure(run.train, batch, images, args.epochs, args.budget, label=label)
                    timing["warmup_seconds"] += run.setup_seconds  # graph capture or compilation counts as warm-up
                    fields = dict(timing, peak_host_bytes=suite.host_peak_bytes(),
                                  peak_device_bytes=torch.cuda.max_memory_allocated() if device.type == "cuda" else None)
                    del run
                except Exception as e:  # a mode that fails is reported, and the others still run
                    fields = {"error": f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"}
                log.write(suite.record("pytorch", version, mode, "gpu" if device.type == "cuda" else "cpu", precision, threads,
                                       device_name, network["name"], batch, images, **fields))
                if device.type == "cuda":
                    torch.cuda.empty_cache()
        del x, y


if __name__ == "__main__":
    main()
