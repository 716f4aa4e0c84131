#!/usr/bin/env python3
"""The kexec_boot series as a maintainer receives it: export, apply, build.

  export-series.py export      write build/series/*.patch (git format-patch)
  export-series.py check       git am them onto pristine Linux; the result
                               must be the tree we build, file for file
  export-series.py bisect      build the kernel after every patch in turn
  export-series.py checkpatch  checkpatch.pl --strict on every patch, and a
                               lint of the documentation the series adds

The commits are cut as patches/export.plan says, from the patched and
overlaid tree (build/i386/linux), on top of a git repository made once from
the pristine tarball (build/export/linux, tag "pristine"; remade when the
tarball changes).  Everything stops, loudly, when a file the build changes
is in no commit or in two, when a plan pattern matches nothing, or when a
commit would be empty.
"""

import argparse
import bisect
import difflib
import fcntl
import fnmatch
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PATCHES = ROOT / "patches"
MESSAGES = PATCHES / "messages"
PLAN = PATCHES / "export.plan"
OVERLAY = ROOT / "kernel"
CHECKPATCH_ALLOWED = PATCHES / "checkpatch.allowed"
DOC_SOURCES = [OVERLAY / "Documentation"]
MAN_PAGES = [ROOT / "userspace" / "kexec_boot_load.2",
             ROOT / "userspace" / "kexec.8"]
CONFIG_FRAGMENT = OVERLAY / "arch/x86/configs/kexec_boot_qemu.config"

AUTHOR = ("kexec_boot developers", "kexec-boot@example.org")
GIT_CONFIG = ["-c", "core.autocrlf=false", "-c", "gc.auto=0",
              "-c", "advice.detachedHead=false", "-c", "commit.gpgsign=false",
              "-c", "core.quotepath=false", "-c", "am.threeWay=false"]


class SeriesError(Exception):
    pass


def die(msg):
    raise SeriesError(msg)


def log(msg):
    print(msg, flush=True)


class Repo:
    """The export repository: the pristine tree, then the series on top.

    The working tree is the whole pristine tarball, unpacked once; git
    tracks only the pristine files the series changes (commit "pristine"),
    which is all git am and format-patch need: a patch's blob ids do not
    depend on the rest of the tree.  Switching back to "pristine" restores
    those files and removes the ones the series added, so the working tree
    is the pristine tree again without unpacking anything.
    """

    def __init__(self, work, tree, tarball):
        self.work = work
        self.path = work / "linux"
        self.tree = tree
        self.tarball = tarball
        self.env = dict(os.environ,
                        GIT_AUTHOR_NAME=AUTHOR[0], GIT_AUTHOR_EMAIL=AUTHOR[1],
                        GIT_COMMITTER_NAME=AUTHOR[0],
                        GIT_COMMITTER_EMAIL=AUTHOR[1],
                        GIT_CONFIG_NOSYSTEM="1", LC_ALL="C")
        date = os.environ.get("SOURCE_DATE_EPOCH")
        if not date:
            date = subprocess.run(["git", "-C", str(ROOT), "log", "-1",
                                   "--format=%ct"], capture_output=True,
                                  text=True).stdout.strip() or "0"
        self.env["GIT_AUTHOR_DATE"] = self.env["GIT_COMMITTER_DATE"] = \
            date + " +0000"
        self.pristine_files = set()

    def git(self, *args, cwd=None, capture=True, check=True, stdin=None,
            env=None):
        res = subprocess.run(["git", *GIT_CONFIG, *args],
                             cwd=cwd or self.path, env=env or self.env,
                             text=True, input=stdin,
                             stdout=subprocess.PIPE if capture else None,
                             stderr=subprocess.PIPE if capture else None)
        if check and res.returncode:
            die("git %s failed:\n%s%s" % (" ".join(args), res.stdout or "",
                                          res.stderr or ""))
        return res.stdout if capture else ""

    def stamp(self):
        st = self.tarball.stat()
        return "%s %d %d\n" % (self.tarball, st.st_size, int(st.st_mtime))

    def ensure_pristine(self, needed):
        """The pristine tree, with git tracking at least @needed."""
        meta = self.path / ".git"
        stamp_file = meta / "kexec-boot-pristine"
        list_file = meta / "kexec-boot-pristine-files"
        if not (stamp_file.exists() and stamp_file.read_text() ==
                self.stamp()):
            log("export: unpacking %s into %s (once per tarball)" %
                (self.tarball, self.path))
            if self.path.exists():
                shutil.rmtree(self.path)
            self.path.mkdir(parents=True)
            subprocess.run(["tar", "-xf", str(self.tarball), "-C",
                            str(self.path), "--strip-components=1"],
                           check=True)
            files = sorted(os.path.relpath(os.path.join(d, f), self.path)
                           for d, dirs, names in os.walk(self.path)
                           for f in names + [x for x in dirs if os.path.islink(
                               os.path.join(d, x))])
            self.git("init", "-q")
            self.git("commit", "-q", "--allow-empty", "-m",
                     "Linux %s (%s)" % (kernel_version(self.path),
                                        self.tarball.name))
            self.git("tag", "-f", "pristine")
            list_file.write_text("\n".join(files) + "\n")
            stamp_file.write_text(self.stamp())
        self.pristine_files = set(list_file.read_text().split("\n")) - {""}
        tracked = set(self.git("ls-tree", "-r", "--name-only",
                               "pristine").splitlines())
        missing = sorted((set(needed) & self.pristine_files) - tracked)
        if missing:
            # Files outside git were never touched since the unpacking.
            self.reset("am-check")
            self.git("add", "-f", "--", *missing)
            self.git("commit", "-q", "--amend", "--no-edit")
            self.git("tag", "-f", "pristine")
            for ref in ("series", "am-check"):
                self.git("update-ref", "-d", "refs/heads/" + ref, check=False)
            self.reset("am-check")

    def reset(self, branch):
        """Checks out @branch at pristine: the pristine tree again."""
        self.git("am", "--abort", check=False)
        self.git("checkout", "-q", "-f", "-B", branch, "pristine")


def kernel_version(tree):
    text = (tree / "Makefile").read_text()
    parts = [re.search(r"^%s = (\S*)" % key, text, re.M)
             for key in ("VERSION", "PATCHLEVEL", "SUBLEVEL")]
    return ".".join(m.group(1) for m in parts if m and m.group(1))


# --- what the build changes, and where each piece goes ----------------------

def patched_files():
    files = {}
    for name in (PATCHES / "series").read_text().split():
        for line in (PATCHES / name).read_text().splitlines():
            m = re.match(r"^\+\+\+ b/(\S+)", line)
            if m:
                files[m.group(1)] = "patches/" + name
            elif re.match(r"^\+\+\+ /dev/null", line):
                die("patches/%s deletes a file: the export does not "
                    "support that" % name)
    return files


def overlay_files():
    files = {}
    for path in sorted(OVERLAY.rglob("*")):
        if path.is_file():
            rel = path.relative_to(OVERLAY).as_posix()
            files[rel] = "kernel/" + rel
    return files


def changed_files():
    files = patched_files()
    for rel, origin in overlay_files().items():
        if rel in files:
            die("%s is both in %s and in %s" % (rel, files[rel], origin))
        files[rel] = origin
    return files


class Commit:
    def __init__(self, name):
        self.name = name
        self.patterns = []
        self.files = []

    @property
    def message(self):
        path = MESSAGES / self.name
        if not path.exists():
            die("export.plan: no message %s" % path.relative_to(ROOT))
        return path.read_text()


def read_plan():
    commits = []
    for num, line in enumerate(PLAN.read_text().splitlines(), 1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        if line.startswith("commit "):
            commits.append(Commit(line.split(None, 1)[1].strip()))
        elif line[0].isspace() and commits:
            commits[-1].patterns.append(line.strip())
        else:
            die("export.plan:%d: cannot parse %r" % (num, line))
    return commits


def assign(commits, files):
    """Gives every changed file its one commit; stops on any doubt."""
    errors = []
    for path, origin in sorted(files.items()):
        owners = [c for c in commits
                  if any(fnmatch.fnmatchcase(path, p) for p in c.patterns)]
        if not owners:
            errors.append("%s (from %s) is in no commit of patches/"
                          "export.plan" % (path, origin))
        elif len(owners) > 1:
            errors.append("%s (from %s) is in several commits: %s" %
                          (path, origin, ", ".join(c.name for c in owners)))
        else:
            owners[0].files.append(path)
    for c in commits:
        for p in c.patterns:
            if not any(fnmatch.fnmatchcase(f, p) for f in files):
                errors.append("export.plan: %s: pattern %s matches no file "
                              "the build changes" % (c.name, p))
    if errors:
        die("the series does not cover the tree:\n  " + "\n  ".join(errors))


# --- MAINTAINERS: each patch adds the F: lines of the files it adds ----------

def maintainers_pattern_matches(pattern, path):
    if pattern.endswith("/"):
        return path.startswith(pattern)
    rx = re.escape(pattern).replace(r"\*", "[^/]*").replace(r"\?", "[^/]")
    return re.fullmatch(rx, path) is not None


class Maintainers:
    def __init__(self, pristine, final, universe):
        self.final = final.splitlines(keepends=True)
        old = pristine.splitlines(keepends=True)
        self.added = set()
        matcher = difflib.SequenceMatcher(None, old, self.final,
                                          autojunk=False)
        for op, _, _, j1, j2 in matcher.get_opcodes():
            if op == "equal":
                continue
            if op != "insert":
                die("MAINTAINERS: the series may only add lines")
            self.added.update(range(j1, j2))
        # The files each added F: pattern matches, among all there may be.
        ordered = sorted(universe)
        self.matches = {}
        for j in self.added:
            m = re.match(r"F:\t(\S+)$", self.final[j].rstrip("\n"))
            if not m:
                continue
            pattern = m.group(1)
            prefix = re.split(r"[*?]", pattern, maxsplit=1)[0]
            first = bisect.bisect_left(ordered, prefix)
            found = set()
            for path in ordered[first:]:
                if not path.startswith(prefix):
                    break
                if maintainers_pattern_matches(pattern, path):
                    found.add(path)
            self.matches[j] = found

    def at(self, present):
        """MAINTAINERS when the files in @present exist."""
        return "".join(line for j, line in enumerate(self.final)
                       if j not in self.matches or
                       self.matches[j] & present)


# --- export -----------------------------------------------------------------

def install(src, dst):
    dst.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(src, dst)
    os.chmod(dst, 0o755 if os.access(src, os.X_OK) else 0o644)


def export(repo, out_dir):
    commits = read_plan()
    files = changed_files()
    assign(commits, files)
    repo.ensure_pristine(files)

    for path, origin in files.items():
        if not (repo.tree / path).is_file():
            die("%s (from %s) is not in %s: run make first" %
                (path, origin, repo.tree))
        if origin.startswith("kernel/") and path in repo.pristine_files:
            die("%s replaces a Linux file: put the change in a patch" %
                origin)

    maintainers = None
    if "MAINTAINERS" in files:
        maintainers = Maintainers(repo.git("show", "pristine:MAINTAINERS"),
                                  (repo.tree / "MAINTAINERS").read_text(),
                                  repo.pristine_files | set(files))

    # The commits are made with plumbing, in an index of their own: the
    # working tree is not touched.
    index = repo.path / ".git" / "kexec-boot-export-index"
    env = dict(repo.env, GIT_INDEX_FILE=str(index))
    repo.git("read-tree", "pristine", env=env)
    parent = repo.git("rev-parse", "pristine").strip()
    present = set(repo.pristine_files)
    entry_added = False
    scratch = repo.work / "maintainers.tmp"
    for c in commits:
        staged = {path: repo.tree / path for path in c.files}
        present.update(c.files)
        entry_added = entry_added or "MAINTAINERS" in c.files
        if maintainers and entry_added:
            scratch.write_text(maintainers.at(present))
            staged["MAINTAINERS"] = scratch
        info = []
        for path, src in sorted(staged.items()):
            blob = repo.git("hash-object", "-w", "--", str(src)).strip()
            mode = "100755" if os.access(src, os.X_OK) and \
                src != scratch else "100644"
            info.append("%s %s\t%s\n" % (mode, blob, path))
        repo.git("update-index", "--index-info", stdin="".join(info),
                 env=env)
        tree = repo.git("write-tree", env=env).strip()
        if tree == repo.git("rev-parse", parent + "^{tree}").strip():
            die("commit %s would be empty" % c.name)
        message = c.message
        if "Signed-off-by: %s <%s>" % AUTHOR not in message:
            die("messages/%s has no Signed-off-by: %s <%s>" %
                (c.name, *AUTHOR))
        parent = repo.git("commit-tree", tree, "-p", parent,
                          stdin=message).strip()
    repo.git("update-ref", "refs/heads/series", parent)
    if scratch.exists():
        scratch.unlink()

    for path in files:
        blob = repo.git("rev-parse", "series:" + path).strip()
        if blob != repo.git("hash-object", "--",
                            str(repo.tree / path)).strip():
            die("%s differs from %s after the last commit (a MAINTAINERS "
                "F: line that matches no file?)" % (path, repo.tree / path))

    cover = (MESSAGES / "cover-letter").read_text()
    repo.git("config", "branch.series.description", cover)
    if out_dir.exists():
        for old in out_dir.glob("*.patch"):
            old.unlink()
    out_dir.mkdir(parents=True, exist_ok=True)
    repo.git("format-patch", "-q", "--cover-letter",
             "--cover-from-description=subject", "-o", str(out_dir),
             "pristine..series")
    patches = sorted(out_dir.glob("*.patch"))
    log("series: %d patches and a cover letter in %s" %
        (len(patches) - 1, out_dir))
    for p in patches:
        log("  " + p.name)


def series_patches(out_dir):
    patches = sorted(p for p in out_dir.glob("[0-9][0-9][0-9][0-9]-*.patch")
                     if not p.name.startswith("0000-"))
    if not patches:
        die("no series in %s: run make series" % out_dir)
    return patches


# --- check: git am onto pristine Linux, compare with the tree we build -------

def check(repo, out_dir):
    patches = series_patches(out_dir)
    start = time.monotonic()
    repo.ensure_pristine(changed_files())
    repo.reset("am-check")
    res = subprocess.run(["git", *GIT_CONFIG, "am", "-q",
                          "--whitespace=error-all",
                          *map(str, patches)], cwd=repo.path, env=repo.env,
                         capture_output=True, text=True)
    if res.returncode:
        repo.git("am", "--abort", check=False)
        die("git am failed:\n" + res.stdout + res.stderr)
    applied = time.monotonic() - start
    # The Makefile's stamps live at the top of the shared tree.
    stamps = [a for f in (".unpacked", ".patched", ".patched-files",
                          ".overlay") for a in ("-x", f)]
    res = subprocess.run(["diff", "-r", "-q", "--no-dereference", "-x", ".git",
                          *stamps, str(repo.path), str(repo.tree)],
                         capture_output=True, text=True)
    if res.returncode:
        die("the tree git am made is not the tree we build:\n%s%s"
            "(a file left over in %s by an earlier overlay? a stray file "
            "in %s? remove it, or that directory)" %
            (res.stdout, res.stderr, repo.tree, repo.path))
    if repo.git("rev-parse", "HEAD^{tree}") != \
            repo.git("rev-parse", "series^{tree}"):
        die("git am made another tree than the exported commits")
    log("series-check: %d patches apply with git am to pristine Linux %s "
        "and give exactly %s (git am %.0f s, all %.0f s)" %
        (len(patches), kernel_version(repo.path), repo.tree, applied,
         time.monotonic() - start))


# --- bisect: build after every patch ----------------------------------------

def build_each(repo, out_dir, jobs):
    check(repo, out_dir)
    # The series as git am made it, one patch after the other, in the
    # export tree itself: the switch to the next commit rewrites only the
    # files that patch changes, so each build is incremental.
    worktree = repo.path
    obj = repo.work / "bisect-obj"
    obj.mkdir(parents=True, exist_ok=True)
    commits = repo.git("rev-list", "--reverse", "pristine..am-check").split()
    kmake = ["make", "-C", str(worktree), "O=" + str(obj), "ARCH=i386", "-s"]
    results = []
    total = time.monotonic()
    for num, sha in enumerate(commits, 1):
        subject = repo.git("log", "-1", "--format=%s", sha).strip()
        repo.git("checkout", "-q", "-f", "--detach", sha)
        start = time.monotonic()
        steps = [kmake + ["tinyconfig"],
                 [str(worktree / "scripts/kconfig/merge_config.sh"), "-m",
                  "-O", str(obj), str(obj / ".config"), str(CONFIG_FRAGMENT)],
                 kmake + ["olddefconfig"],
                 kmake + ["-j%d" % jobs, "bzImage"]]
        logfile = repo.work / ("bisect-%02d.log" % num)
        with open(logfile, "w") as out:
            for step in steps:
                res = subprocess.run(step, stdout=out,
                                     stderr=subprocess.STDOUT, cwd=worktree)
                if res.returncode:
                    tail = logfile.read_text().splitlines()[-30:]
                    die("patch %d (%s) does not build:\n%s\n(log: %s)" %
                        (num, subject, "\n".join(tail), logfile))
        config = (obj / ".config").read_text()
        enabled = "CONFIG_KEXEC_BOOT=y" in config.splitlines()
        results.append((num, subject, enabled, time.monotonic() - start))
        log("bisect: patch %d/%d builds (%s, KEXEC_BOOT=%s, %.0f s)" %
            (num, len(commits), subject, "y" if enabled else "n",
             results[-1][3]))
    if not results[-1][2]:
        die("CONFIG_KEXEC_BOOT is not set after the last patch")
    log("bisect: all %d patches build one after the other (tinyconfig + %s, "
        "ARCH=i386, -j%d): %.0f s" % (len(results), CONFIG_FRAGMENT.name,
                                      jobs, time.monotonic() - total))


# --- checkpatch and the documentation ---------------------------------------

def read_allowed():
    """patches/checkpatch.allowed: "TYPE: message" lines, each justified."""
    allowed = []
    for line in CHECKPATCH_ALLOWED.read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            allowed.append(line.strip())
    return allowed


def checkpatch(repo, out_dir):
    patches = series_patches(out_dir)
    scratch = repo.work / "checkpatch"
    scratch.mkdir(parents=True, exist_ok=True)
    allowed = read_allowed()
    counts = {"ERROR": 0, "WARNING": 0, "CHECK": 0}
    unexpected = []
    # Run outside any git repository so the .checkpatch-camelcase.* cache
    # lands in the scratch directory.
    for p in patches:
        res = subprocess.run(["perl", str(repo.tree / "scripts/checkpatch.pl"),
                              "--strict", "--show-types", "--root",
                              str(repo.tree), str(p)], cwd=scratch,
                             capture_output=True, text=True)
        findings = re.findall(r"^(ERROR|WARNING|CHECK):(\w+): (.*)$",
                              res.stdout, re.M)
        for level, kind, text in findings:
            counts[level] += 1
            if "%s:%s: %s" % (level, kind, text) not in allowed:
                unexpected.append(p.name)
        summary = re.search(r"^total: .*$", res.stdout, re.M)
        log("checkpatch: %s: %s" % (p.name, summary.group(0) if summary
                                    else "no summary (checkpatch failed?)"))
        if findings or not summary:
            print(res.stdout + res.stderr)
        if not summary:
            unexpected.append(p.name)
    for f in scratch.glob(".checkpatch-camelcase.*"):
        f.unlink()
    log("checkpatch --strict: %d errors, %d warnings, %d checks in %d "
        "patches" % (counts["ERROR"], counts["WARNING"], counts["CHECK"],
                     len(patches)))
    doc_ok = lint_docs(repo)
    if unexpected:
        die("checkpatch findings not in patches/checkpatch.allowed: %s" %
            ", ".join(sorted(set(unexpected))))
    if not doc_ok:
        die("the documentation does not pass its lint")


def lint_docs(repo):
    ok = True
    try:
        import docutils  # noqa: F401
        have_docutils = True
    except ImportError:
        have_docutils = False
    rst = sorted(p for d in DOC_SOURCES for p in d.rglob("*.rst"))
    if have_docutils:
        for p in rst:
            res = subprocess.run([sys.executable, "-m", "docutils",
                                  "--halt=warning", "--report=warning",
                                  str(p), "/dev/null"],
                                 capture_output=True, text=True)
            if res.returncode:
                ok = False
                print(res.stdout + res.stderr)
        log("docs: %d .rst files pass docutils%s" %
            (len(rst), "" if ok else " - NOT all"))
    else:
        log("docs: python3 docutils not installed, .rst lint skipped")
    abi = repo.tree / "scripts/get_abi.pl"
    if abi.exists():
        res = subprocess.run(["perl", str(abi), "validate", "--dir",
                              str(repo.tree / "Documentation/ABI")],
                             capture_output=True, text=True)
        ours = [line for line in (res.stdout + res.stderr).splitlines()
                if "kexec" in line]
        if res.returncode or ours:
            ok = False
            print("\n".join(ours) or res.stderr)
        log("docs: scripts/get_abi.pl validate: %s" %
            ("clean for kexec_boot" if not ours else "findings above"))
    for page in MAN_PAGES:
        if not page.exists():
            continue
        res = subprocess.run(["groff", "-man", "-ww", "-z", str(page)],
                             capture_output=True, text=True)
        if res.returncode or res.stderr:
            ok = False
            print(res.stderr)
        log("docs: %s: groff -man -ww %s" %
            (page.relative_to(ROOT), "clean" if not res.stderr else
             "warnings above"))
    return ok


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("action",
                        choices=["export", "check", "bisect", "checkpatch"])
    parser.add_argument("--tree", default=str(ROOT / "build/i386/linux"),
                        help="the patched and overlaid tree")
    parser.add_argument("--work", default=str(ROOT / "build/export"),
                        help="the export repository and scratch space")
    parser.add_argument("--out", default=str(ROOT / "build/series"),
                        help="where the patches go")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    tarball = Path(os.environ.get("LINUX_TARBALL",
                                  "/usr/src/linux-source-6.12.tar.xz"))
    repo = Repo(Path(args.work), Path(args.tree).resolve(), tarball)
    out_dir = Path(args.out)
    repo.work.mkdir(parents=True, exist_ok=True)
    lock = open(repo.work / ".lock", "w")
    fcntl.flock(lock, fcntl.LOCK_EX)
    try:
        if args.action == "export":
            export(repo, out_dir)
        elif args.action == "check":
            check(repo, out_dir)
        elif args.action == "bisect":
            build_each(repo, out_dir, args.jobs)
        else:
            checkpatch(repo, out_dir)
    except SeriesError as err:
        print("export-series: %s" % err, file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
