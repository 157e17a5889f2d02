#!/usr/bin/env python3
"""Rust file edges: vantage against rust-analyzer (through cargo-modules).

`cargo modules dependencies --lib --all-features --no-externs --no-sysroot
--no-owns` draws a "uses" edge from each module (or item) to each item or
module it uses, as rust-analyzer resolves them. Each end is put in the file
that holds it (an item in its module's file; a module in `a/b.rs` or
`a/b/mod.rs`, an inline module in its parent's file), and the file edges
within the library's `src/` are compared with `vantage graph`'s.

    python3 bench/compare_rust_analyzer.py [--bench-dir .bench] [CRATE_DIR ...]

An associated item of a struct, enum or union is put in the file of the
`impl` block that holds it (cargo-modules names it under its type, whose
module may be another file), when one impl settles it.

Default crates: the corpus's tokio, and petgraph (copied from the local
cargo registry into BENCH_DIR/extra). Needs cargo-modules 0.27
(`bash ../shared/bench/peers.sh --rust`). Every edge rust-analyzer has and
vantage does not is classified:
  reexport  vantage's edge ends at a file that passes the item on (a
            `pub use`, or a glob `use m::*` of a prelude) instead of the
            file defining it;
  cfg       the file vantage reaches both defines the item and re-exports
            it, as alternatives under `#[cfg]` or `cfg_*!` (vantage takes
            the definition), or the using file is cfg-gated;
  unwritten the item is not named in the using file's code: a macro's
            expansion, or a type rust-analyzer inferred;
  impl      an associated item (`Graph::from`) left in its type's module
            (no one impl block settled where it is written) while an
            `impl` in another file holds it and the item it uses;
  miss      none of these: a resolution vantage gets wrong.
"""
import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys

EDGE = re.compile(r'^\s*"([^"]+)" -> "([^"]+)" \[label="uses"')
NODE = re.compile(r'^\s*"([^"]+)" \[label="([^"|]*)\|')


def file_of_module(src, segments):
    """The file holding module `segments` (below the crate root): by
    `#[path = "..."]` where the parent declares one (relative to the
    parent's folder), else `a/b.rs` or `a/b/mod.rs`; an inline module is in
    its parent's file."""
    current = "lib.rs"
    for segment in segments:
        text = read(src, current)
        here = os.path.dirname(current)
        attributed = re.search(r'#\[path\s*=\s*"([^"]+)"\]\s*(?:#\[[^\]]*\]\s*)*(?:pub(?:\([^)]*\))?\s+)?mod\s+'
                               + re.escape(segment) + r'\s*;', text)
        if attributed:
            current = os.path.normpath(os.path.join(here, attributed.group(1)))
            continue
        stem = os.path.basename(current)[:-3]
        children = here if stem in ("lib", "main", "mod") else os.path.join(here, stem)
        for candidate in (f"{children}/{segment}.rs", f"{children}/{segment}/mod.rs"):
            candidate = candidate.lstrip("/")
            if os.path.exists(os.path.join(src, candidate)):
                current = candidate
                break
        else:
            return current  # an inline module
    return current


def ra_edges(crate_dir, cargo_modules):
    env = {**os.environ, "PATH": f"{os.path.dirname(cargo_modules)}:{os.environ['PATH']}"}
    out = subprocess.run(["cargo", "modules", "dependencies", "--lib", "--all-features", "--no-externs",
                          "--no-sysroot", "--no-owns"], cwd=crate_dir, env=env,
                         capture_output=True, text=True, check=True).stdout
    kinds = {}
    edges = []
    for line in out.splitlines():
        if m := NODE.match(line):
            kinds[m.group(1)] = m.group(2)
        elif m := EDGE.match(line):
            edges.append((m.group(1), m.group(2)))
    src = os.path.join(crate_dir, "src")

    def file_of(node):
        parts = node.split("::")[1:]
        kind = kinds.get(node, "")
        if not kind.endswith("mod") and kind != "crate":
            parts = parts[:-1]  # an item: its module
        return "src/" + file_of_module(src, parts)

    def place(node, used=None):
        # An associated item of a struct, enum or union (`Graph::from`)
        # is written in an `impl` block, which may sit in another file
        # than the type: in its module's file first, else in a module
        # below, else in the parent module's folder (where Rust code puts
        # such impls), the one file whose impl
        # of the type defines the name (and names what it uses, among two
        # `From` impls). Left in the type's module when that does not
        # settle it. (A trait's items are in the trait's definition.)
        owner = node.rsplit("::", 1)[0]
        if kinds.get(owner, "").split(" ")[-1] not in ("struct", "enum", "union"):
            return file_of(node)
        home = file_of(owner)
        below = os.path.dirname(home) if os.path.basename(home) in ("mod.rs", "lib.rs") else home[:-3]
        name, type_name = node.split("::")[-1], owner.split("::")[-1]
        used_name = used.split("::")[-1] if used else None
        # The parent module's folder: its own file and siblings, those that
        # name the type through its module (`use handle::Handle`), as
        # another type of the same name may live next door.
        around = os.path.dirname(below)
        files = list(impl_blocks(crate_dir))
        # A file declaring a type of the same name implements its own.
        other = [f for f in files if f != home and not declares(crate_dir, f, type_name)]
        for scope in ([home],
                      [f for f in other if f.startswith(below + "/")],
                      [f for f in other if os.path.dirname(f) == around and names_type(crate_dir, f, owner)]):
            found = [f for f in scope if holds(crate_dir, f, type_name, name, used_name)]
            if len(found) == 1:
                return found[0]
            if found:
                break
        return file_of(node)

    result = {}
    for a, b in edges:
        fa, fb = place(a, b), place(b)
        if fa != fb:
            result.setdefault((fa, fb), (a, b))
    return result


_blocks = {}


def impl_blocks(crate_dir):
    """Per file under src/ (relative to the crate): its `impl` blocks as
    (header, body), comments left out, bodies found by counting braces
    (enough for a benchmark script)."""
    if crate_dir not in _blocks:
        files = {}
        header = re.compile(r"\bimpl\b[^{;]*\{")
        for path in sorted(glob.glob(os.path.join(crate_dir, "src", "**", "*.rs"), recursive=True)):
            text = re.sub(r"//[^\n]*", "", open(path, encoding="utf-8", errors="replace").read())
            blocks = []
            for m in header.finditer(text):
                depth, end = 1, m.end()
                while depth and end < len(text):
                    depth += {"{": 1, "}": -1}.get(text[end], 0)
                    end += 1
                blocks.append((m.group(0), text[m.end():end]))
            files[os.path.relpath(path, crate_dir)] = blocks
        _blocks[crate_dir] = files
    return _blocks[crate_dir]


def declares(crate_dir, path, type_name):
    """Whether the file declares a struct, enum, union or type alias named
    `type_name` (tokio's `process/unix/mod.rs` has a `ChildStdin` of its own)."""
    text = open(os.path.join(crate_dir, path), encoding="utf-8", errors="replace").read()
    return re.search(r"\b(struct|enum|union|type)\s+" + re.escape(type_name) + r"\b", text) is not None


def names_type(crate_dir, path, owner):
    """Whether the file names the type through its module's name
    (`handle::Handle`, `handle::{Handle, ...}`)."""
    module, type_name = owner.split("::")[-2:]
    text = open(os.path.join(crate_dir, path), encoding="utf-8", errors="replace").read()
    return re.search(r"\b" + re.escape(module) + r"\s*::\s*(\{[^}]*)?\b" + re.escape(type_name) + r"\b",
                     text) is not None


def holds(crate_dir, path, type_name, name, used):
    """Whether an impl of `type_name` in `path` defines `name` (and names
    `used`, when given)."""
    of_type = re.compile(r"\b" + re.escape(type_name) + r"\b")
    defines = re.compile(r"\b(fn|type|const)\s+" + re.escape(name) + r"\b")
    mentions = re.compile(r"\b" + re.escape(used) + r"\b") if used else None
    return any(of_type.search(head) and defines.search(body) and (mentions is None or mentions.search(head + body))
               for head, body in impl_blocks(crate_dir).get(path, []))


def vantage_edges(vantage, crate_dir):
    doc = json.loads(subprocess.run([vantage, "graph", crate_dir, "--format", "json", "--no-cache"],
                                    capture_output=True, text=True, check=True).stdout)
    return {(e["from"], e["to"]): e for e in doc["edges"]
            if e["from"].startswith("src/") and e["to"].startswith("src/")}


def read(crate_dir, path):
    try:
        return open(os.path.join(crate_dir, path), encoding="utf-8").read()
    except OSError:
        return ""


def classify(crate_dir, a_file, b_file, ra_pair, ours):
    a_node, b_node = ra_pair
    item = b_node.split("::")[-1]
    text = read(crate_dir, a_file)
    # Named only in comments (`//!` examples) or not at all: the use comes
    # from a macro's expansion or a type rust-analyzer inferred.
    code = re.sub(r"//[^\n]*", "", text)
    if not re.search(r"\b" + re.escape(item) + r"\b", code):
        # An associated item (`Graph::from`) is placed in its type's
        # module, though its `impl` may be in another file.
        owner = a_node.split("::")[-2] if a_node.count("::") >= 2 else ""
        if owner[:1].isupper():
            impl = re.compile(r"\bimpl\b[^{;]*\b" + re.escape(owner) + r"\b")
            word = re.compile(r"\b" + re.escape(item) + r"\b")
            for path in glob.glob(os.path.join(crate_dir, "src", "**", "*.rs"), recursive=True):
                other = open(path, encoding="utf-8", errors="replace").read()
                if os.path.relpath(path, crate_dir) != a_file and impl.search(other) and word.search(other):
                    return "impl"
        return "unwritten"
    reached = sorted(to for (frm, to) in ours if frm == a_file)
    passes_on = re.compile(r"pub(\([\w:]+\))?\s+use\b[^;]*(\b" + re.escape(item) + r"\b|::\*)")
    defines = re.compile(r"\b(fn|struct|enum|trait|type|const|static|mod|union|macro_rules!)\s+" + re.escape(item) + r"\b")
    for target in reached:
        text = read(crate_dir, target)
        if passes_on.search(text):
            # The file vantage reaches passes the item on; when it also
            # defines it, the two are alternatives under cfg.
            return "cfg" if defines.search(text) else "reexport"
    if re.search(r"#\[cfg|cfg_[a-z_]+!\s*\{", text):
        return "cfg"
    return "miss"


def compare(crate_dir, vantage, cargo_modules, show):
    theirs = ra_edges(crate_dir, cargo_modules)
    ours = vantage_edges(vantage, crate_dir)
    common = set(theirs) & set(ours)
    recall = len(common) / len(theirs) if theirs else 1.0
    print(f"{os.path.basename(os.path.normpath(crate_dir))}: rust-analyzer {len(theirs)} file edges, "
          f"vantage {len(ours)}, both {len(common)}: recall {recall:.3f}")
    classes = {}
    for pair in sorted(set(theirs) - set(ours)):
        kind = classify(crate_dir, pair[0], pair[1], theirs[pair], ours)
        classes.setdefault(kind, []).append(pair)
    for kind in ("reexport", "cfg", "unwritten", "impl", "miss"):
        pairs = classes.get(kind, [])
        print(f"  only rust-analyzer, {kind}: {len(pairs)}")
        for a, b in pairs[:show]:
            print(f"    {a} -> {b}   ({theirs[(a, b)][0]} uses {theirs[(a, b)][1]})")
    # What a reader of the source can see: leave out uses no file names.
    unseen = len(classes.get("unwritten", [])) + len(classes.get("impl", []))
    written = len(common) / (len(theirs) - unseen) if len(theirs) > unseen else 1.0
    print(f"  recall of the uses written in the source ({len(theirs) - unseen} edges): {written:.3f}")
    only_ours = sorted(set(ours) - set(theirs))
    print(f"  only vantage: {len(only_ours)} (cfg(test) modules and cfg-gated code rust-analyzer leaves out, "
          f"re-exporting files, macro arguments)")
    for a, b in only_ours[:show]:
        print(f"    {a} -> {b}")
    return recall


def petgraph_copy(bench_dir):
    target = os.path.join(bench_dir, "extra", "petgraph")
    if os.path.isdir(os.path.join(target, "src")):
        return target
    found = sorted(glob.glob(os.path.expanduser("~/.cargo/registry/src/*/petgraph-0.*")))
    if not found:
        return None
    shutil.copytree(found[-1], target)
    return target


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--bench-dir", default=os.environ.get("VANTAGE_BENCH_DIR", ".bench"))
    ap.add_argument("--vantage", default="target/release/vantage")
    ap.add_argument("--show", type=int, default=8)
    ap.add_argument("crates", nargs="*")
    args = ap.parse_args()
    bench = os.path.abspath(args.bench_dir)
    cargo_modules = os.path.join(bench, "peers", "cargo", "bin", "cargo-modules")
    if not os.access(cargo_modules, os.X_OK):
        sys.exit(f"no cargo-modules at {cargo_modules}: bash ../shared/bench/peers.sh --rust {args.bench_dir}")
    crates = args.crates or [os.path.join(bench, "corpus", "rust", "tokio"), petgraph_copy(bench)]
    vantage = os.path.abspath(args.vantage)
    worst = min(compare(os.path.abspath(c), vantage, cargo_modules, args.show) for c in crates if c)
    sys.exit(0 if worst >= 0.98 else 1)


if __name__ == "__main__":
    main()
