#!/usr/bin/env python3
"""Live-reload benchmark: save → `reload` event, and save → updated page served.

usage: scripts/bench-reload.py [--articles N] [--edits N] [--mekong PATH] [--only sample|generated]

For the sample site (a copy of site/) and for a generated site of N articles per language
(default 1000: 3,000 pages), both on tmpfs, it starts `mekong serve --root SITE --port 0`,
reads the address it prints and opens the live-reload stream at /__mekong/events as a page
would (Host: 127.0.0.1:PORT, Accept: text/event-stream). Then it makes --edits edits (default
20), the kinds in turn:

  body      a paragraph at the end of an article changes
  title     the article's title changes
  template  templates/page.html, the theme's page template copied into the site (before the
            server starts), gets a different comment inside its content block
  ftl       locales/vi/bench.ftl, a site override of the built-in `reading-time` string
            (created before the server starts), changes

Each kind alternates the way it is saved: "atomic" writes a temporary file beside the
original and renames it over it (as many editors do), "in place" truncates and rewrites the
file. For each edit it measures (a) save → the first event of the stream (normally `reload`;
`build-error` is reported as such) and (b) save → a GET of the edited article returning the
new text (polled every 5 ms, at most 120 s). The clock starts just before the save. It prints
every edit, then median and max per kind, per save mode and overall, beside the server's own
"Rebuilt in N ms" line.

Python 3 standard library only. The server is stopped (by its process id) before the script
ends; the temporary folder is removed.
"""
import argparse
import http.client
import os
import queue
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
KINDS = ("body", "title", "template", "ftl")
POLL = 0.005
TIMEOUT = 120.0


class Server:
    """`mekong serve` on 127.0.0.1, its output read by threads; stopped by process id."""

    def __init__(self, mekong, root):
        self.lines = queue.Queue()
        started = time.monotonic()
        self.process = subprocess.Popen(
            [mekong, "serve", "--root", root, "--port", "0"],
            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, bufsize=1)
        threading.Thread(target=self._read, daemon=True).start()
        self.port = None
        while self.port is None:
            line = self.next_line(started + 600)
            if line is None:
                self.stop()
                raise SystemExit("mekong serve printed no address within 600 s")
            found = re.search(r"http://127\.0\.0\.1:(\d+)/", line)
            if found:
                self.port = int(found.group(1))
        self.startup = time.monotonic() - started
        self.rebuilds = []  # (time, line) of what it printed: "Rebuilt in N ms: …", errors

    def _read(self):
        for line in self.process.stdout:
            self.lines.put((time.monotonic(), line.rstrip("\n")))
        self.lines.put((time.monotonic(), None))

    def next_line(self, deadline):
        try:
            _, line = self.lines.get(timeout=max(0.0, deadline - time.monotonic()))
            return line
        except queue.Empty:
            return None

    def drain(self):
        """Takes the lines printed so far into `rebuilds`; returns them."""
        out = []
        while True:
            try:
                at, line = self.lines.get_nowait()
            except queue.Empty:
                return out
            if line is None:
                continue
            out.append(line)
            if line.strip():
                self.rebuilds.append((at, line.strip()))

    def stop(self):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGINT)
            try:
                self.process.wait(timeout=5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=5)


class EventStream:
    """The live-reload stream, read on a socket as a browser's EventSource would."""

    def __init__(self, port):
        self.events = []  # (monotonic time, name, data)
        self.lock = threading.Lock()
        self.sock = socket.create_connection(("127.0.0.1", port), timeout=10)
        self.sock.sendall((f"GET /__mekong/events HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\n"
                           "Accept: text/event-stream\r\nCache-Control: no-cache\r\n\r\n").encode())
        self.file = self.sock.makefile("rb")
        status = self.file.readline().decode()
        if " 200 " not in status:
            raise SystemExit(f"the event stream answered: {status.strip()}")
        while self.file.readline() not in (b"\r\n", b"\n", b""):
            pass  # headers
        self.sock.settimeout(None)
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self):
        name, data = "message", []
        for raw in self.file:
            line = raw.decode("utf-8", "replace").rstrip("\r\n")
            if line == "":
                if data:
                    with self.lock:
                        self.events.append((time.monotonic(), name, "\n".join(data)))
                name, data = "message", []
            elif line.startswith(":"):
                continue  # keep-alive comment
            elif line.startswith("event:"):
                name = line[6:].strip()
            elif line.startswith("data:"):
                data.append(line[5:].lstrip(" "))

    def after(self, t):
        with self.lock:
            return [e for e in self.events if e[0] >= t]

    def close(self):
        try:
            self.sock.shutdown(socket.SHUT_RDWR)
        except OSError:
            pass
        self.sock.close()


def save(path, text, atomic):
    if atomic:
        folder, name = os.path.split(path)
        temp = os.path.join(folder, f".{name}.bench-tmp")
        with open(temp, "w", encoding="utf-8") as f:
            f.write(text)
        os.replace(temp, path)
    else:
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)


class Page:
    """Fetches one page over a kept-alive connection."""

    def __init__(self, port, path):
        self.port, self.path, self.conn = port, path, None

    def get(self):
        for _ in range(2):
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=10)
                self.conn.request("GET", self.path, headers={"Accept": "text/html"})
                response = self.conn.getresponse()
                return response.status, response.read().decode("utf-8", "replace")
            except (OSError, http.client.HTTPException):
                if self.conn is not None:
                    self.conn.close()
                self.conn = None
        return None, ""


def make_edits(site, article):
    """The edit functions, by kind: each takes the edit number and returns (path, new text,
    the text the page must then contain)."""
    article_path = os.path.join(site, "content", article)
    with open(article_path, encoding="utf-8") as f:
        original = f.read()
    template_path = os.path.join(site, "templates", "page.html")
    with open(template_path, encoding="utf-8") as f:
        template = f.read()
    ftl_path = os.path.join(site, "locales", "vi", "bench.ftl")
    state = {"body": "", "title": ""}

    def article_text():
        text = re.sub(r'^title = "(.*)"$', lambda m: f'title = "{m.group(1)}{state["title"]}"',
                      original, count=1, flags=re.M)
        return text.rstrip("\n") + "\n" + state["body"]

    def body(k):
        marker = f"Benchmark paragraph {k}."
        state["body"] = f"\n{marker}\n"
        return article_path, article_text(), marker

    def title(k):
        state["title"] = f" (bench title {k})"
        return article_path, article_text(), f"(bench title {k})"

    def template_edit(k):
        marker = f"<!-- bench template {k} -->"
        return template_path, template.replace("{% endblock content %}",
                                               f"{marker}\n{{% endblock content %}}", 1), marker

    def ftl(k):
        return ftl_path, f"reading-time = {{ $minutes }} phút đọc (bench ftl {k})\n", f"(bench ftl {k})"

    return {"body": body, "title": title, "template": template_edit, "ftl": ftl}


def prepare(site):
    """Site overrides the template and .ftl edits change, made before the server starts."""
    os.makedirs(os.path.join(site, "templates"), exist_ok=True)
    shutil.copy(os.path.join(ROOT, "themes", "default", "templates", "page.html"),
                os.path.join(site, "templates", "page.html"))
    os.makedirs(os.path.join(site, "locales", "vi"), exist_ok=True)
    with open(os.path.join(site, "locales", "vi", "bench.ftl"), "w", encoding="utf-8") as f:
        f.write("reading-time = { $minutes } phút đọc (bench ftl 0)\n")


def ms(seconds):
    return "—" if seconds is None else f"{seconds * 1000:.0f} ms"


def summary(label, rows, key):
    values = [r[key] for r in rows if r[key] is not None]
    missing = len(rows) - len(values)
    if not values:
        return f"{label}: none arrived"
    text = (f"median {ms(statistics.median(values))}, max {ms(max(values))}"
            f" (n={len(values)})")
    return text + (f", {missing} never arrived" if missing else "")


def bench(name, mekong, site, article, url, edits):
    prepare(site)
    server = Server(mekong, site)
    stream = None
    try:
        server.drain()
        print(f"\n== {name}: {site}")
        print(f"served at http://127.0.0.1:{server.port}/ after {server.startup:.1f} s "
              f"(first build included); edited page {url} (content/{article})")
        stream = EventStream(server.port)
        page = Page(server.port, url)
        status, text = page.get()
        if status != 200:
            raise SystemExit(f"GET {url} answered {status}")
        edit_fns = make_edits(site, article)
        count = {kind: 0 for kind in KINDS}
        rows = []
        print(f"{'#':>3}  {'kind':9}{'save':10}{'event':>14}{'→ reload':>10}{'page served':>13}"
              f"   server said")
        for n in range(edits):
            kind = KINDS[n % len(KINDS)]
            atomic = count[kind] % 2 == 0
            count[kind] += 1
            path, new_text, marker = edit_fns[kind](n + 1)
            time.sleep(0.2)  # let the file system and server settle after the last edit
            server.drain()
            start = time.monotonic()
            save(path, new_text, atomic)
            deadline = start + TIMEOUT
            served = None
            while time.monotonic() < deadline:
                status, text = page.get()
                if status == 200 and marker in text:
                    served = time.monotonic() - start
                    break
                time.sleep(POLL)
            while not stream.after(start) and time.monotonic() < deadline:
                time.sleep(POLL)
            events = stream.after(start)
            first = events[0] if events else None
            event = first[0] - start if first else None
            reload_at = next((e[0] - start for e in events if e[1] == "reload"), None)
            names_page = first is not None and first[1] == "reload" and f'"{url}"' in first[2]
            # Wait for further events from the same save (a second rebuild) before moving on.
            quiet_until = time.monotonic() + 0.5
            seen = len(events)
            while time.monotonic() < min(quiet_until, start + TIMEOUT):
                time.sleep(0.05)
                if len(stream.after(start)) != seen:
                    seen = len(stream.after(start))
                    quiet_until = time.monotonic() + 0.5
            events = stream.after(start)
            server.drain()
            said = [line[:100] for at, line in server.rebuilds if at >= start]
            first_name = first[1] if first else "none"
            note = "" if names_page or first_name != "reload" else " (page not listed)"
            if len(events) > 1:
                note += f" +{len(events) - 1} more: {','.join(e[1] for e in events[1:])}"
            rows.append({"kind": kind, "atomic": atomic, "event": event, "reload": reload_at,
                         "served": served, "first": first_name})
            print(f"{n + 1:>3}  {kind:9}{'atomic' if atomic else 'in place':10}"
                  f"{first_name + ' ' + ms(event):>14}{ms(reload_at):>10}{ms(served):>13}"
                  f"   {' | '.join(said) or '-'}{note}")
        print(f"-- {name}: save → reload event | save → updated page served")
        for kind in KINDS:
            sel = [r for r in rows if r["kind"] == kind]
            modes = (f"{sum(r['atomic'] for r in sel)} atomic, "
                     f"{sum(not r['atomic'] for r in sel)} in place")
            print(f"{kind:9} ({modes}): {summary(kind, sel, 'reload')} | "
                  f"{summary(kind, sel, 'served')}")
        for label, atomic in (("atomic", True), ("in place", False)):
            sel = [r for r in rows if r["atomic"] == atomic]
            print(f"{label:9} (all kinds): {summary(label, sel, 'reload')} | "
                  f"{summary(label, sel, 'served')}")
        print(f"{'all':9} ({len(rows)} edits): {summary('all', rows, 'reload')} | "
              f"{summary('all', rows, 'served')}")
        other = [r for r in rows if r["first"] != "reload"]
        if other:
            print(f"first event not `reload` for {len(other)} edits: "
                  + ", ".join(f"{r['kind']}→{r['first']}" for r in other))
    finally:
        if stream is not None:
            stream.close()
        server.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--articles", type=int, default=1000,
                        help="articles per language of the generated site (default 1000)")
    parser.add_argument("--edits", type=int, default=20)
    parser.add_argument("--mekong", help="the binary (default: cargo build --release, then "
                        "$CARGO_TARGET_DIR or target/release/mekong)")
    parser.add_argument("--only", choices=("sample", "generated"))
    args = parser.parse_args()
    mekong = args.mekong
    if mekong is None:
        subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
        mekong = os.path.join(os.environ.get("CARGO_TARGET_DIR", os.path.join(ROOT, "target")),
                              "release", "mekong")
    shm = "/dev/shm" if os.path.isdir("/dev/shm") else None
    with tempfile.TemporaryDirectory(prefix="mekong-reload.", dir=shm) as work:
        # A copy, so a build beside this one cannot swap the binary mid-run.
        binary = os.path.join(work, "mekong")
        shutil.copy(mekong, binary)
        if args.only in (None, "sample"):
            sample = os.path.join(work, "sample")
            shutil.copytree(os.path.join(ROOT, "site"), sample,
                            ignore=shutil.ignore_patterns("public"))
            bench("sample site", binary, sample, "news/cua-khau-bu-prang-dak-dam.md",
                  "/news/cua-khau-bu-prang-dak-dam/", args.edits)
        if args.only in (None, "generated"):
            generated = os.path.join(work, "generated")
            subprocess.run([sys.executable, os.path.join(ROOT, "scripts", "gen-site.py"),
                            generated, str(args.articles)], check=True)
            shutil.rmtree(os.path.join(generated, "hugo"))  # Hugo's copy is not watched
            bench(f"generated site, {args.articles * 3} pages", binary, generated,
                  "news/a00004.md", "/news/a00004/", args.edits)


if __name__ == "__main__":
    main()
