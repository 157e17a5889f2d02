//! The warm analysis of `vantage mcp`: after every kind of edit, its
//! refreshed analysis is the one a fresh run builds from the same files.

mod common;

use std::path::Path;

use vantage::lang::Extraction;
use vantage::pipeline::{Analysis, Options, analyze};
use vantage::session::Session;

fn options() -> Options {
    Options {
        extraction: Extraction::SymbolsWithTokens,
        ..Options::default()
    }
}

/// The symbol graph as `graph --level symbol --format json` writes it.
fn symbol_graph(analysis: &Analysis) -> String {
    let mut out = Vec::new();
    vantage::report::symbols::write_symbol_graph_json(&mut out, analysis).unwrap();
    String::from_utf8(out).unwrap()
}

/// Everything a tool answers from: files, facts, resolutions, modules and
/// the graphs (files and modules as rendered for the fixtures' expected
/// files, and symbols).
fn assert_fresh(session: &Session, root: &Path, step: &str) {
    let fresh: Analysis = analyze(root, &options()).unwrap();
    let warm = session.analysis();
    assert_eq!(
        common::render(warm),
        common::render(&fresh),
        "{step}: graphs"
    );
    let paths = |a: &Analysis| -> Vec<String> {
        a.project.files().iter().map(|f| f.path.clone()).collect()
    };
    assert_eq!(paths(warm), paths(&fresh), "{step}: files");
    assert!(warm.facts == fresh.facts, "{step}: facts");
    assert_eq!(warm.resolutions, fresh.resolutions, "{step}: resolutions");
    assert_eq!(warm.skipped, fresh.skipped, "{step}: skipped");
    assert_eq!(warm.modules.names, fresh.modules.names, "{step}: modules");
    assert_eq!(symbol_graph(warm), symbol_graph(&fresh), "{step}: symbols");
    assert!(warm.routes == fresh.routes, "{step}: routes");
    assert!(warm.models == fresh.models, "{step}: models");
}

fn write(root: &Path, path: &str, text: &str) {
    let path = root.join(path);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, text).unwrap();
}

fn edit(root: &Path, path: &str, from: &str, to: &str) {
    let text = std::fs::read_to_string(root.join(path)).unwrap();
    assert!(text.contains(from), "{path} has no `{from}`");
    write(root, path, &text.replacen(from, to, 1));
}

/// Larger than the default size limit.
const LARGE: usize = vantage::discover::DEFAULT_MAX_FILE_SIZE as usize + 1;

fn every_edit(watch: bool) {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    common::copy_dir(&common::fixture("polyglot"), root);
    let mut session = Session::open(root, options(), watch).unwrap();
    assert_fresh(&session, root, "opened");
    let generation = session.generation;

    let refreshed = session.refresh(&[]).unwrap();
    assert!(!refreshed.changed(), "{refreshed:?}");
    assert_eq!(
        session.generation, generation,
        "nothing changed, nothing rebuilt"
    );

    // Python: an import dropped (only this file's imports change).
    edit(
        root,
        "backend/shop/orders/service.py",
        "from shop.payments.charge import charge\n",
        "",
    );
    let refreshed = session.refresh(&[]).unwrap();
    assert_eq!(refreshed.reparsed, ["backend/shop/orders/service.py"]);
    assert_fresh(&session, root, "python import dropped");

    // TypeScript: an import added.
    edit(
        root,
        "gateway/src/server.ts",
        "import express from 'express';\n",
        "import express from 'express';\nimport { login } from './clients/auth';\n",
    );
    session.refresh(&[]).unwrap();
    assert_fresh(&session, root, "typescript import added");

    // PHP: a class renamed (the class index changes: every file again).
    edit(
        root,
        "catalog/src/Domain/Product.php",
        "class Product\n",
        "class Item\n",
    );
    session.refresh(&[]).unwrap();
    assert_fresh(&session, root, "php class renamed");

    // Rust: a module declared and its file added.
    edit(
        root,
        "inventory/store/src/lib.rs",
        "pub mod stock;\n",
        "pub mod stock;\npub mod extra;\n",
    );
    write(
        root,
        "inventory/store/src/extra.rs",
        "use crate::stock::Stock;\npub fn count(_: &Stock) -> u32 { 0 }\n",
    );
    let refreshed = session.refresh(&[]).unwrap();
    assert_eq!(refreshed.added, ["inventory/store/src/extra.rs"]);
    assert_fresh(&session, root, "rust module added");

    // A file deleted; one renamed; a new folder with a file.
    std::fs::remove_file(root.join("backend/shop/payments/charge.py")).unwrap();
    std::fs::rename(
        root.join("gateway/src/clients/orders.ts"),
        root.join("gateway/src/clients/ordering.ts"),
    )
    .unwrap();
    write(
        root,
        "backend/shop/refunds/deep/er/refund.py",
        "from shop.orders.service import Order\n",
    );
    let refreshed = session.refresh(&[]).unwrap();
    assert!(
        refreshed
            .removed
            .contains(&"backend/shop/payments/charge.py".to_string()),
        "{refreshed:?}"
    );
    assert!(
        refreshed
            .added
            .contains(&"backend/shop/refunds/deep/er/refund.py".to_string()),
        "{refreshed:?}"
    );
    assert_fresh(&session, root, "deleted, renamed, added in a new folder");

    // The same size and the same modification time: still seen.
    let path = root.join("backend/shop/orders/service.py");
    let modified = std::fs::metadata(&path).unwrap().modified().unwrap();
    edit(
        root,
        "backend/shop/orders/service.py",
        "shop.auth.tokens",
        "shop.auth.tokenz",
    );
    std::fs::File::options()
        .write(true)
        .open(&path)
        .unwrap()
        .set_modified(modified)
        .unwrap();
    session.refresh(&[]).unwrap();
    assert_fresh(&session, root, "same size, same time");

    // A syntax error; then bytes that are not text.
    write(
        root,
        "gateway/src/routes/orders.ts",
        "export function ordersRoute( {\n",
    );
    session.refresh(&[]).unwrap();
    assert_fresh(&session, root, "syntax error");
    write(root, "gateway/src/routes/orders.ts", "\0\0binary\0");
    session.refresh(&[]).unwrap();
    assert_fresh(&session, root, "binary");
    write(
        root,
        "gateway/src/routes/orders.ts",
        "export const ordersRoute = 1;\n",
    );
    session.refresh(&[]).unwrap();
    assert_fresh(&session, root, "text again");

    // A manifest's content: composer.json maps another namespace (its
    // folder's entries stay as they were).
    edit(
        root,
        "catalog/composer.json",
        "\"Catalog\\\\\": \"src/\"",
        "\"Katalog\\\\\": \"src/\"",
    );
    let refreshed = session.refresh(&[]).unwrap();
    assert!(refreshed.reassembled, "{refreshed:?}");
    assert_fresh(&session, root, "composer.json edited");

    // An ignore file: added (its folder moves), then edited in place to
    // leave a source out.
    write(root, "gateway/.gitignore", "*.log\n");
    session.refresh(&[]).unwrap();
    assert_fresh(&session, root, "ignore file added");
    write(root, "gateway/.gitignore", "*.log\nsrc/server.ts\n");
    session.refresh(&[]).unwrap();
    assert!(
        session
            .analysis()
            .project
            .file("gateway/src/server.ts")
            .is_none(),
        "the ignored file is gone"
    );
    assert_fresh(&session, root, "ignore file edited");

    // An empty folder, then a file in it.
    std::fs::create_dir_all(root.join("backend/shop/later")).unwrap();
    session.refresh(&[]).unwrap();
    assert_fresh(&session, root, "empty folder");
    write(
        root,
        "backend/shop/later/job.py",
        "from shop.orders.service import Order\n",
    );
    let refreshed = session.refresh(&[]).unwrap();
    assert_eq!(refreshed.added, ["backend/shop/later/job.py"]);
    assert_fresh(&session, root, "a file in the folder that was empty");

    // A file too large to read, cut down to size in place.
    let large = format!("import os\n{}", "# padding\n".repeat(LARGE / 10 + 1));
    write(root, "backend/shop/orders/big.py", &large);
    session.refresh(&[]).unwrap();
    assert_fresh(&session, root, "too large");
    write(
        root,
        "backend/shop/orders/big.py",
        "from shop.orders.service import Order\n",
    );
    let refreshed = session.refresh(&[]).unwrap();
    assert!(refreshed.reassembled, "{refreshed:?}");
    assert_fresh(&session, root, "cut below the limit");

    // vantage.toml: modules declared differently.
    edit(root, "vantage.toml", "auth = \"backend/shop/auth\"\n", "");
    let refreshed = session.refresh(&[]).unwrap();
    assert!(refreshed.reloaded);
    assert_fresh(&session, root, "configuration changed");

    // Files a change deleted, kept as nodes, then not.
    let deleted = vec!["backend/shop/payments/charge.py".to_string()];
    session.refresh(&deleted).unwrap();
    let fresh = analyze(
        root,
        &Options {
            deleted: deleted.clone(),
            ..options()
        },
    )
    .unwrap();
    assert_eq!(common::render(session.analysis()), common::render(&fresh));
    assert!(
        session
            .analysis()
            .project
            .file("backend/shop/payments/charge.py")
            .is_some()
    );
    session.refresh(&[]).unwrap();
    assert_fresh(&session, root, "deleted nodes dropped");
}

#[test]
fn every_edit_is_seen_by_the_stamps() {
    every_edit(false);
}

#[test]
fn every_edit_is_seen_with_the_watcher() {
    every_edit(true);
}

#[test]
fn a_broken_configuration_leaves_the_session_serving_and_watching() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    common::copy_dir(&common::fixture("polyglot"), root);
    let mut session = Session::open(root, options(), true).unwrap();
    let watching = session.watching();
    let before = common::render(session.analysis());
    let good = std::fs::read_to_string(root.join("vantage.toml")).unwrap();
    write(root, "vantage.toml", "[modules\n");
    let err = session.refresh(&[]).unwrap_err().to_string();
    assert!(err.contains("vantage.toml"), "{err}");
    assert_eq!(common::render(session.analysis()), before);
    assert_eq!(session.watching(), watching, "the watcher is kept");
    write(
        root,
        "vantage.toml",
        &good.replace("auth = \"backend/shop/auth\"\n", ""),
    );
    let refreshed = session.refresh(&[]).unwrap();
    assert!(refreshed.reloaded);
    assert_eq!(session.watching(), watching);
    assert_fresh(&session, root, "configuration mended");
}

/// Edits that change what other files' uses resolve to, resolved again
/// only where an answer read the edited file (symbols::update).
#[test]
fn the_symbol_graph_follows_edits_that_reach_other_files() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    common::copy_dir(&common::fixture("symbols/python"), root);
    let mut session = Session::open(root, options(), false).unwrap();
    assert_fresh(&session, root, "opened");
    // What get returns decides what checkout's `order.save()` is.
    edit(
        root,
        "shop/repo.py",
        "def get(self, order_id) -> Order:",
        "def get(self, order_id) -> Customer:",
    );
    session.refresh(&[]).unwrap();
    assert_fresh(&session, root, "a return annotation changed");
    // A method removed: checkout's call of it goes unresolved.
    edit(
        root,
        "shop/models.py",
        "    def total(self) -> int:\n        return self.price() + 1\n",
        "",
    );
    session.refresh(&[]).unwrap();
    assert_fresh(&session, root, "a method removed");
    // A definition added before others: every node after it moves.
    edit(
        root,
        "shop/models.py",
        "class Base:",
        "def first():\n    return 1\n\n\nclass Base:",
    );
    session.refresh(&[]).unwrap();
    assert_fresh(&session, root, "a definition added");
    // A fixture renamed in a conftest: the test taking it by name loses it.
    edit(
        root,
        "tests/unit/conftest.py",
        "def service():",
        "def other_service():",
    );
    session.refresh(&[]).unwrap();
    assert_fresh(&session, root, "a fixture renamed");
    // A base class gains the method a subclass's instance is asked for.
    edit(
        root,
        "shop/models.py",
        "    def validate(self):\n        return True\n",
        "    def validate(self):\n        return True\n\n    def nothing_here(self):\n        return None\n",
    );
    session.refresh(&[]).unwrap();
    assert_fresh(&session, root, "a base class gained a method");
}
