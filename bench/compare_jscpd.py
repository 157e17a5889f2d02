#!/usr/bin/env python3
"""Recall of jscpd 5's clones by `vantage dupes`, per corpus folder and language.

jscpd runs with its JSON reporter and --min-tokens 50, one format at a time;
vantage with its defaults (renamed mode, 50 tokens). A jscpd clone counts as
found when each of its two fragments overlaps a member of one vantage clone
class (the same class for both) by at least half the fragment's lines.

    python3 bench/compare_jscpd.py [--bench-dir .bench] [--vantage target/release/vantage]
                                   [--show N] [--sample N] [folder ...]

Prints recall per language, the clones missed (--show), and a sample of
vantage clone classes jscpd reports nothing for (--sample), to be read.
"""
import argparse
import json
import os
import re
import subprocess
import sys
import tempfile
import time

FOLDERS = [
    ("django", "python/django/django", [("python", "python")]),
    ("rxjs", "ts/rxjs", [("typescript", "typescript"), ("javascript", "javascript")]),
    ("symfony", "php/symfony", [("php", "php")]),
    ("tokio", "rust/tokio", [("rust", "rust")]),
]

EXTENSIONS = {
    "python": (".py", ".pyi"),
    "typescript": (".ts", ".tsx", ".mts", ".cts"),
    "javascript": (".js", ".jsx", ".mjs", ".cjs"),
    "php": (".php",),
    "rust": (".rs",),
}


def run_jscpd(jscpd, root, fmt):
    with tempfile.TemporaryDirectory() as out:
        start = time.perf_counter()
        subprocess.run([jscpd, "--min-tokens", "50", "--format", fmt, "-r", "json", "-o", out,
                        "--silent", root], capture_output=True, text=True)
        elapsed = time.perf_counter() - start
        path = os.path.join(out, "jscpd-report.json")
        if not os.path.exists(path):
            return [], elapsed
        doc = json.load(open(path))
    return doc.get("duplicates", []), elapsed


def run_vantage(vantage, root, min_tokens):
    start = time.perf_counter()
    out = subprocess.run([vantage, "dupes", root, "--format", "json", "--min-tokens", str(min_tokens)],
                         check=True, capture_output=True, text=True).stdout
    return json.loads(out), time.perf_counter() - start


IMPORT = re.compile(r"^\s*(import\b|from\s+\S+\s+import\b|use\b|namespace\b|extern\s+crate\b|pub\s+use\b|<\?php|export\s+\*?\s*\{?[^;]*\}?\s*from\b)")
# Operators of several characters are one token to a tree-sitter grammar.
TOKEN = re.compile(r"\w+|\?->|\.\.\.|===|!==|\*\*=|\?\?=|<=>|<<=|>>=|->|=>|::|==|!=|<=|>=|&&|\|\||\?\?"
                   r"|\+\+|--|\.=|\+=|-=|\*=|/=|%=|&=|\|=|\^=|<<|>>|\*\*|[^\w\s]")


STRING = re.compile(r'"""(?:.|\n)*?"""|\'\'\'(?:.|\n)*?\'\'\'|<<<[\'"]?(\w+)[\'"]?\n(?:.|\n)*?\n\s*\1\b'
                    r'|"(?:\\.|[^"\\\n])*"|\'(?:\\.|[^\'\\\n])*\'|`(?:\\.|[^`\\])*`')
# Backticks quote only in JavaScript and TypeScript (in Rust and PHP doc
# comments they fence examples).
STRING_NO_BACKTICK = re.compile(STRING.pattern[:STRING.pattern.rindex("|`")])


LONG_LITERAL = 100  # src/lang/tokens.rs


def literal(match):
    """A string as vantage counts it: one token, unless it spans lines or
    reaches LONG_LITERAL bytes and is not a statement of its own (a
    docstring): then its words."""
    text = match.group(0)
    line_start = match.string.rfind("\n", 0, match.start()) + 1
    alone = match.string[line_start:match.start()].strip() == ""
    words = len(re.findall(r"\w+", text))
    others = len(re.findall(r"[^\w\s]", text))
    wordy = words * 3 >= words + others
    if ("\n" in text or len(text.encode()) >= LONG_LITERAL) and not alone and wordy:
        return " " + text + " "
    return " S "


_strings = {}


def code_tokens(root, path, start, end, language):
    """Tokens of a fragment (start and end: character offsets) as vantage
    counts them, roughly: comments and import statements dropped, a short
    string literal and a docstring one token, a long one its words, `->`
    and `=>` one."""
    strings = _strings.get((root, path))
    if strings is None:
        try:
            full = open(os.path.join(root, path), encoding="utf-8", errors="replace").read()
        except OSError:
            return 0
        # Strings found in the whole file: a fragment may begin inside one
        # (jscpd's clones often start in a docstring).
        pattern = STRING if language in ("typescript", "javascript") else STRING_NO_BACKTICK
        strings = (full, [(m.start(), m.end(), literal(m)) for m in pattern.finditer(full)])
        _strings[(root, path)] = strings
    full, found = strings
    pieces, at = [], start
    for s, e, replacement in found:
        if e <= start:
            continue
        if s >= end:
            break
        pieces.append(full[at:max(s, start)])
        # A string cut by the fragment's edge counts as it would whole: one
        # token, or its words (those inside the fragment).
        pieces.append(replacement if replacement == " S " else " " + full[max(s, start):min(e, end)] + " ")
        at = min(e, end)
    pieces.append(full[at:end] if at < end else "")
    text = "".join(pieces)
    text = re.sub(r"/\*.*?\*/", " ", text, flags=re.S)
    count = 0
    for line in text.split("\n"):
        if language == "python" or language == "php":
            line = re.sub(r"#.*", "", line)
        if language != "python":
            line = re.sub(r"//.*", "", line)
        if IMPORT.match(line) or line.strip().startswith("*"):
            continue
        count += len(TOKEN.findall(line))
    return count


def overlap(a0, a1, b0, b1):
    return max(0, min(a1, b1) - max(a0, b0) + 1)


def relative(root, name):
    name = os.path.normpath(name)
    root = os.path.normpath(root)
    return os.path.relpath(name, root) if os.path.isabs(name) or name.startswith(root) else name


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bench-dir", default=os.environ.get("VANTAGE_BENCH_DIR", ".bench"))
    ap.add_argument("--vantage", default="target/release/vantage")
    ap.add_argument("--show", type=int, default=5)
    ap.add_argument("--sample", type=int, default=0)
    ap.add_argument("--min-tokens", type=int, default=50,
                    help="vantage's threshold (jscpd always runs at 50; its tokens include comments "
                         "and split literals, so a jscpd clone under 50 tokens as vantage counts them "
                         "is reported apart, not as missed)")
    ap.add_argument("folders", nargs="*")
    args = ap.parse_args()
    jscpd = os.path.join(args.bench_dir, "peers", "npm-jscpd5", "node_modules", ".bin", "jscpd")
    if not os.access(jscpd, os.X_OK):
        sys.exit(f"no jscpd at {jscpd}: run bash ../shared/bench/peers.sh {args.bench_dir}")
    for name, folder, formats in FOLDERS:
        if args.folders and name not in args.folders:
            continue
        root = os.path.join(args.bench_dir, "corpus", folder)
        if not os.path.isdir(root):
            print(f"{name}: missing {root}")
            continue
        doc, t_vantage = run_vantage(args.vantage, root, args.min_tokens)
        # path -> [(start, end, class index)]
        members = {}
        for index, cls in enumerate(doc["clone_classes"]):
            for m in cls["members"]:
                members.setdefault(m["path"], []).append((m["start_line"], m["end_line"], index))
        t_jscpd_total = 0.0
        reported = set()
        for language, fmt in formats:
            clones, t_jscpd = run_jscpd(jscpd, root, fmt)
            t_jscpd_total += t_jscpd
            found, missed, noise = 0, [], 0
            # jscpd's clones of at least 70 of its tokens, apart.
            big_found, big_counted = 0, 0
            for clone in clones:
                sides = []
                for side in ("firstFile", "secondFile"):
                    f = clone[side]
                    path = relative(root, f["name"])
                    start, end = f["startLoc"]["line"], f["endLoc"]["line"]
                    need = (end - start + 1) / 2
                    classes = {c for (s, e, c) in members.get(path, []) if overlap(start, end, s, e) >= need}
                    sides.append((path, start, end, classes))
                common = sides[0][3] & sides[1][3]
                big = (clone.get("tokens") or 0) >= 70
                if common:
                    found += 1
                    reported |= common
                    big_found += big
                    big_counted += big
                elif min(code_tokens(root, relative(root, clone[side]["name"]), clone[side]["startLoc"]["position"],
                                     clone[side]["endLoc"]["position"], language)
                         for side in ("firstFile", "secondFile")) < 50:
                    # Under 50 tokens as vantage counts them: license
                    # headers, docblocks, import lists (left out on
                    # purpose), docstrings and heredocs (one token each).
                    noise += 1
                else:
                    missed.append((clone.get("tokens"), sides))
                    big_counted += big
            total = len(clones)
            counted = total - noise
            recall = 100.0 * found / counted if counted else 100.0
            big_recall = 100.0 * big_found / big_counted if big_counted else 100.0
            print(f"{name} {language}: jscpd {total} clones, {noise} under 50 tokens as vantage counts them "
                  f"(comments, imports, docstrings); of the other {counted}, vantage at {args.min_tokens} tokens finds {found} ({recall:.1f}%); "
                  f"of those of 70 jscpd tokens or more, {big_found} of {big_counted} ({big_recall:.1f}%)")
            for tokens, sides in missed[: args.show]:
                text = "  ".join(f"{p}:{s}-{e}" for (p, s, e, _) in sides)
                print(f"    missed ({tokens} tokens): {text}")
        exts = tuple(e for language, _ in formats for e in EXTENSIONS[language])
        ours = [i for i, c in enumerate(doc["clone_classes"])
                if all(m["path"].endswith(exts) for m in c["members"])]
        print(f"  vantage {len(doc['clone_classes'])} clone classes ({doc['duplication']['total_percent']}% of code lines), "
              f"{len(ours) - len(reported & set(ours))} of them not reported by jscpd; "
              f"time vantage {t_vantage * 1000:.0f} ms, jscpd {t_jscpd_total * 1000:.0f} ms")
        if args.sample:
            unreported = [i for i in ours if i not in reported]
            step = max(1, len(unreported) // args.sample)
            for i in unreported[::step][: args.sample]:
                c = doc["clone_classes"][i]
                places = "  ".join(f"{m['path']}:{m['start_line']}-{m['end_line']}" for m in c["members"])
                print(f"    unreported by jscpd ({c['tokens']} tokens, {len(c['members'])} places): {places}")


if __name__ == "__main__":
    main()
