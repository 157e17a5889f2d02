//! GitHub Actions workflow commands: each failing violation as an
//! `::error` annotation on its file and lines (shown on the pull request's
//! diff), then a summary line.

use std::io::{self, Write};

use super::CheckView;

/// Escapes a workflow command's message (GitHub's `escapeData`).
fn data(text: &str) -> String {
    text.replace('%', "%25")
        .replace('\r', "%0D")
        .replace('\n', "%0A")
}

/// Escapes a workflow command's property (GitHub's `escapeProperty`).
fn property(text: &str) -> String {
    data(text).replace(':', "%3A").replace(',', "%2C")
}

pub fn write_check(out: &mut dyn Write, view: &CheckView) -> io::Result<()> {
    let mut failing = 0;
    for (finding, _) in view.failing() {
        failing += 1;
        let mut properties = Vec::new();
        if let Some(place) = &finding.location {
            properties.push(format!("file={}", property(&place.path)));
            properties.push(format!("line={}", place.start_line));
            properties.push(format!("endLine={}", place.end_line));
        }
        properties.push(format!(
            "title={}",
            property(&format!("vantage {}", finding.rule.id()))
        ));
        writeln!(
            out,
            "::error {}::{}",
            properties.join(","),
            data(&format!(
                "{} (see `{}`)",
                finding.message,
                finding.rule.more()
            ))
        )?;
    }
    let known = view.statuses.len() - view.failing().count();
    if failing == 0 {
        writeln!(
            out,
            "vantage check: passed ({} rules, {known} known violations)",
            view.measured.len()
        )
    } else {
        writeln!(
            out,
            "vantage check: {failing} violation(s) fail the check ({known} known)"
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn commands_cannot_be_broken_out_of() {
        assert_eq!(data("a%b\nc::d"), "a%25b%0Ac::d");
        assert_eq!(property("a,b:c\n"), "a%2Cb%3Ac%0A");
    }
}
