#!/usr/bin/env python3
"""Joins the suite's results (the *.jsonl that CnnTrain.Benchmark and the peers write, and machine.json)
into a report folder: results.csv, README.md with the ratio tables, profiles.md, and PNG charts.

    python3 join.py RESULTS_DIR REPORT_DIR

Ratios are CnnTrain's best epoch time over the best FP32 peer's on the same platform, network and batch
(below 1: CnnTrain is faster). TF32 runs are shown beside them, marked, and never count as the best peer.
"""
import csv
import glob
import json
import os
import sys
from collections import defaultdict

PEER_NAMES = {
    ("pytorch", "eager"): "PyTorch eager",
    ("pytorch", "cuda-graph"): "PyTorch CUDA graph",
    ("pytorch", "compile-max-autotune-no-cudagraphs"): "torch.compile max-autotune-no-cudagraphs",
    ("pytorch", "compile-reduce-overhead"): "torch.compile reduce-overhead",
    ("pytorch", "cpu"): "PyTorch CPU",
    ("jax", "jit-epoch"): "JAX jit(scan) epoch",
    ("cnntrain", "cuda"): "CnnTrain CUDA",
    ("cnntrain", "multicore"): "CnnTrain Multicore",
    ("cnntrain", "sequential"): "CnnTrain Sequential",
}
COLUMNS = ["implementation", "version", "mode", "platform", "precision", "threads", "device_name", "network", "batch",
           "epoch_images", "timed_images", "scaled", "warmup_seconds", "best_seconds", "median_seconds",
           "images_per_second", "peak_device_bytes", "peak_host_bytes", "check_digest", "final_digest", "error", "epoch_seconds"]


def name(r):
    n = PEER_NAMES.get((r["implementation"], r["mode"]), f"{r['implementation']} {r['mode']}")
    if r.get("threads") and r["mode"] in ("multicore", "cpu"):
        n += f" ({r['threads']} thread{'s' if r['threads'] != 1 else ''})"
    return n + (" [TF32]" if r["precision"] == "tf32" else "")


def load(folder):
    rows, profiles = [], []
    for path in sorted(glob.glob(os.path.join(folder, "*.jsonl"))):
        with open(path) as f:
            for line in f:
                if line.strip():
                    (profiles if "profiles" in os.path.basename(path) else rows).append(json.loads(line))
    machine = {}
    if os.path.exists(os.path.join(folder, "machine.json")):
        with open(os.path.join(folder, "machine.json")) as f:
            machine = json.load(f)
    return rows, profiles, machine


def seconds(s):
    return "-" if s is None else f"{s * 1000:.1f} ms" if s < 1 else f"{s:.2f} s"


def mib(b):
    return "-" if b is None else f"{b / 1048576:.0f}"


def order_of(spec_names):
    return lambda key: (spec_names.index(key[0]) if key[0] in spec_names else 99, key[1])


def ratio_rows(rows):
    """Per (network, batch, platform, threads): CnnTrain's run, the best FP32 peer, the TF32 runs, and every peer's time."""
    ok = [r for r in rows if not r.get("error")]
    points = defaultdict(list)
    for r in ok:
        threads = r.get("threads") if r["platform"] == "cpu" else None
        points[(r["network"], r["batch"], r["platform"], threads)].append(r)
    table = []
    for key, runs in points.items():
        ours = [r for r in runs if r["implementation"] == "cnntrain"]
        peers = [r for r in runs if r["implementation"] != "cnntrain" and r["precision"] == "fp32"]
        tf32 = [r for r in runs if r["precision"] == "tf32"]
        for own in ours:
            best = min(peers, key=lambda r: r["best_seconds"]) if peers else None
            table.append({"key": key, "own": own, "best": best, "tf32": tf32, "peers": peers})
    return table


def write_csv(rows, path):
    with open(path, "w", newline="") as f:
        w = csv.DictWriter(f, fieldnames=COLUMNS + ["name"], extrasaction="ignore")
        w.writeheader()
        for r in rows:
            w.writerow({**r, "name": name(r), "epoch_seconds": " ".join(f"{s:.6f}" for s in r.get("epoch_seconds", []))})


def markdown(rows, profiles, machine, table, spec_names, charts):
    out = ["# Benchmark suite results", ""]
    if machine:
        out += [f"One run of `samples/CnnTrain.Benchmark/run-suite.sh` on {machine.get('date', 'an unknown date')}:", ""]
        for k in ["gpu", "driver", "cpu", "cores", "dotnet", "cnntrain", "torch", "jax", "python"]:
            if machine.get(k):
                out.append(f"- {k}: {machine[k]}")
        out.append("")
    out += ["Seconds per 60,000-image epoch (best of the timed epochs after a warm-up; `*` timed on a slice of the epoch "
            "and scaled). **Ratio = CnnTrain time / best FP32 peer time**: below 1 CnnTrain is faster. TF32 runs are "
            "PyTorch's default convolution precision, shown for reference and never counted as the best peer. "
            "Memory is the peak device memory of the run in MiB (CnnTrain: its buffers; PyTorch: "
            "`torch.cuda.max_memory_allocated`; JAX: XLA's memory analysis of the epoch program).", ""]
    for platform, title in [("gpu", "GPU"), ("cpu", "CPU")]:
        part = sorted([t for t in table if t["key"][2] == platform], key=lambda t: (order_of(spec_names)(t["key"][:2]), t["key"][3] or 0))
        if not part:
            continue
        out += [f"## {title}", ""]
        if platform == "gpu":
            out += ["| network | batch | CnnTrain | best FP32 peer | ratio | PyTorch TF32 (default) | CnnTrain MiB | best peer MiB |",
                    "| --- | ---: | ---: | --- | ---: | ---: | ---: | ---: |"]
        else:
            out += ["| network | batch | threads | CnnTrain | best peer | ratio |", "| --- | ---: | ---: | ---: | --- | ---: |"]
        for t in part:
            own, best = t["own"], t["best"]
            mark = "*" if own["scaled"] else ""
            ratio = f"**{own['best_seconds'] / best['best_seconds']:.2f}**" if best else "-"
            best_text = f"{name(best)}: {seconds(best['best_seconds'])}{'*' if best['scaled'] else ''}" if best else "(no peer ran)"
            if platform == "gpu":
                tf = ", ".join(f"{seconds(r['best_seconds'])}" for r in t["tf32"]) or "-"
                out.append(f"| {t['key'][0]} | {t['key'][1]} | {seconds(own['best_seconds'])}{mark} | {best_text} | {ratio} | {tf} | "
                           f"{mib(own['peak_device_bytes'])} | {mib(best['peak_device_bytes']) if best else '-'} |")
            else:
                out.append(f"| {t['key'][0]} | {t['key'][1]} | {t['key'][3]} | {seconds(own['best_seconds'])}{mark} | {best_text} | {ratio} |")
        out.append("")
    out += ["## Every run", "", "| network | batch | implementation | best | median | warm-up | img/s | device MiB | host MiB |",
            "| --- | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: |"]
    for r in sorted(rows, key=lambda r: (order_of(spec_names)((r["network"], r["batch"])), r["platform"], name(r))):
        if r.get("error"):
            out.append(f"| {r['network']} | {r['batch']} | {name(r)} | failed: {r['error'][:120]} | | | | | |")
        else:
            out.append(f"| {r['network']} | {r['batch']} | {name(r)} | {seconds(r['best_seconds'])}{'*' if r['scaled'] else ''} | "
                       f"{seconds(r['median_seconds'])} | {seconds(r['warmup_seconds'])} | {r['images_per_second']:,.0f} | "
                       f"{mib(r['peak_device_bytes'])} | {mib(r['peak_host_bytes'])} |")
    out += ["", "Charts: " + ", ".join(f"[{c}]({c})" for c in charts) + ". All numbers: [results.csv](results.csv). "
            "Per-operation profiles: [profiles.md](profiles.md).", ""]
    return "\n".join(out)


def profiles_markdown(profiles, spec_names):
    out = ["# Where a training step's time goes", "",
           "`CnnTrain.Benchmark --profile-ops`: each operation of one step recorded many times into one program "
           "(a CUDA graph on the GPU) and replayed, microseconds per operation.", ""]
    for p in sorted(profiles, key=lambda p: (order_of(spec_names)((p["network"], p["batch"])), p["mode"], p.get("threads") or 0)):
        device = p["device_name"]
        out += [f"## {p['network']}, batch {p['batch']}, {device}", "", "| operation | µs | share |", "| --- | ---: | ---: |"]
        for op in p["operations"]:
            out.append(f"| {op['operation']} | {op['microseconds']:.1f} | {100 * op['microseconds'] / p['step_microseconds']:.1f}% |")
        steps = 60000 // p["batch"]
        out += [f"| **one step** | **{p['step_microseconds']:.1f}** | x {steps} steps = {p['step_microseconds'] * steps / 1e6:.3f} s per epoch |",
                "", f"Per-operation floor (the smallest operation the device queues): {p['floor_microseconds']:.2f} µs.", ""]
    return "\n".join(out)


def charts(rows, table, folder):
    try:
        import matplotlib
        matplotlib.use("Agg")
        import matplotlib.pyplot as plt
    except ImportError:
        print("join: matplotlib is not installed; no charts", file=sys.stderr)
        return []
    made = []
    ok = [r for r in rows if not r.get("error")]
    study = [r for r in ok if r["network"].startswith("study-f")]
    for platform, title in [("gpu", "GPU"), ("cpu", "CPU")]:
        runs = [r for r in study if r["platform"] == platform]
        if not runs:
            continue
        fig, (left, right) = plt.subplots(1, 2, figsize=(13, 5))
        for impl in sorted({name(r) for r in runs}):
            mine = [r for r in runs if name(r) == impl]
            for batch, style in [(100, "-"), (1000, "--")]:
                pts = sorted((int(r["network"][7:]), r["best_seconds"]) for r in mine if r["batch"] == batch)
                if pts:
                    left.plot(*zip(*pts), style, marker="o", label=f"{impl}, batch {batch}")
            for filters, style in [(32, "-"), (256, "--")]:
                pts = sorted((r["batch"], r["best_seconds"]) for r in mine if r["network"] == f"study-f{filters}")
                if pts:
                    right.plot(*zip(*pts), style, marker="o", label=f"{impl}, F={filters}")
        for ax, xlabel in [(left, "filters F"), (right, "batch size")]:
            ax.set_xscale("log", base=2)
            ax.set_yscale("log")
            ax.set_xlabel(xlabel)
            ax.set_ylabel("seconds per 60,000-image epoch")
            ax.grid(True, which="both", alpha=0.3)
            ax.legend(fontsize=7)
        left.set_title(f"Study network on the {title}: epoch time against F")
        right.set_title(f"Study network on the {title}: epoch time against batch")
        fig.tight_layout()
        file = f"study-{platform}.png"
        fig.savefig(os.path.join(folder, file), dpi=110)
        plt.close(fig)
        made.append(file)
    points = [t for t in table if t["best"]]
    if points:
        fig, axes = plt.subplots(1, 2, figsize=(13, max(4, 0.28 * len(points) / 1.5)))
        for ax, platform, title in [(axes[0], "gpu", "GPU"), (axes[1], "cpu", "CPU")]:
            part = [t for t in points if t["key"][2] == platform]
            labels = [f"{t['key'][0]} b{t['key'][1]}" + (f" {t['key'][3]}t" if t["key"][3] else "") for t in part]
            speedups = [t["best"]["best_seconds"] / t["own"]["best_seconds"] for t in part]
            ax.barh(range(len(part)), speedups, color=["tab:green" if s >= 1 else "tab:red" for s in speedups])
            ax.set_yticks(range(len(part)))
            ax.set_yticklabels(labels, fontsize=7)
            ax.axvline(1.0, color="black", linewidth=1)
            ax.set_xscale("log")
            ax.set_xlabel("speed-up over the best FP32 peer (peer time / CnnTrain time)")
            ax.set_title(f"{title}")
            ax.invert_yaxis()
            ax.grid(True, axis="x", which="both", alpha=0.3)
        fig.tight_layout()
        fig.savefig(os.path.join(folder, "speedup.png"), dpi=110)
        plt.close(fig)
        made.append("speedup.png")
    return made


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    source, target = sys.argv[1], sys.argv[2]
    os.makedirs(target, exist_ok=True)
    rows, profiles, machine = load(source)
    if not rows:
        raise SystemExit(f"join: no results in {source}")
    here = os.path.dirname(os.path.abspath(__file__))
    with open(os.path.join(here, "networks.json")) as f:
        spec_names = [n["name"] for n in json.load(f)["networks"]]
    table = ratio_rows(rows)
    write_csv(rows, os.path.join(target, "results.csv"))
    made = charts(rows, table, target)
    with open(os.path.join(target, "README.md"), "w") as f:
        f.write(markdown(rows, profiles, machine, table, spec_names, made))
    with open(os.path.join(target, "profiles.md"), "w") as f:
        f.write(profiles_markdown(profiles, spec_names))
    print(f"join: {len(rows)} runs and {len(profiles)} profiles into {target}: results.csv, README.md, profiles.md, {', '.join(made)}")


if __name__ == "__main__":
    main()
