//! ORM models and their relations, read from the classes and macros that
//! declare them: Django models, SQLAlchemy declarative classes, Laravel
//! Eloquent models, Doctrine entities and Diesel `table!` schemas.
//!
//! ## What it finds
//! Every model: its table (when written, or fixed by the ORM's
//! convention), primary key, concrete parents, columns (type as written,
//! primary key, unique, indexed, nullable), relations (many-to-one,
//! one-to-one, one-to-many, many-to-many, with the target model as the
//! symbol graph names it, the column, the join table and the reverse
//! name) and the indexes it declares. Columns and relations an abstract
//! base (a Django abstract model, a SQLAlchemy mixin, a Doctrine mapped
//! superclass, an abstract Eloquent model) gives are listed on each model
//! that inherits them, with where they come from.
//!
//! ## Why it matters
//! "Load all models" and "which endpoints touch the User model" are how a
//! coordinator plans a change to the data; the audits (missing indexes,
//! N+1 queries) read the columns and indexes found here.
//!
//! ## Example
//! `shop/models.py`: `class Order(models.Model)` with
//! `customer = models.ForeignKey(Customer, on_delete=models.CASCADE)`:
//! model `shop.models.Order`, table `shop_order`, a many-to-one relation
//! `customer` to `shop.models.Customer` on the indexed column
//! `customer_id`.
//!
//! ## Limits
//! Models are recognised by their bases (Django's `Model`, its
//! `contrib` and GeoDjango subclasses, or a base of another package when
//! the class declares Django fields; a SQLAlchemy declarative base or
//! Flask-SQLAlchemy's `db.Model`; Eloquent's `Model`, `User` and
//! `Pivot`) or attributes (Doctrine's `#[ORM\Entity]`); annotations in
//! docblocks (`@ORM\Entity`) are not read. Columns added at run time
//! (`add_to_class`, a loop of `setattr`) are not seen. Django's app label
//! is the installed application's label (from `INSTALLED_APPS` and the
//! `AppConfig` it names or `apps.py` holds). Eloquent
//! columns are those `$fillable` and `$casts` name: the rest live in
//! migrations. SQLAlchemy column types are as written; a type given only
//! by `type_annotation_map` is not resolved.

mod diesel;
mod php;
mod python;

use std::collections::{BTreeMap, BTreeSet};

use serde::Serialize;

use crate::facts::{FileFacts, SymbolFacts};
use crate::project::{FileId, ProjectFiles};
use crate::resolve::Resolvers;
use crate::symbols::{Lookup, SymbolGraph, SymbolId};

/// The ORM a model is declared with.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Orm {
    Django,
    Sqlalchemy,
    Eloquent,
    Doctrine,
    Diesel,
}

impl Orm {
    pub fn as_str(self) -> &'static str {
        match self {
            Orm::Django => "django",
            Orm::Sqlalchemy => "sqlalchemy",
            Orm::Eloquent => "eloquent",
            Orm::Doctrine => "doctrine",
            Orm::Diesel => "diesel",
        }
    }
}

/// How many rows of the other model one row relates to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RelationKind {
    ManyToOne,
    OneToOne,
    OneToMany,
    ManyToMany,
}

impl RelationKind {
    pub fn as_str(self) -> &'static str {
        match self {
            RelationKind::ManyToOne => "many_to_one",
            RelationKind::OneToOne => "one_to_one",
            RelationKind::OneToMany => "one_to_many",
            RelationKind::ManyToMany => "many_to_many",
        }
    }
}

/// A column that is not a relation.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Field {
    pub name: String,
    /// As written: `CharField`, `String`, `Nullable<Text>`.
    pub ty: Option<String>,
    pub line: u32,
    pub primary_key: bool,
    pub unique: bool,
    /// Indexed: asked for, or primary or unique.
    pub index: bool,
    pub null: bool,
    /// A foreign key written on the column (`ForeignKey("users.id")`).
    pub references: Option<String>,
    /// The abstract base it comes from.
    pub inherited_from: Option<String>,
}

/// What a relation names as its other side, before models are known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Target {
    /// A definition of the repository.
    Node(SymbolId),
    /// A class named so, of the same ORM (`relationship("User")`), in
    /// the app labelled so (Django's `"accounts.User"`) when given.
    Name { name: String, app: Option<String> },
    /// Nothing the repository holds.
    Unknown,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Relation {
    pub name: String,
    pub kind: RelationKind,
    /// The call or attribute as written, without its module.
    pub ty: String,
    /// The target model's symbol, else the target as written.
    pub target: Option<String>,
    /// The target is a model of the repository: its index in
    /// [`Models::models`].
    pub model: Option<usize>,
    pub line: u32,
    pub column: Option<String>,
    pub through: Option<String>,
    pub related_name: Option<String>,
    pub index: bool,
    pub inherited_from: Option<String>,
    pub(crate) aim: Target,
    /// The kind is a default a later pass may correct (a SQLAlchemy
    /// relationship without an annotation: one-to-many until its model
    /// is seen holding the foreign key).
    pub(crate) guessed: bool,
    /// Where the relation's foreign key is, when its declaration says
    /// (`foreign_keys=[state_id]`, `primaryjoin="A.b_id==B.id"`).
    pub(crate) key: KeySide,
}

/// Which side of a relation holds its foreign key.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub(crate) enum KeySide {
    #[default]
    Unknown,
    /// This model's column.
    Here(String),
    /// The target's.
    There,
}

/// An index a model declares over some of its columns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Index {
    pub name: Option<String>,
    pub fields: Vec<String>,
    pub unique: bool,
    pub line: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Model {
    pub name: String,
    pub symbol: String,
    /// Its class in the symbol graph (a Diesel table has none).
    pub node: Option<SymbolId>,
    pub orm: Orm,
    pub table: Option<String>,
    pub is_abstract: bool,
    pub file: FileId,
    pub line: u32,
    pub primary_key: Vec<String>,
    pub parents: Vec<String>,
    pub fields: Vec<Field>,
    pub relations: Vec<Relation>,
    pub indexes: Vec<Index>,
    /// Django: the app label, for `"app.Model"` references.
    pub(crate) app: Option<String>,
}

/// A declaration that cannot be read statically.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Dynamic {
    pub file: FileId,
    pub line: u32,
    pub reason: String,
}

/// Every model of a repository.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Models {
    /// Sorted by file and line.
    pub models: Vec<Model>,
    /// Sorted by file and line.
    pub dynamic: Vec<Dynamic>,
}

impl Models {
    pub fn is_empty(&self) -> bool {
        self.models.is_empty() && self.dynamic.is_empty()
    }

    /// The model a class of the symbol graph is, if any.
    pub fn of_node(&self, node: SymbolId) -> Option<usize> {
        self.models.iter().position(|m| m.node == Some(node))
    }
}

/// What every ORM's reader shares.
pub(crate) struct Reader<'a> {
    pub project: &'a ProjectFiles,
    pub facts: &'a [FileFacts],
    pub graph: &'a SymbolGraph,
    pub lookup: Lookup<'a>,
    pub models: Vec<Model>,
    pub dynamic: Vec<Dynamic>,
}

impl<'a> Reader<'a> {
    pub fn symbols(&self, file: FileId) -> Option<&'a SymbolFacts> {
        self.facts.get(file)?.symbols.as_ref()
    }

    /// The symbol graph's name of a node.
    pub fn symbol(&self, node: SymbolId) -> String {
        self.graph.nodes[node].name.clone()
    }

    pub fn dynamic(&mut self, file: FileId, line: u32, reason: String) {
        self.dynamic.push(Dynamic { file, line, reason });
    }
}

/// A class of the repository as a model reader sees it: where it is,
/// its linearisation (itself first), and what the reader makes of its
/// own bases and attributes.
pub(crate) struct Class<M> {
    pub node: SymbolId,
    pub file: FileId,
    pub def: u32,
    pub mro: Vec<SymbolId>,
    pub mark: M,
}

/// The classes of one language's files `mark` says something of, with
/// their linearisations; none when `wanted` holds of no mark (the
/// repository declares no model of these ORMs).
pub(crate) fn classes<M>(
    r: &Reader,
    language: crate::lang::Language,
    mark: impl Fn(FileId, u32, &crate::facts::SymbolDef) -> Option<M>,
    wanted: impl Fn(&M) -> bool,
) -> BTreeMap<SymbolId, Class<M>> {
    let mut classes = BTreeMap::new();
    for file in 0..r.facts.len() {
        // Models a test declares for itself are no part of the schema.
        if r.project.files()[file].language != language
            || crate::analysis::impact::is_test_file(r.project.path(file))
        {
            continue;
        }
        let Some(s) = r.symbols(file) else { continue };
        for (d, def) in s.defs.iter().enumerate() {
            if def.kind != crate::facts::DefKind::Class {
                continue;
            }
            let (Some(node), Some(mark)) =
                (r.graph.node(file, d as u32), mark(file, d as u32, def))
            else {
                continue;
            };
            classes.insert(
                node,
                Class {
                    node,
                    file,
                    def: d as u32,
                    mro: Vec::new(),
                    mark,
                },
            );
        }
    }
    if !classes.values().any(|c| wanted(&c.mark)) {
        return BTreeMap::new();
    }
    for c in classes.values_mut() {
        c.mro = r.lookup.linearisation(c.node).0;
    }
    classes
}

/// Drops from `sources` the classes a parent's linearisation holds: an
/// abstract base or mixin of a concrete parent gave its columns to the
/// parent's table, not to the child's.
pub(crate) fn not_under_parents<M>(
    sources: &mut Vec<SymbolId>,
    parents: &[SymbolId],
    classes: &BTreeMap<SymbolId, Class<M>>,
) {
    sources.retain(|k| {
        !parents
            .iter()
            .any(|p| classes.get(p).is_some_and(|p| p.mro.contains(k)))
    });
}

/// Reads the models of every ORM found. Needs the symbol graph (models
/// are classes, their bases followed); without symbol facts there are
/// none.
pub fn find(
    project: &ProjectFiles,
    facts: &[FileFacts],
    graph: &SymbolGraph,
    resolvers: &Resolvers,
) -> Models {
    if graph.is_empty()
        || !facts
            .iter()
            .any(|f| f.symbols.as_ref().is_some_and(|s| !s.calls.is_empty()))
    {
        return Models::default();
    }
    let mut reader = Reader {
        project,
        facts,
        graph,
        lookup: Lookup::new(graph, project, facts, resolvers),
        models: Vec::new(),
        dynamic: Vec::new(),
    };
    python::read(&mut reader);
    php::read(&mut reader);
    diesel::read(&mut reader);
    let Reader {
        mut models,
        mut dynamic,
        ..
    } = reader;
    models.sort_by(|a, b| {
        (project.path(a.file), a.line, &a.symbol).cmp(&(project.path(b.file), b.line, &b.symbol))
    });
    models.dedup_by(|b, a| a.symbol == b.symbol && a.file == b.file && a.line == b.line);
    aim(&mut models);
    dynamic.sort_by(|a, b| {
        (project.path(a.file), a.line, &a.reason).cmp(&(project.path(b.file), b.line, &b.reason))
    });
    dynamic.dedup();
    Models { models, dynamic }
}

/// Names each relation's target: the model it resolves to, else the
/// target as written.
fn aim(models: &mut [Model]) {
    let by_node: BTreeMap<SymbolId, usize> = models
        .iter()
        .enumerate()
        .filter_map(|(i, m)| m.node.map(|n| (n, i)))
        .collect();
    let mut by_name: BTreeMap<(Orm, &str), Vec<usize>> = BTreeMap::new();
    for (i, m) in models.iter().enumerate() {
        by_name.entry((m.orm, m.name.as_str())).or_default().push(i);
    }
    let mut found: Vec<Vec<Option<usize>>> = Vec::with_capacity(models.len());
    for m in models.iter() {
        let mut row = Vec::with_capacity(m.relations.len());
        for r in &m.relations {
            let one = |hits: Option<&Vec<usize>>| match hits.map(Vec::as_slice) {
                Some([only]) => Some(*only),
                // Two classes of one name: the one beside this model.
                Some(many) => many.iter().copied().find(|&i| models[i].file == m.file),
                None => None,
            };
            let hit = match &r.aim {
                Target::Node(n) => by_node.get(n).copied(),
                Target::Name { name, app: None } => one(by_name.get(&(m.orm, name.as_str()))),
                Target::Name {
                    name,
                    app: Some(app),
                } => by_name.get(&(m.orm, name.as_str())).and_then(|hits| {
                    hits.iter()
                        .copied()
                        .find(|&i| models[i].app.as_deref() == Some(app.as_str()))
                }),
                Target::Unknown => None,
            };
            row.push(hit);
        }
        found.push(row);
    }
    let symbols: Vec<String> = models.iter().map(|m| m.symbol.clone()).collect();
    for (m, row) in models.iter_mut().zip(found) {
        for (r, hit) in m.relations.iter_mut().zip(row) {
            r.model = hit;
            if let Some(i) = hit {
                r.target = Some(symbols[i].clone());
            }
        }
    }
}

/// The models each endpoint's request flow reaches: a model class or one
/// of its methods among the definitions traced, a model named by a
/// definition traced (`Order.objects.filter(...)`, `Order(...)`), and
/// for a class-based view, the models its class attributes name
/// (`queryset = Order.objects.all()`) directly or through a class they
/// name (`serializer_class`, whose `Meta.model` is the model): the
/// framework runs those. As indexes into [`Models::models`], by route.
pub fn touched(analysis: &crate::pipeline::Analysis, depth: usize) -> Vec<BTreeSet<usize>> {
    let models = &analysis.models;
    let graph = &analysis.symbols;
    let mut out = Vec::with_capacity(analysis.routes.routes.len());
    if models.models.is_empty() {
        out.resize(analysis.routes.routes.len(), BTreeSet::new());
        return out;
    }
    let by_node: BTreeMap<SymbolId, usize> = models
        .models
        .iter()
        .enumerate()
        .filter_map(|(i, m)| m.node.map(|n| (n, i)))
        .collect();
    let def_of = |node: SymbolId| {
        let n = &graph.nodes[node];
        let &d = n.defs.first()?;
        Some((n.file, d, analysis.facts[n.file].symbols.as_ref()?))
    };
    // A node's model: itself, or the class it is a member of.
    let model_of = |mut node: SymbolId| -> Option<usize> {
        for _ in 0..crate::routes::MAX_DEPTH {
            if let Some(&m) = by_node.get(&node) {
                return Some(m);
            }
            let (file, d, s) = def_of(node)?;
            node = graph.node(file, s.defs[d as usize].parent?)?;
        }
        None
    };
    // A class's attributes and nested classes, and theirs (`Meta.model`).
    let members = |class: SymbolId| -> Vec<SymbolId> {
        let mut found = Vec::new();
        let mut level = vec![class];
        for _ in 0..2 {
            let mut next = Vec::new();
            for c in level {
                let Some((file, d, s)) = def_of(c) else {
                    continue;
                };
                for (i, m) in s.defs.iter().enumerate() {
                    if m.parent == Some(d)
                        && !m.kind.is_callable()
                        && let Some(n) = graph.node(file, i as u32)
                    {
                        next.push(n);
                    }
                }
            }
            found.extend(next.iter().copied());
            level = next;
        }
        found
    };
    let is_class = |node: SymbolId| matches!(graph.nodes[node].kind, crate::symbols::NodeKind::Def(k) if k.is_type());
    for route in &analysis.routes.routes {
        let starts = crate::cli::trace::starts_of(analysis, route);
        // The definitions the trace reaches (its effects are not needed).
        let steps = graph.walk(&starts, crate::symbols::Direction::Used, depth, |kind| {
            matches!(
                kind,
                crate::symbols::EdgeKind::Call | crate::symbols::EdgeKind::Instantiate
            )
        });
        let mut hit = BTreeSet::new();
        for node in starts.iter().copied().chain(steps.iter().map(|w| w.node)) {
            hit.extend(model_of(node));
            for (used, _) in graph.used(node) {
                hit.extend(model_of(used));
            }
        }
        if let Some(view) = route.handler.map(|h| h.view).filter(|&v| is_class(v)) {
            for attribute in members(view) {
                for (used, _) in graph.used(attribute) {
                    match model_of(used) {
                        Some(m) => {
                            hit.insert(m);
                        }
                        None if is_class(used) => {
                            for inner in members(used) {
                                for (named, _) in graph.used(inner) {
                                    hit.extend(model_of(named));
                                }
                            }
                        }
                        None => {}
                    }
                }
            }
        }
        out.push(hit);
    }
    out
}

/// `snake_case` of a class name: `OrderItem` is `order_item`.
pub(crate) fn snake(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    let chars: Vec<char> = name.chars().collect();
    for (i, &c) in chars.iter().enumerate() {
        if c.is_uppercase() {
            let after_lower =
                i > 0 && (chars[i - 1].is_lowercase() || chars[i - 1].is_ascii_digit());
            let before_lower = i > 0
                && chars[i - 1].is_uppercase()
                && chars.get(i + 1).is_some_and(|n| n.is_lowercase());
            if after_lower || before_lower {
                out.push('_');
            }
            out.extend(c.to_lowercase());
        } else {
            out.push(c);
        }
    }
    out
}

/// `snake_case` as Laravel's `Str::snake` makes it: an underscore before
/// every capital but the first (`APIKey` is `a_p_i_key`).
pub(crate) fn laravel_snake(name: &str) -> String {
    let mut out = String::with_capacity(name.len() + 4);
    for (i, c) in name.chars().enumerate() {
        if c.is_uppercase() && i > 0 {
            out.push('_');
        }
        out.extend(c.to_lowercase());
    }
    out
}

/// The English plural of a word, as Laravel's inflector makes the
/// common ones (`category`: `categories`, `address`: `addresses`).
pub(crate) fn plural(word: &str) -> String {
    const IRREGULAR: &[(&str, &str)] = &[
        ("person", "people"),
        ("man", "men"),
        ("woman", "women"),
        ("child", "children"),
        ("mouse", "mice"),
        ("goose", "geese"),
        ("tooth", "teeth"),
        ("foot", "feet"),
        ("ox", "oxen"),
    ];
    const UNCOUNTABLE: &[&str] = &[
        "data",
        "equipment",
        "information",
        "media",
        "metadata",
        "news",
        "series",
        "species",
        "feedback",
        "software",
        "staff",
    ];
    let lower = word.to_lowercase();
    if UNCOUNTABLE.contains(&lower.as_str()) || lower == "audio" {
        return word.to_string();
    }
    // Greek and Latin endings: `analysis`, `quiz`, `hero`.
    if let Some(stem) = lower.strip_suffix("is")
        && !stem.is_empty()
    {
        return format!("{}es", &word[..word.len() - 2]);
    }
    if lower.ends_with("quiz") {
        return format!("{word}zes");
    }
    if ["hero", "potato", "tomato", "echo", "veto"].contains(&lower.as_str()) {
        return format!("{word}es");
    }
    if let Some((_, many)) = IRREGULAR.iter().find(|(one, _)| *one == lower) {
        return many.to_string();
    }
    let consonant_y = lower.ends_with('y')
        && lower
            .chars()
            .rev()
            .nth(1)
            .is_some_and(|c| !"aeiou".contains(c));
    if consonant_y {
        return format!("{}ies", &word[..word.len() - 1]);
    }
    if ["s", "x", "z", "ch", "sh"]
        .iter()
        .any(|e| lower.ends_with(e))
    {
        return format!("{word}es");
    }
    format!("{word}s")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn laravel_table_names() {
        let table = |class: &str| {
            let s = laravel_snake(class);
            let (head, last) = s.rsplit_once('_').map_or(("", s.as_str()), |(h, l)| (h, l));
            let last = plural(last);
            if head.is_empty() {
                last
            } else {
                format!("{head}_{last}")
            }
        };
        assert_eq!(table("OrderItem"), "order_items");
        assert_eq!(table("Category"), "categories");
        assert_eq!(table("Address"), "addresses");
        assert_eq!(table("Person"), "people");
        assert_eq!(table("Day"), "days");
        // Laravel's `Str::snake` splits every capital.
        assert_eq!(table("HTTPLog"), "h_t_t_p_logs");
        assert_eq!(table("Analysis"), "analyses");
        assert_eq!(table("Quiz"), "quizzes");
        assert_eq!(table("Hero"), "heroes");
        assert_eq!(snake("HTTPLog"), "http_log");
    }
}
