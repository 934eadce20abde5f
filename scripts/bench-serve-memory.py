#!/usr/bin/env python3
"""Memory of `mekong serve` over many rebuilds: is it flat?

usage: scripts/bench-serve-memory.py [--articles N] [--edits N] [--mekong PATH]

Generates a site of N articles per language (default 1000: 3,000 pages) on tmpfs with
scripts/gen-site.py, starts `mekong serve --root SITE --port 0`, waits for the first build, then
makes --edits saves (default 200), one at a time, each waiting for the server's "Rebuilt in"
line: four body edits (the last paragraph of an article changes) for each title edit (the
article's title changes, which rebuilds the lists that show it). It reads the server's VmRSS
from /proc after the first build and after every 20th save, and prints them with the change
from the first reading, the smallest and the largest. Linux only; Python 3 standard library.
"""
import argparse
import os
import queue
import re
import shutil
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    raise RuntimeError("no VmRSS")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--articles", type=int, default=1000)
    parser.add_argument("--edits", type=int, default=200)
    parser.add_argument("--mekong", default=os.path.join(ROOT, "target/release/mekong"))
    args = parser.parse_args()

    base = "/dev/shm" if os.path.isdir("/dev/shm") else None
    folder = tempfile.mkdtemp(prefix="mekong-memory.", dir=base)
    site = os.path.join(folder, "site")
    subprocess.run([sys.executable, os.path.join(ROOT, "scripts/gen-site.py"), site,
                    str(args.articles)], check=True, stdout=subprocess.DEVNULL)
    article = sorted(
        os.path.join(site, "content/news", name)
        for name in os.listdir(os.path.join(site, "content/news"))
        if re.fullmatch(r"a\d+\.md", name))[0]
    original = open(article, encoding="utf-8").read()

    server = subprocess.Popen([args.mekong, "serve", "--root", site, "--port", "0"],
                              stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              bufsize=1)
    lines = queue.Queue()

    def read():
        for line in server.stdout:
            lines.put(line)

    threading.Thread(target=read, daemon=True).start()

    def wait_for(pattern, timeout=120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            try:
                line = lines.get(timeout=0.5)
            except queue.Empty:
                continue
            if re.search(pattern, line):
                return line
            if "error" in line:
                raise RuntimeError(f"server said: {line.strip()}")
        raise RuntimeError(f"no line matching {pattern!r} within {timeout} s")

    try:
        wait_for(r"Serving the site at")
        readings = [(0, rss_mib(server.pid))]
        print(f"{args.articles * 3} pages; after the first build: {readings[0][1]:.0f} MiB")
        for n in range(1, args.edits + 1):
            if n % 5 == 0:
                text = original.replace('title = "', f'title = "({n}) ', 1)
            else:
                text = original + f"\nA closing paragraph, save {n}.\n"
            with open(article, "w", encoding="utf-8") as f:
                f.write(text)
            wait_for(r"Rebuilt in")
            if n % 20 == 0:
                readings.append((n, rss_mib(server.pid)))
                print(f"after {n:4} saves: {readings[-1][1]:7.0f} MiB")
        first = readings[0][1]
        values = [r for _, r in readings]
        print(f"first {first:.0f} MiB, last {values[-1]:.0f} MiB "
              f"({(values[-1] - first) / first * 100:+.1f} %), "
              f"min {min(values):.0f}, max {max(values):.0f} MiB")
    finally:
        server.terminate()
        server.wait(timeout=10)
        shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
