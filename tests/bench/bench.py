#!/usr/bin/env python3
"""make bench: QEMU sessions, then the table and the plot.

  bench.py run ARCH OUT BENCH [SESSION...]  run sessions, raw logs in BENCH/logs
  bench.py report ARCH BENCH [DOCDIR]       BENCH/results.md, BENCH/bench.png

ARCH: i386 or x86_64.  A session is one QEMU (TCG, -smp 2) booted with our
bzImage and the bench root (see init).  The host timestamps every serial
line as it arrives (time.monotonic) and, through QEMU's gdb stub, every time
the guest executes a kernel entry point: 0x100000 (the protected-mode entry
of a bzImage SeaBIOS or a fixed-address loader put there), 0x1000000 (a
vmlinux's entry at CONFIG_PHYSICAL_START), and the entry of each image the
guest is about to boot, which its init reports ("entry at=ADDR", from our
kernel's /sys/kernel/kexec_boot/segments or from kexec -d) a second before
its timed "exec" line: the host then stops the guest, adds a breakpoint
there and lets it go on.  With those, 'kexec -e' to the next init splits
into
  exec -> point of no return   the guest's "exec" line to the kernel's own
                               last line before machine_shutdown()
                               ("starting the loaded kernel" for ours,
                               "Starting new kernel" for mainline,
                               "reboot: Restarting system" for firmware)
  point of no return -> entry  machine_shutdown, the stub (ours) or
                               relocate_kernel + purgatory (mainline), or
                               the reset and SeaBIOS (firmware)
  entry -> init                the new kernel's own boot, to "Run /init"
(n/a where the entry is unknown: mainline's kexec -s on x86_64).
For experiments: BENCH_GENS=N shortens every session to N generations,
BENCH_SMP=N changes the guest's CPU count.

Each stop at a breakpoint costs the guest a stub round trip (well under a
millisecond here); the logs keep every time, relative to QEMU's start.
"""
import gzip
import os
import re
import select
import socket
import statistics
import subprocess
import sys
import time

# The fixed entry points; the entries the guest reports are added as it
# runs (a set that only grows: a breakpoint stays armed once set).
ENTRIES = {0x100000, 0x1000000}

# qemu: the binary; pc: where the program counter is in the hex string of a
# gdb 'g' packet (i386: eip after 8 32-bit registers; x86_64: rip after 16
# 64-bit ones); mainline: how Debian's kexec-tools loads on the mainline
# kernel ("theirs-c": kexec -c, kexec_load; "theirs-s": kexec -s,
# kexec_file_load), the first being the one the targets compare with;
# decompress: whether the bzImage decompressor's run is timed (entry to the
# decompressed vmlinux's entry; not on x86_64, where KASLR puts it anywhere).
ARCHES = {
    "i386": {"qemu": "qemu-system-i386", "pc": (64, 72), "mainline": ("theirs-c",),
             "decompress": True, "fragment": "kexec_boot_qemu.config", "deb": "i386",
             "kconfig": "`CONFIG_KEXEC=y`"},
    "x86_64": {"qemu": "qemu-system-x86_64", "pc": (256, 272),
               "mainline": ("theirs-s", "theirs-c"), "decompress": False,
               "fragment": "kexec_boot_x86_64.config", "deb": "amd64",
               "kconfig": "`CONFIG_KEXEC=y` and `CONFIG_KEXEC_FILE=y`"},
}
ARCH = ARCHES["i386"]

# name: (memory, generations, timed loads per generation)
SESSIONS = {
    "firmware": ("256M", 11, 0),
    "vmlinux-1M": ("256M", 21, 2),
    "bzImage-1M": ("256M", 11, 3),
    "vmlinux-64M": ("1G", 11, 1),
    "vmlinux-256M": ("1G", 11, 1),
}
# x86_64: mainline's bzImage handovers take -s and -c by turns (generations
# 2, 6, 10, ... -s; 4, 8, ... -c), so 13 generations give 3 of each.
SESSIONS_X86_64 = dict(SESSIONS, **{"bzImage-1M": ("256M", 13, 3)})
SESSION_LIMIT = 900  # seconds, a whole session
ENTRY_RE = re.compile(r"BENCH gen=\d+ entry at=(0x[0-9a-fA-F]+)")


def set_arch(name):
    global ARCH, SESSIONS
    ARCH = ARCHES[name]
    if name == "x86_64":
        SESSIONS = SESSIONS_X86_64


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
        a, b = ARCH["pc"]
        return int.from_bytes(bytes.fromhex(regs[a:b]), "little")

    def stop(self):
        self.sock.sendall(b"\x03")  # stop the guest
        while not any(p[:1] in ("T", "S") for p in self.packets(True)):
            pass

    def add(self, addr):
        """Stops the guest, arms a breakpoint at addr, lets it go on.
        Returns whether the breakpoint is new."""
        if addr in ENTRIES:
            return False
        self.stop()
        if self.request("Z1,%x,1" % addr) != "OK":
            raise RuntimeError("breakpoint at %#x refused" % addr)
        ENTRIES.add(addr)
        self.send("c")
        return True

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
        self.stop()
        for addr in sorted(ENTRIES):
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
    cmd = [ARCH["qemu"], "-accel", "tcg", "-display", "none", "-monitor", "none",
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
                    m = ENTRY_RE.search(line)
                    if m and gdb.add(int(m.group(1), 16)):
                        log.write("%.6f GDB breakpoint at %s\n" % (time.monotonic() - t0, m.group(1)))
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
                events.append((t, "stop", 0, kv(text), text))
            elif PONR_RE.search(text):
                events.append((t, "ponr", 0, kv(text), text))
            elif "Run /init as init process" in text:
                events.append((t, "run-init", 0, {}, text))
    return events


def after(events, i, kind, until=None, eip=None):
    """The index of the first event of kind after i (and before until),
    with that eip if given."""
    for j in range(i + 1, len(events) if until is None else until):
        if events[j][1] == kind and (eip is None or int(events[j][3].get("eip", "-1"), 16) == eip):
            return j
    return None


def tool_of(d, kernel):
    """Who loaded: ours, theirs-s or theirs-c (logs before -s: 'theirs')."""
    who = d.get("tool") or kernel
    return "theirs-c" if who == "theirs" else who


def handovers(events, session):
    """One record per 'exec' (or firmware 'reboot') with its split.  The
    entry is the first stop after the point of no return at the address
    the guest reported (0x100000 for the firmware); where it reported none,
    the split after the point of no return is left out."""
    out = []
    kernel_of = {}
    for t, kind, gen, d, _ in events:
        if kind == "init":
            kernel_of.setdefault(gen, d.get("kernel"))
    entry_of = {}
    for t, kind, gen, d, _ in events:
        if kind == "entry":
            entry_of[gen] = int(d["at"], 16) if d.get("at", "").startswith("0x") else None
    for i, (t, kind, gen, d, _) in enumerate(events):
        if kind not in ("exec", "reboot"):
            continue
        rec = {"session": session, "gen": gen, "t_exec": t,
               "who": "firmware" if kind == "reboot" else tool_of(d, kernel_of.get(gen))}
        p = after(events, i, "ponr")
        r = after(events, p, "run-init") if p is not None else None
        n = after(events, i, "init")
        if n is None or r is None or events[r][0] > events[n][0]:
            continue
        rec.update(t_ponr=events[p][0], t_run=events[r][0], t_init=events[n][0],
                   ponr_line=events[p][4], entry=None)
        want = 0x100000 if kind == "reboot" else entry_of.get(gen)
        e = after(events, p, "stop", r, want) if want is not None else None
        if want is None:
            # not the entry for certain: a breakpoint armed for another image
            x = after(events, p, "stop", r)
            if x is not None:
                rec.update(t_stray=events[x][0], stray=events[x][3].get("eip"))
        if e is not None:
            rec.update(t_entry=events[e][0], entry="%#x" % want)
            # a bzImage's decompressor runs from its entry to vmlinux's
            v = after(events, e, "stop", r)
            if ARCH["decompress"] and (kind == "reboot" or session.startswith("bzImage")) \
                    and v is not None:
                rec["t_vmlinux"] = events[v][0]
        m = re.search(r"(\d+) pages, (\d+) in place", events[p][4])
        if m:
            rec["copied"] = int(m.group(1)) - int(m.group(2))
            rec["pages"] = int(m.group(1))
        out.append(rec)
    # mainline's kexec_load: every page of every segment, counted from kexec -d
    for t, kind, gen, d, _ in events:
        if kind == "handover-load" and tool_of(d, None) == "theirs-c":
            for rec in out:
                if rec["gen"] == gen and rec["who"] == "theirs-c":
                    rec["copied"] = int(d.get("pages", 0) or 0)
                    rec["pages"] = rec["copied"]
    return out


def loads(events, session):
    out = []
    for t, kind, gen, d, text in events:
        if kind in ("load", "cat", "read", "hold"):
            rec = dict(d)
            if kind == "load":
                rec["tool"] = tool_of(d, None)
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
    qemu = subprocess.run([ARCH["qemu"], "--version"], capture_output=True,
                          text=True).stdout.splitlines()[0]
    return "%s, %d cores, %s, %s" % (cpu, os.cpu_count(), qemu.replace("QEMU emulator version ", "QEMU "),
                                     "TCG (no KVM)")


def label(who):
    """How a table names who loaded or booted."""
    if who == "theirs-c" and len(ARCH["mainline"]) == 1:
        return "mainline"
    return {"ours": "ours", "theirs-s": "mainline -s", "theirs-c": "mainline -c",
            "firmware": "firmware"}[who]


def report(arch, bench, docdir=None):
    logdir = os.path.join(bench, "logs")
    mainline = ARCH["mainline"]
    hand, load = [], []
    for name in SESSIONS:
        path = os.path.join(logdir, name + ".log")
        if os.path.exists(path):
            ev = parse_log(path)
            hand += handovers(ev, name)
            load += loads(ev, name)

    # raw per-run figures
    def secs(r, a, b):
        return ("%.6f" % (r[b] - r[a])) if a in r and b in r else ""

    with open(os.path.join(bench, "handover.tsv"), "w") as f:
        f.write("session\tgen\twho\tentry\texec_to_init\texec_to_ponr\tponr_to_entry\t"
                "entry_to_init\tdecompress\tcopied_pages\tpages\n")
        for r in hand:
            f.write("\t".join((r["session"], str(r["gen"]), r["who"], r["entry"] or "",
                               secs(r, "t_exec", "t_run"), secs(r, "t_exec", "t_ponr"),
                               secs(r, "t_ponr", "t_entry"), secs(r, "t_entry", "t_run"),
                               secs(r, "t_entry", "t_vmlinux"), str(r.get("copied", "")),
                               str(r.get("pages", "")))) + "\n")
    with open(os.path.join(bench, "load.tsv"), "w") as f:
        f.write("session\tgen\twhat\ttool\tus\trc\tbytes\tfree0_kb\tfree1_kb\tpages\tinplace\t"
                "kernel_pages\tkernel_inplace\n")
        for r in load:
            f.write("\t".join(str(x) for x in (
                r["session"], r["gen"], r["kind"], r.get("tool", ""), r.get("us", ""), r.get("rc", ""),
                r.get("bytes", ""), r.get("free0", ""), r.get("free1", ""), r.get("pages", ""),
                r.get("inplace", ""), r.get("kpages", ""), r.get("kinplace", ""))) + "\n")

    def H(sessions, who, field):
        if isinstance(sessions, str):
            sessions = (sessions,)
        vals = []
        span = {"total": ("t_exec", "t_run"), "shutdown": ("t_exec", "t_ponr"),
                "jump": ("t_ponr", "t_entry"), "boot": ("t_entry", "t_run"),
                "decompress": ("t_entry", "t_vmlinux")}
        for r in hand:
            if r["session"] in sessions and r["who"] == who:
                if field == "copied":
                    vals.append(r.get("copied"))
                elif field == "pages":
                    vals.append(r.get("pages"))
                else:
                    a, b = span[field]
                    vals.append(r[b] - r[a] if a in r and b in r else None)
        return stats(vals)

    def entries(session, who):
        seen = []
        for r in hand:
            if r["session"] == session and r["who"] == who and r["entry"] and r["entry"] not in seen:
                seen.append(r["entry"])
        return ", ".join(seen[:3]) + (", ..." if len(seen) > 3 else "") if seen else "n/a"

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
            elif field == "kinplace":
                if r.get("kpages") and int(r["kpages"]):
                    vals.append(int(r["kinplace"]) / int(r["kpages"]))
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
        said = [e.strip() for e in err if "kernel says" in e or "failed" in e] or err[:1]
        return "%d of %d refused: %s" % (len(bad), len(runs), said[0])

    med = lambda st: st[0] if st else None
    ratio = lambda a, b: ("%.2f" % (a / b)) if a is not None and b else "n/a"

    md = []
    md.append("Machine: %s.  Date: %s.\n" % (machine(), time.strftime("%Y-%m-%d %H:%M %Z")))
    ways = "`kexec -c` (kexec_load; `--args-linux` for the vmlinux, `-t %s`)" % (
        "bzImage64" if arch == "x86_64" else "bzImage")
    if "theirs-s" in mainline:
        ways = ("`kexec -s` (*mainline -s*: kexec_file_load, which on x86_64 takes only "
                "bzImages; Debian's kexec -s refuses the vmlinux itself) and " + ways.replace("`kexec -c` (", "`kexec -c` (*mainline -c*: ") +
                "; the bzImage session's mainline handovers take -s and -c by turns, the "
                "vmlinux sessions' -c")
    md.append("Guest: %s, `-smp 2`, our tinyconfig + `%s`.  *Ours*: our kernel (kexec_boot) with "
              "our `kexec`.  *Mainline*: the same 6.12 source and configuration with %s instead, "
              "and Debian's kexec-tools %s: %s.  Each session is one QEMU whose generations "
              "alternate: ours boots the mainline-built kernel, which boots ours, and so on.  "
              "Figures are medians (min-max, n).  Raw logs: `build/bench/%s/logs/`, per run: "
              "`build/bench/%s/*.tsv`.\n"
              % (arch, ARCH["fragment"], ARCH["kconfig"], debian_version(bench), ways, arch, arch))

    head = len(md)
    md.append("### Handover: `kexec -e` to the new kernel's `Run /init` (host clock)\n")
    md.append("| image | ours | %s | firmware reboot | %s | ours / firmware |" % (
        " | ".join(label(m) for m in mainline), " | ".join("ours / " + label(m) for m in mainline)))
    md.append("|---|---|%s---|%s---|" % ("---|" * len(mainline), "---|" * len(mainline)))
    fw = H("firmware", "firmware", "total")
    for label_, sessions, fwcol in (("vmlinux (256 MiB guest)", ("vmlinux-1M",), True),
                                    ("bzImage (256 MiB guest)", ("bzImage-1M",), True),
                                    ("vmlinux (1 GiB guest)", ("vmlinux-64M", "vmlinux-256M"), False)):
        o = H(sessions, "ours", "total")
        t = [H(sessions, m, "total") for m in mainline]
        md.append("| %s | %s | %s | %s | %s | %s |" % (
            label_, fmt(o), " | ".join(fmt(x) for x in t), fmt(fw) if fwcol else "-",
            " | ".join(ratio(med(o), med(x)) for x in t),
            ratio(med(o), med(fw)) if fwcol else "-"))
    md.append("")
    handover_end = len(md)
    unknown = ""
    if "theirs-s" in mainline:
        unknown = ("  `kexec -s` does not say where kexec_file_load put the kernel, so mainline "
                   "-s has no entry: n/a.  The bzImage decompressor is not timed on x86_64: with "
                   "KASLR the decompressed kernel runs at a random address.")
    md.append("Where the time goes, same runs.  Point of no return: the kernel's last line before "
              "`machine_shutdown()` (ours \"starting the loaded kernel\", mainline \"Starting new "
              "kernel\", firmware \"reboot: Restarting system\").  Entry: the new kernel's first "
              "instruction, caught by a breakpoint (QEMU's gdb stub) at the entry the old kernel's "
              "init reported for the image it boots: ours from `/sys/kernel/kexec_boot/segments`, "
              "mainline `kexec -c` from `kexec -d` (\"Loaded %sbit kernel at\"%s) or the vmlinux's "
              "ELF header; the firmware's is 0x100000, after SeaBIOS and the real-mode setup code."
              "%s\n" % ("64" if arch == "x86_64" else "32", ", + 0x200" if arch == "x86_64" else "",
                        unknown))
    dec = ARCH["decompress"]
    md.append("| image | who | entry | exec → point of no return | point of no return → entry | "
              "entry → init | %sjump / new kernel's boot | pages copied at the jump |" % (
                  "of which bzImage decompressor | " if dec else ""))
    md.append("|---|---|---|---|---|---|%s---|---|" % ("---|" if dec else ""))
    rows = [(s, who) for s in ("vmlinux-1M", "bzImage-1M") for who in ("ours",) + mainline]
    rows.append(("firmware", "firmware"))
    for s, who in rows:
        if H(s, who, "total") is None:
            continue
        j, b = H(s, who, "jump"), H(s, who, "boot")
        cp, pg = H(s, who, "copied"), H(s, who, "pages")
        copied = "n/a"
        if who == "theirs-c" and cp:
            copied = "%d of %d (all)" % (med(cp), med(cp))
        elif cp and pg:
            copied = "%d of %d" % (med(cp), med(pg))
        elif who == "firmware":
            copied = "- (QEMU reloads the files)"
        elif who == "theirs-s":
            copied = "n/a (`kexec -s -d` lists no segments)"
        decol = ""
        if dec:
            decol = (fmt(H(s, who, "decompress")) if "bzImage" in s or who == "firmware"
                     else "-") + " | "
        md.append("| %s | %s | %s | %s | %s | %s | %s%s | %s |" % (
            "bzImage" if who == "firmware" else s.split("-")[0], label(who),
            entries(s, who), fmt(H(s, who, "shutdown")), fmt(j, "ms", 1000, 1), fmt(b), decol,
            ("%.1f%%" % (100 * med(j) / med(b))) if j and b else "n/a", copied))
    md.append("")
    md.append("Pages copied: ours from the kernel's own line (\"N pages, M in place\": N - M of N); "
              "mainline's `relocate_kernel` copies (swaps) every page of every segment "
              "(`kexec -d` segment sizes).  The handover's initrd is the bench root "
              "(%s, uncompressed cpio).\n" % mib(root_size(bench)))

    md.append("### Load: `kexec -l` against reading the same files (guest clock)\n")
    md.append("The files are in tmpfs.  Every figure is a whole process, timed from fork to exit "
              "(`cat` is busybox's, which splices to /dev/null without copying; `read(2)` copies "
              "through a 64 KiB buffer; `read(2)` whole reads each file into a buffer of its size, "
              "the least a loader that keeps the bytes does).  Load / read: the load's time over "
              "reading's.  Pages in "
              "place: of all the image's pages (the kernel's own line), and of its kernel "
              "segments' (`/sys/kernel/kexec_boot/segments`).  Free memory: free pages plus "
              "per-CPU lists (/proc/zoneinfo) before and after the load.\n")
    md.append("| image + initrd (guest) | ours | %s | `cat > /dev/null` | `read(2)` | "
              "`read(2)` whole | ours: load / cat, / read(2), / read(2) whole | %s | "
              "ours: pages in place (all / kernel) | "
              "ours: memory held / image pages | memory held: ours / %s |" % (
                  " | ".join(label(m) for m in mainline),
                  " | ".join(label(m) + ": load / read(2)" for m in mainline),
                  " / ".join(label(m) for m in mainline)))
    md.append("|---|---|%s---|---|---|---|%s---|---|---|" % ("---|" * len(mainline), "---|" * len(mainline)))
    for s in ("vmlinux-1M", "bzImage-1M", "vmlinux-64M", "vmlinux-256M"):
        o = L(s, "load", "ours")
        t = [L(s, "load", m) for m in mainline]
        c, rd, hd = L(s, "cat"), L(s, "read"), L(s, "hold")
        ip, kip = L(s, "load", "ours", "inplace"), L(s, "load", "ours", "kinplace")
        held_o, pb = L(s, "load", "ours", "held"), L(s, "load", "ours", "pagebytes")
        held_t = [L(s, "load", m, "held") for m in mainline]
        kind, size = s.split("-")

        def timed(st, who):
            refused = refusal(s, who)
            if st is None and refused:
                return refused
            return fmt(st, "ms", 1000, 1) + (" (%s)" % refused if refused else "")

        md.append("| %s + %s (%s) | %s | %s | %s | %s | %s | %s / %s / %s | %s | %s / %s | %s | %s |" % (
            kind, size.replace("M", " MiB"), SESSIONS[s][0].replace("M", " MiB").replace("1G", "1 GiB"),
            timed(o, "ours"), " | ".join(timed(x, m) for x, m in zip(t, mainline)),
            fmt(c, "ms", 1000, 1), fmt(rd, "ms", 1000, 1), fmt(hd, "ms", 1000, 1),
            ratio(med(o), med(c)), ratio(med(o), med(rd)), ratio(med(o), med(hd)),
            " | ".join(ratio(med(x), med(rd)) for x in t),
            ("%.1f%%" % (100 * med(ip))) if ip else "n/a",
            ("%.1f%%" % (100 * med(kip))) if kip else "n/a",
            ("%.3f" % (med(held_o) / med(pb))) if held_o and pb else "n/a",
            " / ".join([kib(held_o)] + [kib(x) for x in held_t])))
    md.append("")
    HAND[:] = hand
    L_ref[:] = [L]
    BENCH_DIR[0] = bench
    tgt = targets(H, L, med)
    md.extend(tgt)
    md.extend(earlier_targets(H, L, med))
    md.extend(notes(H, med))
    text = "\n".join(md) + "\n"
    with open(os.path.join(bench, "results.md"), "w") as f:
        f.write(text)
    plot(arch, bench, H, L)
    if docdir:
        os.makedirs(docdir, exist_ok=True)
        name = "latest-%s" % arch
        with open(os.path.join(docdir, name + ".md"), "w") as f:
            f.write(text)
        if os.path.exists(os.path.join(bench, "bench.png")):
            with open(os.path.join(bench, "bench.png"), "rb") as src, \
                    open(os.path.join(docdir, name + ".png"), "wb") as dst:
                dst.write(src.read())
        summary = [md[0], "Everything, with the split of each handover and how to read it: "
                   "[Documentation/bench/%s.md](Documentation/bench/%s.md).\n" % (name, name),
                   "![make bench ARCH=%s: handover split and load times](Documentation/bench/%s.png)\n"
                   % (arch, name)]
        # under the README's heading of the arch, one level down
        summary += [re.sub(r"^###", "####", x) for x in md[head:handover_end] + tgt]
        update_readme(os.path.join(docdir, "..", "..", "README.md"), arch, "\n".join(summary))
    sys.stdout.write(text)


def update_readme(path, arch, body):
    """Replaces the text between the arch's bench markers, if the README
    has them."""
    begin = "<!-- bench:begin %s: make bench ARCH=%s rewrites this part -->" % (arch, arch)
    end = "<!-- bench:end %s -->" % arch
    if not os.path.exists(path):
        return
    with open(path) as f:
        text = f.read()
    a, b = text.find(begin), text.find(end)
    if a < 0 or b < a:
        return
    with open(path, "w") as f:
        f.write(text[:a + len(begin)] + "\n" + body.rstrip("\n") + "\n" + text[b:])


def kib(st):
    return "%d KiB" % (st[0] / 1024) if st else "n/a"


def mib(n):
    return "%.1f MiB" % (n / 1048576.0) if n else "?"


def root_size(bench):
    path = os.path.join(bench, "initramfs.cpio")
    return os.path.getsize(path) if os.path.exists(path) else 0


def targets(H, L, med):
    """The targets of the x86 bench issue, on either arch."""
    first = ARCH["mainline"][0]
    out = ["### Against the targets\n", "| target | measured | met |", "|---|---|---|"]

    def row(what, value, ok):
        out.append("| %s | %s | %s |" % (what, value, "yes" if ok else "**no**"))

    for kind in ("vmlinux", "bzImage"):
        o = med(H(kind + "-1M", "ours", "total"))
        # kexec_file_load takes no vmlinux on x86_64: there, against -c
        for m in ARCH["mainline"]:
            t = med(H(kind + "-1M", m, "total"))
            if t:
                break
        what = "`kexec -e` → init ≤ 0.75× mainline%s (%s)" % (
            {"theirs-s": " `kexec -s`", "theirs-c": " `kexec -c`"}[m]
            if len(ARCH["mainline"]) > 1 else "", kind)
        if m != first:
            what += ", kexec -s took none"
        if o and t:
            row(what, "%.3f× (%.2f s against %.2f s)" % (o / t, o, t), o / t <= 0.75)
    j, b = med(H("bzImage-1M", "ours", "jump")), med(H("bzImage-1M", "ours", "boot"))
    if j is not None and b:
        row("point of no return → first instruction ≤ 5% of the new kernel's boot (bzImage)",
            "%.1f%% (%.0f ms of %.2f s)" % (100 * j / b, 1000 * j, b), j / b <= 0.05)
    kip = med(L("bzImage-1M", "load", "ours", "kinplace"))
    if kip is not None:
        row("≥ 95% of bzImage pages in place at load (its kernel segments)", "%.1f%%" % (100 * kip),
            kip >= 0.95)
    for s in ("vmlinux-1M", "bzImage-1M", "vmlinux-64M", "vmlinux-256M"):
        lo, rd = med(L(s, "load", "ours")), med(L(s, "read"))
        if lo and rd:
            row("load time ≤ 1.25× reading the files with `read(2)` (%s)" % s,
                "%.2f× (%.1f ms against %.1f ms)" % (lo / rd, 1000 * lo, 1000 * rd), lo / rd <= 1.25)
    out.append("")
    out.append("For scale, not a target: the load against reading the files whole into buffers "
               "of their size (`read(2)` whole), which is what keeping the bytes costs at least.\n")
    out.append("| image + initrd | ours: load / `read(2)` whole | mainline: load / `read(2)` whole |")
    out.append("|---|---|---|")
    for s in ("vmlinux-1M", "bzImage-1M", "vmlinux-64M", "vmlinux-256M"):
        lo, hd = med(L(s, "load", "ours")), med(L(s, "hold"))
        theirs = [(m, med(L(s, "load", m))) for m in ARCH["mainline"]]
        if lo and hd:
            out.append("| %s | %.2f× (%.1f ms against %.1f ms) | %s |" % (
                s, lo / hd, 1000 * lo, 1000 * hd,
                ", ".join("%s %.2f×" % (label(m), x / hd) for m, x in theirs if x) or "n/a"))
    out.append("")
    return out


def earlier_targets(H, L, med):
    out = ["### Earlier targets (issue 5)\n", "| target | measured | met |", "|---|---|---|"]

    def row(what, value, ok):
        out.append("| %s | %s | %s |" % (what, value, "yes" if ok else "**no**"))

    o, fw = med(H("vmlinux-1M", "ours", "total")), med(H("firmware", "firmware", "total"))
    if o and fw:
        row("`kexec -e` → init ≤ 0.5× firmware reboot (vmlinux)", "%.2f×" % (o / fw), o / fw <= 0.5)
    j, b = med(H("vmlinux-1M", "ours", "jump")), med(H("vmlinux-1M", "ours", "boot"))
    if j is not None and b:
        row("point of no return → first instruction < 5% of the new kernel's boot (vmlinux)",
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


HAND = []
L_ref = []
BENCH_DIR = [None]


def relocatable(bench):
    """Whether the bzImage our kernel loads (the mainline build's) says it
    is relocatable (setup header byte 0x234); None if unknown."""
    try:
        with open(os.path.join(bench, "initramfs.list")) as f:
            for line in f:
                w = line.split()
                if len(w) > 2 and w[0] == "file" and w[1] == "/boot/theirs/bzImage":
                    with open(w[2], "rb") as img:
                        img.seek(0x234)
                        return img.read(1) != b"\0"
    except OSError:
        pass
    return None


def notes(H, med):
    """What the figures say about TCG itself, computed from the same runs."""
    out = ["### Reading these figures\n"]
    jv, jb = med(H("vmlinux-1M", "ours", "jump")), med(H("bzImage-1M", "ours", "jump"))
    dfw = med(H("firmware", "firmware", "decompress"))
    dk = med(H("bzImage-1M", "ours", "decompress"))
    dk2 = med(H("bzImage-1M", "theirs-c", "decompress"))
    cv, cb = med(H("vmlinux-1M", "ours", "copied")), med(H("bzImage-1M", "ours", "copied"))
    if jv and jb and not ARCH["decompress"] and cv is not None and cb is not None:
        out.append("* Our stub's jump copies %d pages in %.0f ms for the vmlinux, whose destination "
                   "is fixed (CONFIG_PHYSICAL_START, 16 MiB): its pages are in place only where "
                   "that memory happened to be free at load; and %d pages in %.0f ms for the "
                   "bzImage, which the kernel places in free memory (medians)."
                   % (cv, 1000 * jv, cb, 1000 * jb))
    elif jv and jb:
        out.append("* Our stub's jump takes %.0f ms for the vmlinux, whose destination "
                   "(CONFIG_PHYSICAL_START, 16 MiB) is the running kernel's own image, against "
                   "%.0f ms for the bzImage.  We suspect TCG: stores to pages holding code it "
                   "has translated take its slow path until the page's translations are gone; "
                   "real hardware has no such cost.  Not verified here." % (1000 * jv, 1000 * jb))
    if dfw and dk:
        out.append("* The bzImage decompressor takes %.2f s after our kexec and %.2f s after "
                   "mainline's, against %.2f s after a reset.  The new kernel's own boot differs "
                   "between the paths for reasons not pinned down here, so compare the jump "
                   "column as well as the totals." % (dk, dk2 or float("nan"), dfw))
    stray = [r for r in HAND if r["who"] == "theirs-s" and r["session"] == "bzImage-1M"]
    hit = [r for r in stray if "t_stray" in r]
    if hit:
        out.append("* Mainline -s: in %d of %d bzImage handovers a breakpoint armed for an earlier "
                   "image's entry (%s) fired %.0f ms (median) after the point of no return, "
                   "%.2f s before `Run /init` (its purgatory first checks the SHA-256 digests of "
                   "the segments).  kexec_file_load places the kernel top-down as "
                   "kexec -c does, so that is likely -s's entry too, but nothing in the guest says "
                   "so: the tables leave it n/a." % (
                       len(hit), len(stray), ", ".join(sorted({r["stray"] for r in hit})),
                       1000 * statistics.median(r["t_stray"] - r["t_ponr"] for r in hit),
                       statistics.median(r["t_run"] - r["t_stray"] for r in hit)))
    kip = L_ref[0]("bzImage-1M", "load", "ours", "kinplace") if L_ref else None
    if kip and med(kip) < 0.95 and relocatable(BENCH_DIR[0]) is False:
        out.append("* The bzImage our kernel loads (the mainline build; both builds share the "
                   "configuration) says it is not relocatable (relocatable_kernel = 0: "
                   "CONFIG_RELOCATABLE is off): it must run at 0x100000, so "
                   "its pages are in place only where that memory happened to be free at load "
                   "(%.1f%% here); free-memory placement applies to relocatable bzImages." % (100 * med(kip)))
    fwj = med(H("firmware", "firmware", "jump"))
    fb = med(H("firmware", "firmware", "boot"))
    if fwj and fb:
        out.append("* QEMU's firmware is quick: reset, SeaBIOS and the real-mode setup take "
                   "%.0f ms, and the reboot is dominated by the kernel's own boot (%.2f s), which "
                   "any kexec pays too; on real machines the firmware takes seconds." % (1000 * fwj, fb))
    out.append("* Each breakpoint stop costs the guest a gdb stub round trip, well under a "
               "millisecond; the guest's init sleeps a second between reporting the entry and "
               "its timed `kexec -e`, while the host sets the breakpoint.")
    out.append("* The host is shared: other builds and tests running at the same time stretch "
               "TCG runs, hence the wide min-max ranges.")
    out.append("")
    return out


def debian_version(bench):
    """The kexec-tools package's version, from the changelog of the copy the
    bench root holds."""
    try:
        with open(os.path.join(bench, "initramfs.list")) as f:
            for line in f:
                w = line.split()
                if len(w) > 2 and w[0] == "file" and w[1] == "/debian/kexec":
                    deb = os.path.dirname(os.path.dirname(w[2]))
                    path = os.path.join(deb, "usr/share/doc/kexec-tools/changelog.Debian.gz")
                    with gzip.open(path, "rt") as log:
                        m = re.match(r"kexec-tools \((\S+)\)", log.readline())
                    if m:
                        return m.group(1)
    except OSError:
        pass
    return "(%s)" % ARCH["deb"]


def plot(arch, bench, H, L):
    """Left: the handover split, stacked; right: load times, clustered."""
    dat = os.path.join(bench, "plot.dat")
    mainline = ARCH["mainline"]

    def triple(st, scale=1.0):
        return ("%.4f %.4f %.4f" % (st[0] * scale, st[1] * scale, st[2] * scale)) if st else "NaN NaN NaN"

    def med(st):
        return "%.4f" % st[0] if st else "NaN"

    with open(dat, "w") as f:
        f.write("# handover: image who, medians of exec->ponr ponr->entry entry->init, "
                "ponr->init where the entry is unknown, total median min max\n")
        rows = [(s, who) for s in ("vmlinux-1M", "bzImage-1M") for who in ("ours",) + mainline]
        for s, who in rows + [("firmware", "firmware")]:
            tot = H(s, who, "total")
            if tot is None:
                continue
            # without an entry: the point of no return to init in one piece
            shutdown, jump, boot = H(s, who, "shutdown"), H(s, who, "jump"), H(s, who, "boot")
            rest = tot[0] - shutdown[0] if jump is None or boot is None else 0
            f.write('"%s" "%s" %s %s %s %.4f %s\n' % (
                "firmware" if who == "firmware" else s.split("-")[0],
                {"firmware": "reboot"}.get(who, label(who)),
                med(shutdown), med(jump) if jump else "0", med(boot) if boot else "0", rest,
                triple(tot)))
        f.write("\n\n# load milliseconds: label, ours %s cat read (median min max)\n"
                % " ".join(mainline))
        for s in ("vmlinux-1M", "bzImage-1M", "vmlinux-64M", "vmlinux-256M"):
            label_ = s.replace("-", "\\n+ ").replace("M", " MiB")
            if L(s, "load", "ours") is None and L(s, "load", "ours", ok=False):
                label_ += "\\n(ours: refused)"
            f.write('"%s" %s %s %s %s\n' % (
                label_, triple(L(s, "load", "ours"), 1000),
                " ".join(triple(L(s, "load", m), 1000) for m in mainline),
                triple(L(s, "cat"), 1000), triple(L(s, "read"), 1000)))
    gp = os.path.join(os.path.dirname(os.path.abspath(__file__)), "plot.gp")
    r = subprocess.run(["gnuplot", "-e", "datafile='%s'; outfile='%s'; arch='%s'; mainlines=%d" % (
        dat, os.path.join(bench, "bench.png"), arch.replace("_", "\\_"), len(mainline)), gp],
        capture_output=True, text=True)
    if r.returncode:
        sys.stderr.write("gnuplot failed:\n" + r.stderr)


def main():
    if len(sys.argv) >= 5 and sys.argv[1] == "run" and sys.argv[2] in ARCHES:
        set_arch(sys.argv[2])
        ours, bench = sys.argv[3], sys.argv[4]
        names = sys.argv[5:] or list(SESSIONS)
        logdir = os.path.join(bench, "logs")
        os.makedirs(logdir, exist_ok=True)
        for name in names:
            took = run_session(name, ours, os.path.join(bench, "initramfs.cpio"), logdir)
            print("bench: session %s: %.0f s" % (name, took), flush=True)
    elif len(sys.argv) in (4, 5) and sys.argv[1] == "report" and sys.argv[2] in ARCHES:
        set_arch(sys.argv[2])
        report(sys.argv[2], sys.argv[3], sys.argv[4] if len(sys.argv) == 5 else None)
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main()
