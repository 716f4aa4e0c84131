#!/usr/bin/env python3
"""make bench: QEMU sessions, then the table and the plot.

  bench.py run OUT BENCH [SESSION...]   run sessions, raw logs in BENCH/logs
  bench.py report BENCH [DOCDIR]        BENCH/results.md, BENCH/bench.png

A session is one QEMU (TCG, -smp 2) booted with our bzImage and the bench
root (see init).  The host timestamps every serial line as it arrives
(time.monotonic) and, through QEMU's gdb stub, every time the guest
executes the kernel entry points (0x100000: bzImage protected-mode entry;
0x1000000: vmlinux startup_32 at CONFIG_PHYSICAL_START).  With those,
'kexec -e' to the next init splits into
  exec -> point of no return   the guest's "exec" line to the kernel's own
                               last line before machine_shutdown()
                               ("starting the loaded kernel" for ours,
                               "Starting new kernel" for mainline,
                               "reboot: Restarting system" for firmware)
  point of no return -> entry  machine_shutdown, the stub (ours) or
                               relocate_kernel + purgatory (mainline), or
                               the reset and SeaBIOS (firmware)
  entry -> init                the new kernel's own boot, to "Run /init"
For experiments: BENCH_GENS=N shortens every session to N generations,
BENCH_SMP=N changes the guest's CPU count.

Each stop at a breakpoint costs the guest a stub round trip (well under a
millisecond here); the logs keep every time, relative to QEMU's start.
"""
import os
import re
import select
import socket
import statistics
import subprocess
import sys
import time

ENTRIES = (0x100000, 0x1000000)

# name: (memory, generations, timed loads per generation)
SESSIONS = {
    "firmware": ("256M", 11, 0),
    "vmlinux-1M": ("256M", 21, 2),
    "bzImage-1M": ("256M", 11, 3),
    "vmlinux-64M": ("1G", 11, 1),
    "vmlinux-256M": ("1G", 11, 1),
}
SESSION_LIMIT = 900  # seconds, a whole session


class GdbStub:
    """Just enough of the GDB remote protocol to set breakpoints and
    resume: each stop is reported as (host time, eip)."""

    def __init__(self, path):
        self.sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        for _ in range(100):
            try:
                self.sock.connect(path)
                break
            except OSError:
                time.sleep(0.05)
        else:
            raise RuntimeError("no gdb stub at " + path)
        self.buf = b""

    def fileno(self):
        return self.sock.fileno()

    def send(self, payload):
        data = payload.encode()
        self.sock.sendall(b"$%s#%02x" % (data, sum(data) & 0xFF))

    def _recv(self):
        chunk = self.sock.recv(65536)
        if not chunk:
            raise EOFError
        self.buf += chunk

    def _parse(self):
        out = []
        while True:
            self.buf = self.buf.lstrip(b"+")
            m = re.match(rb"\$([^#]*)#[0-9a-fA-F]{2}", self.buf)
            if not m:
                return out
            self.sock.sendall(b"+")
            out.append(m.group(1).decode(errors="replace"))
            self.buf = self.buf[m.end():]

    def packets(self, block):
        """The packets received so far (acknowledged); with block, at
        least one."""
        out = self._parse()
        while block and not out:
            self._recv()
            out = self._parse()
        while select.select([self.sock], [], [], 0)[0]:
            self._recv()
            out += self._parse()
        return out

    def request(self, payload):
        self.send(payload)
        return self.packets(True)[0]

    def eip(self):
        regs = self.request("g")
        return int.from_bytes(bytes.fromhex(regs[64:72]), "little")

    def resume(self):
        """At a stop: step over the breakpoint there, re-arm it, continue.
        Returns the eip it stopped at."""
        eip = self.eip()
        if eip in ENTRIES:
            self.request("z1,%x,1" % eip)
            self.send("s")
            while not any(p[:1] in ("T", "S") for p in self.packets(True)):
                pass
            self.request("Z1,%x,1" % eip)
        self.send("c")
        return eip

    def start(self):
        self.sock.sendall(b"\x03")  # stop the guest
        while not any(p[:1] in ("T", "S") for p in self.packets(True)):
            pass
        for addr in ENTRIES:
            if self.request("Z1,%x,1" % addr) != "OK":
                raise RuntimeError("breakpoint at %#x refused" % addr)
        self.send("c")


def run_session(name, ours, initramfs, logdir):
    mem, gens, reps = SESSIONS[name]
    gens = int(os.environ.get("BENCH_GENS", gens))  # shorter runs while testing
    sock = os.path.join(logdir, name + ".gdb")
    if os.path.exists(sock):
        os.unlink(sock)
    append = "console=ttyS0 panic=-1 bench.gen=1 bench.cfg=%s bench.gens=%d bench.reps=%d" % (
        name, gens, reps)
    cmd = ["qemu-system-i386", "-accel", "tcg", "-display", "none", "-monitor", "none",
           "-serial", "stdio", "-smp", os.environ.get("BENCH_SMP", "2"), "-m", mem,
           "-kernel", os.path.join(ours, "bzImage"), "-initrd", initramfs,
           "-append", append, "-gdb", "unix:%s,server=on,wait=off" % sock]
    if name == "firmware":
        stop = re.compile(r"BENCH gen=\d+ init ")
        count = gens
    else:
        stop = re.compile(r"BENCH gen=%d (done|exec returned)" % gens)
        count = 1
    t0 = time.monotonic()
    qemu = subprocess.Popen(cmd, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                            stderr=subprocess.STDOUT)
    log = open(os.path.join(logdir, name + ".log"), "w")
    seen = 0
    partial = b""
    try:
        gdb = GdbStub(sock)
        gdb.start()
        deadline = t0 + SESSION_LIMIT
        done = False
        while not done and time.monotonic() < deadline:
            ready, _, _ = select.select([qemu.stdout, gdb], [], [], 1.0)
            if gdb in ready:
                try:
                    for p in gdb.packets(False):
                        if p[:1] in ("T", "S"):
                            t = time.monotonic() - t0
                            log.write("%.6f GDB stop eip=%#x\n" % (t, gdb.resume()))
                except EOFError:
                    done = True
            if qemu.stdout in ready:
                chunk = os.read(qemu.stdout.fileno(), 65536)
                t = time.monotonic() - t0
                if not chunk:
                    break
                lines = (partial + chunk).split(b"\n")
                partial = lines.pop()
                for raw in lines:
                    line = raw.decode(errors="replace").rstrip("\r")
                    log.write("%.6f %s\n" % (t, line))
                    if stop.search(line):
                        seen += 1
                        if seen >= count:
                            done = True
        if not done:
            log.write("%.6f HOST session stopped: limit or QEMU exit\n" % (time.monotonic() - t0))
    finally:
        qemu.kill()
        qemu.wait()
        log.close()
        if os.path.exists(sock):
            os.unlink(sock)
    return time.monotonic() - t0


# --- parsing ------------------------------------------------------------------

BENCH_RE = re.compile(r"BENCH gen=(\d+) ([a-z-]+)(.*)")
PONR_RE = re.compile(r"starting the loaded kernel|Starting new kernel|reboot: Restarting system")


def kv(text):
    return dict(re.findall(r"(\w+)=(\S*)", text))


def parse_log(path):
    events = []  # (time, kind, gen, dict, line)
    with open(path) as f:
        for line in f:
            t, _, text = line.rstrip("\n").partition(" ")
            t = float(t)
            m = BENCH_RE.search(text)
            if m:
                events.append((t, m.group(2), int(m.group(1)), kv(m.group(3)), text))
            elif text.startswith("GDB stop"):
                events.append((t, "entry", 0, kv(text), text))
            elif PONR_RE.search(text):
                events.append((t, "ponr", 0, kv(text), text))
            elif "Run /init as init process" in text:
                events.append((t, "run-init", 0, {}, text))
    return events


def after(events, i, kind):
    for j in range(i + 1, len(events)):
        if events[j][1] == kind:
            return j
    return None


def handovers(events, session):
    """One record per 'exec' (or firmware 'reboot') with its split."""
    out = []
    kernel_of = {}
    for t, kind, gen, d, _ in events:
        if kind == "init":
            kernel_of.setdefault(gen, d.get("kernel"))
    for i, (t, kind, gen, d, _) in enumerate(events):
        if kind not in ("exec", "reboot"):
            continue
        rec = {"session": session, "gen": gen, "t_exec": t,
               "who": "firmware" if kind == "reboot" else kernel_of.get(gen)}
        p = after(events, i, "ponr")
        e = after(events, p, "entry") if p is not None else None
        r = after(events, e, "run-init") if e is not None else None
        n = after(events, i, "init")
        if n is None or r is None or events[r][0] > events[n][0]:
            continue
        rec.update(t_ponr=events[p][0], t_entry=events[e][0], t_run=events[r][0],
                   t_init=events[n][0], entry=events[e][3].get("eip"),
                   ponr_line=events[p][4])
        # a bzImage's decompressor runs from its entry to vmlinux's
        v = after(events, e, "entry")
        if rec["entry"] == "0x100000" and v is not None and v < r:
            rec["t_vmlinux"] = events[v][0]
        m = re.search(r"(\d+) pages, (\d+) in place", events[p][4])
        if m:
            rec["copied"] = int(m.group(1)) - int(m.group(2))
            rec["pages"] = int(m.group(1))
        out.append(rec)
    # mainline: every page of every segment, counted from kexec -d
    for t, kind, gen, d, _ in events:
        if kind == "handover-load" and d.get("tool") == "theirs":
            for rec in out:
                if rec["gen"] == gen and rec["who"] == "theirs":
                    rec["copied"] = int(d.get("pages", 0) or 0)
                    rec["pages"] = rec["copied"]
    return out


def loads(events, session):
    out = []
    for t, kind, gen, d, text in events:
        if kind in ("load", "cat", "read"):
            rec = dict(d)
            rec.update(session=session, gen=gen, kind=kind, text=text)
            out.append(rec)
    return out


# --- report -------------------------------------------------------------------

def stats(values):
    values = [v for v in values if v is not None]
    if not values:
        return None
    return statistics.median(values), min(values), max(values), len(values)


def fmt(st, unit="s", scale=1.0, digits=3):
    if st is None:
        return "n/a"
    med, lo, hi, n = st
    f = "%%.%df" % digits
    return ("%s %s (%s-%s, n=%d)" % (f % (med * scale), unit, f % (lo * scale), f % (hi * scale), n))


def machine():
    cpu = "unknown CPU"
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    qemu = subprocess.run(["qemu-system-i386", "--version"], capture_output=True,
                          text=True).stdout.splitlines()[0]
    return "%s, %d cores, %s, %s" % (cpu, os.cpu_count(), qemu.replace("QEMU emulator version ", "QEMU "),
                                     "TCG (no KVM)")


def report(bench, docdir=None):
    logdir = os.path.join(bench, "logs")
    hand, load = [], []
    for name in SESSIONS:
        path = os.path.join(logdir, name + ".log")
        if os.path.exists(path):
            ev = parse_log(path)
            hand += handovers(ev, name)
            load += loads(ev, name)

    # raw per-run figures
    with open(os.path.join(bench, "handover.tsv"), "w") as f:
        f.write("session\tgen\twho\tentry\texec_to_init\texec_to_ponr\tponr_to_entry\t"
                "entry_to_init\tdecompress\tcopied_pages\tpages\n")
        for r in hand:
            f.write("%s\t%d\t%s\t%s\t%.6f\t%.6f\t%.6f\t%.6f\t%s\t%s\t%s\n" % (
                r["session"], r["gen"], r["who"], r["entry"], r["t_run"] - r["t_exec"],
                r["t_ponr"] - r["t_exec"], r["t_entry"] - r["t_ponr"], r["t_run"] - r["t_entry"],
                ("%.6f" % (r["t_vmlinux"] - r["t_entry"])) if "t_vmlinux" in r else "",
                r.get("copied", ""), r.get("pages", "")))
    with open(os.path.join(bench, "load.tsv"), "w") as f:
        f.write("session\tgen\twhat\ttool\tus\trc\tbytes\tfree0_kb\tfree1_kb\tpages\tinplace\n")
        for r in load:
            f.write("\t".join(str(x) for x in (
                r["session"], r["gen"], r["kind"], r.get("tool", ""), r.get("us", ""), r.get("rc", ""),
                r.get("bytes", ""), r.get("free0", ""), r.get("free1", ""), r.get("pages", ""),
                r.get("inplace", ""))) + "\n")

    def H(sessions, who, field):
        if isinstance(sessions, str):
            sessions = (sessions,)
        vals = []
        for r in hand:
            if r["session"] in sessions and r["who"] == who:
                vals.append({"total": lambda: r["t_run"] - r["t_exec"],
                             "shutdown": lambda: r["t_ponr"] - r["t_exec"],
                             "jump": lambda: r["t_entry"] - r["t_ponr"],
                             "boot": lambda: r["t_run"] - r["t_entry"],
                             "decompress": lambda: r["t_vmlinux"] - r["t_entry"]
                             if "t_vmlinux" in r else None,
                             "copied": lambda: r.get("copied")}[field]())
        return stats(vals)

    def L(session, kind, tool=None, field="us", ok=True):
        vals = []
        for r in load:
            if r["session"] != session or r["kind"] != kind:
                continue
            if tool and r.get("tool") != tool:
                continue
            if ok and r.get("rc") != "0":
                continue
            if field == "us":
                vals.append(int(r["us"]) / 1e6)
            elif field == "held":
                vals.append((int(r["free0"]) - int(r["free1"])) * 1024)
            elif field == "inplace":
                if r.get("pages"):
                    vals.append(int(r["inplace"]) / int(r["pages"]))
            elif field == "pagebytes":
                if r.get("pages"):
                    vals.append(int(r["pages"]) * 4096)
            elif field == "bytes":
                vals.append(int(r["bytes"]))
        return stats(vals)

    def refusal(session, tool):
        runs = [r for r in load if r["session"] == session and r["kind"] == "load"
                and r.get("tool") == tool]
        bad = [r for r in runs if r.get("rc") != "0"]
        if not bad:
            return ""
        err = re.search(r"err=(.*)", bad[0]["text"])
        err = err.group(1).strip("|").split("|") if err else ["?"]
        said = [e.strip() for e in err if "kernel says" in e] or err[:1]
        return "%d of %d refused: %s" % (len(bad), len(runs), said[0])

    med = lambda st: st[0] if st else None
    ratio = lambda a, b: ("%.2f" % (a / b)) if a is not None and b else "n/a"
    pct = lambda a, b: ("%.0f%%" % (100.0 * a / b)) if a is not None and b else "n/a"

    md = []
    md.append("Machine: %s.  Date: %s.\n" % (machine(), time.strftime("%Y-%m-%d %H:%M %Z")))
    md.append("Guest: i386, `-smp 2`, our tinyconfig + `kexec_boot_qemu.config`.  *Ours*: our kernel "
              "(kexec_boot) with our `kexec`.  *Mainline*: the same 6.12 source and configuration "
              "with `CONFIG_KEXEC=y` instead, and Debian's kexec-tools %s (`--args-linux` for the "
              "vmlinux, `-t bzImage`).  Each session is one QEMU whose generations alternate: ours "
              "boots the mainline-built kernel, which boots ours, and so on.  Figures are medians "
              "(min-max, n).  Raw logs: `build/bench/logs/`, per run: `build/bench/*.tsv`.\n"
              % debian_version(bench))

    head = len(md)
    md.append("### Handover: `kexec -e` to the new kernel's `Run /init` (host clock)\n")
    md.append("| image | ours | mainline | firmware reboot | ours / mainline | ours / firmware |")
    md.append("|---|---|---|---|---|---|")
    fw = H("firmware", "firmware", "total")
    for label, sessions, fwcol in (("vmlinux (256 MiB guest)", ("vmlinux-1M",), True),
                                   ("bzImage (256 MiB guest)", ("bzImage-1M",), True),
                                   ("vmlinux (1 GiB guest)", ("vmlinux-64M", "vmlinux-256M"), False)):
        o, t = H(sessions, "ours", "total"), H(sessions, "theirs", "total")
        md.append("| %s | %s | %s | %s | %s | %s |" % (
            label, fmt(o), fmt(t), fmt(fw) if fwcol else "-", ratio(med(o), med(t)),
            ratio(med(o), med(fw)) if fwcol else "-"))
    md.append("")
    handover_end = len(md)
    md.append("Where the time goes, same runs.  Point of no return: the kernel's last line before "
              "`machine_shutdown()` (ours \"starting the loaded kernel\", mainline \"Starting new "
              "kernel\", firmware \"reboot: Restarting system\").  Entry: the new kernel's first "
              "instruction (QEMU's gdb stub, breakpoints at 0x100000 and 0x1000000); for the "
              "firmware that is after SeaBIOS and the real-mode setup code.\n")
    md.append("| image | who | exec → point of no return | point of no return → entry | "
              "entry → init | of which bzImage decompressor | jump / new kernel's boot | "
              "pages copied at the jump |")
    md.append("|---|---|---|---|---|---|---|---|")
    rows = [("vmlinux-1M", "ours"), ("vmlinux-1M", "theirs"), ("bzImage-1M", "ours"),
            ("bzImage-1M", "theirs"), ("firmware", "firmware")]
    for s, who in rows:
        j, b = H(s, who, "jump"), H(s, who, "boot")
        cp = H(s, who, "copied")
        copied = "n/a"
        if cp:
            copied = "%d of %d (all)" % (med(cp), med(cp)) if who == "theirs" else "%d" % med(cp)
        elif who == "firmware":
            copied = "- (QEMU reloads the files)"
        md.append("| %s | %s | %s | %s | %s | %s | %s | %s |" % (
            "bzImage" if who == "firmware" else s.split("-")[0],
            {"theirs": "mainline"}.get(who, who), fmt(H(s, who, "shutdown")),
            fmt(j, "ms", 1000, 1), fmt(b), fmt(H(s, who, "decompress")) if "bzImage" in s or
            who == "firmware" else "-",
            ("%.1f%%" % (100 * med(j) / med(b))) if j and b else "n/a", copied))
    md.append("")
    md.append("Pages copied: ours from the kernel's own line (\"N pages, M in place\": N - M); "
              "mainline's `relocate_kernel` copies (swaps) every page of every segment "
              "(`kexec -d` segment sizes).  The handover's initrd is the bench root "
              "(%s, uncompressed cpio).\n" % mib(root_size(bench)))

    md.append("### Load: `kexec -l` against reading the same files (guest clock)\n")
    md.append("The files are in tmpfs.  Every figure is a whole process, timed from fork to exit "
              "(`cat` is busybox's, which splices to /dev/null without copying; `read(2)` copies "
              "through a 64 KiB buffer).  Throughput: reading time / load time.  Free memory: "
              "free pages plus per-CPU lists (/proc/zoneinfo) before and after the load.\n")
    md.append("| image + initrd (guest) | ours | mainline | `cat > /dev/null` | `read(2)` | "
              "ours: throughput vs cat / read | mainline: vs cat / read | ours: pages in place | "
              "ours: memory held / image pages | memory held: ours / mainline |")
    md.append("|---|---|---|---|---|---|---|---|---|---|")
    for s in ("vmlinux-1M", "bzImage-1M", "vmlinux-64M", "vmlinux-256M"):
        o, t = L(s, "load", "ours"), L(s, "load", "theirs")
        c, rd = L(s, "cat"), L(s, "read")
        ip = L(s, "load", "ours", "inplace")
        held_o, pb = L(s, "load", "ours", "held"), L(s, "load", "ours", "pagebytes")
        held_t, fb = L(s, "load", "theirs", "held"), L(s, "cat", field="bytes")
        kind, size = s.split("-")
        refused = refusal(s, "ours")
        md.append("| %s + %s (%s) | %s | %s | %s | %s | %s / %s | %s / %s | %s | %s | %s |" % (
            kind, size.replace("M", " MiB"), SESSIONS[s][0].replace("M", " MiB").replace("1G", "1 GiB"),
            refused if o is None and refused else fmt(o, "ms", 1000, 1) + (
                " (%s)" % refused if refused else ""),
            fmt(t, "ms", 1000, 1) + ((" (%s)" % refusal(s, "theirs")) if refusal(s, "theirs") else ""),
            fmt(c, "ms", 1000, 1), fmt(rd, "ms", 1000, 1),
            pct(med(c), med(o)), pct(med(rd), med(o)), pct(med(c), med(t)), pct(med(rd), med(t)),
            ("%.1f%%" % (100 * med(ip))) if ip else "n/a",
            ("%.3f" % (med(held_o) / med(pb))) if held_o and pb else "n/a",
            "%s / %s" % (kib(held_o), kib(held_t))))
    md.append("")
    tgt = targets(H, L, med)
    md.extend(tgt)
    md.extend(notes(H, med))
    text = "\n".join(md) + "\n"
    with open(os.path.join(bench, "results.md"), "w") as f:
        f.write(text)
    plot(bench, H, L)
    if docdir:
        os.makedirs(docdir, exist_ok=True)
        with open(os.path.join(docdir, "latest.md"), "w") as f:
            f.write(text)
        if os.path.exists(os.path.join(bench, "bench.png")):
            with open(os.path.join(bench, "bench.png"), "rb") as src, \
                    open(os.path.join(docdir, "latest.png"), "wb") as dst:
                dst.write(src.read())
        summary = [md[0], "Everything, with the split of each handover and how to read it: "
                   "[Documentation/bench/latest.md](Documentation/bench/latest.md).\n",
                   "![make bench: handover split and load times](Documentation/bench/latest.png)\n"]
        summary += md[head:handover_end] + tgt
        update_readme(os.path.join(docdir, "..", "..", "README.md"), "\n".join(summary))
    sys.stdout.write(text)


BEGIN, END = "<!-- bench:begin: make bench rewrites this part -->", "<!-- bench:end -->"


def update_readme(path, body):
    """Replaces the text between the bench markers, if the README has them."""
    if not os.path.exists(path):
        return
    with open(path) as f:
        text = f.read()
    a, b = text.find(BEGIN), text.find(END)
    if a < 0 or b < a:
        return
    with open(path, "w") as f:
        f.write(text[:a + len(BEGIN)] + "\n" + body.rstrip("\n") + "\n" + text[b:])


def kib(st):
    return "%d KiB" % (st[0] / 1024) if st else "n/a"


def mib(n):
    return "%.1f MiB" % (n / 1048576.0) if n else "?"


def root_size(bench):
    path = os.path.join(bench, "initramfs.cpio")
    return os.path.getsize(path) if os.path.exists(path) else 0


def targets(H, L, med):
    out = ["### Against the targets of issue 5\n", "| target | measured | met |", "|---|---|---|"]

    def row(what, value, ok):
        out.append("| %s | %s | %s |" % (what, value, "yes" if ok else "**no**"))

    o, t, fw = (med(H("vmlinux-1M", "ours", "total")), med(H("vmlinux-1M", "theirs", "total")),
                med(H("firmware", "firmware", "total")))
    if o and t:
        row("`kexec -e` → init ≤ 0.75× mainline (vmlinux)", "%.2f×" % (o / t), o / t <= 0.75)
    if o and fw:
        row("`kexec -e` → init ≤ 0.5× firmware reboot (vmlinux)", "%.2f×" % (o / fw), o / fw <= 0.5)
    for kind in ("vmlinux", "bzImage"):
        j, b = med(H(kind + "-1M", "ours", "jump")), med(H(kind + "-1M", "ours", "boot"))
        if j is not None and b:
            row("point of no return → first instruction < 5%% of the new kernel's boot (%s)" % kind,
                "%.1f%% (%.0f ms of %.2f s)" % (100 * j / b, 1000 * j, b), j / b < 0.05)
    for s in ("vmlinux-1M", "bzImage-1M", "vmlinux-64M"):
        ip = med(L(s, "load", "ours", "inplace"))
        if ip is not None:
            row("≥ 95%% of image pages in place at load (%s)" % s, "%.1f%%" % (100 * ip), ip >= 0.95)
    for s in ("vmlinux-1M", "bzImage-1M", "vmlinux-64M", "vmlinux-256M"):
        lo, c, rd = med(L(s, "load", "ours")), med(L(s, "cat")), med(L(s, "read"))
        if lo and c:
            row("load throughput ≥ 80%% of reading the files (%s)" % s,
                "%.0f%% of `cat`, %.0f%% of `read(2)`" % (100 * c / lo, 100 * rd / lo), c / lo >= 0.8)
    tried = L("vmlinux-256M", "load", "ours", ok=False)
    if tried:
        ok256 = L("vmlinux-256M", "load", "ours")
        row("a 256 MiB initrd loads on a 1 GiB guest", "%d of %d loads succeeded" % (
            ok256[3] if ok256 else 0, tried[3]), bool(ok256))
    for s in ("vmlinux-1M", "bzImage-1M", "vmlinux-64M"):
        held, pb = med(L(s, "load", "ours", "held")), med(L(s, "load", "ours", "pagebytes"))
        if held is not None and pb:
            row("memory held by a loaded image ≤ its size + 1%% (%s)" % s,
                "+%.1f%% (%d KiB held for %d KiB of image pages)" % (
                    100 * (held / pb - 1), held / 1024, pb / 1024), held <= pb * 1.01)
    out.append("")
    return out


def notes(H, med):
    """What the figures say about TCG itself, computed from the same runs."""
    out = ["### Reading these figures\n"]
    jv, jb = med(H("vmlinux-1M", "ours", "jump")), med(H("bzImage-1M", "ours", "jump"))
    dfw = med(H("firmware", "firmware", "decompress"))
    dk = med(H("bzImage-1M", "ours", "decompress"))
    dk2 = med(H("bzImage-1M", "theirs", "decompress"))
    if jv and jb:
        out.append("* Our stub copies a similar number of pages for both images (a plain `rep movsl` "
                   "per copy), yet takes %.0f ms for the vmlinux, whose destination (16 MiB) is the "
                   "running kernel's own image, against %.0f ms for the bzImage (destination 1 MiB). "
                   "We suspect TCG: stores to pages holding code it has translated take its slow "
                   "path until the page's translations are gone; real hardware has no such cost. "
                   "Not verified here." % (1000 * jv, 1000 * jb))
    if dfw and dk:
        out.append("* The bzImage decompressor (0x100000 → 0x1000000) takes %.2f s after our kexec "
                   "and %.2f s after mainline's, against %.2f s after a reset.  The new kernel's "
                   "own boot differs between the paths for reasons not pinned down here, so compare "
                   "the jump column as well as the totals." % (dk, dk2 or float("nan"), dfw))
    fwj = med(H("firmware", "firmware", "jump"))
    fb = med(H("firmware", "firmware", "boot"))
    if fwj and fb:
        out.append("* QEMU's firmware is quick: reset, SeaBIOS and the real-mode setup take "
                   "%.0f ms, and the reboot is dominated by the kernel's own boot (%.2f s), which "
                   "any kexec pays too; on real machines the firmware takes seconds." % (1000 * fwj, fb))
    out.append("* The host is shared: other builds and tests running at the same time stretch "
               "TCG runs, hence the wide min-max ranges.")
    out.append("")
    return out


def debian_version(bench):
    for name in sorted(os.listdir(os.path.join(bench, "apt"))) if os.path.isdir(
            os.path.join(bench, "apt")) else []:
        m = re.match(r"kexec-tools_(.*)_i386\.deb", name)
        if m:
            return m.group(1).replace("%3a", ":")
    return "(i386)"


def plot(bench, H, L):
    """Left: the handover split, stacked; right: load times, clustered."""
    dat = os.path.join(bench, "plot.dat")

    def triple(st, scale=1.0):
        return ("%.4f %.4f %.4f" % (st[0] * scale, st[1] * scale, st[2] * scale)) if st else "NaN NaN NaN"

    def med(st):
        return "%.4f" % st[0] if st else "NaN"

    with open(dat, "w") as f:
        f.write("# handover: image who, medians of exec->ponr ponr->entry entry->init, "
                "total median min max\n")
        for s, who in (("vmlinux-1M", "ours"), ("vmlinux-1M", "theirs"), ("bzImage-1M", "ours"),
                       ("bzImage-1M", "theirs"), ("firmware", "firmware")):
            tot = H(s, who, "total")
            f.write('"%s" "%s" %s %s %s %s\n' % (
                "firmware" if who == "firmware" else s.split("-")[0],
                {"theirs": "mainline", "firmware": "reboot"}.get(who, who),
                med(H(s, who, "shutdown")), med(H(s, who, "jump")), med(H(s, who, "boot")),
                triple(tot)))
        f.write("\n\n# load milliseconds: label, ours mainline cat read (median min max)\n")
        for s in ("vmlinux-1M", "bzImage-1M", "vmlinux-64M", "vmlinux-256M"):
            label = s.replace("-", "\\n+ ").replace("M", " MiB")
            if L(s, "load", "ours") is None and L(s, "load", "ours", ok=False):
                label += "\\n(ours: refused)"
            f.write('"%s" %s %s %s %s\n' % (
                label, triple(L(s, "load", "ours"), 1000),
                triple(L(s, "load", "theirs"), 1000), triple(L(s, "cat"), 1000),
                triple(L(s, "read"), 1000)))
    gp = os.path.join(os.path.dirname(os.path.abspath(__file__)), "plot.gp")
    r = subprocess.run(["gnuplot", "-e", "datafile='%s'; outfile='%s'" % (
        dat, os.path.join(bench, "bench.png")), gp], capture_output=True, text=True)
    if r.returncode:
        sys.stderr.write("gnuplot failed:\n" + r.stderr)


def main():
    if len(sys.argv) >= 4 and sys.argv[1] == "run":
        ours, bench = sys.argv[2], sys.argv[3]
        names = sys.argv[4:] or list(SESSIONS)
        logdir = os.path.join(bench, "logs")
        os.makedirs(logdir, exist_ok=True)
        for name in names:
            took = run_session(name, ours, os.path.join(bench, "initramfs.cpio"), logdir)
            print("bench: session %s: %.0f s" % (name, took), flush=True)
    elif len(sys.argv) in (3, 4) and sys.argv[1] == "report":
        report(sys.argv[2], sys.argv[3] if len(sys.argv) == 4 else None)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
