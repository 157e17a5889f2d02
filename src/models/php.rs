//! Laravel Eloquent models and Doctrine entities (PHP 8 attributes).

use std::collections::BTreeMap;

use super::{
    Field, Index, Model, Orm, Reader, Relation, RelationKind, Target, laravel_snake, plural, snake,
};
use crate::facts::{CallFact, Expr, FileFacts, SymbolFacts, argument, keyword};
use crate::lang::Language;
use crate::project::FileId;
use crate::symbols::{NodeKind, SymbolId};

/// What a class of the repository is, as models see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Kind {
    /// `#[ORM\Entity]`.
    Entity,
    /// `#[ORM\MappedSuperclass]`: columns for its subclasses.
    Superclass,
}

/// What a PHP class's own bases and attributes say of it.
struct Marks {
    /// Its own base outside the repository is Eloquent's.
    eloquent_base: bool,
    /// That base is a pivot (the table name stays singular).
    pivot: bool,
    /// Its own Doctrine attribute.
    mapping: Option<Kind>,
}

type Class = super::Class<Marks>;

pub(super) fn read(r: &mut Reader) {
    let classes = super::classes(
        r,
        Language::Php,
        |file, d, def| {
            let s = r.symbols(file)?;
            let mapping = attributes(s, d).find_map(|(name, _, _)| match name {
                "Entity" => Some(Kind::Entity),
                "MappedSuperclass" => Some(Kind::Superclass),
                _ => None,
            });
            let eloquent_base = def.bases.iter().any(|b| {
                let inside = r
                    .lookup
                    .follow(file, def.parent, b, def.start_line)
                    .0
                    .is_some_and(
                        |m| matches!(r.graph.nodes[m].kind, NodeKind::Def(k) if k.is_type()),
                    );
                !inside && is_eloquent(&r.facts[file], b)
            });
            let pivot = def.bases.iter().any(|b| {
                origin(&r.facts[file], b).ends_with("\\Pivot")
                    || origin(&r.facts[file], b).ends_with("\\MorphPivot")
            });
            (mapping.is_some() || eloquent_base || !def.bases.is_empty()).then_some(Marks {
                eloquent_base,
                pivot,
                mapping,
            })
        },
        |m| m.eloquent_base || m.mapping.is_some(),
    );
    for c in classes.values() {
        let eloquent = c
            .mro
            .iter()
            .any(|k| classes.get(k).is_some_and(|k| k.mark.eloquent_base));
        // A class mapped by Doctrine attributes is Doctrine's, whatever it
        // implements (laravel-doctrine's entities).
        if eloquent && c.mark.mapping.is_none() {
            let model = eloquent_model(r, &classes, c);
            r.models.push(model);
        } else if c.mark.mapping.is_some() {
            let model = doctrine(r, &classes, c);
            r.models.push(model);
        }
    }
}

/// Whether a base written in a file is one of Eloquent's model classes,
/// through the file's `use` statements.
fn is_eloquent(facts: &FileFacts, written: &str) -> bool {
    matches!(
        origin(facts, written).as_str(),
        "Illuminate\\Database\\Eloquent\\Model"
            | "Illuminate\\Foundation\\Auth\\User"
            | "Illuminate\\Database\\Eloquent\\Relations\\Pivot"
            | "Illuminate\\Database\\Eloquent\\Relations\\MorphPivot"
    )
}

/// A written class name qualified through the file's `use` statements
/// (`Model` after `use Illuminate\Database\Eloquent\Model;`).
fn origin(facts: &FileFacts, written: &str) -> String {
    let written = written.trim_start_matches('\\');
    let (first, rest) = written.split_once('\\').unwrap_or((written, ""));
    let join = |base: &str| {
        if rest.is_empty() {
            base.to_string()
        } else {
            format!("{base}\\{rest}")
        }
    };
    for import in facts.imports.iter().filter(|i| !i.reference) {
        let spec = import.specifier.trim_start_matches('\\');
        if let Some((name, _)) = import.aliases.iter().find(|(_, alias)| alias == first) {
            let name = name.trim_start_matches('\\');
            return join(if name.contains('\\') { name } else { spec });
        }
        if spec.rsplit('\\').next() == Some(first) {
            return join(spec);
        }
    }
    written.to_string()
}

/// The attributes written on a definition: (name's last segment, its
/// arguments, line).
fn attributes(
    s: &SymbolFacts,
    def: u32,
) -> impl Iterator<Item = (&str, &[crate::facts::Arg], u32)> {
    s.calls
        .iter()
        .filter(move |c| c.decorator && c.scope == Some(def))
        .filter_map(|c| {
            let (_, name, args, line) = c.value.as_call()?;
            Some((name.rsplit('\\').next().unwrap_or(name), args, line))
        })
}

/// A property's default value and type, as written.
fn property<'s>(s: &'s SymbolFacts, class: u32, name: &str) -> Option<&'s CallFact> {
    let def = member(s, class, name, false)?;
    s.calls
        .iter()
        .find(|c| !c.decorator && c.scope == Some(def) && c.target.as_deref() == Some(name))
}

/// A member of a class: a method (`callable`) or a property.
fn member(s: &SymbolFacts, class: u32, name: &str, callable: bool) -> Option<u32> {
    s.defs
        .iter()
        .position(|d| d.parent == Some(class) && d.name == name && d.kind.is_callable() == callable)
        .map(|i| i as u32)
}

fn is_abstract(s: &SymbolFacts, def: u32) -> bool {
    s.defs[def as usize]
        .decorators
        .iter()
        .any(|d| d == "abstract")
}

/// A class named in PHP (`Customer::class`): the definition it resolves
/// to, else its name.
fn class_target(r: &Reader, file: FileId, scope: Option<u32>, written: &str, line: u32) -> Target {
    match r.lookup.follow(file, scope, written, line) {
        (Some(m), _) if matches!(r.graph.nodes[m].kind, NodeKind::Def(k) if k.is_type()) => {
            Target::Node(m)
        }
        _ => Target::Name {
            name: written.rsplit('\\').next().unwrap_or(written).to_string(),
            app: None,
        },
    }
}

fn text(e: &Expr) -> String {
    match e {
        Expr::Str(s) => s.clone(),
        other => other.text(),
    }
}

fn is_true(e: Option<&Expr>) -> bool {
    matches!(e, Some(Expr::Other(v)) if v.eq_ignore_ascii_case("true"))
}

fn eloquent_model(r: &mut Reader, classes: &BTreeMap<SymbolId, Class>, c: &Class) -> Model {
    let s = r.symbols(c.file).expect("classes have symbol facts");
    let def = &s.defs[c.def as usize];
    let abstract_model = is_abstract(s, c.def);
    // Itself first, then its bases of the repository: a property or a
    // relation method is the first one found.
    let chain: Vec<&Class> = c.mro.iter().filter_map(|k| classes.get(k)).collect();
    let find_property = |name: &str| {
        chain.iter().find_map(|k| {
            let ks = r.symbols(k.file)?;
            property(ks, k.def, name).map(|p| (*k, p))
        })
    };
    let from = |k: &Class| (k.node != c.node).then(|| r.symbol(k.node));
    let table = if abstract_model {
        None
    } else {
        Some(
            find_property("table")
                .and_then(|(_, p)| p.value.as_str())
                .map_or_else(|| eloquent_table(&def.name, c.mark.pivot), str::to_string),
        )
    };
    let primary_key = vec![
        find_property("primaryKey")
            .and_then(|(_, p)| p.value.as_str())
            .unwrap_or("id")
            .to_string(),
    ];
    let mut fields: Vec<Field> = Vec::new();
    let field = |name: String, ty: Option<String>, line: u32, from: Option<String>| Field {
        name,
        ty,
        line,
        primary_key: false,
        unique: false,
        index: false,
        null: false,
        references: None,
        inherited_from: from,
    };
    if let Some((k, fillable)) = find_property("fillable")
        && let Expr::List(items) = &fillable.value
    {
        for item in items.iter().filter_map(Expr::as_str) {
            fields.push(field(item.to_string(), None, fillable.line, from(k)));
        }
    }
    // `$casts`, or Laravel 11's `casts()` returning the same array.
    let casts = find_property("casts").or_else(|| {
        chain.iter().find_map(|k| {
            let ks = r.symbols(k.file)?;
            let m = member(ks, k.def, "casts", true)?;
            ks.calls
                .iter()
                .find(|c| c.scope == Some(m) && matches!(c.value, Expr::Map(_)))
                .map(|c| (*k, c))
        })
    });
    if let Some((holder, casts)) = casts
        && let Expr::Map(pairs) = &casts.value
    {
        for (key, v) in pairs {
            let Some(name) = key.as_str() else { continue };
            let ty = Some(text(v));
            match fields.iter_mut().find(|f| f.name == name) {
                Some(f) => f.ty = ty,
                None => fields.push(field(name.to_string(), ty, casts.line, from(holder))),
            }
        }
    }
    let mut relations: Vec<Relation> = Vec::new();
    // Base-most first, as inherited entries are listed; a method a
    // subclass declares again replaces its base's.
    for k in chain.iter().rev() {
        let ks = r.symbols(k.file).expect("classes have symbol facts");
        let inherited = (k.node != c.node).then(|| r.symbol(k.node));
        for (m, method) in ks.defs.iter().enumerate() {
            if method.parent != Some(k.def) || !method.kind.is_callable() {
                continue;
            }
            let Some((kind_name, args, line)) = ks
                .calls
                .iter()
                .filter(|c| c.scope == Some(m as u32) && !c.decorator && c.target.is_none())
                .find_map(|c| on_this(&c.value))
            else {
                continue;
            };
            let kind = match kind_name {
                "belongsTo" | "morphTo" => RelationKind::ManyToOne,
                "hasOne" | "hasOneThrough" | "morphOne" => RelationKind::OneToOne,
                "hasMany" | "hasManyThrough" | "morphMany" => RelationKind::OneToMany,
                "belongsToMany" | "morphToMany" | "morphedByMany" => RelationKind::ManyToMany,
                _ => continue,
            };
            let scope = ks.defs[k.def as usize].parent;
            let (aim, written) = match argument(args, 0, "related") {
                // `self::class`: the class writing it; `static::class`:
                // the model asking.
                Some(Expr::Path(p)) if p == "self" => {
                    (Target::Node(k.node), Some(r.symbol(k.node)))
                }
                Some(Expr::Path(p)) if p == "static" => {
                    (Target::Node(c.node), Some(r.symbol(c.node)))
                }
                Some(Expr::Path(p)) if kind_name != "morphTo" => {
                    (class_target(r, k.file, scope, p, line), Some(p.clone()))
                }
                Some(Expr::Str(p)) if kind_name != "morphTo" => {
                    (class_target(r, k.file, scope, p, line), Some(p.clone()))
                }
                _ => (Target::Unknown, None),
            };
            let column = match kind_name {
                "belongsTo" => Some(
                    argument(args, 1, "foreignKey")
                        .map_or_else(|| format!("{}_id", laravel_snake(&method.name)), text),
                ),
                _ => None,
            };
            let through = match kind_name {
                "belongsToMany" => argument(args, 1, "table").map(text),
                "hasManyThrough" | "hasOneThrough" => {
                    argument(args, 1, "through").map(|t| match t {
                        Expr::Path(p) => match class_target(r, k.file, scope, p, line) {
                            Target::Node(n) => r.symbol(n),
                            _ => p.clone(),
                        },
                        other => text(other),
                    })
                }
                _ => None,
            };
            relations.retain(|rel| rel.name != method.name);
            relations.push(Relation {
                name: method.name.clone(),
                kind,
                ty: kind_name.to_string(),
                target: written,
                model: None,
                line: method.name_line,
                column,
                through,
                related_name: None,
                index: false,
                inherited_from: inherited.clone(),
                aim,
                guessed: false,
                key: Default::default(),
            });
        }
    }
    Model {
        name: def.name.clone(),
        symbol: r.symbol(c.node),
        node: Some(c.node),
        orm: Orm::Eloquent,
        table,
        is_abstract: abstract_model,
        file: c.file,
        line: def.name_line,
        primary_key,
        parents: Vec::new(),
        fields,
        relations,
        indexes: Vec::new(),
        app: None,
    }
}

/// The relation call a method returns: `$this->hasMany(X::class)`,
/// through the calls chained on it (`->withTimestamps()`).
fn on_this(value: &Expr) -> Option<(&str, &[crate::facts::Arg], u32)> {
    let mut current = value;
    for _ in 0..crate::routes::MAX_DEPTH {
        let (receiver, name, args, line) = current.as_call()?;
        match receiver {
            Some(Expr::Path(p)) if p == "$this" => return Some((name, args, line)),
            Some(inner) => current = inner,
            None => return None,
        }
    }
    None
}

/// Laravel's table for a model: the class in snake case, its last word
/// in the plural (`OrderItem`: `order_items`); a pivot model's stays
/// singular (`RoleUser`: `role_user`).
fn eloquent_table(class: &str, pivot: bool) -> String {
    let s = laravel_snake(class);
    if pivot {
        return s;
    }
    match s.rsplit_once('_') {
        Some((head, last)) => format!("{head}_{}", plural(last)),
        None => plural(&s),
    }
}

fn doctrine(r: &mut Reader, classes: &BTreeMap<SymbolId, Class>, c: &Class) -> Model {
    let s = r.symbols(c.file).expect("classes have symbol facts");
    let def = &s.defs[c.def as usize];
    let superclass = c.mark.mapping == Some(Kind::Superclass);
    // Mapped superclasses give columns (base-most first); entities above
    // it are its parents.
    let mut sources: Vec<&Class> = Vec::new();
    let mut parents = Vec::new();
    for k in c.mro.iter().skip(1).filter_map(|k| classes.get(k)) {
        match k.mark.mapping {
            Some(Kind::Superclass) => sources.push(k),
            Some(Kind::Entity) => parents.push(r.symbol(k.node)),
            _ => {}
        }
    }
    sources.reverse();
    sources.push(c);
    let mut table = None;
    let mut indexes = Vec::new();
    for (name, args, line) in attributes(s, c.def) {
        let columns = |args: &[crate::facts::Arg]| match keyword(args, "columns")
            .or_else(|| keyword(args, "fields"))
        {
            Some(Expr::List(items)) => items
                .iter()
                .filter_map(Expr::as_str)
                .map(str::to_string)
                .collect(),
            _ => Vec::new(),
        };
        match name {
            "Table" => {
                table = argument(args, 0, "name")
                    .and_then(Expr::as_str)
                    .map(str::to_string)
            }
            "Index" | "UniqueConstraint" => indexes.push(Index {
                name: keyword(args, "name")
                    .and_then(Expr::as_str)
                    .map(str::to_string),
                fields: columns(args),
                unique: name == "UniqueConstraint",
                line,
            }),
            _ => {}
        }
    }
    let mut fields = Vec::new();
    let mut relations = Vec::new();
    let mut primary_key = Vec::new();
    for k in &sources {
        let ks = r.symbols(k.file).expect("classes have symbol facts");
        let inherited = (k.node != c.node).then(|| r.symbol(k.node));
        let scope = ks.defs[k.def as usize].parent;
        for (p, prop) in ks.defs.iter().enumerate() {
            if prop.parent != Some(k.def) || prop.kind.is_callable() {
                continue;
            }
            let p = p as u32;
            let attrs: Vec<(&str, &[crate::facts::Arg], u32)> = attributes(ks, p).collect();
            if attrs.is_empty() {
                continue;
            }
            let declared = property(ks, k.def, &prop.name)
                .and_then(|d| d.annotation.as_deref())
                .map(|t| t.trim_start_matches('?').to_string());
            // The line of the property's name, below its attributes.
            let at = prop.name_line;
            let find = |name: &str| attrs.iter().find(|(n, ..)| *n == name);
            if find("Id").is_some() {
                primary_key.push(prop.name.clone());
            }
            let relation = ["ManyToOne", "OneToOne", "OneToMany", "ManyToMany"]
                .iter()
                .find_map(|kind| find(kind));
            if let Some(&(kind_name, args, line)) = relation {
                let kind = match kind_name {
                    "ManyToOne" => RelationKind::ManyToOne,
                    "OneToOne" => RelationKind::OneToOne,
                    "OneToMany" => RelationKind::OneToMany,
                    _ => RelationKind::ManyToMany,
                };
                let written = match keyword(args, "targetEntity")
                    .or_else(|| argument(args, 0, "targetEntity"))
                {
                    Some(Expr::Path(t)) | Some(Expr::Str(t)) => Some(t.clone()),
                    _ if matches!(kind, RelationKind::ManyToOne | RelationKind::OneToOne) => {
                        declared.clone()
                    }
                    _ => None,
                };
                let aim = match &written {
                    Some(w) => class_target(r, k.file, scope, w, line),
                    None => Target::Unknown,
                };
                let mapped_by = keyword(args, "mappedBy").and_then(Expr::as_str);
                let owning = matches!(kind, RelationKind::ManyToOne | RelationKind::OneToOne)
                    && mapped_by.is_none();
                let column = owning.then(|| {
                    find("JoinColumn")
                        .and_then(|(_, a, _)| keyword(a, "name"))
                        .and_then(Expr::as_str)
                        .map_or_else(|| format!("{}_id", snake(&prop.name)), str::to_string)
                });
                relations.push(Relation {
                    name: prop.name.clone(),
                    kind,
                    ty: kind_name.to_string(),
                    target: written,
                    model: None,
                    line: at,
                    column,
                    through: find("JoinTable")
                        .and_then(|(_, a, _)| keyword(a, "name"))
                        .and_then(Expr::as_str)
                        .map(str::to_string),
                    related_name: keyword(args, "inversedBy")
                        .and_then(Expr::as_str)
                        .or(mapped_by)
                        .map(str::to_string),
                    // Doctrine's schema tool indexes every join column.
                    index: owning,
                    inherited_from: inherited.clone(),
                    aim,
                    guessed: false,
                    key: Default::default(),
                });
                continue;
            }
            let Some(&(_, args, _)) = find("Column") else {
                continue;
            };
            let primary = find("Id").is_some();
            let unique = is_true(keyword(args, "unique"));
            fields.push(Field {
                name: prop.name.clone(),
                ty: keyword(args, "type").map(text).or_else(|| declared.clone()),
                line: at,
                primary_key: primary,
                unique,
                index: primary || unique,
                null: is_true(keyword(args, "nullable")),
                references: None,
                inherited_from: inherited.clone(),
            });
        }
    }
    Model {
        name: def.name.clone(),
        symbol: r.symbol(c.node),
        node: Some(c.node),
        orm: Orm::Doctrine,
        table: if superclass { None } else { table },
        is_abstract: superclass,
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
