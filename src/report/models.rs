//! `vantage models`: ORM models as text, JSON (docs/output.md) and a
//! Mermaid entity-relation diagram.

use std::collections::BTreeSet;
use std::io::{self, Write};

use serde::Serialize;

use super::SCHEMA_VERSION;
use crate::models::{Field, Index, Model, Relation, RelationKind};
use crate::pipeline::Analysis;

#[derive(Serialize)]
struct FieldJson<'a> {
    name: &'a str,
    #[serde(rename = "type")]
    ty: Option<&'a str>,
    line: u32,
    primary_key: bool,
    unique: bool,
    index: bool,
    null: bool,
    references: Option<&'a str>,
    inherited_from: Option<&'a str>,
}

#[derive(Serialize)]
struct RelationJson<'a> {
    name: &'a str,
    kind: &'static str,
    #[serde(rename = "type")]
    ty: &'a str,
    target: Option<&'a str>,
    resolved: bool,
    line: u32,
    column: Option<&'a str>,
    through: Option<&'a str>,
    related_name: Option<&'a str>,
    index: bool,
    inherited_from: Option<&'a str>,
}

#[derive(Serialize)]
struct IndexJson<'a> {
    name: Option<&'a str>,
    fields: &'a [String],
    unique: bool,
    line: u32,
}

#[derive(Serialize)]
struct ModelJson<'a> {
    name: &'a str,
    symbol: &'a str,
    orm: &'static str,
    table: Option<&'a str>,
    #[serde(rename = "abstract")]
    is_abstract: bool,
    file: &'a str,
    line: u32,
    module: &'a str,
    primary_key: &'a [String],
    parents: &'a [String],
    fields: Vec<FieldJson<'a>>,
    relations: Vec<RelationJson<'a>>,
    indexes: Vec<IndexJson<'a>>,
    endpoints: Vec<String>,
}

#[derive(Serialize)]
struct DynamicJson<'a> {
    file: &'a str,
    line: u32,
    reason: &'a str,
}

#[derive(Serialize)]
struct ModelsJson<'a> {
    schema_version: u32,
    tool: super::json::Tool,
    command: &'static str,
    models: Vec<ModelJson<'a>>,
    dynamic: Vec<DynamicJson<'a>>,
}

/// The models a command lists, with the endpoints reaching each (as
/// `METHODS PATH`).
pub struct Listed<'a> {
    pub model: &'a Model,
    pub endpoints: Vec<String>,
}

/// Which models a command lists.
#[derive(Clone, Debug, Default)]
pub struct ModelFilter {
    /// Models declared in this module.
    pub module: Option<String>,
    /// A model named so: its class (`User`), its symbol, or a tail of it
    /// (`accounts.models.User`, `models.User`), or its table.
    pub model: Option<String>,
}

impl ModelFilter {
    fn keeps(&self, analysis: &Analysis, m: &Model) -> bool {
        self.module
            .as_ref()
            .is_none_or(|want| module_of(analysis, m) == want)
            && self.model.as_ref().is_none_or(|want| names(m, want))
    }
}

/// Whether a model answers to a name.
pub fn names(m: &Model, want: &str) -> bool {
    m.name == want
        || m.table.as_deref() == Some(want)
        || m.symbol == want
        || ['.', '\\', ':', '#'].iter().any(|sep| {
            m.symbol
                .strip_suffix(want)
                .is_some_and(|head| head.ends_with(*sep))
        })
}

/// The models a filter keeps, each with the endpoints whose request flow
/// reaches it (`depth` calls deep; 0 for none).
pub fn listed<'a>(analysis: &'a Analysis, filter: &ModelFilter, depth: usize) -> Vec<Listed<'a>> {
    // Depth 0: no endpoints asked (a diagram does not show them).
    let touched = if depth == 0 {
        vec![BTreeSet::new(); analysis.routes.routes.len()]
    } else {
        crate::models::touched(analysis, depth)
    };
    let mut endpoints: Vec<BTreeSet<String>> = vec![BTreeSet::new(); analysis.models.models.len()];
    for (route, models) in analysis.routes.routes.iter().zip(&touched) {
        for &m in models {
            endpoints[m].insert(format!("{} {}", route.methods.join(","), route.path));
        }
    }
    analysis
        .models
        .models
        .iter()
        .zip(endpoints)
        .filter(|(m, _)| filter.keeps(analysis, m))
        .map(|(model, e)| Listed {
            model,
            endpoints: e.into_iter().collect(),
        })
        .collect()
}

fn module_of<'a>(analysis: &'a Analysis, m: &Model) -> &'a str {
    analysis.modules.name(analysis.modules.of_file[m.file])
}

fn field_json(f: &Field) -> FieldJson<'_> {
    FieldJson {
        name: &f.name,
        ty: f.ty.as_deref(),
        line: f.line,
        primary_key: f.primary_key,
        unique: f.unique,
        index: f.index,
        null: f.null,
        references: f.references.as_deref(),
        inherited_from: f.inherited_from.as_deref(),
    }
}

fn relation_json(r: &Relation) -> RelationJson<'_> {
    RelationJson {
        name: &r.name,
        kind: r.kind.as_str(),
        ty: &r.ty,
        target: r.target.as_deref(),
        resolved: r.model.is_some(),
        line: r.line,
        column: r.column.as_deref(),
        through: r.through.as_deref(),
        related_name: r.related_name.as_deref(),
        index: r.index,
        inherited_from: r.inherited_from.as_deref(),
    }
}

fn index_json(i: &Index) -> IndexJson<'_> {
    IndexJson {
        name: i.name.as_deref(),
        fields: &i.fields,
        unique: i.unique,
        line: i.line,
    }
}

fn model_json<'a>(analysis: &'a Analysis, l: &Listed<'a>) -> ModelJson<'a> {
    let m = l.model;
    ModelJson {
        name: &m.name,
        symbol: &m.symbol,
        orm: m.orm.as_str(),
        table: m.table.as_deref(),
        is_abstract: m.is_abstract,
        file: analysis.project.path(m.file),
        line: m.line,
        module: module_of(analysis, m),
        primary_key: &m.primary_key,
        parents: &m.parents,
        fields: m.fields.iter().map(field_json).collect(),
        relations: m.relations.iter().map(relation_json).collect(),
        indexes: m.indexes.iter().map(index_json).collect(),
        endpoints: l.endpoints.clone(),
    }
}

pub fn write_json(out: &mut dyn Write, analysis: &Analysis, listed: &[Listed]) -> io::Result<()> {
    let doc = ModelsJson {
        schema_version: SCHEMA_VERSION,
        tool: super::json::TOOL,
        command: "models",
        models: listed.iter().map(|l| model_json(analysis, l)).collect(),
        dynamic: analysis
            .models
            .dynamic
            .iter()
            .map(|d| DynamicJson {
                file: analysis.project.path(d.file),
                line: d.line,
                reason: &d.reason,
            })
            .collect(),
    };
    super::json::write_json(out, &doc)
}

/// A relation's kind as an arrow: `customer -> Customer (n:1)`.
fn cardinality(kind: RelationKind) -> &'static str {
    match kind {
        RelationKind::ManyToOne => "n:1",
        RelationKind::OneToOne => "1:1",
        RelationKind::OneToMany => "1:n",
        RelationKind::ManyToMany => "n:m",
    }
}

pub fn write_text(out: &mut dyn Write, analysis: &Analysis, listed: &[Listed]) -> io::Result<()> {
    if listed.is_empty() {
        writeln!(
            out,
            "no models found (Django, SQLAlchemy, Eloquent, Doctrine and Diesel declarations are read)"
        )?;
    }
    for l in listed {
        let m = l.model;
        let mut about = vec![m.orm.as_str().to_string()];
        if m.is_abstract {
            about.push("abstract".to_string());
        }
        if let Some(t) = &m.table {
            about.push(format!("table {t}"));
        }
        if !m.primary_key.is_empty() {
            about.push(format!("key {}", m.primary_key.join(", ")));
        }
        writeln!(
            out,
            "{}  ({})  {}:{}",
            m.symbol,
            about.join(", "),
            analysis.project.path(m.file),
            m.line
        )?;
        if !m.parents.is_empty() {
            writeln!(out, "  parents: {}", m.parents.join(", "))?;
        }
        for f in &m.fields {
            let mut flags = Vec::new();
            for (on, name) in [
                (f.primary_key, "primary"),
                (f.unique, "unique"),
                (f.index && !f.primary_key && !f.unique, "indexed"),
                (f.null, "null"),
            ] {
                if on {
                    flags.push(name.to_string());
                }
            }
            if let Some(r) = &f.references {
                flags.push(format!("references {r}"));
            }
            if let Some(from) = &f.inherited_from {
                flags.push(format!("from {from}"));
            }
            writeln!(
                out,
                "  {} {}{}",
                f.name,
                f.ty.as_deref().unwrap_or("?"),
                if flags.is_empty() {
                    String::new()
                } else {
                    format!(" [{}]", flags.join(", "))
                }
            )?;
        }
        for r in &m.relations {
            let mut notes = vec![r.ty.clone()];
            if let Some(c) = &r.column {
                notes.push(format!(
                    "column {c}{}",
                    if r.index { ", indexed" } else { "" }
                ));
            }
            if let Some(t) = &r.through {
                notes.push(format!("through {t}"));
            }
            if let Some(n) = &r.related_name {
                notes.push(format!("reverse {n}"));
            }
            if let Some(from) = &r.inherited_from {
                notes.push(format!("from {from}"));
            }
            writeln!(
                out,
                "  {} -> {} ({}{}) [{}]",
                r.name,
                r.target.as_deref().unwrap_or("?"),
                cardinality(r.kind),
                if r.model.is_some() || r.target.is_none() {
                    ""
                } else {
                    ", outside the models found"
                },
                notes.join(", ")
            )?;
        }
        for i in &m.indexes {
            writeln!(
                out,
                "  {}index {}({})",
                if i.unique { "unique " } else { "" },
                i.name
                    .as_deref()
                    .map(|n| format!("{n} "))
                    .unwrap_or_default(),
                i.fields.join(", ")
            )?;
        }
        if !l.endpoints.is_empty() {
            writeln!(out, "  endpoints reaching it ({}):", l.endpoints.len())?;
            for e in &l.endpoints {
                writeln!(out, "    {e}")?;
            }
        }
        writeln!(out)?;
    }
    let dynamic = &analysis.models.dynamic;
    if !dynamic.is_empty() {
        writeln!(out, "not read statically ({}):", dynamic.len())?;
        for d in dynamic {
            writeln!(
                out,
                "  {}:{} {}",
                analysis.project.path(d.file),
                d.line,
                d.reason
            )?;
        }
    }
    let relations: usize = listed.iter().map(|l| l.model.relations.len()).sum();
    let reached = listed.iter().filter(|l| !l.endpoints.is_empty()).count();
    let plural =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    writeln!(
        out,
        "{}, {}, {} reached by an endpoint, {} not read statically",
        plural(listed.len(), "model", "models"),
        plural(relations, "relation", "relations"),
        reached,
        dynamic.len()
    )
}

/// A Mermaid entity name: letters, digits, `_` and `-` only.
fn entity(m: &Model) -> String {
    let name = m.table.as_deref().unwrap_or(&m.name);
    let clean: String = name
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' || c == '-' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if clean.chars().next().is_some_and(|c| c.is_ascii_digit()) {
        format!("_{clean}")
    } else {
        clean
    }
}

/// A Mermaid attribute type: one word.
fn word(text: &str) -> String {
    let w: String = text
        .chars()
        .map(|c| {
            if c.is_alphanumeric() || c == '_' {
                c
            } else {
                '_'
            }
        })
        .collect();
    if w.is_empty() { "field".to_string() } else { w }
}

/// An entity-relation diagram: each concrete model with its columns
/// (keys marked), each relation between models found once.
pub fn write_mermaid(
    out: &mut dyn Write,
    analysis: &Analysis,
    listed: &[Listed],
) -> io::Result<()> {
    writeln!(out, "erDiagram")?;
    let all = &analysis.models.models;
    // Entities are named by table; two models on one table (a proxy, a
    // single-table child) are one entity.
    let mut names: Vec<String> = all.iter().map(entity).collect();
    let mut seen = BTreeSet::new();
    for (i, n) in names.iter_mut().enumerate() {
        if !seen.insert(n.clone()) && all[i].table.is_none() {
            *n = format!("{n}_{i}");
        }
    }
    let index_of = |m: &Model| all.iter().position(|x| std::ptr::eq(x, m));
    let mut written = BTreeSet::new();
    for l in listed.iter().filter(|l| !l.model.is_abstract) {
        let Some(i) = index_of(l.model) else { continue };
        if !written.insert(names[i].clone()) {
            continue;
        }
        writeln!(out, "  {} {{", names[i])?;
        for f in &l.model.fields {
            let mut keys = Vec::new();
            if f.primary_key {
                keys.push("PK");
            }
            if f.references.is_some() {
                keys.push("FK");
            }
            if f.unique && !f.primary_key {
                keys.push("UK");
            }
            let keys = if keys.is_empty() {
                String::new()
            } else {
                format!(" {}", keys.join(", "))
            };
            writeln!(
                out,
                "    {} {}{}",
                word(f.ty.as_deref().unwrap_or("field")),
                word(&f.name),
                keys
            )?;
        }
        for r in &l.model.relations {
            if let Some(c) = &r.column
                && !l.model.fields.iter().any(|f| f.name == *c)
            {
                // Mermaid reads a bare `fk` as the key mark: the type is
                // the relation's.
                writeln!(out, "    {} {} FK", word(&r.ty), word(c))?;
            }
        }
        writeln!(out, "  }}")?;
    }
    // Every foreign key (many-to-one) is drawn; a one-to-one,
    // many-to-many or one-to-many only when no relation between the two
    // models is drawn yet (it is the other side of one).
    let mut lines: Vec<(u8, String, String, &Relation)> = Vec::new();
    for l in listed.iter().filter(|l| !l.model.is_abstract) {
        let Some(i) = index_of(l.model) else { continue };
        for r in &l.model.relations {
            let Some(t) = r.model else { continue };
            if all[t].is_abstract {
                continue;
            }
            let rank = match r.kind {
                RelationKind::ManyToOne => 0,
                RelationKind::OneToOne => 1,
                RelationKind::ManyToMany => 2,
                RelationKind::OneToMany => 3,
            };
            lines.push((rank, names[i].clone(), names[t].clone(), r));
        }
    }
    lines.sort_by(|a, b| (a.0, &a.1, &a.2, &a.3.name).cmp(&(b.0, &b.1, &b.2, &b.3.name)));
    let mut drawn: BTreeSet<(String, String)> = BTreeSet::new();
    for (rank, a, b, r) in lines {
        let pair = if a <= b {
            (a.clone(), b.clone())
        } else {
            (b.clone(), a.clone())
        };
        if rank > 0 && drawn.contains(&pair) {
            continue;
        }
        drawn.insert(pair);
        let arrow = match r.kind {
            RelationKind::ManyToOne => "}o--||",
            RelationKind::OneToOne => "|o--||",
            RelationKind::OneToMany => "||--o{",
            RelationKind::ManyToMany => "}o--o{",
        };
        writeln!(out, "  {a} {arrow} {b} : \"{}\"", r.name.replace('"', "'"))?;
    }
    // A table inheriting another's (Django's multi-table inheritance,
    // SQLAlchemy's joined tables) is one to one with it.
    for l in listed.iter().filter(|l| !l.model.is_abstract) {
        let Some(i) = index_of(l.model) else { continue };
        for p in &l.model.parents {
            if let Some(t) = all.iter().position(|m| &m.symbol == p)
                && names[t] != names[i]
                && !all[t].is_abstract
            {
                writeln!(out, "  {} |o--|| {} : \"inherits\"", names[i], names[t])?;
            }
        }
    }
    Ok(())
}
