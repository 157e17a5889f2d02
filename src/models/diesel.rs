//! Diesel's `table!` schemas and the `joinable!` relations between them.

use super::{Field, Model, Orm, Reader, Relation, RelationKind, Target};
use crate::facts::Expr;
use crate::lang::Language;

/// A token with its line.
type Token = (u32, String);

pub(super) fn read(r: &mut Reader) {
    let mut found: Vec<Model> = Vec::new();
    let mut joins: Vec<(usize, Token, Token, Token)> = Vec::new();
    for file in 0..r.facts.len() {
        if r.project.files()[file].language != Language::Rust
            || crate::analysis::impact::is_test_file(r.project.path(file))
        {
            continue;
        }
        let Some(s) = r.symbols(file) else { continue };
        let module = r
            .graph
            .module_of
            .get(file)
            .copied()
            .flatten()
            .map(|m| r.graph.nodes[m].name.clone())
            .unwrap_or_else(|| "crate".to_string());
        for call in &s.calls {
            let Some((None, name, args, line)) = call.value.as_call() else {
                continue;
            };
            // Inside an inline module (`pub mod audit { table! {...} }`),
            // the table's module is below it.
            let module = call
                .scope
                .and_then(|d| r.graph.node(file, d))
                .map_or_else(|| module.clone(), |n| r.graph.nodes[n].name.clone());
            let Some(Expr::Tokens(tokens)) = args.first().map(|a| &a.value) else {
                continue;
            };
            // Without its outer brackets.
            let inner = tokens.get(1..tokens.len().saturating_sub(1)).unwrap_or(&[]);
            // A bare `table!` may be another crate's macro
            // (`prettytable`): only `diesel::table!` that does not read
            // is listed as dynamic.
            let diesel = name.starts_with("diesel::");
            match name.rsplit("::").next().unwrap_or(name) {
                "table" => match tables(inner) {
                    Some(tables) => {
                        for t in tables {
                            found.push(Model {
                                symbol: format!("{module}::{}", t.name.1),
                                name: t.name.1,
                                node: None,
                                orm: Orm::Diesel,
                                table: Some(t.sql_name),
                                is_abstract: false,
                                file,
                                line: t.name.0,
                                primary_key: t.primary_key,
                                parents: Vec::new(),
                                fields: t.columns,
                                relations: Vec::new(),
                                indexes: Vec::new(),
                                app: None,
                            });
                        }
                    }
                    None if diesel => r.dynamic(
                        file,
                        line,
                        "a `table!` whose tokens are not a table declaration".to_string(),
                    ),
                    None => {}
                },
                "joinable" => match joinable(inner) {
                    Some((child, parent, column)) => joins.push((file, child, parent, column)),
                    None if diesel => r.dynamic(
                        file,
                        line,
                        "a `joinable!` that is not `child -> parent (column)`".to_string(),
                    ),
                    None => {}
                },
                _ => {}
            }
        }
    }
    for (file, child, parent, column) in joins {
        // The child table declared in the same schema file, else anywhere.
        let at = found
            .iter()
            .position(|m| m.file == file && m.name == child.1)
            .or_else(|| found.iter().position(|m| m.name == child.1));
        let Some(at) = at else {
            r.dynamic(
                file,
                child.0,
                format!(
                    "`joinable!` names table `{}`, declared by no `table!`",
                    child.1
                ),
            );
            continue;
        };
        let model = &mut found[at];
        // As its column is: a key column is indexed.
        let index = model.fields.iter().any(|f| f.name == column.1 && f.index);
        model.relations.push(Relation {
            name: parent.1.clone(),
            kind: RelationKind::ManyToOne,
            ty: "joinable".to_string(),
            target: Some(parent.1.clone()),
            model: None,
            line: child.0,
            column: Some(column.1),
            through: None,
            related_name: None,
            index,
            inherited_from: None,
            aim: Target::Name {
                name: parent.1,
                app: None,
            },
            guessed: false,
            key: Default::default(),
        });
    }
    r.models.extend(found);
}

struct Table {
    name: Token,
    sql_name: String,
    primary_key: Vec<String>,
    columns: Vec<Field>,
}

/// Skips `#[...]` attributes from `i`; the `sql_name` one's value.
fn attributes(tokens: &[Token], i: &mut usize) -> Option<String> {
    let mut sql_name = None;
    while tokens.get(*i).is_some_and(|t| t.1 == "#")
        && tokens.get(*i + 1).is_some_and(|t| t.1 == "[")
    {
        let start = *i + 2;
        let mut depth = 1;
        let mut j = start;
        while j < tokens.len() && depth > 0 {
            match tokens[j].1.as_str() {
                "[" => depth += 1,
                "]" => depth -= 1,
                _ => {}
            }
            j += 1;
        }
        let body = &tokens[start..j.saturating_sub(1).max(start)];
        if body.first().is_some_and(|t| t.1 == "sql_name")
            && let Some(v) = body.iter().find(|t| t.1.starts_with('"'))
        {
            sql_name = Some(v.1.trim_matches('"').to_string());
        }
        *i = j;
    }
    sql_name
}

fn is_ident(t: &str) -> bool {
    t.chars()
        .next()
        .is_some_and(|c| c.is_alphabetic() || c == '_')
        && t.chars().all(|c| c.is_alphanumeric() || c == '_')
}

/// The tables of a `table!` body.
fn tables(tokens: &[Token]) -> Option<Vec<Table>> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < tokens.len() {
        let sql_name = attributes(tokens, &mut i);
        // `use diesel::sql_types::*;` lines before the table.
        if tokens.get(i).is_some_and(|t| t.1 == "use") {
            while i < tokens.len() && tokens[i].1 != ";" {
                i += 1;
            }
            i += 1;
            continue;
        }
        if i >= tokens.len() {
            break;
        }
        let mut name = tokens.get(i).filter(|t| is_ident(&t.1))?.clone();
        let mut schema = None;
        i += 1;
        // `schema.table`: the module is the table's name.
        if tokens.get(i).is_some_and(|t| t.1 == ".") {
            schema = Some(name.1.clone());
            name = tokens.get(i + 1).filter(|t| is_ident(&t.1))?.clone();
            i += 2;
        }
        let mut primary_key = Vec::new();
        if tokens.get(i).is_some_and(|t| t.1 == "(") {
            i += 1;
            while i < tokens.len() && tokens[i].1 != ")" {
                if is_ident(&tokens[i].1) {
                    primary_key.push(tokens[i].1.clone());
                }
                i += 1;
            }
            i += 1;
        }
        if primary_key.is_empty() {
            primary_key.push("id".to_string());
        }
        if tokens.get(i).map(|t| t.1.as_str()) != Some("{") {
            return None;
        }
        i += 1;
        let mut columns = Vec::new();
        while i < tokens.len() && tokens[i].1 != "}" {
            attributes(tokens, &mut i);
            let column = tokens.get(i).filter(|t| is_ident(&t.1))?.clone();
            i += 1;
            match tokens.get(i).map(|t| t.1.as_str()) {
                Some("->") => i += 1,
                Some("-") if tokens.get(i + 1).is_some_and(|t| t.1 == ">") => i += 2,
                _ => return None,
            }
            let mut ty = String::new();
            let mut depth: i32 = 0;
            while let Some(t) = tokens.get(i) {
                if depth == 0 && (t.1 == "," || t.1 == "}") {
                    break;
                }
                depth += t.1.matches(['<', '(']).count() as i32;
                depth -= t.1.matches(['>', ')']).count() as i32;
                ty.push_str(&t.1);
                i += 1;
            }
            if tokens.get(i).is_some_and(|t| t.1 == ",") {
                i += 1;
            }
            let primary = primary_key.contains(&column.1);
            columns.push(Field {
                // `Nullable<Text>`, `sql_types::Nullable<Text>`.
                null: ty.starts_with("Nullable<") || ty.contains("::Nullable<"),
                name: column.1,
                ty: Some(ty),
                line: column.0,
                primary_key: primary,
                unique: false,
                index: primary,
                references: None,
                inherited_from: None,
            });
        }
        i += 1;
        let sql_name = sql_name.unwrap_or_else(|| name.1.clone());
        out.push(Table {
            sql_name: match schema {
                Some(schema) => format!("{schema}.{sql_name}"),
                None => sql_name,
            },
            name,
            primary_key,
            columns,
        });
    }
    (!out.is_empty()).then_some(out)
}

/// `child -> parent (column)`.
fn joinable(tokens: &[Token]) -> Option<(Token, Token, Token)> {
    let texts: Vec<&str> = tokens.iter().map(|t| t.1.as_str()).collect();
    let (arrow, after) = match texts.get(1..3)? {
        ["->", _] => (1, 2),
        ["-", ">"] => (1, 3),
        _ => return None,
    };
    let _ = arrow;
    let child = tokens.first().filter(|t| is_ident(&t.1))?.clone();
    let parent = tokens.get(after).filter(|t| is_ident(&t.1))?.clone();
    if tokens.get(after + 1)?.1 != "(" {
        return None;
    }
    let column = tokens.get(after + 2).filter(|t| is_ident(&t.1))?.clone();
    Some((child, parent, column))
}
