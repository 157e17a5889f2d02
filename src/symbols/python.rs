//! Python's names: a module's dotted name, and the builtins every module
//! sees.

use crate::lang::python::has_init;
use crate::project::{ProjectFiles, file_name, parent};

/// The dotted name a file is imported by: its path below the folder above
/// its top-level package (`django/db/models/query.py` gives
/// `django.db.models.query`; a package's `__init__.py` is the package). A
/// repository that is itself a package (`vantage graph django/`) is named
/// after its folder. Below a folder `[python] roots` puts on `sys.path`,
/// a file is named from the deepest such folder (`roots = ["."]`: a
/// namespace package `jwt_auth/views.py` is `jwt_auth.views`, and a root
/// that is a package is not named after its folder).
pub(super) fn module_name(project: &ProjectFiles, path: &str, roots: &[String]) -> String {
    let mut dir = parent(path);
    while !dir.is_empty() && has_init(project, dir) {
        dir = parent(dir);
    }
    // A configured root at or below the package root names the file; so
    // does one above a folder that is no package (a namespace portion).
    let configured = roots
        .iter()
        .filter(|r| r.is_empty() || path.starts_with(&format!("{r}/")))
        .max_by_key(|r| r.len());
    if let Some(root) = configured
        && (root.len() >= dir.len() || dir == parent(path))
    {
        let below = if root.is_empty() {
            path
        } else {
            &path[root.len() + 1..]
        };
        // The root's own `__init__.py` has no name below it: it keeps the
        // package's.
        let name = dotted_path(below);
        if !name.is_empty() {
            return name;
        }
    }
    let below = if dir.is_empty() {
        path
    } else {
        &path[dir.len() + 1..]
    };
    let mut name = dotted_path(below);
    if dir.is_empty()
        && has_init(project, "")
        && let Some(root) = crate::lang::python::root_name(project)
    {
        name = if name.is_empty() {
            root
        } else {
            format!("{root}.{name}")
        };
    }
    name
}

/// A path as dots: `a/b/c.py` gives `a.b.c`, `a/b/__init__.py` gives `a.b`.
pub(super) fn dotted_path(path: &str) -> String {
    let stem = match file_name(path) {
        "__init__.py" | "__init__.pyi" => parent(path),
        _ => path
            .strip_suffix(".pyi")
            .or_else(|| path.strip_suffix(".py"))
            .unwrap_or(path),
    };
    stem.replace('/', ".")
}

/// Names of the `builtins` module (and the module globals every module
/// has): a use of one that the file does not bind is outside the
/// repository.
pub(super) fn is_builtin(name: &str) -> bool {
    const BUILTINS: &[&str] = &[
        "__build_class__",
        "__debug__",
        "__doc__",
        "__file__",
        "__import__",
        "__loader__",
        "__name__",
        "__package__",
        "__spec__",
        "__builtins__",
        "__dict__",
        "__all__",
        "__path__",
        "__annotations__",
        "__class__",
        "abs",
        "aiter",
        "all",
        "anext",
        "any",
        "ascii",
        "bin",
        "bool",
        "breakpoint",
        "bytearray",
        "bytes",
        "callable",
        "chr",
        "classmethod",
        "compile",
        "complex",
        "copyright",
        "credits",
        "delattr",
        "dict",
        "dir",
        "divmod",
        "enumerate",
        "eval",
        "exec",
        "exit",
        "filter",
        "float",
        "format",
        "frozenset",
        "getattr",
        "globals",
        "hasattr",
        "hash",
        "help",
        "hex",
        "id",
        "input",
        "int",
        "isinstance",
        "issubclass",
        "iter",
        "len",
        "license",
        "list",
        "locals",
        "map",
        "max",
        "memoryview",
        "min",
        "next",
        "object",
        "oct",
        "open",
        "ord",
        "pow",
        "print",
        "property",
        "quit",
        "range",
        "repr",
        "reversed",
        "round",
        "set",
        "setattr",
        "slice",
        "sorted",
        "staticmethod",
        "str",
        "sum",
        "super",
        "tuple",
        "type",
        "vars",
        "zip",
        "None",
        "True",
        "False",
        "NotImplemented",
        "Ellipsis",
        "BaseException",
        "BaseExceptionGroup",
        "ExceptionGroup",
        "GeneratorExit",
        "KeyboardInterrupt",
        "StopIteration",
        "StopAsyncIteration",
        "SystemExit",
    ];
    BUILTINS.contains(&name)
        || name.ends_with("Error")
        || name.ends_with("Exception")
        || name.ends_with("Warning")
}
