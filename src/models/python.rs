//! Django models and SQLAlchemy declarative classes.

use std::collections::BTreeMap;

use super::{Field, Index, Model, Orm, Reader, Relation, RelationKind, Target};
use crate::facts::{CallFact, DefKind, Expr, SymbolFacts, argument, keyword};
use crate::lang::Language;
use crate::project::FileId;
use crate::routes::last;
use crate::symbols::{Followed, NodeKind, SymbolId};

/// What a base class makes of a class deriving from it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Mark {
    /// `models.Model`, or a model class of `django.contrib`.
    Django,
    /// A SQLAlchemy declarative base: `Base = declarative_base()`, a
    /// class deriving `DeclarativeBase`.
    Declarative,
    /// Flask-SQLAlchemy's `db.Model`: declarative, and a class without
    /// `__tablename__` gets its name in snake case.
    FlaskModel,
}

/// What a Python class's own bases say of it.
struct Marks {
    /// The marks its written bases carry.
    own: Vec<Mark>,
    /// It derives `DeclarativeBase` itself: the base, not a model.
    is_base: bool,
}

type Class = super::Class<Marks>;

pub(super) fn read(r: &mut Reader) {
    let classes = super::classes(
        r,
        Language::Python,
        |file, d, def| {
            (!def.bases.is_empty()).then(|| {
                let (own, is_base) = marks(r, file, d);
                Marks { own, is_base }
            })
        },
        |m| !m.own.is_empty(),
    );
    if classes.is_empty() {
        return;
    }
    let carries = |classes: &BTreeMap<SymbolId, Class>, node: SymbolId, mark: Mark| {
        classes.get(&node).is_some_and(|c| {
            c.mro
                .iter()
                .any(|k| classes.get(k).is_some_and(|k| k.mark.own.contains(&mark)))
        })
    };
    let settings = user_model_setting(r);
    let start = r.models.len();
    let apps = installed_apps(r);
    for c in classes.values() {
        if carries(&classes, c.node, Mark::Django) {
            let model = django(r, &classes, c, settings.as_ref(), &apps);
            r.models.push(model);
        } else if (carries(&classes, c.node, Mark::Declarative)
            || carries(&classes, c.node, Mark::FlaskModel))
            && !c.mark.is_base
        {
            let flask = carries(&classes, c.node, Mark::FlaskModel);
            let model = sqlalchemy(r, &classes, c, flask);
            r.models.push(model);
        }
    }
    directions(&mut r.models[start..]);
    // A Django proxy and a SQLAlchemy single-table child are their
    // parent's table.
    let tables: BTreeMap<String, Option<String>> = r.models[start..]
        .iter()
        .map(|m| (m.symbol.clone(), m.table.clone()))
        .collect();
    for m in &mut r.models[start..] {
        if m.table.is_none()
            && !m.is_abstract
            && let Some(t) = m
                .parents
                .first()
                .and_then(|p| tables.get(p))
                .cloned()
                .flatten()
        {
            m.table = Some(t);
        }
    }
}

/// The marks of a class's written bases, and whether one of them is
/// SQLAlchemy's `DeclarativeBase` itself.
fn marks(r: &Reader, file: FileId, def: u32) -> (Vec<Mark>, bool) {
    let Some(d) = r.symbols(file).map(|s| &s.defs[def as usize]) else {
        return (Vec::new(), false);
    };
    let (scope, bases, line) = (d.parent, &d.bases, d.start_line);
    let mut own = Vec::new();
    let mut is_base = false;
    for base in bases {
        let (met, value) = r.lookup.follow(file, scope, base, line);
        if let Some(m) = met {
            let n = &r.graph.nodes[m];
            if matches!(n.kind, NodeKind::Def(k) if k.is_type()) {
                continue;
            }
            // `Base = declarative_base()`, or `db.Model` of
            // `db = SQLAlchemy()`.
            if let Some(call) = held_value(r, m) {
                let made = made_by(call);
                if matches!(made, "declarative_base" | "generate_base" | "automap_base") {
                    own.push(Mark::Declarative);
                } else if made == "SQLAlchemy" && base.ends_with(".Model") {
                    own.push(Mark::FlaskModel);
                }
                continue;
            }
        }
        if matches!(value, Followed::Def(_) | Followed::Instance(_)) {
            continue;
        }
        let Some(origin) = origin(&r.facts[file], base) else {
            continue;
        };
        let last = origin.rsplit('.').next().unwrap_or(&origin);
        if is_django_model(&origin, last) {
            own.push(Mark::Django);
        } else if origin.starts_with("sqlalchemy.")
            && matches!(
                last,
                "DeclarativeBase" | "DeclarativeBaseNoMeta" | "MappedAsDataclass"
            )
        {
            own.push(Mark::Declarative);
            is_base = true;
        } else if origin.starts_with("flask_sqlalchemy.") && last == "Model" {
            own.push(Mark::FlaskModel);
        } else if (last.ends_with("Model") || last == "Page")
            && declares_django_fields(r, file, def)
        {
            // A model base of another package (`TimeStampedModel`,
            // `MPTTModel`, wagtail's `Page`), named as one, and the class
            // declares Django fields (a `Subquery` with an
            // `output_field` is no model).
            own.push(Mark::Django);
        }
    }
    (own, is_base)
}

/// Whether a class's body assigns Django fields (`models.CharField(...)`)
/// in a file importing from `django.db`.
fn declares_django_fields(r: &Reader, file: FileId, def: u32) -> bool {
    let imports_django = r.facts[file]
        .imports
        .iter()
        .any(|i| i.specifier == "django.db" || i.specifier.starts_with("django.db."));
    let Some(s) = r.symbols(file) else {
        return false;
    };
    imports_django
        && body(s, def).any(|c| {
            matches!(
                c.value.as_call(),
                Some((Some(Expr::Path(m)), name, _, _))
                    if m == "models" && (name.ends_with("Field") || name.ends_with("ForeignKey"))
            )
        })
}

/// Django's model classes: `models.Model`, and the abstract and concrete
/// models of `django.contrib` (`AbstractUser`); not the choices, managers
/// and query sets the same modules hold.
fn is_django_model(origin: &str, last: &str) -> bool {
    // GeoDjango's `django.contrib.gis.db.models.Model` too.
    origin.ends_with(".db.models.Model")
        || origin == "django.db.models.base.Model"
        || (origin.starts_with("django.contrib.") && last.starts_with("Abstract"))
        || (origin.starts_with("django.contrib.")
            && origin.contains(".models.")
            && (last.starts_with("Abstract")
                || matches!(
                    last,
                    "PermissionsMixin"
                        | "User"
                        | "Group"
                        | "Permission"
                        | "ContentType"
                        | "Site"
                        | "Session"
                        | "LogEntry"
                        | "FlatPage"
                        | "Redirect"
                )))
}

/// The value a module variable is given, when it is a call.
fn held_value<'r>(r: &'r Reader, node: SymbolId) -> Option<&'r Expr> {
    let n = &r.graph.nodes[node];
    let &d = n.defs.first()?;
    let s = r.symbols(n.file)?;
    let def = &s.defs[d as usize];
    if def.kind.is_callable() || def.kind.is_type() {
        return None;
    }
    s.calls
        .iter()
        .find(|c| c.target.as_deref() == Some(def.name.as_str()) && c.scope == Some(d))
        .map(|c| &c.value)
        .filter(|v| v.as_call().is_some())
}

/// The name of the call that makes a value, through a chain
/// (`registry().generate_base()` is `generate_base`).
fn made_by(value: &Expr) -> &str {
    value.as_call().map_or("", |(_, name, _, _)| name)
}

/// A written name's origin outside the repository, from the file's
/// imports: `models.Model` after `from django.db import models` is
/// `django.db.models.Model`.
fn origin(facts: &crate::facts::FileFacts, written: &str) -> Option<String> {
    let (first, rest) = written.split_once('.').unwrap_or((written, ""));
    let join = |base: String| {
        if rest.is_empty() {
            base
        } else {
            format!("{base}.{rest}")
        }
    };
    for import in facts.imports.iter().filter(|i| !i.reference) {
        if let Some((name, _)) = import.aliases.iter().find(|(_, alias)| alias == first) {
            return Some(join(if import.names.is_empty() {
                import.specifier.clone()
            } else {
                format!("{}.{name}", import.specifier)
            }));
        }
        if import.names.iter().any(|n| n == first) {
            return Some(join(format!("{}.{first}", import.specifier)));
        }
        if import.names.is_empty()
            && (import.specifier == first || import.specifier.starts_with(&format!("{first}.")))
        {
            return Some(written.to_string());
        }
    }
    None
}

fn is_true(expr: Option<&Expr>) -> bool {
    matches!(expr, Some(Expr::Other(v)) if v == "True")
}

fn is_false(expr: Option<&Expr>) -> bool {
    matches!(expr, Some(Expr::Other(v)) if v == "False")
}

/// The assignments written in a class's body (and not in its methods):
/// a class attribute is a definition of its own, its assignment scoped
/// to it.
fn body(s: &SymbolFacts, def: u32) -> impl Iterator<Item = &CallFact> {
    s.calls.iter().filter(move |c| {
        !c.decorator
            && c.target.as_ref().is_some_and(|target| {
                c.scope == Some(def)
                    || c.scope.is_some_and(|d| {
                        let d = &s.defs[d as usize];
                        d.parent == Some(def)
                            && d.name == *target
                            && !d.kind.is_callable()
                            && !d.kind.is_type()
                    })
            })
    })
}

/// A class's nested class named `name` (`Meta`).
fn nested(s: &SymbolFacts, def: u32, name: &str) -> Option<u32> {
    s.defs
        .iter()
        .position(|d| d.parent == Some(def) && d.name == name && d.kind == DefKind::Class)
        .map(|i| i as u32)
}

/// A class-level name's value in a class body.
fn attribute<'s>(s: &'s SymbolFacts, def: u32, name: &str) -> Option<&'s CallFact> {
    body(s, def).find(|c| c.target.as_deref() == Some(name))
}

/// An installed Django application: its module and its label.
#[derive(Debug)]
struct App {
    module: String,
    label: String,
}

/// `INSTALLED_APPS` of the settings modules: each application's module
/// and label (an `AppConfig` named there gives its `name` and `label`).
fn installed_apps(r: &Reader) -> Vec<App> {
    let modules: BTreeMap<&str, FileId> = (0..r.facts.len())
        .filter_map(|f| {
            let m = r.graph.module_of.get(f).copied().flatten()?;
            Some((r.graph.nodes[m].name.as_str(), f))
        })
        .collect();
    let mut apps = Vec::new();
    for file in 0..r.facts.len() {
        let Some(s) = r.symbols(file) else { continue };
        for c in &s.calls {
            if c.target.as_deref() != Some("INSTALLED_APPS") {
                continue;
            }
            let mut entries = Vec::new();
            app_entries(s, &c.value, &mut entries, 0);
            for entry in entries {
                apps.push(app_of(r, &entry, &modules));
            }
        }
    }
    apps.sort_by(|a, b| {
        b.module
            .len()
            .cmp(&a.module.len())
            .then(a.module.cmp(&b.module))
    });
    apps.dedup_by(|a, b| a.module == b.module);
    apps
}

/// The strings of an `INSTALLED_APPS` value: a list, a concatenation of
/// lists, a module-level list of the same file named
/// (`DJANGO_APPS + LOCAL_APPS`).
fn app_entries(s: &SymbolFacts, value: &Expr, out: &mut Vec<String>, depth: usize) {
    if depth > crate::routes::MAX_DEPTH {
        return;
    }
    match value {
        Expr::List(items) => out.extend(items.iter().filter_map(Expr::as_str).map(str::to_string)),
        Expr::Concat(parts) => {
            for p in parts {
                app_entries(s, p, out, depth + 1);
            }
        }
        Expr::Path(name) => {
            if let Some(held) = s
                .calls
                .iter()
                .find(|c| c.target.as_deref() == Some(name.as_str()) && !c.augmented)
            {
                app_entries(s, &held.value, out, depth + 1);
            }
        }
        _ => {}
    }
}

/// An entry of `INSTALLED_APPS`: a module, or a dotted path to an
/// `AppConfig` whose `name` is the module and whose `label`, if written,
/// the label.
fn app_of(r: &Reader, entry: &str, modules: &BTreeMap<&str, FileId>) -> App {
    // A module alone: the label its `apps.py` configuration gives, as
    // Django (3.2 and later) takes the one `AppConfig` written there.
    let plain = |module: &str| {
        let configured = modules
            .get(format!("{module}.apps").as_str())
            .and_then(|&f| {
                let s = r.symbols(f)?;
                s.defs.iter().enumerate().find_map(|(d, def)| {
                    (def.kind == crate::facts::DefKind::Class
                        && def.bases.iter().any(|b| last(b) == "AppConfig"))
                    .then(|| {
                        attribute(s, d as u32, "label")?
                            .value
                            .as_str()
                            .map(str::to_string)
                    })
                    .flatten()
                })
            });
        App {
            module: module.to_string(),
            label: configured.unwrap_or_else(|| last(module).to_string()),
        }
    };
    let Some((_, class)) = entry.rsplit_once('.') else {
        return plain(entry);
    };
    if !class.chars().next().is_some_and(char::is_uppercase) {
        return plain(entry);
    }
    let Some(&node) = r.graph.find(entry).first() else {
        // An `AppConfig` outside the repository: its package.
        let package = entry.trim_end_matches(class).trim_end_matches('.');
        let package = package.strip_suffix(".apps").unwrap_or(package);
        return plain(package);
    };
    let n = &r.graph.nodes[node];
    let said = |name: &str| {
        let s = r.symbols(n.file)?;
        attribute(s, *n.defs.first()?, name)?
            .value
            .as_str()
            .map(str::to_string)
    };
    let module = said("name").unwrap_or_else(|| {
        let package = entry.trim_end_matches(class).trim_end_matches('.');
        package.strip_suffix(".apps").unwrap_or(package).to_string()
    });
    let label = said("label").unwrap_or_else(|| last(&module).to_string());
    App { module, label }
}

/// Where a Django model lives: the installed application whose module
/// holds the model's module (the longest), else the package holding
/// `models.py` or the `models` package.
fn app_label(r: &Reader, apps: &[App], file: FileId) -> Option<String> {
    let module = &r.graph.nodes[r.graph.module_of.get(file).copied().flatten()?].name;
    if let Some(app) = apps.iter().find(|a| {
        module == &a.module
            || module
                .strip_prefix(a.module.as_str())
                .is_some_and(|rest| rest.starts_with('.'))
    }) {
        return Some(app.label.clone());
    }
    let parts: Vec<&str> = module.split('.').collect();
    match parts.iter().rposition(|p| *p == "models") {
        Some(0) | None => parts.len().checked_sub(2).map(|i| parts[i].to_string()),
        Some(i) => Some(parts[i - 1].to_string()),
    }
}

/// `AUTH_USER_MODEL = "accounts.User"` in any settings module.
fn user_model_setting(r: &Reader) -> Option<(String, String)> {
    for file in 0..r.facts.len() {
        let Some(s) = r.symbols(file) else { continue };
        for c in &s.calls {
            if c.target.as_deref() == Some("AUTH_USER_MODEL")
                && let Some((app, name)) = c.value.as_str().and_then(|v| v.split_once('.'))
            {
                return Some((app.to_string(), name.to_string()));
            }
        }
    }
    None
}

fn django(
    r: &mut Reader,
    classes: &BTreeMap<SymbolId, Class>,
    c: &Class,
    settings: Option<&(String, String)>,
    apps: &[App],
) -> Model {
    let s = r.symbols(c.file).expect("classes have symbol facts");
    let def = &s.defs[c.def as usize];
    let meta = nested(s, c.def, "Meta");
    let meta_value = |name: &str| meta.and_then(|m| attribute(s, m, name)).map(|c| &c.value);
    let is_abstract = is_true(meta_value("abstract"));
    let proxy = is_true(meta_value("proxy"));
    let is_model = |k: SymbolId| {
        classes.get(&k).is_some_and(|k| {
            k.mro.iter().any(|b| {
                classes
                    .get(b)
                    .is_some_and(|b| b.mark.own.contains(&Mark::Django))
            })
        })
    };
    let abstract_of = |k: SymbolId| {
        classes.get(&k).is_some_and(|k| {
            let ks = r.symbols(k.file).expect("classes have symbol facts");
            nested(ks, k.def, "Meta")
                .and_then(|m| attribute(ks, m, "abstract"))
                .is_some_and(|a| is_true(Some(&a.value)))
        })
    };
    // The abstract models whose fields it inherits (base-most first) and
    // the concrete ones it derives from.
    let mut sources: Vec<SymbolId> = Vec::new();
    let mut concrete: Vec<SymbolId> = Vec::new();
    for &k in c.mro.iter().skip(1) {
        if !is_model(k) {
            continue;
        }
        if abstract_of(k) {
            sources.push(k);
        } else {
            concrete.push(k);
        }
    }
    super::not_under_parents(&mut sources, &concrete, classes);
    let parents: Vec<String> = concrete.iter().map(|&k| r.symbol(k)).collect();
    sources.reverse();
    sources.push(c.node);
    let app = meta_value("app_label")
        .and_then(Expr::as_str)
        .map(str::to_string)
        .or_else(|| app_label(r, apps, c.file));
    let mut fields = Vec::new();
    let mut relations = Vec::new();
    for &k in &sources {
        let Some(kc) = classes.get(&k) else { continue };
        let ks = r.symbols(kc.file).expect("classes have symbol facts");
        let inherited = (k != c.node).then(|| r.symbol(k));
        for call in body(ks, kc.def) {
            let Some((_, kind, args, _)) = call.value.as_call() else {
                continue;
            };
            let name = call.target.clone().unwrap_or_default();
            // A branch of a condition declares the field again: the
            // first declaration is the one listed.
            if fields
                .iter()
                .any(|f: &Field| f.name == name && f.inherited_from == inherited)
                || relations
                    .iter()
                    .any(|r: &Relation| r.name == name && r.inherited_from == inherited)
            {
                continue;
            }
            // Django's relation fields and those deriving from them by
            // name (`AutoOneToOneField`, wagtail's `ParentalKey`).
            // A generic relation is no column: its columns are the
            // content type and id fields it names.
            if matches!(kind, "GenericForeignKey" | "GenericRelation") {
                continue;
            }
            let relation = if kind.ends_with("ForeignKey") || kind == "ParentalKey" {
                Some(RelationKind::ManyToOne)
            } else if kind.ends_with("OneToOneField") {
                Some(RelationKind::OneToOne)
            } else if kind.ends_with("ManyToManyField") {
                Some(RelationKind::ManyToMany)
            } else {
                None
            };
            if let Some(rk) = relation {
                let to = argument(args, 0, "to");
                let (aim, written) = django_target(r, kc, c, to, settings, app.as_deref());
                let column = match rk {
                    RelationKind::ManyToMany => None,
                    _ => Some(
                        keyword(args, "db_column")
                            .and_then(Expr::as_str)
                            .map_or_else(|| format!("{name}_id"), str::to_string),
                    ),
                };
                relations.push(Relation {
                    name,
                    kind: rk,
                    ty: kind.to_string(),
                    target: written,
                    model: None,
                    line: call.line,
                    column,
                    through: keyword(args, "through").map(|t| match t {
                        Expr::Str(s) => s.clone(),
                        other => other.text(),
                    }),
                    related_name: keyword(args, "related_name")
                        .and_then(Expr::as_str)
                        .map(str::to_string),
                    index: rk != RelationKind::ManyToMany && !is_false(keyword(args, "db_index")),
                    inherited_from: inherited.clone(),
                    aim,
                    guessed: false,
                    key: Default::default(),
                });
                continue;
            }
            if !kind.ends_with("Field") || matches!(kind, "GenericRelation") {
                continue;
            }
            let primary_key = is_true(keyword(args, "primary_key"));
            // A primary key is unique; a slug is indexed unless told not.
            let unique = primary_key || is_true(keyword(args, "unique"));
            let db_index = match keyword(args, "db_index") {
                Some(v) => is_true(Some(v)),
                None => kind == "SlugField",
            };
            fields.push(Field {
                name,
                ty: Some(kind.to_string()),
                line: call.line,
                primary_key,
                unique,
                index: primary_key || unique || db_index,
                null: is_true(keyword(args, "null")),
                references: None,
                inherited_from: inherited.clone(),
            });
        }
    }
    overridden(&mut fields, &mut relations);
    let mut primary_key: Vec<String> = fields
        .iter()
        .filter(|f| f.primary_key)
        .map(|f| f.name.clone())
        .collect();
    if primary_key.is_empty() {
        primary_key.extend(
            relations
                .iter()
                .filter(|rel| rel.kind == RelationKind::OneToOne)
                .find(|rel| {
                    rel.inherited_from.is_none()
                        && s.calls.iter().any(|call| {
                            call.line == rel.line
                                && call
                                    .value
                                    .as_call()
                                    .is_some_and(|(_, _, a, _)| is_true(keyword(a, "primary_key")))
                        })
                })
                .map(|rel| rel.name.clone()),
        );
    }
    if primary_key.is_empty() {
        primary_key.push(match parents.first() {
            // Multi-table inheritance: the link to the parent is the key.
            Some(parent) if !proxy => format!("{}_ptr", last(parent).to_lowercase()),
            _ => "id".to_string(),
        });
    }
    // Meta: its own, else the one an abstract base declares.
    let meta_holder = meta.map(|m| (c.file, m)).or_else(|| {
        sources.iter().rev().skip(1).find_map(|k| {
            let kc = classes.get(k)?;
            let ks = r.symbols(kc.file)?;
            nested(ks, kc.def, "Meta").map(|m| (kc.file, m))
        })
    });
    let mut indexes = Vec::new();
    if let Some((mf, m)) = meta_holder {
        let ms = r.symbols(mf).expect("classes have symbol facts");
        for call in body(ms, m) {
            let items: Vec<&Expr> = match &call.value {
                Expr::List(items) => items.iter().collect(),
                _ => continue,
            };
            match call.target.as_deref() {
                Some("indexes" | "constraints") => {
                    for item in items {
                        let Some((_, kind, args, line)) = item.as_call() else {
                            continue;
                        };
                        let unique = match kind {
                            "Index" => false,
                            "UniqueConstraint" => true,
                            _ => continue,
                        };
                        // `fields=[...]` (`-created`: descending, as
                        // written), else the expressions written first
                        // (`Index(Lower("email"))`: kept as written).
                        let fields: Vec<String> = match keyword(args, "fields") {
                            Some(Expr::List(cols)) => cols
                                .iter()
                                .filter_map(Expr::as_str)
                                .map(str::to_string)
                                .collect(),
                            _ => args
                                .iter()
                                .filter(|a| a.name.is_none())
                                .map(|a| a.value.text())
                                .collect(),
                        };
                        if fields.is_empty() {
                            continue;
                        }
                        indexes.push(Index {
                            name: keyword(args, "name")
                                .and_then(Expr::as_str)
                                .map(str::to_string),
                            fields,
                            unique,
                            line,
                        });
                    }
                }
                Some(together @ ("unique_together" | "index_together")) => {
                    let unique = together == "unique_together";
                    // One group written alone (`("a", "b")`), or a list of them.
                    let groups: Vec<Vec<String>> = if items.iter().all(|i| i.as_str().is_some()) {
                        vec![
                            items
                                .iter()
                                .filter_map(|i| i.as_str())
                                .map(str::to_string)
                                .collect(),
                        ]
                    } else {
                        items
                            .iter()
                            .filter_map(|i| match i {
                                Expr::List(g) => Some(
                                    g.iter()
                                        .filter_map(Expr::as_str)
                                        .map(str::to_string)
                                        .collect(),
                                ),
                                _ => None,
                            })
                            .collect()
                    };
                    for g in groups {
                        indexes.push(Index {
                            name: None,
                            fields: g,
                            unique,
                            line: call.line,
                        });
                    }
                }
                _ => {}
            }
        }
    }
    let table = if is_abstract {
        None
    } else if let Some(t) = meta_value("db_table").and_then(Expr::as_str) {
        Some(t.to_string())
    } else if proxy {
        None
    } else {
        app.as_ref()
            .map(|a| format!("{a}_{}", def.name.to_lowercase()))
    };
    Model {
        name: def.name.clone(),
        symbol: r.symbol(c.node),
        node: Some(c.node),
        orm: Orm::Django,
        table,
        is_abstract,
        file: c.file,
        line: def.name_line,
        primary_key,
        parents,
        fields,
        relations,
        indexes,
        app,
    }
}

/// A name a class declares itself hides the one an abstract base gave
/// it: the inherited entry goes.
fn overridden(fields: &mut Vec<Field>, relations: &mut Vec<Relation>) {
    let own: std::collections::BTreeSet<String> = fields
        .iter()
        .filter(|f| f.inherited_from.is_none())
        .map(|f| f.name.clone())
        .chain(
            relations
                .iter()
                .filter(|r| r.inherited_from.is_none())
                .map(|r| r.name.clone()),
        )
        .collect();
    fields.retain(|f| f.inherited_from.is_none() || !own.contains(&f.name));
    relations.retain(|r| r.inherited_from.is_none() || !own.contains(&r.name));
}

/// What a Django relation points to: a class followed, `"self"`, a
/// class of the same app named in a string, `"app.Model"`, or the user
/// model a setting names.
fn django_target(
    r: &Reader,
    holder: &Class,
    model: &Class,
    to: Option<&Expr>,
    settings: Option<&(String, String)>,
    model_app: Option<&str>,
) -> (Target, Option<String>) {
    let s = r.symbols(holder.file).expect("classes have symbol facts");
    let scope = s.defs[holder.def as usize].parent;
    match to {
        Some(Expr::Str(text)) if text == "self" => (Target::Node(model.node), Some(text.clone())),
        Some(Expr::Str(text)) => match text.split_once('.') {
            Some((app, name)) => (
                Target::Name {
                    name: name.to_string(),
                    app: Some(app.to_string()),
                },
                Some(text.clone()),
            ),
            None => (
                Target::Name {
                    name: text.clone(),
                    // Resolved in the concrete model's application, as
                    // Django resolves a lazy reference an abstract base
                    // writes.
                    app: model_app.map(str::to_string),
                },
                Some(text.clone()),
            ),
        },
        Some(Expr::Path(p)) => {
            if last(p) == "AUTH_USER_MODEL" {
                return match settings {
                    Some((app, name)) => (
                        Target::Name {
                            name: name.clone(),
                            app: Some(app.clone()),
                        },
                        Some(p.clone()),
                    ),
                    None => (Target::Unknown, Some(p.clone())),
                };
            }
            let line = s.defs[holder.def as usize].start_line;
            match r.lookup.follow(holder.file, scope, p, line) {
                (Some(m), _) if matches!(r.graph.nodes[m].kind, NodeKind::Def(k) if k.is_type()) => {
                    (Target::Node(m), Some(p.clone()))
                }
                _ => (Target::Unknown, Some(p.clone())),
            }
        }
        Some(other) => (Target::Unknown, Some(other.text())),
        None => (Target::Unknown, None),
    }
}

fn sqlalchemy(
    r: &mut Reader,
    classes: &BTreeMap<SymbolId, Class>,
    c: &Class,
    flask: bool,
) -> Model {
    let s = r.symbols(c.file).expect("classes have symbol facts");
    let def = &s.defs[c.def as usize];
    let own = |name: &str| attribute(s, c.def, name).map(|a| &a.value);
    let is_abstract = is_true(own("__abstract__"));
    let declares_base = |k: &Class| {
        k.mark.is_base
            || k.mark.own.contains(&Mark::Declarative)
            || k.mark.own.contains(&Mark::FlaskModel)
    };
    // A mapped class: one deriving from the declarative base, not
    // abstract; a mixin or an abstract class only gives columns.
    let mapped = |k: SymbolId| {
        classes.get(&k).is_some_and(|kc| {
            !kc.mark.is_base
                && kc
                    .mro
                    .iter()
                    .any(|b| classes.get(b).is_some_and(&declares_base))
                && {
                    let ks = r.symbols(kc.file).expect("classes have symbol facts");
                    !attribute(ks, kc.def, "__abstract__").is_some_and(|a| is_true(Some(&a.value)))
                }
        })
    };
    let mut sources: Vec<SymbolId> = Vec::new();
    let mut parents: Vec<SymbolId> = Vec::new();
    for &k in c.mro.iter().skip(1) {
        let Some(kc) = classes.get(&k) else {
            // A mixin without bases of its own is no class here: read it
            // from the graph.
            if matches!(r.graph.nodes[k].kind, NodeKind::Def(DefKind::Class)) {
                sources.push(k);
            }
            continue;
        };
        if kc.mark.is_base {
            // The declarative base's own columns (`id`, `created`) are
            // every model's.
            sources.push(k);
            continue;
        }
        if mapped(k) {
            parents.push(k);
        } else {
            sources.push(k);
        }
    }
    super::not_under_parents(&mut sources, &parents, classes);
    sources.reverse();
    sources.push(c.node);
    let mut fields = Vec::new();
    let mut relations = Vec::new();
    let mut indexes = Vec::new();
    let mut table_pk: Vec<String> = Vec::new();
    for &k in &sources {
        let kn = &r.graph.nodes[k];
        let Some(&kd) = kn.defs.first() else { continue };
        let Some(ks) = r.symbols(kn.file) else {
            continue;
        };
        let inherited = (k != c.node).then(|| r.symbol(k));
        for call in body(ks, kd) {
            let name = call.target.clone().unwrap_or_default();
            if name.starts_with("__") {
                if name == "__table_args__" && k == c.node {
                    table_args(&call.value, &mut indexes, &mut table_pk);
                }
                // `__table__ = Table("name", metadata, Column("id", ...))`.
                if name == "__table__"
                    && k == c.node
                    && let Some((_, "Table", args, _)) = call.value.as_call()
                {
                    for a in args.iter().filter(|a| a.name.is_none()) {
                        if let Some((_, "Column", cargs, line)) = a.value.as_call()
                            && let Some(Expr::Str(column_name)) = cargs.first().map(|a| &a.value)
                        {
                            fields.push(column(column_name.clone(), line, &cargs[1..], None, None));
                        }
                    }
                }
                continue;
            }
            let annotation = call.annotation.as_deref().and_then(mapped_inner);
            let call_of = call.value.as_call();
            match call_of {
                Some((_, "relationship" | "relation", args, _)) => {
                    relations.push(relationship(
                        r,
                        kn.file,
                        ks.defs[kd as usize].parent,
                        name,
                        call.line,
                        args,
                        annotation.as_ref(),
                        inherited.clone(),
                    ));
                }
                Some((_, "Column" | "mapped_column", args, _)) => {
                    fields.push(column(
                        name,
                        call.line,
                        args,
                        annotation.as_ref(),
                        inherited.clone(),
                    ));
                }
                None if matches!(&call.value, Expr::Other(v) if v.is_empty()) => {
                    // `name: Mapped[str]` alone: a column.
                    if let Some(a) = &annotation {
                        fields.push(column(name, call.line, &[], Some(a), inherited.clone()));
                    }
                }
                _ => {}
            }
        }
    }
    // `__table_args__` computed by a `@declared_attr` method: what it
    // returns.
    if attribute(s, c.def, "__table_args__").is_none()
        && let Some(method) = s.defs.iter().position(|d| {
            d.parent == Some(c.def) && d.name == "__table_args__" && d.kind.is_callable()
        })
        && let Some(returned) = s.calls.iter().find(|call| {
            call.scope == Some(method as u32) && call.target.is_none() && !call.decorator
        })
    {
        table_args(&returned.value, &mut indexes, &mut table_pk);
    }
    overridden(&mut fields, &mut relations);
    let mut primary_key: Vec<String> = fields
        .iter()
        .filter(|f| f.primary_key)
        .map(|f| f.name.clone())
        .collect();
    if primary_key.is_empty() {
        primary_key = table_pk;
    }
    // The table: its own, else (single-table inheritance) its parent's.
    let mut table = None;
    if !is_abstract {
        for &k in std::iter::once(&c.node).chain(parents.iter()) {
            let kn = &r.graph.nodes[k];
            let (Some(&kd), Some(ks)) = (kn.defs.first(), r.symbols(kn.file)) else {
                continue;
            };
            if let Some(t) = attribute(ks, kd, "__tablename__") {
                table = t.value.as_str().map(str::to_string);
                break;
            }
            if let Some(t) = attribute(ks, kd, "__table__")
                && let Some((_, "Table", args, _)) = t.value.as_call()
            {
                table = argument(args, 0, "name")
                    .and_then(Expr::as_str)
                    .map(str::to_string);
                break;
            }
        }
    }
    if table.is_none() && !is_abstract && parents.is_empty() {
        table = computed_table(r, c, &def.name);
        // Flask-SQLAlchemy names a table the class's name in snake case.
        if table.is_none() && flask {
            table = Some(super::snake(&def.name));
        }
    }
    // A Flask-SQLAlchemy child declaring its own key has its own table
    // (joined inheritance); without one it shares its parent's.
    if table.is_none()
        && flask
        && !is_abstract
        && fields
            .iter()
            .any(|f| f.primary_key && f.inherited_from.is_none())
    {
        table = Some(super::snake(&def.name));
    }
    if primary_key.is_empty() && !parents.is_empty() {
        // Single-table inheritance: the parent's key.
        let parent = &r.graph.nodes[parents[0]];
        if let (Some(&pd), Some(ps)) = (parent.defs.first(), r.symbols(parent.file)) {
            for call in body(ps, pd) {
                if let Some((_, "Column" | "mapped_column", args, _)) = call.value.as_call()
                    && is_true(keyword(args, "primary_key"))
                {
                    primary_key.extend(call.target.clone());
                }
            }
        }
    }
    let parents = parents.into_iter().map(|p| r.symbol(p)).collect();
    Model {
        name: def.name.clone(),
        symbol: r.symbol(c.node),
        node: Some(c.node),
        orm: Orm::Sqlalchemy,
        table,
        is_abstract,
        file: c.file,
        line: def.name_line,
        primary_key,
        parents,
        fields,
        relations,
        indexes,
        app: None,
    }
}

/// A table name a `@declared_attr def __tablename__` along the class's
/// linearisation computes, when it is one SQLAlchemy's documentation
/// teaches: a literal, `cls.__name__.lower()`, or a camel-to-snake
/// substitution of `cls.__name__` lowered.
fn computed_table(r: &Reader, c: &Class, name: &str) -> Option<String> {
    for &k in &c.mro {
        let kn = &r.graph.nodes[k];
        let (Some(&kd), Some(ks)) = (kn.defs.first(), r.symbols(kn.file)) else {
            continue;
        };
        let Some(method) = ks.defs.iter().position(|d| {
            d.parent == Some(kd) && d.name == "__tablename__" && d.kind.is_callable()
        }) else {
            continue;
        };
        let returned = ks.calls.iter().find(|call| {
            call.scope == Some(method as u32) && call.target.is_none() && !call.decorator
        })?;
        return match &returned.value {
            Expr::Str(s) => Some(s.clone()),
            Expr::Call {
                receiver: Some(inner),
                name: lower,
                args,
                ..
            } if lower == "lower" && args.is_empty() => match inner.as_ref() {
                Expr::Path(p) if p == "cls.__name__" => Some(name.to_lowercase()),
                Expr::Call {
                    name: sub, args, ..
                } if sub == "sub"
                    && args
                        .iter()
                        .any(|a| a.value == Expr::Path("cls.__name__".to_string())) =>
                {
                    Some(super::snake(name))
                }
                _ => None,
            },
            _ => None,
        };
    }
    None
}

/// `Mapped[...]`'s inner type, as written (whatever module names it:
/// `so.Mapped`, `orm.Mapped`); a `WriteOnlyMapped[X]` or
/// `DynamicMapped[X]` is a collection of `X` (`List[X]`). `None` for any
/// other annotation.
fn mapped_inner(annotation: &str) -> Option<String> {
    let a = annotation.trim();
    let (head, rest) = a.split_once('[')?;
    let inner = rest.strip_suffix(']')?.trim();
    match last(head) {
        "Mapped" => Some(inner.to_string()),
        "WriteOnlyMapped" | "DynamicMapped" => Some(format!("List[{inner}]")),
        _ => None,
    }
}

/// A type annotation without `Optional[...]`/`| None`, its quotes
/// dropped, and whether it allowed `None`.
fn optional(ty: &str) -> (String, bool) {
    let t = ty.trim().trim_matches(|c| c == '"' || c == '\'');
    if let Some(inner) = t
        .strip_prefix("Optional[")
        .or_else(|| t.strip_prefix("typing.Optional["))
        .and_then(|i| i.strip_suffix(']'))
    {
        return (optional(inner).0, true);
    }
    let parts: Vec<&str> = t.split('|').map(str::trim).collect();
    if parts.len() > 1 && parts.contains(&"None") {
        let rest: Vec<&str> = parts.into_iter().filter(|p| *p != "None").collect();
        return (optional(&rest.join(" | ")).0, true);
    }
    (t.to_string(), false)
}

/// A collection type's element (`List["Item"]`, `list[Item]`, `Set[X]`).
fn element(ty: &str) -> Option<String> {
    for prefix in [
        "List[",
        "list[",
        "Set[",
        "set[",
        "typing.List[",
        "Sequence[",
        "DynamicMapped[",
    ] {
        if let Some(inner) = ty.strip_prefix(prefix).and_then(|i| i.strip_suffix(']')) {
            return Some(optional(inner).0);
        }
    }
    None
}

fn column(
    name: String,
    line: u32,
    args: &[crate::facts::Arg],
    annotation: Option<&String>,
    inherited_from: Option<String>,
) -> Field {
    let positional: Vec<&Expr> = args
        .iter()
        .filter(|a| a.name.is_none())
        .map(|a| &a.value)
        .collect();
    let mut ty = None;
    let mut references = None;
    for value in &positional {
        match value {
            Expr::Call { name, args, .. } if name == "ForeignKey" => {
                references = argument(args, 0, "column").map(|c| match c {
                    Expr::Str(s) => s.clone(),
                    other => other.text(),
                });
            }
            Expr::Call { name, .. }
                if ty.is_none()
                    && !matches!(name.as_str(), "Sequence" | "Identity" | "Computed") =>
            {
                ty = Some(name.clone());
            }
            Expr::Path(p) if ty.is_none() => ty = Some(last(p).to_string()),
            _ => {}
        }
    }
    // A dotted type is named by its last name, as `sa.String` is.
    let (annotated, optional_type) = annotation.map_or((None, false), |a| {
        let (t, opt) = optional(a);
        let t = if t.contains('[') {
            t
        } else {
            last(&t).to_string()
        };
        (Some(t), opt)
    });
    if ty.is_none() {
        ty = annotated;
    }
    let primary_key = is_true(keyword(args, "primary_key"));
    let unique = is_true(keyword(args, "unique"));
    // SQLAlchemy's default: nullable unless a primary key; with a
    // `Mapped[...]` annotation, as `Optional` says.
    let null = match keyword(args, "nullable") {
        Some(v) => is_true(Some(v)),
        None if annotation.is_some() => optional_type,
        None => !primary_key,
    };
    Field {
        name,
        ty,
        line,
        primary_key,
        unique,
        index: primary_key || unique || is_true(keyword(args, "index")),
        null,
        references,
        inherited_from,
    }
}

#[allow(clippy::too_many_arguments)]
fn relationship(
    r: &Reader,
    file: FileId,
    scope: Option<u32>,
    name: String,
    line: u32,
    args: &[crate::facts::Arg],
    annotation: Option<&String>,
    inherited_from: Option<String>,
) -> Relation {
    let secondary = keyword(args, "secondary");
    let (written, collection) = match argument(args, 0, "argument") {
        Some(Expr::Str(s)) => (Some(s.clone()), None),
        Some(Expr::Path(p)) => (Some(p.clone()), None),
        _ => match annotation {
            Some(a) => match element(a) {
                Some(e) => (Some(e), Some(true)),
                None => (Some(optional(a).0), Some(false)),
            },
            None => (None, None),
        },
    };
    let collection = collection.or_else(|| annotation.map(|a| element(a).is_some()));
    let (kind, guessed) = if secondary.is_some() {
        (RelationKind::ManyToMany, false)
    } else if is_false(keyword(args, "uselist")) {
        (RelationKind::OneToOne, false)
    } else if keyword(args, "remote_side").is_some() {
        // The other side holds the key this one is compared with: a
        // parent in a tree of rows.
        (RelationKind::ManyToOne, false)
    } else {
        match collection {
            Some(true) => (RelationKind::OneToMany, false),
            // One object: many-to-one when this side holds the key, else
            // one-to-one; decided once tables are known.
            Some(false) => (RelationKind::ManyToOne, true),
            // Decided by where the foreign key is, once tables are known.
            None => (RelationKind::OneToMany, true),
        }
    };
    let aim = match &written {
        Some(w) => match r.lookup.follow(file, scope, w, line) {
            (Some(m), _) if matches!(r.graph.nodes[m].kind, NodeKind::Def(k) if k.is_type()) => {
                Target::Node(m)
            }
            _ => Target::Name {
                name: last(w).to_string(),
                app: None,
            },
        },
        None => Target::Unknown,
    };
    let key = key_side(args, written.as_deref());
    Relation {
        name,
        kind,
        ty: "relationship".to_string(),
        target: written,
        model: None,
        line,
        column: None,
        through: secondary.map(|s| match s {
            Expr::Str(s) => s.clone(),
            other => other.text(),
        }),
        related_name: keyword(args, "back_populates")
            .or_else(|| keyword(args, "backref"))
            .and_then(|v| match v {
                Expr::Str(s) => Some(s.clone()),
                Expr::Call { args, .. } => argument(args, 0, "name")
                    .and_then(Expr::as_str)
                    .map(str::to_string),
                _ => None,
            }),
        index: false,
        inherited_from,
        aim,
        guessed,
        key,
    }
}

/// Where a relationship's key is, from `foreign_keys=[column]` (a column
/// of its own class) or `primaryjoin="A.x_id==B.id"` (the side whose
/// column is not `id`).
fn key_side(args: &[crate::facts::Arg], target: Option<&str>) -> super::KeySide {
    if let Some(Expr::List(keys)) = keyword(args, "foreign_keys")
        && let Some(Expr::Path(p)) = keys.first()
        && !p.contains('.')
    {
        return super::KeySide::Here(p.clone());
    }
    if let Some(Expr::Str(join)) = keyword(args, "primaryjoin")
        && let Some((a, b)) = join.split_once("==")
        && let Some(target) = target.map(last)
    {
        for side in [a.trim(), b.trim()] {
            if let Some((class, column)) = side.rsplit_once('.')
                && column != "id"
            {
                return if last(class) == target {
                    super::KeySide::There
                } else {
                    super::KeySide::Here(column.to_string())
                };
            }
        }
    }
    super::KeySide::Unknown
}

/// `__table_args__`: its indexes, unique constraints and primary key.
fn table_args(value: &Expr, indexes: &mut Vec<Index>, primary_key: &mut Vec<String>) {
    let items: Vec<&Expr> = match value {
        Expr::List(items) => items.iter().collect(),
        Expr::Call { .. } => vec![value],
        _ => return,
    };
    let column_name = |e: &Expr| match e {
        Expr::Str(s) => Some(s.clone()),
        Expr::Path(p) => Some(last(p).to_string()),
        _ => None,
    };
    for item in items {
        // `Index(...).ddl_if(dialect="postgresql")`: the index.
        let item = match item.as_call() {
            Some((Some(inner), "ddl_if", _, _)) => inner,
            _ => item,
        };
        let Some((_, kind, args, line)) = item.as_call() else {
            continue;
        };
        let positional = args.iter().filter(|a| a.name.is_none()).map(|a| &a.value);
        match kind {
            "Index" => {
                let mut positional = positional;
                let name = positional.next().and_then(Expr::as_str).map(str::to_string);
                indexes.push(Index {
                    name,
                    fields: positional.filter_map(column_name).collect(),
                    unique: is_true(keyword(args, "unique")),
                    line,
                });
            }
            "UniqueConstraint" => indexes.push(Index {
                name: keyword(args, "name")
                    .and_then(Expr::as_str)
                    .map(str::to_string),
                fields: positional.filter_map(column_name).collect(),
                unique: true,
                line,
            }),
            "PrimaryKeyConstraint" => primary_key.extend(positional.filter_map(column_name)),
            _ => {}
        }
    }
}

/// Where SQLAlchemy decides a relationship's direction by its foreign
/// key: without an annotation, a relationship is many-to-one when its
/// model holds the foreign key to the target's table, else one-to-many;
/// annotated with one object (`Mapped["Shipment"]`), many-to-one when it
/// holds the key, else one-to-one. A many-to-one or one-to-one is
/// indexed when the column holding its key is.
fn directions(models: &mut [Model]) {
    let tables: BTreeMap<&str, String> = models
        .iter()
        .filter(|m| m.orm == Orm::Sqlalchemy)
        .filter_map(|m| m.table.clone().map(|t| (m.name.as_str(), t)))
        .collect();
    let mut fixes = Vec::new();
    for (i, m) in models.iter().enumerate() {
        if m.orm != Orm::Sqlalchemy {
            continue;
        }
        for (j, rel) in m.relations.iter().enumerate() {
            let written = rel.target.as_deref().unwrap_or_default();
            let Some(target_table) = tables.get(last(written)) else {
                continue;
            };
            let (key, known) = match &rel.key {
                super::KeySide::Here(column) => (m.fields.iter().find(|f| &f.name == column), true),
                super::KeySide::There => (None, true),
                // `ForeignKey("users.id")`, or `ForeignKey(User.id)`.
                super::KeySide::Unknown => (
                    m.fields.iter().find(|f| {
                        f.references.as_deref().is_some_and(|r| {
                            let first = r.split('.').next();
                            first == Some(target_table.as_str()) || first == Some(last(written))
                        })
                    }),
                    false,
                ),
            };
            // A row pointing at rows of its own table without
            // `remote_side` holds its children.
            let own_table = m.table.as_ref() == Some(target_table) && !known;
            let kind = match (rel.guessed, rel.kind, key.is_some() && !own_table) {
                (true, RelationKind::OneToMany, true) => RelationKind::ManyToOne,
                (true, RelationKind::ManyToOne, false) if !own_table => RelationKind::OneToOne,
                (_, kind, _) => kind,
            };
            // Indexed: its column is, or leads an index the model declares.
            let leads = |column: &str| {
                m.indexes
                    .iter()
                    .any(|i| i.fields.first().map(String::as_str) == Some(column))
            };
            let index = matches!(kind, RelationKind::ManyToOne | RelationKind::OneToOne)
                && key.is_some_and(|k| k.index || leads(&k.name));
            fixes.push((i, j, kind, index));
        }
    }
    for (i, j, kind, index) in fixes {
        let rel = &mut models[i].relations[j];
        rel.kind = kind;
        rel.index = index;
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn django_model_bases_by_origin() {
        for (origin, model) in [
            ("django.db.models.Model", true),
            ("django.contrib.gis.db.models.Model", true),
            ("django.contrib.auth.models.AbstractUser", true),
            ("django.contrib.auth.base_user.AbstractBaseUser", true),
            ("django.contrib.auth.models.PermissionsMixin", true),
            ("django.db.models.TextChoices", false),
            ("django.db.models.Subquery", false),
            ("django.contrib.auth.models.UserManager", false),
        ] {
            assert_eq!(is_django_model(origin, last(origin)), model, "{origin}");
        }
    }

    #[test]
    fn mapped_annotations_and_their_collections() {
        assert_eq!(mapped_inner("Mapped[int]").as_deref(), Some("int"));
        assert_eq!(
            mapped_inner("so.Mapped[Optional[str]]").as_deref(),
            Some("Optional[str]")
        );
        assert_eq!(
            mapped_inner("so.WriteOnlyMapped['Post']").as_deref(),
            Some("List['Post']")
        );
        assert_eq!(
            mapped_inner("DynamicMapped[Post]").as_deref(),
            Some("List[Post]")
        );
        assert_eq!(mapped_inner("list[int]"), None);
        assert_eq!(element("List['Post']").as_deref(), Some("Post"));
        assert_eq!(optional("str | None"), ("str".to_string(), true));
        assert_eq!(optional("Optional['User']"), ("User".to_string(), true));
    }
}
