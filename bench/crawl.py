"""End-to-end crawl benchmark: `akhbar crawl` against the CPU limit and trafilatura's own CLI, one run.

    python bench/crawl.py                    # 5,000 articles over 20 hosts, 50 ms latency
    python bench/crawl.py --articles 500     # a quick look
    python bench/crawl.py --long             # 20,000 articles: is memory flat on a long crawl?
    python bench/crawl.py --only akhbar      # skip the references

The site: a loopback Arabic news site served from a separate process, spread over 20 hosts
(127.0.0.1 ... 127.0.0.20, each a source with its robots.txt and sitemap), every response held back
by `--latency` seconds. Article pages are generated from the shared corpus pages, read in place:
each article takes one real publisher's page as its frame (header, menus, sidebars, footer, scripts:
the boilerplate an extractor must get through) and fills its story paragraphs and headline with a
seeded draw of corpus sentences, so bodies are corpus-sized and corpus-like and no two articles read
alike. The frame's canonical link and og:url are removed (they would make every article one URL).

Three runs over the same pages, each timed alone, measured in wall time, CPU seconds of all their
processes (server excluded) and the resident memory of their process tree (sampled every 0.2 s):

- cpu-limit: bare `trafilatura.extract(html)` (default settings) over the same pages on every core
  (a multiprocessing pool), with no network and no database: what the machine can extract.
- trafilatura-cli: `trafilatura --input-file urls.txt --output-dir DIR --parallel C` fetching and
  extracting the same article URLs (sleep between requests 0, loopback allowed, by config file).
- akhbar: `akhbar crawl` from an empty SQLite database: discovery (robots.txt, sitemaps), the
  frontier, fetching, extraction, dedup, search index, raw pages, all of it.

Both tools get per-host delay 0 and the same concurrency budget C (akhbar's fetcher default of
simultaneous connections, given to trafilatura as --parallel). Ratios are printed at the end:
akhbar pages/s against the CPU limit (target >= 0.8) and against trafilatura's CLI (target >= 2),
akhbar's peak RSS (target <= 600 MB) and RSS growth from the first 10 % of the crawl to its end
(target <= 50 MB on --long).
"""

from __future__ import annotations

import argparse
import asyncio
import multiprocessing
import os
import random
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import lxml.html

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))

from ingest.decode import decode_html  # noqa: E402
from ingest.fetch import FetchSettings  # noqa: E402
from ingest.sources import Source, source_as_toml  # noqa: E402

CORPUS = Path(os.environ.get("AKHBAR_CORPUS", REPO.parent / "shared" / "corpus"))
HOSTS = 20
CONCURRENCY = FetchSettings().max_connections
TARGETS = {"cpu_limit_ratio": 0.8, "cli_ratio": 2.0, "peak_rss_mb": 600, "rss_growth_mb": 50}
_SENTENCE_END = re.compile(r"(?<=[.!؟?])\s+|\n+")
_SLOT = "\ue000"  # a private-use character: never in real text, marks a slot in a frame


# ---------------------------------------------------------------- the pages


@dataclass(slots=True)
class Frame:
    """A corpus page split around its headline and story paragraphs: parts[0] slot parts[1] slot ..."""

    parts: list[str]
    paragraph_sizes: list[int]  # sentences per story paragraph, as the original had them


@dataclass(slots=True)
class SiteText:
    frames: list[Frame]
    sentences: list[str]


def load_site_text(corpus: Path) -> SiteText:
    sentences: list[str] = []
    frames: list[Frame] = []
    for path in sorted((corpus / "pages").glob("*.html")):
        tree = lxml.html.document_fromstring(decode_html(path.read_bytes()))
        for stale in tree.xpath("//link[contains(@rel, 'canonical')] | //meta[@property='og:url']"):
            stale.drop_tree()
        slots = []
        title = tree.find(".//title")
        headline = tree.find(".//h1")
        for element in (title, headline):
            if element is not None:
                element.text, element[:] = _SLOT, []
        sizes = []
        for paragraph in tree.xpath("//body//p"):
            text = " ".join(paragraph.text_content().split())
            found = [s for s in _SENTENCE_END.split(text) if len(s.split()) >= 6]
            sentences.extend(found)
            if found:
                sizes.append(len(found))
                paragraph.text, paragraph[:] = _SLOT, []
                slots.append(paragraph)
        parts = lxml.html.tostring(tree, encoding="unicode", doctype="<!DOCTYPE html>").split(_SLOT)
        if sizes:
            frames.append(Frame(parts, sizes))
    if not frames:
        raise SystemExit(f"no corpus pages in {corpus / 'pages'} (set AKHBAR_CORPUS)")
    return SiteText(frames, sorted(set(sentences)))


def render_article(text: SiteText, article_id: int) -> str:
    rng = random.Random(article_id)
    frame = text.frames[article_id % len(text.frames)]
    headline = " ".join(rng.choice(text.sentences).split()[:12])
    slots = len(frame.parts) - 1
    fills = [headline, headline][: slots - len(frame.paragraph_sizes)]
    fills += [" ".join(rng.sample(text.sentences, size)) for size in frame.paragraph_sizes]
    out = [frame.parts[0]]
    for fill, part in zip(fills, frame.parts[1:], strict=True):
        out.append(fill.replace("&", "&amp;").replace("<", "&lt;"))
        out.append(part)
    return "".join(out)


def host_of(index: int) -> str:
    return f"127.0.0.{index + 1}"


def article_path(article_id: int) -> str:
    return f"/news/2025/11/{1_000_000 + article_id}.html"


def host_articles(host_index: int, articles: int) -> range:
    return range(host_index, articles, HOSTS)


# ---------------------------------------------------------------- the server (its own process)


def serve(articles: int, latency: float, ports: multiprocessing.Queue, corpus: str) -> None:
    text = load_site_text(Path(corpus))
    asyncio.run(_serve(text, articles, latency, ports))


async def _serve(text: SiteText, articles: int, latency: float, ports: multiprocessing.Queue) -> None:
    servers = []
    bound = []
    for index in range(HOSTS):
        host = host_of(index)

        async def handle(reader, writer, index=index, host=host):
            port = writer.get_extra_info("sockname")[1]
            try:
                while True:
                    request = await reader.readuntil(b"\r\n\r\n")
                    path = request.split(b" ", 2)[1].decode()
                    await asyncio.sleep(latency)
                    status, kind, body = _route(text, articles, index, f"http://{host}:{port}", path)
                    head = f"HTTP/1.1 {status}\r\nContent-Type: {kind}\r\nContent-Length: {len(body)}\r\n\r\n"
                    writer.write(head.encode() + body)
                    await writer.drain()
            except (asyncio.IncompleteReadError, ConnectionError):
                pass
            finally:
                writer.close()

        server = await asyncio.start_server(handle, host, 0, backlog=512)
        servers.append(server)
        bound.append((host, server.sockets[0].getsockname()[1]))
    ports.put(bound)
    await asyncio.Event().wait()


def _route(text: SiteText, articles: int, index: int, base: str, path: str) -> tuple[int, str, bytes]:
    if path == "/robots.txt":
        return 200, "text/plain", f"User-agent: *\nAllow: /\nSitemap: {base}/sitemap.xml\n".encode()
    if path == "/sitemap.xml":
        urls = "".join(
            f"<url><loc>{base}{article_path(i)}</loc></url>" for i in host_articles(index, articles)
        )
        body = f'<?xml version="1.0" encoding="UTF-8"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{urls}</urlset>'
        return 200, "application/xml", body.encode()
    match = re.fullmatch(r"/news/2025/11/(\d+)\.html", path)
    if match:
        article_id = int(match[1]) - 1_000_000
        if 0 <= article_id < articles and article_id % HOSTS == index:
            return 200, "text/html; charset=utf-8", render_article(text, article_id).encode()
    return 404, "text/html", b"<h1>404</h1>"


# ---------------------------------------------------------------- measuring a process tree


@dataclass(slots=True)
class Measured:
    name: str
    pages: int
    wall: float
    cpu: float
    rss_samples: list[tuple[float, int]] = field(default_factory=list)  # (seconds, bytes)
    note: str = ""
    main_cpu: float | None = None  # CPU seconds of the top process alone (it competes with the workers)

    @property
    def pages_per_s(self) -> float:
        return self.pages / self.wall if self.wall else 0.0

    @property
    def peak_rss_mb(self) -> float:
        return max((rss for _, rss in self.rss_samples), default=0) / 1e6

    @property
    def rss_growth_mb(self) -> float:
        """RSS at the end of the run against RSS once 10 % of it had passed (warm: pool up, caches filled)."""
        if len(self.rss_samples) < 10:
            return 0.0
        warm = [rss for t, rss in self.rss_samples if t >= 0.1 * self.wall][:5]
        end = [rss for _, rss in self.rss_samples[-5:]]
        return (sum(end) / len(end) - sum(warm) / len(warm)) / 1e6


def _children_of() -> dict[int, list[int]]:
    tree: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/stat") as stat:
                    parent = int(stat.read().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError, ValueError):
                continue
            tree.setdefault(parent, []).append(int(entry))
    return tree


def tree_memory(root: int, cpu_seen: dict[int, float]) -> int:
    """Memory of a process and all its descendants, in bytes (Linux /proc), noting each one's CPU.

    Proportional set size (PSS), not the sum of RSS: forked workers share the pages they inherit,
    and adding up their RSS would count the shared interpreter and libraries once per worker.
    """
    children = _children_of()
    total, stack = 0, [root]
    while stack:
        pid = stack.pop()
        stack.extend(children.get(pid, []))
        try:
            with open(f"/proc/{pid}/smaps_rollup") as rollup:
                total += next(int(line.split()[1]) * 1024 for line in rollup if line.startswith("Pss:"))
            with open(f"/proc/{pid}/stat") as stat:
                fields = stat.read().rsplit(")", 1)[1].split()
            # utime and stime only: a parent's cutime and cstime repeat its reaped children's.
            cpu_seen[pid] = sum(int(f) for f in fields[11:13]) / os.sysconf("SC_CLK_TCK")
        except (OSError, IndexError, ValueError, StopIteration):
            continue
    return total


class RssSampler:
    def __init__(self, pid: int, every: float = 0.2) -> None:
        self.pid, self.every, self.samples = pid, every, []
        # CPU seconds last seen per process of the tree, each its own: a lower bound of the tree's
        # CPU that also counts descendants nobody has reaped yet, which getrusage would miss.
        self.cpu_seen: dict[int, float] = {}
        self._stop = threading.Event()
        self._started = time.perf_counter()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.wait(self.every):
            memory = tree_memory(self.pid, self.cpu_seen)
            self.samples.append((time.perf_counter() - self._started, memory))

    def stop(self) -> list[tuple[float, int]]:
        self._stop.set()
        self._thread.join()
        return self.samples


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_command(name: str, command: list[str], pages: int, **kwargs) -> tuple[Measured, str]:
    cpu_before = children_cpu()
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True, **kwargs)
    sampler = RssSampler(process.pid)
    output, _ = process.communicate()
    wall = time.perf_counter() - started
    samples = sampler.stop()
    cpu = max(children_cpu() - cpu_before, sum(sampler.cpu_seen.values()))
    if process.returncode not in (0, 1):
        print(output[-3000:], file=sys.stderr)
        raise SystemExit(f"{name} exited {process.returncode}")
    main_cpu = sampler.cpu_seen.get(process.pid)
    return Measured(name, pages, wall, cpu, samples, main_cpu=main_cpu), output


# ---------------------------------------------------------------- the three runs

_pool_text: SiteText | None = None


def _pool_init(corpus: str) -> None:
    global _pool_text
    _pool_text = load_site_text(Path(corpus))


def _bare_extract(article_id: int) -> bool:
    import trafilatura

    return trafilatura.extract(render_article(_pool_text, article_id)) is not None


def cpu_limit(articles: int, workers: int) -> Measured:
    cpu_before = children_cpu()
    context = multiprocessing.get_context(
        "fork"
    )  # workers are this process's children: getrusage counts them
    with context.Pool(workers, initializer=_pool_init, initargs=(str(CORPUS),)) as pool:
        pool.map(_bare_extract, range(workers))  # warm-up: imports, frames loaded in every worker
        sampler = RssSampler(os.getpid())
        started = time.perf_counter()
        extracted = sum(pool.imap_unordered(_bare_extract, range(articles), chunksize=16))
        wall = time.perf_counter() - started
        samples = sampler.stop()
        pool.close()
        pool.join()
    note = f"{extracted} of {articles} pages gave text"
    return Measured(
        "cpu-limit (bare trafilatura, all cores)", articles, wall, children_cpu() - cpu_before, samples, note
    )


def trafilatura_cli(articles: int, bases: list[str], work: Path) -> Measured:
    urls = work / "urls.txt"
    urls.write_text("".join(f"{bases[i % HOSTS]}{article_path(i)}\n" for i in range(articles)))
    config = work / "trafilatura.cfg"
    shipped = Path(__import__("trafilatura").__file__).parent / "settings.cfg"
    settings = shipped.read_text()
    settings = re.sub(r"(?m)^SLEEP_TIME = .*$", "SLEEP_TIME = 0", settings)
    settings = re.sub(r"(?m)^SSRF_PROTECTION = .*$", "SSRF_PROTECTION = off", settings)
    config.write_text(settings)
    out = work / "trafilatura-out"
    command = [
        shutil.which("trafilatura") or "trafilatura",
        "--input-file", str(urls),
        "--output-dir", str(out),
        "--parallel", str(CONCURRENCY),
        "--config-file", str(config),
    ]  # fmt: skip
    measured, _ = run_command("trafilatura CLI (fetch + extract)", command, articles)
    written = sum(1 for _ in out.rglob("*")) if out.exists() else 0
    measured.note = f"{written} of {articles} pages written"
    return measured


def akhbar_crawl(articles: int, bases: list[str], work: Path, profile: Path | None = None) -> Measured:
    sources = work / "sources.toml"
    sources.write_text(
        "\n".join(
            source_as_toml(
                Source(name=f"host{i + 1}", base_url=base + "/", sitemaps=(base + "/sitemap.xml",), delay=0)
            )
            for i, base in enumerate(bases)
        )
    )
    database = work / "akhbar.db"
    profiler = ["-m", "cProfile", "-o", str(profile)] if profile else []
    database_url = f"sqlite:///{database}"
    command = [
        sys.executable,
        *profiler,
        "-m",
        "ingest",
        "--db",
        database_url,
        "--sources",
        str(sources),
        "crawl",
    ]
    measured, output = run_command("akhbar crawl (end to end)", command, articles, cwd=REPO)
    summary = [line for line in output.splitlines() if " pages: " in line]
    reasons = Counter(line.split("  ")[-1][:90] for line in output.splitlines() if line.startswith("failed "))
    measured.note = (summary[-1].strip() if summary else output[-500:]) + "".join(
        f"\n{'':>42}{count} x {reason}" for reason, count in reasons.most_common(3)
    )
    # Every page fetched and carried through to an outcome counts, as every page counts for the
    # references; the summary says how many of them were stored.
    processed = re.search(r"(\d+) pages: ", measured.note)
    measured.pages = int(processed[1]) if processed else 0
    return measured


# ---------------------------------------------------------------- report


def report(runs: dict[str, Measured], args: argparse.Namespace) -> None:
    print(f"\nmachine: {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at the end (shared)")
    print(f"site: {args.articles} articles over {HOSTS} hosts, {args.latency * 1000:.0f} ms latency")
    print(f"{'run':<42}{'pages':>7}{'pages/s':>9}{'CPU s/page':>12}{'peak RSS':>11}{'RSS growth':>12}")
    for run in runs.values():
        print(
            f"{run.name:<42}{run.pages:>7}{run.pages_per_s:>9.1f}"
            f"{run.cpu / max(run.pages, 1) * 1000:>9.1f} ms"
            f"{run.peak_rss_mb:>8.0f} MB{run.rss_growth_mb:>9.1f} MB"
            f"   {run.note}"
        )
        if run.main_cpu is not None:
            per_page = 1000 / max(run.pages, 1)
            print(
                f"{'':>42}main process alone: {run.main_cpu * per_page:.1f} ms CPU/page,"
                f" its child processes: {(run.cpu - run.main_cpu) * per_page:.1f} ms"
            )
    akhbar = runs.get("akhbar")
    if akhbar is None:
        return
    if "cpu" in runs:
        ratio = akhbar.pages_per_s / runs["cpu"].pages_per_s
        print(f"akhbar / CPU limit       = {ratio:.2f}x  (target >= {TARGETS['cpu_limit_ratio']})")
    if "cli" in runs:
        ratio = akhbar.pages_per_s / runs["cli"].pages_per_s
        print(f"akhbar / trafilatura CLI = {ratio:.2f}x  (target >= {TARGETS['cli_ratio']})")
    print(f"akhbar peak RSS          = {akhbar.peak_rss_mb:.0f} MB  (target <= {TARGETS['peak_rss_mb']})")
    growth = TARGETS["rss_growth_mb"]
    print(f"akhbar RSS growth        = {akhbar.rss_growth_mb:.1f} MB  (target <= {growth} on --long)")


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=5000)
    parser.add_argument("--long", action="store_true", help="20,000 articles (memory on a long crawl)")
    parser.add_argument("--latency", type=float, default=0.05, help="seconds before each response")
    parser.add_argument("--profile", type=Path, help="cProfile akhbar's main process into this file")
    parser.add_argument("--only", choices=("akhbar", "cpu", "cli"), action="append")
    args = parser.parse_args(argv)
    if args.long:
        args.articles = 20_000
    wanted = args.only or ["cpu", "cli", "akhbar"]
    workers = len(os.sched_getaffinity(0))
    context = multiprocessing.get_context("spawn")
    ports = context.Queue()
    server = context.Process(
        target=serve, args=(args.articles, args.latency, ports, str(CORPUS)), daemon=True
    )
    server.start()
    bases = [f"http://{host}:{port}" for host, port in ports.get(timeout=60)]
    runs: dict[str, Measured] = {}
    try:
        with tempfile.TemporaryDirectory(prefix="akhbar-bench-") as scratch:
            work = Path(scratch)
            if "cpu" in wanted:
                runs["cpu"] = cpu_limit(args.articles, workers)
                print(f"done: {runs['cpu'].name}", flush=True)
            if "cli" in wanted:
                runs["cli"] = trafilatura_cli(args.articles, bases, work)
                print(f"done: {runs['cli'].name}", flush=True)
            if "akhbar" in wanted:
                runs["akhbar"] = akhbar_crawl(args.articles, bases, work, args.profile)
                print(f"done: {runs['akhbar'].name}", flush=True)
    finally:
        server.terminate()
        server.join()
    report(runs, args)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
