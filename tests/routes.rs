//! `vantage routes` on the fixture applications of fixtures/routes: each
//! endpoint list equals its `expected.json`, written by hand and checked
//! against the frameworks' own resolvers (bench/routes/check_fixtures.py).

mod common;

use std::collections::BTreeSet;

use serde_json::Value;
use vantage::lang::Extraction;
use vantage::pipeline::{Analysis, Options, analyze};
use vantage::report::routes::{RouteFilter, selected, write_json};

fn analysed(name: &str) -> Analysis {
    let options = Options {
        extraction: Extraction::Symbols,
        ..Options::default()
    };
    analyze(&common::fixture(&format!("routes/{name}")), &options).expect("fixture analyses")
}

fn routes_json(analysis: &Analysis) -> Value {
    let routes = selected(analysis, &RouteFilter::default());
    let mut out = Vec::new();
    write_json(&mut out, analysis, &routes).unwrap();
    serde_json::from_slice(&out).unwrap()
}

/// What is compared of a route: every field the spec gives, guards
/// sorted.
fn route_key(r: &Value) -> String {
    let handler = &r["handler"];
    let mut guards: Vec<String> = r["guards"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| format!("{}@{}:{}({})", g["name"], g["file"], g["line"], g["on"]))
        .collect();
    guards.sort();
    format!(
        "{} {} -> {} {} {}:{} name={} at {}:{} guards=[{}]",
        r["methods"],
        r["path"].as_str().unwrap(),
        handler["symbol"],
        handler["method"],
        handler["file"],
        handler["line"],
        r["name"],
        r["site"]["file"],
        r["site"]["line"],
        guards.join(", ")
    )
}

fn dynamic_key(d: &Value) -> String {
    format!("{}:{} {}", d["file"], d["line"], d["framework"])
}

fn keys(doc: &Value, field: &str, key: fn(&Value) -> String) -> BTreeSet<String> {
    doc[field].as_array().unwrap().iter().map(key).collect()
}

fn assert_fixture(name: &str) {
    let analysis = analysed(name);
    let got = routes_json(&analysis);
    let text =
        std::fs::read_to_string(common::fixture(&format!("routes/{name}/expected.json"))).unwrap();
    let expected: Value = serde_json::from_str(&text).unwrap();
    for (field, key) in [
        ("routes", route_key as fn(&Value) -> String),
        ("dynamic", dynamic_key),
    ] {
        let want = keys(&expected, field, key);
        let have = keys(&got, field, key);
        let missing: Vec<_> = want.difference(&have).collect();
        let extra: Vec<_> = have.difference(&want).collect();
        assert!(
            missing.is_empty() && extra.is_empty(),
            "{name} {field}:\nmissing {missing:#?}\nextra {extra:#?}"
        );
    }
}

#[test]
fn django_urlconfs_views_and_rest_framework_routers() {
    assert_fixture("django_shop");
}

#[test]
fn flask_applications_blueprints_and_method_views() {
    assert_fixture("flask_shop");
}

#[test]
fn fastapi_applications_routers_and_dependencies() {
    assert_fixture("fastapi_shop");
}

#[test]
fn express_applications_routers_middleware_and_route_chains() {
    assert_fixture("express_shop");
}

/// Laravel: `routes/web.php` and `routes/api.php` (under `api`), groups
/// with prefixes, names and middleware (nested), a controller group,
/// resources with `only`, invokable controllers, a closure; checked by
/// bench/routes/check_laravel.php.
#[test]
fn laravel_route_files_groups_and_resources() {
    assert_fixture("laravel_shop");
}

/// Symfony: a class-level `#[Route]` prefixes its methods' paths and
/// names (default names too), `methods` narrow, two routes on one method,
/// an invokable controller routed by its class, `#[IsGranted]` on a class
/// or a method; checked by bench/routes/check_symfony.php.
#[test]
fn symfony_attribute_routes_names_and_guards() {
    assert_fixture("symfony_shop");
}

#[test]
fn nest_controllers_method_decorators_and_guards() {
    assert_fixture("nest_shop");
}

#[test]
fn the_text_lists_unguarded_endpoints_and_what_was_not_read() {
    let analysis = analysed("django_shop");
    let filter = RouteFilter {
        unguarded: true,
        ..RouteFilter::default()
    };
    let routes = selected(&analysis, &filter);
    assert!(routes.iter().all(|r| r.guards.is_empty()));
    let mut out = Vec::new();
    vantage::report::routes::write_text(&mut out, &analysis, &routes).unwrap();
    let text = String::from_utf8(out).unwrap();
    // The home page has no guard; the profile (login_required) is left out.
    assert!(text.contains("shop_site.views.home"), "{text}");
    assert!(!text.contains("accounts.views.profile"), "{text}");
    // The route built in a loop is reported, with its site.
    assert!(text.contains("orders/urls.py:20 (django)"), "{text}");
}

#[test]
fn the_same_endpoints_at_any_thread_count() {
    let at = |threads| {
        let options = Options {
            extraction: Extraction::Symbols,
            threads: Some(threads),
            ..Options::default()
        };
        let analysis = analyze(&common::fixture("routes/django_shop"), &options).unwrap();
        routes_json(&analysis).to_string()
    };
    assert_eq!(at(1), at(4));
}

fn trace_of(analysis: &Analysis, target: &str) -> Value {
    let traced = vantage::cli::trace::traces(analysis, target, 8).unwrap();
    let mut out = Vec::new();
    vantage::report::trace::write_json(&mut out, analysis, target, &traced).unwrap();
    serde_json::from_slice(&out).unwrap()
}

fn listed(trace: &Value, field: &str, fields: &[&str]) -> Vec<String> {
    trace[field]
        .as_array()
        .unwrap()
        .iter()
        .map(|item| {
            fields
                .iter()
                .map(|f| match &item[*f] {
                    Value::String(s) => s.clone(),
                    other => other.to_string(),
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .collect()
}

#[test]
fn a_trace_follows_handler_service_repository_to_the_database() {
    let analysis = analysed("trace_shop");
    // A concrete path finds the endpoint written with a converter.
    let doc = trace_of(&analysis, "GET /orders/7/");
    let traces = doc["traces"].as_array().unwrap();
    assert_eq!(traces.len(), 1, "{doc}");
    let trace = &traces[0];
    assert_eq!(trace["route"]["path"], "/orders/<int:pk>/");
    assert_eq!(
        listed(trace, "starts", &["symbol"]),
        ["orders.views.OrderDetail.get"]
    );
    // Worked out from the fixture's source: the view makes the service
    // (line 9: the class and its __init__, which makes the repository at
    // line 10) and calls fetch (line 10); fetch calls by_id (line 13) on
    // the repository __init__ assigned.
    assert_eq!(
        listed(trace, "steps", &["depth", "via", "from", "symbol", "lines"]),
        [
            "1 instantiate orders.views.OrderDetail.get orders.services.OrderService [9]",
            "1 call orders.views.OrderDetail.get orders.services.OrderService.__init__ [9]",
            "1 call orders.views.OrderDetail.get orders.services.OrderService.fetch [10]",
            "2 instantiate orders.services.OrderService.__init__ orders.repositories.OrderRepository [10]",
            "2 call orders.services.OrderService.fetch orders.repositories.OrderRepository.by_id [13]",
        ]
    );
    assert_eq!(
        listed(trace, "effects", &["kind", "call", "from", "line"]),
        [
            "queue send_receipt.delay orders.services.OrderService.fetch 14",
            "database Order.objects.select_related().get orders.repositories.OrderRepository.by_id 6",
        ]
    );
    assert_eq!(trace["stopped"], serde_json::json!([]));
}

#[test]
fn a_trace_names_cache_and_http_calls_and_draws_a_sequence() {
    let analysis = analysed("trace_shop");
    let doc = trace_of(&analysis, "/orders/{id}/summary");
    let trace = &doc["traces"][0];
    assert_eq!(
        listed(trace, "effects", &["kind", "call", "line"]),
        ["cache cache.get 18", "http requests.get 21"]
    );
    let traced = vantage::cli::trace::traces(&analysis, "GET /orders/1/", 8).unwrap();
    let mut out = Vec::new();
    vantage::report::trace::write_mermaid(&mut out, &analysis, &traced).unwrap();
    let mermaid = String::from_utf8(out).unwrap();
    assert!(mermaid.starts_with("sequenceDiagram\n"), "{mermaid}");
    assert!(
        mermaid.contains("orders_services->>orders_repositories: OrderRepository.by_id"),
        "{mermaid}"
    );
    assert!(
        mermaid.contains("orders_repositories->>Database: Order.objects.select_related().get"),
        "{mermaid}"
    );
    // Mermaid would read `<int:pk>` as markup.
    assert!(mermaid.contains("#lt;int:pk#gt;"), "{mermaid}");
}

#[test]
fn an_unknown_endpoint_is_an_error() {
    let analysis = analysed("trace_shop");
    let err = vantage::cli::trace::traces(&analysis, "GET /nowhere/", 8)
        .err()
        .expect("an error");
    assert!(
        err.to_string().contains("no endpoint or definition"),
        "{err}"
    );
}

/// Writes `files` under a temporary folder and lists its routes as
/// `METHODS PATH HANDLER [GUARDS]` lines.
fn routes_of(files: &[(&str, &str)]) -> Vec<String> {
    let dir = tempfile::tempdir().unwrap();
    for (path, text) in files {
        let path = dir.path().join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    }
    let options = Options {
        extraction: Extraction::Symbols,
        ..Options::default()
    };
    let analysis = analyze(dir.path(), &options).unwrap();
    let doc = routes_json(&analysis);
    doc["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let guards: Vec<String> = r["guards"]
                .as_array()
                .unwrap()
                .iter()
                .map(|g| {
                    format!(
                        "{}/{}",
                        g["name"].as_str().unwrap(),
                        g["on"].as_str().unwrap()
                    )
                })
                .collect();
            format!(
                "{} {} {} [{}]",
                r["methods"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|m| m.as_str().unwrap())
                    .collect::<Vec<_>>()
                    .join(","),
                r["path"].as_str().unwrap(),
                r["handler"]["symbol"].as_str().unwrap_or("-"),
                guards.join(" ")
            )
        })
        .collect()
}

#[test]
fn django_idioms_a_suffix_wrapper_a_list_include_and_a_wrapping_decorator() {
    let routes = routes_of(&[
        ("shop/__init__.py", ""),
        (
            "shop/auth.py",
            "from functools import wraps\n\n\ndef login_required(view):\n    @wraps(view)\n    def wrapped(request, *args, **kwargs):\n        return view(request, *args, **kwargs)\n    return wrapped\n",
        ),
        (
            "shop/views.py",
            "from rest_framework.decorators import api_view, permission_classes\nfrom rest_framework.permissions import AllowAny\n\n\ndef a(request):\n    pass\n\n\ndef x(request):\n    pass\n\n\ndef y(request):\n    pass\n\n\ndef dash(request):\n    pass\n\n\n@api_view([\"POST\"])\n@permission_classes([AllowAny])\ndef signup(request):\n    pass\n",
        ),
        (
            "shop/urls.py",
            "from django.urls import include, path\nfrom rest_framework.urlpatterns import format_suffix_patterns\n\nfrom shop import views\nfrom shop.auth import login_required\n\nurlpatterns = [\n    path(\"a/\", views.a),\n    path(\"both/\", include([path(\"x/\", views.x), path(\"y/\", views.y)])),\n    path(\"dash/\", login_required(views.dash)),\n    path(\"signup/\", views.signup),\n]\nurlpatterns = format_suffix_patterns(urlpatterns)\n",
        ),
    ]);
    // Worked out from the files: format_suffix_patterns keeps what
    // urlpatterns held; a list of two patterns is two patterns; the
    // repository's own decorator wraps the view (a guard at the route);
    // `permission_classes([AllowAny])` guards nothing.
    assert_eq!(
        routes,
        [
            "* /a/ shop.views.a []",
            "* /both/x/ shop.views.x []",
            "* /both/y/ shop.views.y []",
            "* /dash/ shop.views.dash [login_required/route]",
            "POST /signup/ shop.views.signup []",
        ]
    );
}

#[test]
fn express_middleware_applies_to_its_path_segment_by_segment() {
    let routes = routes_of(&[
        (
            "src/auth.ts",
            "export function requireAdmin(_req: unknown, _res: unknown, next: () => void) {\n  next();\n}\n",
        ),
        (
            "src/app.ts",
            "import express from 'express';\nimport { requireAdmin } from './auth';\n\nfunction users(_req: unknown, _res: unknown) {}\nfunction admins(_req: unknown, _res: unknown) {}\n\nexport const app = express();\napp.use('/admin', requireAdmin);\napp.get('/admin/users', users);\napp.get('/administrators', admins);\n",
        ),
    ]);
    assert_eq!(
        routes,
        [
            "GET /admin/users src/app.ts#users [requireAdmin/group]",
            "GET /administrators src/app.ts#admins []",
        ]
    );
}

#[test]
fn modules_are_named_from_a_configured_root() {
    // `roots = ["."]` on a package folder: `core.urls`, the namespace
    // package `jwt_auth`, as the application imports them.
    let routes = routes_of(&[
        ("vantage.toml", "[python]\nroots = [\".\"]\n"),
        ("__init__.py", ""),
        ("core/__init__.py", ""),
        ("core/settings.py", "ROOT_URLCONF = \"core.urls\"\n"),
        (
            "core/urls.py",
            "from django.urls import path\n\nfrom jwt_auth import views\n\nurlpatterns = [path(\"token/\", views.token)]\n",
        ),
        ("jwt_auth/views.py", "def token(request):\n    pass\n"),
    ]);
    assert_eq!(routes, ["* /token/ jwt_auth.views.token []"]);
}

#[test]
fn a_route_on_an_object_not_followed_is_listed_not_dropped() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("src")).unwrap();
    std::fs::write(
        dir.path().join("src/api.ts"),
        "import { makeApp } from 'some-framework';\nimport { client } from './client';\n\nfunction list(_req: unknown, _res: unknown) {}\n\nconst app = makeApp();\napp.get('/orders', list);\nclient.get('/orders');\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("src/client.ts"),
        "export const client = { get(_p: string) {} };\n",
    )
    .unwrap();
    let options = Options {
        extraction: Extraction::Symbols,
        ..Options::default()
    };
    let analysis = analyze(dir.path(), &options).unwrap();
    let doc = routes_json(&analysis);
    assert_eq!(doc["routes"], serde_json::json!([]));
    // The registration shape is listed; a client's request (no handler
    // after the path) is not.
    assert_eq!(
        listed(&doc, "dynamic", &["file", "line"]),
        ["src/api.ts 7"],
        "{doc}"
    );
}

#[test]
fn impact_names_the_endpoints_a_change_reaches() {
    let endpoints = |symbol: &str| -> Vec<String> {
        let output = assert_cmd::Command::cargo_bin("vantage")
            .unwrap()
            .arg("impact")
            .arg(common::fixture("routes/trace_shop"))
            .args(["--symbol", symbol, "--format", "json", "--no-cache"])
            .output()
            .unwrap();
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        let doc: Value = serde_json::from_slice(&output.stdout).unwrap();
        doc["endpoints"]
            .as_array()
            .map(|list| {
                list.iter()
                    .map(|e| {
                        format!(
                            "{} {} through {} at depth {}",
                            e["methods"],
                            e["path"].as_str().unwrap(),
                            e["through"].as_str().unwrap(),
                            e["depth"]
                        )
                    })
                    .collect()
            })
            .unwrap_or_default()
    };
    // by_id is called by OrderService.fetch, called by OrderDetail.get,
    // the detail endpoint's handler; the summary endpoint never calls it.
    assert_eq!(
        endpoints("OrderRepository.by_id"),
        ["[\"GET\"] /orders/<int:pk>/ through orders.views.OrderDetail.get at depth 2"]
    );
    assert_eq!(
        endpoints("OrderService.summary"),
        ["[\"*\"] /orders/<int:pk>/summary/ through orders.views.order_summary at depth 1"]
    );
}

/// Laravel forms real route files use beyond the fixture's: modifiers
/// before the verb (`Route::middleware('auth:sanctum')->get(...)`, the
/// default `api.php` of Laravel 8 to 10), `withoutMiddleware`, a group
/// written on one line, a resource under a path (`admin/photos`), a
/// namespace chained on the facade, and a controller named in an escaped
/// string. Expected values worked out from Laravel's documented rules.
#[test]
fn laravel_modifiers_before_the_verb_and_escaped_controllers() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    let write = |path: &str, text: &str| {
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, text).unwrap();
    };
    write(
        "composer.json",
        r#"{"autoload": {"psr-4": {"App\\": "app/"}}}"#,
    );
    write(
        "app/Http/Controllers/Admin/UserController.php",
        "<?php\n\nnamespace App\\Http\\Controllers\\Admin;\n\nclass UserController\n{\n    public function index() {}\n    public function show() {}\n}\n",
    );
    write(
        "routes/api.php",
        r#"<?php

use Illuminate\Support\Facades\Route;

Route::middleware('auth:sanctum')->get('/user', function () { return 1; });
Route::middleware('auth')->group(function () {
    Route::post('/hook', function () {})->withoutMiddleware('auth');
});
Route::prefix('one')->group(function () { Route::get('/line', function () {}); });
Route::resource('admin/photos', 'PhotoController')->only(['index']);
Route::namespace('Admin')->group(function () {
    Route::get('/users', 'UserController@index');
});
Route::get('/users/{user}', 'App\\Http\\Controllers\\Admin\\UserController@show');
"#,
    );
    let options = Options {
        extraction: Extraction::Symbols,
        ..Options::default()
    };
    let analysis = analyze(root, &options).expect("analyses");
    let doc = routes_json(&analysis);
    let rows: Vec<String> = doc["routes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let guards: Vec<&str> = r["guards"]
                .as_array()
                .unwrap()
                .iter()
                .map(|g| g["name"].as_str().unwrap())
                .collect();
            format!(
                "{} {} {} [{}]",
                r["methods"][0].as_str().unwrap(),
                r["path"].as_str().unwrap(),
                r["handler"]["method"]
                    .as_str()
                    .or(r["outside"].as_str())
                    .unwrap_or("-"),
                guards.join(",")
            )
        })
        .collect();
    assert_eq!(
        rows,
        [
            "GET /api/admin/photos PhotoController []",
            "POST /api/hook inline function []",
            "GET /api/one/line inline function []",
            "GET /api/user inline function [auth:sanctum]",
            "GET /api/users App\\Http\\Controllers\\Admin\\UserController::index []",
            "GET /api/users/{user} App\\Http\\Controllers\\Admin\\UserController::show []",
        ],
        "{doc}"
    );
}
