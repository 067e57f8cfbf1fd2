#!/usr/bin/env python3
"""Writes machine.json for the report: date, GPU and driver, CPU and cores, and the versions of everything timed.

    python3 machine_info.py OUTPUT.json "CNNTRAIN COMMAND"
"""
import datetime
import json
import os
import platform
import shlex
import subprocess
import sys


def sh(*command):
    try:
        return subprocess.run(command, capture_output=True, text=True, timeout=120).stdout.strip()
    except (OSError, subprocess.SubprocessError):
        return ""


def version(module):
    try:
        return __import__(module).__version__
    except Exception:  # noqa: BLE001 - a missing or broken peer is reported as such
        return "not installed"


gpu = sh("nvidia-smi", "--query-gpu=name,memory.total,driver_version", "--format=csv,noheader").splitlines()
cpu = next((line.split(":", 1)[1].strip() for line in sh("lscpu").splitlines() if line.startswith("Model name")), platform.processor())
runtimes = sh("dotnet", "--list-runtimes").splitlines()
info = {
    "date": datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC"),
    "gpu": ", ".join(gpu[0].split(", ")[:2]) if gpu else "none",
    "driver": gpu[0].split(", ")[-1] if gpu else "none",
    "cpu": cpu,
    "cores": os.cpu_count(),
    "dotnet": runtimes[-1] if runtimes else "",
    "cnntrain": sh(*shlex.split(sys.argv[2]), "--version").splitlines()[-1:] and sh(*shlex.split(sys.argv[2]), "--version").splitlines()[-1],
    "python": platform.python_version(),
    "torch": version("torch"),
    "jax": version("jax"),
}
with open(sys.argv[1], "w") as f:
    json.dump(info, f, indent=1)
print(json.dumps(info, indent=1))
