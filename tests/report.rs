//! `vantage report` in a real browser: the polyglot fixture's report,
//! rendered by headless Chromium (Debian's `chromium`, which .ci/run
//! installs), must draw the module graph, the matrix and the clone view,
//! raise no script error, and show a file named
//! `<img src=x onerror=alert(1)>.py` as text. Screenshots of each section
//! are saved in target/test-output/ to be looked at. Where Chromium is
//! missing the browser test says it was not run, and fails under CI.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use assert_cmd::cargo::CommandCargoExt;

const HOSTILE: &str = "<img src=x onerror=alert(1)>.py";

/// A function long enough to be a clone (over 50 tokens).
const COPIED: &str = "def settle(ledger, rate, fees):\n    total = 0\n    for entry in ledger:\n        if entry.amount > 0:\n            total = total + entry.amount * rate\n        elif entry.kind == \"refund\":\n            total = total - entry.amount\n        else:\n            total = total - fees.get(entry.kind, 0)\n    if total < 0:\n        raise ValueError(\"negative balance\", total)\n    return round(total, 2)\n";

/// Debian's Chromium, or None (said once) where it is not installed and
/// this is not CI.
fn chromium() -> Option<PathBuf> {
    common::external_tool(
        &["chromium", "chromium-browser", "/usr/bin/chromium"],
        "the browser test of the HTML report",
        "apt-get install -y chromium",
    )
}

/// Chromium headless on `url`, with `args`: (standard output, standard error).
fn browse(chromium: &Path, url: &str, args: &[&str]) -> (String, String) {
    let profile = tempfile::tempdir().unwrap();
    let output = Command::new(chromium)
        .args([
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--hide-scrollbars",
            "--virtual-time-budget=5000",
            "--enable-logging=stderr",
        ])
        .arg(format!("--user-data-dir={}", profile.path().display()))
        .args(args)
        .arg(url)
        .output()
        .expect("chromium runs");
    (
        String::from_utf8_lossy(&output.stdout).into_owned(),
        String::from_utf8_lossy(&output.stderr).into_owned(),
    )
}

fn output_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("target/test-output");
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The polyglot fixture with a hostile file name that holds a copy of a
/// function of payments (a clone across modules, so that it is listed).
fn repository() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&common::fixture("polyglot"), dir.path());
    std::fs::write(dir.path().join("backend/shop/orders").join(HOSTILE), COPIED).unwrap();
    std::fs::write(dir.path().join("backend/shop/payments/ledger.py"), COPIED).unwrap();
    std::fs::write(
        dir.path().join("gateway/src/routes/orders.test.ts"),
        ROUTE_TEST,
    )
    .unwrap();
    dir
}

/// A vitest file calling the orders route: a test the explorer reaches.
const ROUTE_TEST: &str = "import { it } from 'vitest';\nimport { ordersRoute } from './orders';\n\nit('answers', async () => {\n  await ordersRoute({} as never, {} as never);\n});\n";

/// The `data-symbol` items of the explorer's depth lists, in page order.
fn listed_symbols(dom: &str) -> Vec<String> {
    dom.split("data-symbol=\"")
        .skip(1)
        .map(|rest| rest[..rest.find('"').unwrap()].replace("&amp;", "&"))
        .collect()
}

fn report(root: &Path, args: &[&str]) -> String {
    let output = Command::cargo_bin("vantage")
        .unwrap()
        .arg("report")
        .arg(root)
        .args(["--churn-commits", "0"])
        .args(args)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

#[test]
fn the_report_renders_in_a_real_browser_and_runs_no_hostile_name() {
    let Some(chromium) = chromium() else { return };
    let repo = repository();
    let html = report(repo.path(), &[]);
    // Self-contained: nothing fetched, the name never raw in the page.
    for external in ["http://", "https://", "src=\"", "href=\"http"] {
        let outside = html
            .lines()
            .filter(|l| l.contains(external) && !l.contains("w3.org/2000/svg"))
            .count();
        assert_eq!(outside, 0, "the page refers to {external}");
    }
    assert!(
        !html.contains(HOSTILE),
        "the hostile name is escaped in the page source"
    );
    let page = output_dir().join("report-polyglot.html");
    std::fs::write(&page, &html).unwrap();
    let url = format!("file://{}", page.display());

    // Every section drawn at once (#all), as the browser leaves it.
    let (dom, log) = browse(&chromium, &format!("{url}#all"), &["--dump-dom"]);
    assert!(dom.contains("data-rendered="), "the script ran: {log}");
    assert!(dom.contains("data-errors=\"0\""), "no script error: {log}");
    assert!(!log.contains("Uncaught"), "{log}");
    // The graph, the matrix and the clone view are in the DOM.
    assert!(dom.contains("id=\"graph-canvas\""));
    assert!(
        dom.matches("class=\"node").count() >= 10,
        "a node per module"
    );
    assert!(
        dom.contains("id=\"dsm\"") && dom.contains("class=\"block\""),
        "the matrix with its cycle block"
    );
    assert!(
        dom.contains("id=\"clone-list\"") && dom.contains("<pre>"),
        "clones with their code"
    );
    // The hostile file name is text: escaped where it shows, and no
    // element was made of it.
    assert!(
        dom.contains("&lt;img src=x onerror=alert(1)&gt;.py"),
        "the name shows as text"
    );
    assert!(
        !dom.contains("<img"),
        "no image element came from a file name"
    );

    // The impact explorer on a definition: who uses `authHeader`, by
    // depth. Worked out by hand from the fixture: `OrdersClient.get` calls
    // it (1; orders.ts only imports it, which runs nothing); `ordersRoute`
    // calls `get` (2); server.ts passes `ordersRoute` on and the test
    // file's module calls it in its case's callback (3). The test file is
    // the one to run.
    let (dom, log) = browse(
        &chromium,
        &format!("{url}#impact:gateway/src/clients/auth.ts%23authHeader"),
        &["--dump-dom"],
    );
    assert!(dom.contains("data-errors=\"0\""), "no script error: {log}");
    assert_eq!(
        listed_symbols(&dom),
        [
            "gateway/src/clients/orders.ts#OrdersClient.get",
            "gateway/src/routes/orders.ts#ordersRoute",
            "gateway/src/routes/orders.test.ts",
            "gateway/src/server.ts",
        ]
    );
    for depth in [
        "Depth 1: 1 definition<",
        "Depth 2: 1 definition<",
        "Depth 3: 2 definitions",
        "Tests to run: 1 file",
    ] {
        assert!(dom.contains(depth), "{depth} in the explorer");
    }
    let tests = &dom[dom.find("id=\"impact-tests\"").expect("the tests to run")..];
    assert!(tests[..tests.find("</ul>").unwrap()].contains("gateway/src/routes/orders.test.ts"));
    screenshot(
        &chromium,
        &format!("{url}#impact:gateway/src/clients/auth.ts%23authHeader"),
        "report-impact-symbol.png",
        &[],
    );

    // Screenshots of each section, light and dark, to be looked at.
    for section in [
        "overview",
        "graph",
        "matrix",
        "coupling",
        "cycles",
        "clones",
        "debt",
        "decoupling",
    ] {
        screenshot(
            &chromium,
            &format!("{url}#{section}"),
            &format!("report-{section}.png"),
            &[],
        );
    }
    screenshot(
        &chromium,
        &format!("{url}#graph"),
        "report-graph-dark.png",
        &[
            "--force-dark-mode",
            "--blink-settings=preferredColorScheme=0",
        ],
    );
}

/// The near-miss view of fixtures/near (tests/dupes.rs works its two
/// classes out): each class's first member beside its copy, numbered, the
/// differing lines marked: 7 of the first Rust test (its third
/// `push_back`) and none of the second; 3, 5, 7 of the invoice and 4, 6 of
/// the order. Six in all, each on the line the dump says.
#[test]
fn the_near_miss_view_marks_the_lines_that_differ() {
    let Some(chromium) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&common::fixture("near"), dir.path());
    let html = report(dir.path(), &[]);
    let page = output_dir().join("report-near.html");
    std::fs::write(&page, &html).unwrap();
    let url = format!("file://{}#clones", page.display());
    let (dom, log) = browse(&chromium, &url, &["--dump-dom"]);
    assert!(dom.contains("data-errors=\"0\""), "no script error: {log}");
    let list = &dom[dom.find("id=\"near-list\"").expect("the near-miss list")..];
    let marked: Vec<String> = list
        .split("<span class=\"line differs\"")
        .skip(1)
        .map(|rest| {
            let number = &rest[rest.find("class=\"ln\">").unwrap() + 11..];
            number[..number.find('<').unwrap()].to_string()
        })
        .collect();
    assert_eq!(marked, ["7", "3", "5", "7", "4", "6"], "{list}");
    // The marked lines are the ones the numbers say: the Rust test's third
    // `push_back` and the invoice's inserted line.
    let texts: Vec<&str> = list
        .split("<span class=\"line differs\"")
        .skip(1)
        .map(|rest| {
            let after = &rest[rest.find("</span>").unwrap() + 7..];
            &after[..after.find("</span>").unwrap()]
        })
        .collect();
    assert!(texts[0].contains("tasks.drain(..46)"), "{texts:?}");
    assert_eq!(texts[1].trim(), "invoice.checked = True", "{texts:?}");
    assert!(list.contains("similarity 0.93, 2 members"));
    assert!(list.contains("across invoices, orders"));
    screenshot(&chromium, &url, "report-near.png", &[]);
}

/// A repository without copies: the clone view says so, once per kind,
/// with no lead counting zero classes.
#[test]
fn the_clone_view_of_a_repository_without_copies_says_so() {
    let Some(chromium) = chromium() else { return };
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(dir.path().join("one.py"), "def one():\n    return 1\n").unwrap();
    let page = output_dir().join("report-no-copies.html");
    std::fs::write(&page, report(dir.path(), &[])).unwrap();
    let (dom, log) = browse(
        &chromium,
        &format!("file://{}#clones", page.display()),
        &["--dump-dom"],
    );
    assert!(dom.contains("data-errors=\"0\""), "no script error: {log}");
    assert!(dom.contains("No copied code of the minimum size."));
    assert!(
        dom.contains("No function copied and edited (similarity 0.8 or more) of the minimum size.")
    );
    assert!(!dom.contains("The largest 0"), "{dom}");
}

/// The Markdown report lists near-miss classes with the least similarity
/// and the first member's tokens (fixtures/near, tests/dupes.rs).
#[test]
fn markdown_lists_the_near_miss_classes() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&common::fixture("near"), dir.path());
    let markdown = report(dir.path(), &["--format", "markdown"]);
    let section = &markdown[markdown.find("## Copied and edited").expect("the section")..];
    assert!(
        section.contains("| 0.93 | 98 | 2 | `tasks/queue.rs:2-13`, `tasks/queue.rs:16-26` |\n| 0.95 | 55 | 2 | `invoices/validate.py:1-10`, `orders/validate.py:1-9` |"),
        "{section}"
    );
}

/// A screenshot of `url` in target/test-output/`name`, to be looked at:
/// it must be there, and not blank.
fn screenshot(chromium: &Path, url: &str, name: &str, extra: &[&str]) {
    let shot = output_dir().join(name);
    let _ = std::fs::remove_file(&shot);
    let target = format!("--screenshot={}", shot.display());
    let mut args = vec!["--window-size=1400,1000", target.as_str()];
    args.extend_from_slice(extra);
    browse(chromium, url, &args);
    assert!(
        std::fs::metadata(&shot).is_ok_and(|m| m.len() > 10_000),
        "{name}: a screenshot"
    );
}

#[test]
fn the_report_is_the_same_bytes_on_every_run() {
    let repo = repository();
    assert_eq!(
        report(repo.path(), &["-j", "1"]),
        report(repo.path(), &["-j", "2"])
    );
}

/// `vantage report .` is titled by the repository's name: its folder's,
/// or the project's from a manifest at the root, never ".".
#[test]
fn the_report_is_titled_by_the_repositorys_name() {
    let repo = repository();
    let title = || {
        let output = Command::cargo_bin("vantage")
            .unwrap()
            .current_dir(repo.path())
            .args([
                "report",
                ".",
                "--format",
                "markdown",
                "--churn-commits",
                "0",
            ])
            .output()
            .unwrap();
        assert!(output.status.success());
        let md = String::from_utf8(output.stdout).unwrap();
        md.lines().next().unwrap().to_string()
    };
    let folder = repo.path().file_name().unwrap().to_str().unwrap();
    assert_eq!(title(), format!("# vantage report: {folder}"));
    std::fs::write(
        repo.path().join("package.json"),
        r#"{"name": "shop-backend", "private": true}"#,
    )
    .unwrap();
    assert_eq!(title(), "# vantage report: shop-backend");
}

#[test]
fn markdown_holds_the_summary_with_names_escaped() {
    let repo = repository();
    let md = report(repo.path(), &["--format", "markdown"]);
    for heading in [
        "# vantage report:",
        "## Check: **FAILED**",
        "## Coupling",
        "## Module graph",
        "```mermaid",
        "## Cycles",
        "## Copied code",
    ] {
        assert!(md.contains(heading), "{heading}:\n{md}");
    }
    assert!(
        md.contains(
            "- **Module cycle** of 2: `orders`, `payments`; cut `backend/shop/payments/charge.py:5`"
        ),
        "{md}"
    );
    // The hostile name is a clone place, inside a code span (where
    // Markdown shows `<` as it is and runs nothing), never bare.
    assert!(
        md.contains("`backend/shop/orders/<img src=x onerror=alert(1)>.py:1-12`"),
        "{md}"
    );
    assert_eq!(
        md.matches("<img").count(),
        md.matches("`backend/shop/orders/<img").count(),
        "{md}"
    );
}

#[test]
fn the_endpoints_view_lists_every_endpoint_with_its_guards_and_trace() {
    let Some(chromium) = chromium() else { return };
    // The Django fixture: as many rows as its hand-written list, those
    // with a guard marked so.
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&common::fixture("routes/django_shop"), dir.path());
    let expected: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(dir.path().join("expected.json")).unwrap())
            .unwrap();
    let routes = expected["routes"].as_array().unwrap();
    let guarded = routes
        .iter()
        .filter(|r| !r["guards"].as_array().unwrap().is_empty())
        .count();
    let html = report(dir.path(), &[]);
    let page = output_dir().join("report-endpoints.html");
    std::fs::write(&page, &html).unwrap();
    let url = format!("file://{}#endpoints", page.display());
    let (dom, log) = browse(&chromium, &url, &["--dump-dom"]);
    assert!(dom.contains("data-errors=\"0\""), "no script error: {log}");
    let rows = dom.matches("<tr class=\"endpoint").count();
    assert_eq!(rows, routes.len(), "{dom}");
    assert_eq!(dom.matches("data-guarded=\"1\"").count(), guarded);
    // The route built in a loop is listed as not read statically.
    let dynamic = &dom[dom.find("id=\"endpoint-dynamic\"").expect("the list")..];
    assert!(dynamic.contains("orders/urls.py:20"), "{dynamic}");
    screenshot(&chromium, &url, "report-endpoints.png", &[]);

    // The trace fixture: each row holds its trace, the database call
    // where the repository makes it.
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&common::fixture("routes/trace_shop"), dir.path());
    let html = report(dir.path(), &[]);
    let page = output_dir().join("report-trace.html");
    std::fs::write(&page, &html).unwrap();
    let url = format!("file://{}#endpoints", page.display());
    let (dom, log) = browse(&chromium, &url, &["--dump-dom"]);
    assert!(dom.contains("data-errors=\"0\""), "no script error: {log}");
    let start = dom
        .find("data-path=\"/orders/&lt;int:pk&gt;/\"")
        .expect("the row");
    let rest = &dom[start..];
    let end = rest[1..]
        .find("<tr class=\"endpoint")
        .map_or(rest.len(), |i| i + 1);
    let detail = &rest[..end];
    for step in [
        "orders.views.OrderDetail.get",
        "orders.services.OrderService.fetch",
        "orders.repositories.OrderRepository.by_id",
        "Order.objects.select_related().get",
        "send_receipt.delay",
    ] {
        assert!(detail.contains(step), "{step}: {detail}");
    }
}

#[test]
fn markdown_lists_the_endpoints_without_a_guard_first() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&common::fixture("routes/django_shop"), dir.path());
    let markdown = report(dir.path(), &["--format", "markdown"]);
    let section = &markdown[markdown.find("## Endpoints").expect("the section")..];
    assert!(section.contains("31 endpoints, "), "{section}");
    let table: Vec<&str> = section
        .lines()
        .filter(|l| l.starts_with("| ") && !l.starts_with("| method"))
        .collect();
    let first_guarded = table
        .iter()
        .position(|l| !l.ends_with("| **none** |"))
        .expect("a guarded endpoint");
    assert!(
        table[first_guarded..]
            .iter()
            .all(|l| !l.ends_with("| **none** |")),
        "{section}"
    );
    assert!(table[0].contains("`/`"), "{section}");
}

/// The Markdown report names the models, those most endpoints reach
/// first, and draws their diagram.
#[test]
fn markdown_lists_the_models_and_draws_their_relations() {
    let dir = tempfile::tempdir().unwrap();
    common::copy_dir(&common::fixture("routes/trace_shop"), dir.path());
    let markdown = report(dir.path(), &["--format", "markdown"]);
    let section = &markdown[markdown.find("## Models").expect("the section")..];
    assert!(
        section.contains("2 models, 1 relation (`vantage models`)"),
        "{section}"
    );
    let rows: Vec<&str> = section.lines().filter(|l| l.starts_with("| `")).collect();
    assert_eq!(
        rows,
        [
            "| `orders.models.Order` | django | `orders_order` | 0 | 1 | 1 |",
            "| `orders.models.Customer` | django | `orders_customer` | 1 | 0 | 0 |",
        ],
        "{section}"
    );
    assert!(section.contains("```mermaid\nerDiagram\n"), "{section}");
    assert!(
        section.contains("  orders_order }o--|| orders_customer : \"customer\""),
        "{section}"
    );
}
