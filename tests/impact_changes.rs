//! What a change breaks, in the cases users lean on hardest: a deleted
//! export, a changed private helper, a name passed through a facade, reach
//! through lazy, dynamic or type-only imports only, a member of a type, and
//! Django models named by strings. Each shop of fixtures/impact_changes
//! (its README works the answers out) becomes a git repository here, gets
//! a change, and `vantage impact --since` must name exactly what it
//! breaks.

mod common;

use std::path::Path;

use serde_json::Value;

/// A fixture shop committed on `main` in a temporary folder.
struct Shop {
    dir: tempfile::TempDir,
}

impl Shop {
    fn new(fixture: &str) -> Shop {
        let dir = tempfile::tempdir().unwrap();
        common::copy_dir(&common::fixture(fixture), dir.path());
        common::git(dir.path(), &["init", "-q", "-b", "main"]);
        common::git(dir.path(), &["add", "-A"]);
        common::git(dir.path(), &["commit", "-q", "-m", "shop"]);
        Shop { dir }
    }

    fn root(&self) -> &Path {
        self.dir.path()
    }

    fn edit(&self, path: &str, old: &str, new: &str) {
        let path = self.root().join(path);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(old), "{} lacks {old:?}", path.display());
        std::fs::write(path, text.replacen(old, new, 1)).unwrap();
    }

    fn impact(&self, args: &[&str]) -> Value {
        let output = assert_cmd::Command::cargo_bin("vantage")
            .unwrap()
            .arg("impact")
            .arg(self.root())
            .args(args)
            // These tests pin the import-level cascade (tests/symbols.rs
            // the definition level).
            .args(["--format", "json", "--level", "file"])
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        serde_json::from_slice(&output.stdout).unwrap()
    }
}

/// `depth path via`, ` weak` after those reached only lazily or for types.
fn impacted(doc: &Value) -> Vec<String> {
    doc["impacted"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| {
            format!(
                "{} {} {}{}",
                f["depth"],
                f["path"].as_str().unwrap(),
                f["via"].as_str().unwrap(),
                if f["weak"] == true { " weak" } else { "" }
            )
        })
        .collect()
}

fn find<'a>(doc: &'a Value, path: &str) -> &'a Value {
    doc["impacted"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["path"] == path)
        .unwrap_or_else(|| panic!("{path} not impacted: {doc}"))
}

fn risk(doc: &Value) -> (String, u64, u64, u64) {
    let r = &doc["risk"];
    (
        r["level"].as_str().unwrap().to_string(),
        r["fan_in"].as_u64().unwrap(),
        r["broken"].as_u64().unwrap(),
        r["weak"].as_u64().unwrap(),
    )
}

#[test]
fn python_private_helper_reexport_depth_and_lazy_reach() {
    let shop = Shop::new("impact_changes/python");
    shop.edit("app/models/user.py", ".lower()", ".casefold()");
    let doc = shop.impact(&["--since", "main"]);
    assert_eq!(
        impacted(&doc),
        [
            // `from app.models import User` through the facade: depth 1.
            "1 app/api/views.py name",
            "1 app/models/__init__.py reexport",
            "2 app/urls.py module",
            "1 app/jobs/report.py name weak",
        ]
    );
    let views = find(&doc, "app/api/views.py");
    assert_eq!(views["name"], "User");
    assert_eq!(views["carried_by"], "_normalise");
    // One direct dependent, two modules (app/api, app); the lazy importer
    // is listed, not counted.
    assert_eq!(risk(&doc), ("medium".to_string(), 1, 0, 1));
    assert_eq!(doc["risk"]["files"], 2);
}

#[test]
fn python_deleted_function_breaks_its_importers() {
    let shop = Shop::new("impact_changes/python");
    shop.edit(
        "app/models/user.py",
        "\n\ndef legacy_login(user):\n    return user.name\n",
        "",
    );
    let doc = shop.impact(&["--since", "main"]);
    assert_eq!(
        impacted(&doc),
        ["1 app/api/auth.py removed", "2 app/urls.py module"]
    );
    // The deletion touched no other definition (Profile above it is not
    // changed), and says what is gone.
    let target = &doc["targets"][0];
    assert_eq!(target["removed"], serde_json::json!(["legacy_login"]));
    assert_eq!(target["definitions"], serde_json::json!([]));
    assert_eq!(risk(&doc), ("high".to_string(), 1, 1, 0));
}

#[test]
fn python_member_and_symbol_targets() {
    let shop = Shop::new("impact_changes/python");
    let doc = shop.impact(&["--symbol", "Order.cancel"]);
    assert_eq!(
        impacted(&doc),
        [
            "1 app/api/orders.py member",
            "1 app/models/__init__.py reexport",
            "2 app/urls.py file",
        ]
    );
    assert_eq!(doc["targets"][0]["member"], "cancel");
    let doc = shop.impact(&["--symbol", "User", "--runtime-only"]);
    // --runtime-only leaves the lazy importer out altogether.
    assert_eq!(
        impacted(&doc),
        [
            "1 app/api/views.py name",
            "1 app/models/__init__.py reexport",
            "2 app/urls.py module",
        ]
    );
    // An absolute path inside the repository is a file target too.
    let absolute = shop.root().join("app/models/order.py");
    let doc = shop.impact(&["--file", absolute.to_str().unwrap()]);
    assert_eq!(doc["targets"][0]["query"], "app/models/order.py");
}

#[test]
fn misspelt_targets_get_the_nearest_name() {
    let shop = Shop::new("impact_changes/python");
    for (args, expected) in [
        (["--symbol", "Usr"], "did you mean `User`?"),
        (["--symbol", "Order.cancle"], "did you mean `Order.cancel`?"),
        (["--module", "app/modles"], "did you mean `app/models`?"),
        (
            ["--file", "app/api/view.py"],
            "did you mean `app/api/views.py`?",
        ),
    ] {
        let output = assert_cmd::Command::cargo_bin("vantage")
            .unwrap()
            .arg("impact")
            .arg(shop.root())
            .args(args)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(stderr.contains(expected), "{args:?}: {stderr}");
    }
}

#[test]
fn typescript_helper_deleted_export_dynamic_and_type_only_reach() {
    let shop = Shop::new("impact_changes/typescript");
    shop.edit("src/models/user.ts", "toLowerCase", "toLocaleLowerCase");
    let doc = shop.impact(&["--since", "main"]);
    assert_eq!(
        impacted(&doc),
        [
            "1 src/api/auth.ts name",
            "1 src/api/views.ts name",
            "1 src/models/index.ts reexport",
            "2 src/app.ts file",
            "1 src/api/types.ts name weak",
            "1 src/jobs/report.ts module weak",
        ]
    );
    // legacyLogin uses User, which uses normalise: both carried by it.
    assert_eq!(find(&doc, "src/api/auth.ts")["name"], "legacyLogin");
    assert_eq!(find(&doc, "src/api/auth.ts")["carried_by"], "normalise");
    assert_eq!(find(&doc, "src/api/types.ts")["chain_kind"], "type_only");
    assert_eq!(find(&doc, "src/jobs/report.ts")["chain_kind"], "dynamic");
    assert_eq!(risk(&doc), ("medium".to_string(), 2, 0, 2));

    let shop = Shop::new("impact_changes/typescript");
    shop.edit(
        "src/models/user.ts",
        "\nexport function legacyLogin(user: User): string {\n  return user.name;\n}\n",
        "",
    );
    let doc = shop.impact(&["--since", "main"]);
    assert_eq!(
        impacted(&doc),
        [
            "1 src/api/auth.ts removed",
            "1 src/models/index.ts reexport",
            "2 src/app.ts file",
            "1 src/jobs/report.ts module weak",
        ]
    );
    assert_eq!(risk(&doc), ("high".to_string(), 1, 1, 1));

    let doc = shop.impact(&["--symbol", "Order.cancel"]);
    assert_eq!(
        impacted(&doc),
        [
            "1 src/api/orders.ts member",
            "1 src/models/index.ts reexport"
        ]
    );
}

#[test]
fn php_helper_deleted_class_and_member() {
    let shop = Shop::new("impact_changes/php");
    shop.edit(
        "src/Models/User.php",
        "strtolower(trim",
        "mb_strtolower(trim",
    );
    let doc = shop.impact(&["--since", "main"]);
    assert_eq!(
        impacted(&doc),
        [
            "1 src/Http/UserController.php name",
            "1 src/Jobs/Report.php module",
            "1 src/Models/LegacyUser.php name",
            "2 src/Http/LegacyController.php file",
            "1 src/Http/Typed.php name weak",
        ]
    );
    assert_eq!(
        find(&doc, "src/Http/UserController.php")["carried_by"],
        "App\\Models\\normalise_name"
    );

    let shop = Shop::new("impact_changes/php");
    common::git(shop.root(), &["rm", "-q", "src/Models/LegacyUser.php"]);
    let doc = shop.impact(&["--since", "main"]);
    assert_eq!(impacted(&doc), ["1 src/Http/LegacyController.php removed"]);
    assert_eq!(
        doc["targets"][0]["removed"],
        serde_json::json!(["App\\Models\\LegacyUser"])
    );
    assert_eq!(risk(&doc), ("high".to_string(), 1, 1, 0));

    let doc = shop.impact(&["--symbol", "User::rename"]);
    assert_eq!(impacted(&doc), ["1 src/Http/UserController.php member"]);
}

#[test]
fn rust_helper_in_an_impl_deleted_function_and_member() {
    let shop = Shop::new("impact_changes/rust");
    shop.edit("src/models/user.rs", "to_lowercase", "to_ascii_lowercase");
    let doc = shop.impact(&["--since", "main"]);
    // `impl User` calls normalise: the change reaches `User`.
    assert_eq!(
        impacted(&doc),
        [
            "1 src/api/auth.rs name",
            "1 src/api/views.rs name",
            "1 src/models/mod.rs reexport",
        ]
    );
    assert_eq!(find(&doc, "src/api/views.rs")["carried_by"], "normalise");

    let shop = Shop::new("impact_changes/rust");
    shop.edit(
        "src/models/user.rs",
        "\npub fn legacy_login(user: &User) -> &str {\n    &user.name\n}\n",
        "",
    );
    let doc = shop.impact(&["--since", "main"]);
    assert_eq!(
        impacted(&doc),
        ["1 src/api/auth.rs removed", "1 src/models/mod.rs reexport"]
    );
    assert_eq!(risk(&doc), ("high".to_string(), 1, 1, 0));

    let doc = shop.impact(&["--symbol", "Order::cancel"]);
    assert_eq!(
        impacted(&doc),
        ["1 src/api/orders.rs member", "1 src/models/mod.rs reexport"]
    );
}

#[test]
fn django_models_named_by_strings() {
    // fixtures/python/django_models/expected.txt has the edges.
    let shop = Shop::new("python/django_models");
    // The user model: named by a string in reviews/models.py; through the
    // AUTH_USER_MODEL setting in orders/models.py and reviews/views.py
    // (which may mean any model of the app: `module`).
    let doc = shop.impact(&["--symbol", "Customer"]);
    assert_eq!(
        impacted(&doc),
        [
            "1 orders/models.py module",
            "1 reviews/models.py name",
            "1 reviews/views.py module",
        ]
    );
    assert_eq!(find(&doc, "reviews/models.py")["chain_kind"], "model_ref");
    // Deleting Order breaks reviews/models.py ("sales.Order") at start-up.
    shop.edit(
        "orders/models.py",
        "class Order(models.Model):\n    customer = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE)\n    items = models.ManyToManyField(\"catalog.Product\")\n    parent = models.ForeignKey(\"self\", null=True, on_delete=models.SET_NULL)\n\n\n",
        "",
    );
    let doc = shop.impact(&["--since", "main"]);
    assert_eq!(impacted(&doc), ["1 reviews/models.py removed"]);
    assert_eq!(risk(&doc).0, "high");
}
