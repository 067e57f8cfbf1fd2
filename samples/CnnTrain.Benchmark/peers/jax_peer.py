#!/usr/bin/env python3
"""The suite in JAX, with each whole epoch compiled into one program: jax.jit over lax.scan of the steps, the
training set resident on the device and gathered per step inside the program. Same networks, He-normal
initialisation, SGD with momentum and data as CnnTrain.Benchmark (networks.json, peers/suite.py).

FP32: matrix products and convolutions at precision HIGHEST (no TF32); ":tf32" in --precisions runs JAX's
default precision too. The epoch's length is fixed by the compiled program, so JAX always times whole epochs
(the warm-up epoch includes compiling), and its device memory is XLA's memory analysis of the compiled epoch
(arguments + outputs + temporaries - aliased), as JAX has no per-run peak counter.
"""
import argparse
import os
import sys
import time

os.environ.setdefault("XLA_PYTHON_CLIENT_PREALLOCATE", "false")

import jax  # noqa: E402
import jax.numpy as jnp  # noqa: E402
import numpy as np  # noqa: E402
from jax import lax  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import suite  # noqa: E402


def init(network, key):
    """He normal weights (conv OIHW, dense in x out), zero biases; returns the parameters and the layer plan."""
    params, plan, shape = [], [], list(network["input"])
    for layer in map(suite.layer_defaults, network["layers"]):
        kind = layer["type"]
        if kind == "conv2d":
            k, s, p, f = layer["kernel"], layer["stride"], layer["padding"], layer["filters"]
            key, sub = jax.random.split(key)
            fan_in = shape[0] * k * k
            params.append((jax.random.normal(sub, (f, shape[0], k, k), jnp.float32) * np.sqrt(2.0 / fan_in), jnp.zeros((f,), jnp.float32)))
            plan.append(("conv2d", len(params) - 1, s, p))
            shape = [f, (shape[1] + 2 * p - k) // s + 1, (shape[2] + 2 * p - k) // s + 1]
        elif kind == "relu":
            plan.append(("relu",))
        elif kind == "maxpool2d":
            q = layer["size"]
            plan.append(("maxpool2d", q))
            shape = [shape[0], (shape[1] - q) // q + 1, (shape[2] - q) // q + 1]
        elif kind == "flatten":
            plan.append(("flatten",))
            shape = [shape[0] * shape[1] * shape[2]]
        elif kind == "dense":
            key, sub = jax.random.split(key)
            params.append((jax.random.normal(sub, (shape[0], layer["units"]), jnp.float32) * np.sqrt(2.0 / shape[0]),
                           jnp.zeros((layer["units"],), jnp.float32)))
            plan.append(("dense", len(params) - 1))
            shape = [layer["units"]]
    return params, tuple(plan)


def make_epoch(plan, batch, learning_rate, momentum, precision):
    def forward(params, x):
        for op in plan:
            if op[0] == "conv2d":
                w, b = params[op[1]]
                x = lax.conv_general_dilated(x, w, (op[2], op[2]), [(op[3], op[3])] * 2,
                                             dimension_numbers=("NCHW", "OIHW", "NCHW"), precision=precision)
                x = x + b[None, :, None, None]
            elif op[0] == "relu":
                x = jnp.maximum(x, 0.0)
            elif op[0] == "maxpool2d":
                x = lax.reduce_window(x, -jnp.inf, lax.max, (1, 1, op[1], op[1]), (1, 1, op[1], op[1]), "VALID")
            elif op[0] == "flatten":
                x = x.reshape(x.shape[0], -1)
            else:
                w, b = params[op[1]]
                x = jnp.dot(x, w, precision=precision) + b
        return x

    def loss(params, x, y):
        logp = jax.nn.log_softmax(forward(params, x))
        return -jnp.mean(jnp.take_along_axis(logp, y[:, None], axis=1))

    def epoch(params, velocity, x, y, order):
        def step(carry, idx):
            p, v = carry
            value, g = jax.value_and_grad(loss)(p, jnp.take(x, idx, axis=0), jnp.take(y, idx, axis=0))
            v = jax.tree.map(lambda vi, gi: momentum * vi + gi, v, g)
            p = jax.tree.map(lambda pi, vi: pi - learning_rate * vi, p, v)
            return (p, v), value

        (params, velocity), losses = lax.scan(step, (params, velocity), order.reshape(-1, batch))
        return params, velocity, losses

    return jax.jit(epoch, donate_argnums=(0, 1))


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--precisions", default="fp32", help="fp32 and/or tf32, comma-separated")
    parser.add_argument("--networks", default="all")
    parser.add_argument("--batches", default=None)
    parser.add_argument("--images", type=int, default=None)
    parser.add_argument("--epochs", type=int, default=3)
    parser.add_argument("--spec", default=suite.DEFAULT_SPEC)
    parser.add_argument("--data", default=suite.DEFAULT_DATA)
    parser.add_argument("--output", default=None)
    args = parser.parse_args()
    spec = suite.load_spec(args.spec)
    images = args.images or spec["epochImages"]
    device = jax.devices()[0]
    platform_name = "gpu" if device.platform == "gpu" else "cpu"
    version = f"jax {jax.__version__}"
    log = suite.ResultLog(args.output)
    for network in suite.select(spec, args.networks):
        x_host, y_host = suite.epoch_data(network, images, spec["seed"], args.data)
        x, y = jax.device_put(x_host, device), jax.device_put(y_host.astype(np.int32), device)
        for batch in [int(b) for b in args.batches.split(",")] if args.batches else network["batches"]:
            for precision in args.precisions.split(","):
                fields = {}
                try:
                    fields = run(network, batch, precision, x, y, images, spec, args.epochs)
                except Exception as e:  # a failure is reported, and the other runs still go ahead
                    fields = {"error": f"{type(e).__name__}: {str(e).splitlines()[0] if str(e) else ''}"}
                log.write(suite.record("jax", version, "jit-epoch", platform_name, precision, None, device.device_kind,
                                       network["name"], batch, images, **fields))
        del x, y


def run(network, batch, precision, x, y, images, spec, epochs):
    if images % batch:
        raise ValueError(f"{images} images are not a whole number of batches of {batch}")
    suite.reset_host_peak()
    params, plan = init(network, jax.random.PRNGKey(spec["seed"]))
    velocity = jax.tree.map(jnp.zeros_like, params)
    level = lax.Precision.HIGHEST if precision == "fp32" else lax.Precision.DEFAULT
    epoch = make_epoch(plan, batch, network["learningRate"], spec["momentum"], level)
    rng = np.random.default_rng(spec["seed"])

    order = jax.device_put(rng.permutation(images).astype(np.int32))
    start = time.perf_counter()
    compiled = epoch.lower(params, velocity, x, y, order).compile()
    memory = compiled.memory_analysis()
    params, velocity, losses = compiled(params, velocity, x, y, order)
    losses.block_until_ready()
    warmup = time.perf_counter() - start
    seconds = []
    for _ in range(max(epochs, 2)):
        start = time.perf_counter()
        order = jax.device_put(rng.permutation(images).astype(np.int32))
        params, velocity, losses = compiled(params, velocity, x, y, order)
        losses.block_until_ready()
        seconds.append(time.perf_counter() - start)
    peak = None
    if memory is not None:
        peak = (memory.argument_size_in_bytes + memory.output_size_in_bytes + memory.temp_size_in_bytes - memory.alias_size_in_bytes)
    return {"timed_images": images, "warmup_seconds": warmup, "epoch_seconds": seconds, "best_seconds": min(seconds),
            "median_seconds": float(np.median(seconds)), "images_per_second": images / min(seconds),
            "peak_device_bytes": int(peak) if peak is not None else None, "peak_host_bytes": suite.host_peak_bytes(),
            "final_loss": float(np.mean(np.asarray(losses)))}


if __name__ == "__main__":
    main()
