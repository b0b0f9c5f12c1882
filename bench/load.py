"""Load bench (issue 12 §2): N real browser sessions at once against one `streamlit run`.

One Debian chromium process, N browser contexts (each its own Streamlit session), each walking
the journeys ROUNDS times: search, open a practice, ask Tanya, compare regions (the page's default
view). A step is timed from navigation to the page's script having finished with its content on
screen; an error is a timeout, a Streamlit exception box or a missing result. For every N the
figures are p50/p95 per step, errors, and the ratio of p95 to N = 1 in the same run; the server's
CPU time (user + system, from /proc) is divided by the page views it served, and at N = 1 each
compare view's own CPU time is measured around it.

    python bench/load.py [--sessions 1,5,10,20] [--rounds 3]

The app runs on the embedded index, already built before the first level (its build not timed);
the model is loaded by a warm-up view. Targets (issue 12, chosen by the issue, not by this bench):
0 errors at 20 sessions; p95 at 10 sessions within 4x of one session; server CPU per compare view
under 0.5 s. Prints the figures and stores bench/results/load.json.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import numpy as np

from common import ROOT, write

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
IDLE = '[data-test-connection-state="CONNECTED"][data-test-script-state="notRunning"]'
STEPS = [
    ("search", "/cari?q=bagaimana+warga+RT+mengusulkan+penggunaan+dana", "text=Cocok di bagian"),
    ("practice", "/praktik?practice=prodamas-plus", "h1"),
    ("answer", "/tanya?tanya=Berapa+dana+Prodamas+Plus+per+RT%3F", "[data-testid=stFeedback]"),
    ("compare", "/bandingkan", "[data-testid=stPlotlyChart]"),
]
STEP_TIMEOUT_MS = 300_000
CLK_TCK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of a process and its children that have finished."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return sum(int(fields[i]) for i in (11, 12, 13, 14)) / CLK_TCK


def machine_busy_seconds() -> float:
    """CPU time the whole machine spent busy (all cores: user, nice, system, irq, softirq), from /proc/stat."""
    fields = Path("/proc/stat").read_text().splitlines()[0].split()[1:]
    return sum(int(fields[i]) for i in (0, 1, 2, 5, 6)) / CLK_TCK


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(env: dict[str, str], log: Path) -> tuple[subprocess.Popen, str]:
    port = free_port()
    proc = subprocess.Popen([sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true", "--server.address", "127.0.0.1",
                             "--server.port", str(port)], cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    deadline = time.monotonic() + 90
    while time.monotonic() < deadline:
        try:
            with opener.open(f"http://127.0.0.1:{port}/_stcore/health", timeout=1) as r:
                if r.read() == b"ok":
                    return proc, f"http://127.0.0.1:{port}"
        except OSError:
            time.sleep(0.3)
    proc.kill()
    raise RuntimeError(f"streamlit did not start: {log.read_text(errors='replace')[-2000:]}")


async def step(page, address: str, path: str, ready: str) -> tuple[float, str]:
    started = time.monotonic()
    try:
        await page.goto(address + path, wait_until="commit", timeout=STEP_TIMEOUT_MS)
        await page.wait_for_selector(ready, timeout=STEP_TIMEOUT_MS)
        await page.wait_for_selector(IDLE, timeout=STEP_TIMEOUT_MS)
        if await page.locator("[data-testid=stException]").count():
            return time.monotonic() - started, "exception on the page"
        return time.monotonic() - started, ""
    except Exception as exc:
        return time.monotonic() - started, f"{type(exc).__name__}: {str(exc).splitlines()[0][:120]}"


async def session(browser, address: str, rounds: int, times: dict[str, list[float]], errors: list[str], compare_cpu: list[float] | None,
                  server_pid: int) -> None:
    context = await browser.new_context(viewport={"width": 1400, "height": 1000})
    page = await context.new_page()
    try:
        for _ in range(rounds):
            for name, path, ready in STEPS:
                before = cpu_seconds(server_pid) if compare_cpu is not None and name == "compare" else None
                seconds, error = await step(page, address, path, ready)
                if before is not None:
                    await asyncio.sleep(0.5)  # the last messages of the view leave the server
                    compare_cpu.append(cpu_seconds(server_pid) - before)
                times[name].append(seconds)
                if error:
                    errors.append(f"{name}: {error}")
    finally:
        await context.close()


async def level(address: str, sessions: int, rounds: int, server_pid: int) -> dict:
    from playwright.async_api import async_playwright

    times: dict[str, list[float]] = {name: [] for name, _p, _r in STEPS}
    errors: list[str] = []
    compare_cpu: list[float] | None = [] if sessions == 1 else None
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=CHROMIUM, args=["--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                                                                          "--disable-background-networking", "--disable-component-update",
                                                                          "--disable-sync", "--no-first-run"])
        cpu_before, busy_before, started = cpu_seconds(server_pid), machine_busy_seconds(), time.monotonic()
        await asyncio.gather(*(session(browser, address, rounds, times, errors, compare_cpu, server_pid) for _ in range(sessions)))
        wall, cpu, busy = time.monotonic() - started, cpu_seconds(server_pid) - cpu_before, machine_busy_seconds() - busy_before
        await browser.close()
    views = sum(len(v) for v in times.values())
    every = [s for v in times.values() for s in v]
    figures = {
        "sessions": sessions, "page_views": views, "errors": len(errors), "error_examples": errors[:5], "wall_s": round(wall, 1),
        "p50_s": round(float(np.percentile(every, 50)), 2), "p95_s": round(float(np.percentile(every, 95)), 2),
        "server_cpu_s": round(cpu, 1), "server_cpu_per_view_s": round(cpu / views, 3),
        # the rest of the machine's busy time is almost all the browser (and this bench's own driver)
        "machine_busy_s": round(busy, 1), "machine_busy_share": round(busy / (wall * (os.cpu_count() or 1)), 2),
        "other_cpu_s": round(busy - cpu, 1),
        "steps": {name: {"p50_s": round(float(np.percentile(v, 50)), 2), "p95_s": round(float(np.percentile(v, 95)), 2)} for name, v in times.items()},
    }
    if compare_cpu:
        figures["compare_view_cpu_s"] = {"median": round(float(np.median(compare_cpu)), 3), "max": round(max(compare_cpu), 3), "n": len(compare_cpu)}
    return figures


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--sessions", default="1,5,10,20")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", default="load", help="the results' name in bench/results/")
    args = parser.parse_args()
    levels = [int(n) for n in args.sessions.split(",")]
    work = Path(tempfile.mkdtemp(prefix="rujukan-load-"))
    env = {**os.environ, "RUJUKAN_INDEX_DIR": os.environ.get("RUJUKAN_INDEX_DIR", str(work / "index")), "RUJUKAN_STATE_DIR": str(work / "state"),
           "HF_HUB_OFFLINE": "1"}
    subprocess.run([sys.executable, "-m", "rujukan", "index"], cwd=ROOT, env=env, check=True, capture_output=True)  # not timed
    proc, address = start_app(env, work / "server.log")
    try:
        asyncio.run(level(address, 1, 1, proc.pid))  # warm-up: the model, index and tables load once; not counted
        results = []
        for n in levels:
            figures = asyncio.run(level(address, n, args.rounds, proc.pid))
            results.append(figures)
            steps = ", ".join(f"{k} p95 {v['p95_s']} s" for k, v in figures["steps"].items())
            print(f"N={n:2d}: {figures['page_views']} views, errors {figures['errors']}, p50 {figures['p50_s']} s, p95 {figures['p95_s']} s, "
                  f"server CPU {figures['server_cpu_per_view_s']} s/view; {steps}", flush=True)
            print(f"      CPU: server {figures['server_cpu_s']} s, browser and driver {figures['other_cpu_s']} s; the machine was "
                  f"{figures['machine_busy_share']:.0%} busy over {figures['wall_s']} s")
            if figures.get("compare_view_cpu_s"):
                print(f"      compare view server CPU: median {figures['compare_view_cpu_s']['median']} s (n={figures['compare_view_cpu_s']['n']})")
            for example in figures["error_examples"]:
                print(f"      error: {example}")
        base = results[0]["p95_s"] if results and results[0]["sessions"] == 1 else None
        for figures in results:
            figures["p95_ratio_to_1"] = round(figures["p95_s"] / base, 2) if base else None
        print("p95 ratio to N=1: " + ", ".join(f"N={f['sessions']}: {f['p95_ratio_to_1']}x" for f in results))
        write(args.out, {"rounds": args.rounds, "cores": os.cpu_count(), "levels": results,
                       "note": "one streamlit process, embedded index; the browser runs on the same 2 cores as the server"})
    finally:
        proc.terminate()
        proc.wait(timeout=20)
        shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
