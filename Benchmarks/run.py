#!/usr/bin/env python3
"""Comparative benchmark of `scamscan match` against other multi-pattern matchers.

    Benchmarks/run.sh [--size-mb 200] [--patterns 300,1000] [--repeat 3] [--skip ROWS]
                      [--report FILE] [--quick] ...

Every row counts the lines of one chat file (gen_chat.py) that match at least one pattern
of one pattern set (gen_patterns.py), single-threaded:

  scamscan    $SCAMSCAN match -c -j 1 -f P FILE                 (default engine: prefilter)
  naive       $SCAMSCAN match -c -j 1 --engine naive -f P FILE  (every pattern, every line)
  re2set      Benchmarks/re2set P FILE                          (RE2::Set, per line)
  hyperscan   Benchmarks/hyperscan P FILE                       (one block scan of the file)
  rg          rg -j1 -c -f P' FILE       (ripgrep, Rust regex; P' = each pattern in (?:...))
  rg-pcre2    rg -j1 -P -c -f P' FILE    (ripgrep with PCRE2 JIT)
  pcre2grep   pcre2grep -c -U -f P'' FILE  (P'' = each pattern prefixed with (*UCP)): the
              reference for the counts
  pcre2-naive Benchmarks/pcre2_naive P FILE (C loop of PCRE2 JIT; not run unless --rows)
  memchr      Benchmarks/memchr_count FILE (the floor: it only finds line ends)

For each: wall seconds (best of --repeat runs; a row whose first run takes longer than
--once-over seconds is run once), MB/s (MB = 10^6 bytes, over wall time, compile included),
speed-up over naive and over the default engine, peak RSS (/usr/bin/time -v), and the
matching-line count. Every row must report the same count (memchr excepted); a MISMATCH
line says otherwise and the exit status is 1. The Markdown report (--report) holds the
tables, the exact command line and the machine facts.
"""
import argparse
import datetime
import hashlib
import os
import platform
import re
import shlex
import signal
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(HERE)
DEFAULT_SCAMSCAN = os.environ.get("SCAMSCAN", os.path.join(REPO, ".build/release/scamscan"))
ALL_ROWS = ["scamscan", "naive", "re2set", "hyperscan", "rg", "rg-pcre2", "pcre2grep", "pcre2-naive", "memchr"]
DEFAULT_ROWS = ["scamscan", "naive", "re2set", "hyperscan", "rg", "rg-pcre2", "pcre2grep", "memchr"]
NOTES = {
    "scamscan": "literal prefilter + PCRE2 JIT confirmation",
    "naive": "every PCRE2 pattern (JIT) on every line",
    "re2set": "RE2::Set, UNANCHORED, one Match per line; ASCII \\b \\w \\d \\s",
    "hyperscan": "one hs_scan of the whole file; match ends mapped to lines",
    "rg": "ripgrep, Rust regex (Unicode \\b \\w)",
    "rg-pcre2": "ripgrep -P: PCRE2 JIT, UTF + UCP",
    "pcre2grep": "reference: every pattern on every line, UTF + UCP",
    "pcre2-naive": "C loop: every PCRE2 pattern (JIT) on every line",
    "memchr": "newline count: the floor, not a matcher",
}


def sh(cmd):
    try:
        return subprocess.run(cmd, shell=True, stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                              timeout=30).stdout.decode(errors="replace").strip()
    except Exception:
        return ""


def machine_facts(scamscan):
    cpu = sh("lscpu | sed -n 's/^Model name: *//p' | head -1") or platform.processor()
    mem = sh("awk '/MemTotal/ {printf \"%.1f GiB\", $2/1048576}' /proc/meminfo")
    osname = sh(". /etc/os-release 2>/dev/null && echo \"$PRETTY_NAME\"")
    facts = [
        ("nproc", sh("nproc")),
        ("CPU", cpu + (" (" + sh("lscpu | sed -n 's/^CPU max MHz: *//p'") + " MHz max)" if sh("lscpu | grep -c 'CPU max MHz'") not in ("", "0") else "")),
        ("caches", sh("lscpu | grep -E '^L[23] cache' | sed 's/  */ /g' | paste -sd ';' -")),
        ("memory", mem),
        ("OS", "%s, kernel %s" % (osname, platform.release())),
        ("scamscan", (sh(shlex.quote(scamscan) + " --version") or "?") + " at " + scamscan),
        ("ripgrep", sh("rg --version | head -1")),
        ("pcre2grep", sh("pcre2grep --version")),
        ("libraries", sh("dpkg-query -W -f='${Package} ${Version}\\n' libre2-9 libhyperscan5 libpcre2-8-0 2>/dev/null | paste -sd ';' -")),
        ("compiler", sh("g++ --version | head -1")),
        ("python", platform.python_version()),
    ]
    return facts


def fmt_size(mb):
    return ("%d" % mb) if float(mb).is_integer() else ("%g" % mb)


def prepare_pattern_variants(pfile, tmpdir):
    """P' for rg (each pattern in (?:...)) and P'' for pcre2grep ((*UCP) prefix)."""
    pats = [l.rstrip("\r\n") for l in open(pfile, encoding="utf-8")]
    pats = [p for p in pats if p.strip() and not p.startswith("#")]
    base = os.path.basename(pfile)
    wrap = os.path.join(tmpdir, base + ".rg")
    ucp = os.path.join(tmpdir, base + ".pcre2grep")
    with open(wrap, "w", encoding="utf-8") as fh:
        # rg -f joins the patterns with '|': an inline (?i) would then leak into the
        # patterns after it. (?:...) keeps each pattern's flags to itself.
        fh.write("".join("(?:%s)\n" % p for p in pats))
    with open(ucp, "w", encoding="utf-8") as fh:
        fh.write("".join("(*UCP)%s\n" % p for p in pats))
    return len(pats), wrap, ucp


def row_command(row, args, pfile, wrap, ucp, data, scamscan_threads):
    b = lambda name: os.path.join(HERE, name)
    s = args.scamscan
    j = ["-j", "1"] if scamscan_threads else []
    if row == "scamscan":
        if args.stand_in:
            return ["pcre2grep", "-c", "-U", "-f", ucp, data]
        return [s, "match", "-c"] + j + ["-f", pfile, data]
    if row == "naive":
        if args.stand_in:
            return ["pcre2grep", "-c", "-U", "--no-jit", "-f", ucp, data]
        return [s, "match", "-c"] + j + ["--engine", "naive", "-f", pfile, data]
    if row == "re2set":
        return [b("re2set"), pfile, data]
    if row == "hyperscan":
        return [b("hyperscan"), pfile, data]
    if row == "rg":
        return ["rg", "-j1", "-c", "-f", wrap, data]
    if row == "rg-pcre2":
        return ["rg", "-j1", "-P", "-c", "-f", wrap, data]
    if row == "pcre2grep":
        return ["pcre2grep", "-c", "-U", "-f", ucp, data]
    if row == "pcre2-naive":
        return [b("pcre2_naive"), pfile, data]
    if row == "memchr":
        return [b("memchr_count"), data]
    raise ValueError(row)


def run_once(cmd, timeout):
    """Run under /usr/bin/time -v. Returns (wall, rss_kb, count or None, stderr, status)."""
    with tempfile.NamedTemporaryFile(prefix="bench-time-", suffix=".txt", delete=False) as tf:
        tfile = tf.name
    full = ["/usr/bin/time", "-v", "-o", tfile] + cmd
    t0 = time.perf_counter()
    p = subprocess.Popen(full, stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    try:
        out, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        os.killpg(p.pid, signal.SIGKILL)  # the process group this run started, nothing else
        p.communicate()
        os.unlink(tfile)
        return time.perf_counter() - t0, None, None, "", "timeout"
    wall = time.perf_counter() - t0
    rss = None
    try:
        with open(tfile, encoding="utf-8", errors="replace") as fh:
            for l in fh:
                if "Maximum resident set size" in l:
                    rss = int(l.rsplit(":", 1)[1])
    finally:
        os.unlink(tfile)
    err = err.decode(errors="replace")
    if p.returncode not in (0, 1):
        return wall, rss, None, err, "exit %d" % p.returncode
    nums = re.findall(r"\d+", out.decode(errors="replace").strip().splitlines()[-1] if out.strip() else "")
    if not nums:
        return wall, rss, None, err, "no count on stdout"
    return wall, rss, int(nums[-1]), err, "ok"


def harness_note(row, err):
    """Compile/scan split that the C harnesses print on stderr."""
    m = re.search(r"compile_s=([\d.]+).*?scan_s=([\d.]+) MB/s=([\d.]+)", err)
    if row in ("re2set", "hyperscan", "pcre2-naive") and m:
        return "compile %.2f s, scan-only %.1f MB/s" % (float(m.group(1)), float(m.group(3)))
    return ""


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--size-mb", type=float, default=None, help="chat file size in MB (default 200; 5 with --quick)")
    ap.add_argument("--data", help="use this chat file instead of Benchmarks/data/chat-<size>mb.txt")
    ap.add_argument("--patterns", default=None,
                    help="pattern sets: comma-separated counts (Benchmarks/patterns-N.txt) or files (default 300,1000; 300 with --quick)")
    ap.add_argument("--repeat", type=int, default=None, help="runs per row, best kept (default 3; 1 with --quick)")
    ap.add_argument("--once-over", type=float, default=60.0, help="a row whose first run takes longer is not repeated (s)")
    ap.add_argument("--timeout", type=float, default=1800.0, help="per run, seconds; a row that times out is reported as such")
    ap.add_argument("--rows", help="comma-separated rows to run, from: " + ",".join(ALL_ROWS))
    ap.add_argument("--skip", default="", help="comma-separated rows to leave out (e.g. naive,rg,rg-pcre2,pcre2grep)")
    ap.add_argument("--scamscan", default=DEFAULT_SCAMSCAN, help="scamscan binary (default $SCAMSCAN or .build/release/scamscan)")
    ap.add_argument("--stand-in", action="store_true",
                    help="replace the two scamscan rows with pcre2grep (to test this script without scamscan)")
    ap.add_argument("--report", help="write the Markdown report here")
    ap.add_argument("--quick", action="store_true",
                    help="smoke run: --size-mb 5 --patterns 300 --repeat 1, without the rg (Rust regex) row")
    ap.add_argument("--no-build", action="store_true", help="do not run make -C Benchmarks first")
    args = ap.parse_args()

    size = args.size_mb if args.size_mb is not None else (5 if args.quick else 200)
    repeat = args.repeat if args.repeat is not None else (1 if args.quick else 3)
    psets = args.patterns or ("300" if args.quick else "300,1000")
    rows = [r for r in (args.rows.split(",") if args.rows else DEFAULT_ROWS)]
    skip = set(filter(None, args.skip.split(",")))
    if args.quick and not args.rows:
        skip.add("rg")
    for r in rows + list(skip):
        if r not in ALL_ROWS:
            sys.exit("run.py: unknown row %r (rows: %s)" % (r, ", ".join(ALL_ROWS)))
    rows = [r for r in rows if r not in skip]
    argv0 = os.environ.get("BENCH_RUN_SH") or sys.argv[0]
    command_line = " ".join(shlex.quote(a) for a in [argv0] + sys.argv[1:])
    log = []

    def say(msg=""):
        print(msg, flush=True)

    if not args.no_build:
        say("building the harnesses: make -C %s" % HERE)
        r = subprocess.run(["make", "-s", "-C", HERE, "deps", "all"])
        if r.returncode != 0:
            sys.exit("run.py: make -C Benchmarks failed")

    # scamscan: present, with `match`, with -j?
    scamscan_threads = False
    if any(r in rows for r in ("scamscan", "naive")) and not args.stand_in:
        ok = os.access(args.scamscan, os.X_OK)
        helptext = sh(shlex.quote(args.scamscan) + " match --help") if ok else ""
        if not ok or "USAGE: scamscan match" not in helptext:
            say("warning: %s has no `match` subcommand (or is missing): scamscan rows skipped; "
                "--stand-in replaces them with pcre2grep" % args.scamscan)
            rows = [r for r in rows if r not in ("scamscan", "naive")]
        scamscan_threads = "--threads" in helptext

    # data
    gen_note = ""
    if args.data:
        data = args.data
    else:
        data = os.path.join(HERE, "data", "chat-%smb.txt" % fmt_size(size))
        if not os.path.exists(data):
            cmd = [sys.executable, os.path.join(HERE, "gen_chat.py"), "--size-mb", fmt_size(size), "--out", data]
            say("generating %s: %s" % (data, " ".join(cmd)))
            t0 = time.perf_counter()
            subprocess.run(cmd, check=True)
            gen_note = "generated in this run in %.1f s: `%s`" % (time.perf_counter() - t0, " ".join(
                ["python3", "Benchmarks/gen_chat.py", "--size-mb", fmt_size(size), "--out", os.path.relpath(data, REPO)]))
    nbytes = os.path.getsize(data)
    with open(data, "rb") as fh:
        h = hashlib.sha256()
        nlines = 0
        for chunk in iter(lambda: fh.read(1 << 24), b""):
            h.update(chunk)
            nlines += chunk.count(b"\n")
    digest = h.hexdigest()[:16]

    pfiles = []
    for p in psets.split(","):
        p = p.strip()
        pfiles.append(os.path.join(HERE, "patterns-%s.txt" % p) if p.isdigit() else p)
    tmpdir = os.path.join(HERE, "data")  # derived pattern files (*.rg, *.pcre2grep) go beside the data
    os.makedirs(tmpdir, exist_ok=True)
    results = {}
    mismatch = False
    say("data: %s (%d bytes, %d lines, sha256 %s...)" % (data, nbytes, nlines, digest))
    for pfile in pfiles:
        npat, wrap, ucp = prepare_pattern_variants(pfile, tmpdir)
        say("\n== %s (%d patterns) ==" % (os.path.relpath(pfile, REPO), npat))
        res = []
        for row in rows:
            cmd = row_command(row, args, pfile, wrap, ucp, data, scamscan_threads)
            best = None
            runs = 0
            status = "ok"
            for i in range(max(1, repeat)):
                wall, rss, count, err, status = run_once(cmd, args.timeout)
                runs += 1
                if status != "ok":
                    best = {"wall": wall, "rss": rss, "count": None, "err": err, "status": status}
                    break
                if best is None or wall < best["wall"]:
                    best = {"wall": wall, "rss": rss, "count": count, "err": err, "status": "ok"}
                if best["count"] != count:
                    best["status"] = "count changed between runs"
                if wall > args.once_over:
                    break
            best.update(row=row, cmd=cmd, runs=runs)
            res.append(best)
            shown = " ".join(shlex.quote(os.path.relpath(c, REPO) if os.path.isabs(c) and c.startswith(REPO) else c) for c in cmd)
            if best["status"] == "ok":
                say("%-11s %8d lines  %8.2f s  %8.1f MB/s  %7.0f MB RSS  (%d run%s)  %s" % (
                    row, best["count"], best["wall"], nbytes / 1e6 / best["wall"], (best["rss"] or 0) / 1024.0,
                    runs, "" if runs == 1 else "s", shown))
            else:
                say("%-11s %s after %.1f s: %s\n  %s" % (row, best["status"], best["wall"], shown, best["err"].strip()[-500:]))
        counts = {r["row"]: r["count"] for r in res if r["status"] == "ok" and r["row"] != "memchr"}
        distinct = set(counts.values())
        if len(distinct) > 1:
            mismatch = True
            ref = counts.get("pcre2grep")
            line = "MISMATCH on %s: %s" % (os.path.basename(pfile), ", ".join("%s=%d" % kv for kv in counts.items()))
            if ref is not None:
                line += " (reference pcre2grep=%d)" % ref
            say(line)
            log.append(line)
        elif counts:
            say("counts agree: %d engines report %d matching lines" % (len(counts), distinct.pop()))
        results[pfile] = (npat, res)

    # ------------------------------------------------------------------ report
    out = []
    out.append("## Matcher benchmark, %s" % datetime.datetime.now().strftime("%Y-%m-%d %H:%M"))
    out.append("")
    out.append("Command: `%s`" % command_line)
    out.append("")
    out.append("Data: `%s`, %.1f MB (%d bytes), %d lines, sha256 %s…%s" % (
        os.path.relpath(data, REPO), nbytes / 1e6, nbytes, nlines, digest, ("; " + gen_note) if gen_note else ""))
    out.append("")
    out.append("Machine: " + "; ".join("%s: %s" % kv for kv in machine_facts(args.scamscan) if kv[1]))
    out.append("")
    out.append("Single-threaded throughout. Wall time of the whole command (start-up, pattern "
               "compilation and reading the file included), best of %d run(s) (a row slower than %.0f s "
               "is run once); MB = 10^6 bytes; × naive and × default = speed-up over those rows; "
               "peak RSS from /usr/bin/time -v (includes the mapped file for the mmap-based harnesses)." % (repeat, args.once_over))
    for pfile, (npat, res) in results.items():
        byrow = {r["row"]: r for r in res}
        naive = byrow.get("naive")
        dflt = byrow.get("scamscan")
        out.append("")
        out.append("### %d patterns (`%s`)" % (npat, os.path.relpath(pfile, REPO)))
        out.append("")
        out.append("| engine | matching lines | wall s | MB/s | × naive | × default | peak RSS MB | notes |")
        out.append("| --- | ---: | ---: | ---: | ---: | ---: | ---: | --- |")
        for r in res:
            note = NOTES.get(r["row"], "")
            if args.stand_in and r["row"] in ("scamscan", "naive"):
                note = "STAND-IN: pcre2grep%s" % (" --no-jit" if r["row"] == "naive" else "")
            hn = harness_note(r["row"], r.get("err", ""))
            if hn:
                note += "; " + hn
            if r["status"] != "ok":
                wall = ("> %.0f" % r["wall"]) if r["status"] == "timeout" else "—"
                mbs = ("< %.2f" % (nbytes / 1e6 / r["wall"])) if r["status"] == "timeout" else "—"
                out.append("| %s | %s | %s | %s | — | — | — | %s |" % (r["row"], r["status"], wall, mbs, note))
                continue
            def ratio(other):
                if not other or other["status"] != "ok":
                    return "—"
                return "%.2f" % (other["wall"] / r["wall"])
            cnt = str(r["count"]) if r["row"] != "memchr" else "(%d lines)" % r["count"]
            mbs = nbytes / 1e6 / r["wall"]
            out.append("| %s | %s | %.2f | %s | %s | %s | %.0f | %s |" % (
                r["row"], cnt, r["wall"], ("%.1f" % mbs) if mbs >= 10 else ("%.2f" % mbs), ratio(naive), ratio(dflt),
                (r["rss"] or 0) / 1024.0, note))
        counts = {r["row"]: r["count"] for r in res if r["status"] == "ok" and r["row"] != "memchr"}
        out.append("")
        if len(set(counts.values())) > 1:
            out.append("**MISMATCH**: " + ", ".join("%s=%d" % kv for kv in counts.items()))
        elif counts:
            out.append("Counts agree: %s all report %d matching lines." % (", ".join(counts), next(iter(counts.values()))))
        out.append("")
        out.append("Commands:")
        out.append("")
        for r in res:
            out.append("    " + " ".join(shlex.quote(os.path.relpath(c, REPO) if os.path.isabs(c) and c.startswith(REPO) else c) for c in r["cmd"]))
    out.append("")
    out.append("`*.rg` = the pattern file with each pattern wrapped in `(?:...)` (rg -f joins patterns "
               "with `|`, so a bare `(?i)` would leak into the patterns after it); `*.pcre2grep` = each "
               "pattern prefixed with `(*UCP)` (pcre2grep -U sets UTF but not UCP). run.py writes both "
               "to Benchmarks/data/.")
    text = "\n".join(out) + "\n"
    if args.report:
        with open(args.report, "w", encoding="utf-8") as fh:
            fh.write(text)
        say("\nreport written to %s" % args.report)
    for l in log:
        say(l)
    return 1 if mismatch else 0


if __name__ == "__main__":
    sys.exit(main())
