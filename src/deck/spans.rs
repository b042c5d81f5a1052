//! Lines of deck values, for messages about values that parsed but are invalid: from the TOML
//! parser's spans, so that a key path such as `lead[1].frequency_ghz` names the line of the
//! second `[[lead]]`'s value and not the first's.

use toml::de::{DeTable, DeValue};
use toml::Spanned;

use crate::io::toml_lines::line_of;

/// Line of the value at `path` in the TOML `text`: keys separated by dots, each optionally
/// indexed into an array (`stage[0].lead[1].frequency_ghz`, `run.timestep`). Where the path
/// ends early (a key left out and defaulted) it is the line of the deepest value found: the
/// table the key belongs in. `None` when the text does not parse or not even the first key is
/// there.
pub fn line_of_key(text: &str, path: &str) -> Option<usize> {
    let doc = DeTable::parse(text).ok()?;
    let mut table: Option<&DeTable> = Some(doc.get_ref());
    let mut found: Option<usize> = None;
    for segment in path.split('.') {
        let (name, index) = match segment.split_once('[') {
            Some((name, rest)) => (name, rest.trim_end_matches(']').parse::<usize>().ok()),
            None => (segment, None),
        };
        let Some(mut value) = table.and_then(|t| entry(t, name)) else {
            break;
        };
        found = Some(value.span().start);
        if let Some(i) = index {
            match value.get_ref() {
                DeValue::Array(items) => match items.get(i) {
                    Some(item) => value = item,
                    None => break,
                },
                _ => break,
            }
            found = Some(value.span().start);
        }
        table = match value.get_ref() {
            DeValue::Table(t) => Some(t),
            _ => None,
        };
    }
    found.map(|offset| line_of(text, offset))
}

/// Key path (as [`line_of_key`] takes it) of the value that is neither a table nor an array
/// of tables and whose text covers byte `offset`: which key a parse error at `offset` is
/// about. `None` when the offset is on a key or a header rather than on a value.
pub(crate) fn key_at(text: &str, offset: usize) -> Option<String> {
    let doc = DeTable::parse(text).ok()?;
    let mut path = Vec::new();
    in_table(doc.get_ref(), offset, &mut path).then(|| path.join("."))
}

/// Whether a value of `table` covers `offset`; if so its key path is appended to `path`.
fn in_table(table: &DeTable, offset: usize, path: &mut Vec<String>) -> bool {
    table
        .iter()
        .any(|(k, v)| in_value(k.get_ref(), v, offset, path))
}

/// Whether `value` (at key `name`) or a value inside it covers `offset`, as [`in_table`].
fn in_value(name: &str, value: &Spanned<DeValue>, offset: usize, path: &mut Vec<String>) -> bool {
    match value.get_ref() {
        DeValue::Table(t) => {
            path.push(name.to_string());
            if in_table(t, offset, path) {
                return true;
            }
            path.pop();
            false
        }
        DeValue::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                let key = format!("{name}[{i}]");
                if let DeValue::Table(t) = item.get_ref() {
                    path.push(key);
                    if in_table(t, offset, path) {
                        return true;
                    }
                    path.pop();
                } else if item.span().contains(&offset) {
                    path.push(key);
                    return true;
                }
            }
            false
        }
        _ if value.span().contains(&offset) => {
            path.push(name.to_string());
            true
        }
        _ => false,
    }
}

/// The value of `name` in a table.
fn entry<'a, 'i>(table: &'a DeTable<'i>, name: &str) -> Option<&'a Spanned<DeValue<'i>>> {
    table
        .iter()
        .find(|(k, _)| k.get_ref().as_ref() == name)
        .map(|(_, v)| v)
}

#[cfg(test)]
mod tests {
    use super::*;

    const TEXT: &str = "title = \"t\"
[run]
steps = 10
[[lead]]
group = \"a\"
frequency_ghz = 1.0
[[lead]]
group = \"b\"
frequency_ghz = -1.0
[[stage]]
name = \"s\"
lead = [{ group = \"a\" },
        { group = \"b\", frequency_ghz = 0.0 }]
";

    #[test]
    fn key_paths_name_the_line_of_their_value() {
        assert_eq!(line_of_key(TEXT, "run.steps"), Some(3));
        assert_eq!(line_of_key(TEXT, "lead[0].frequency_ghz"), Some(6));
        assert_eq!(line_of_key(TEXT, "lead[1].frequency_ghz"), Some(9));
        assert_eq!(
            line_of_key(TEXT, "stage[0].lead[1].frequency_ghz"),
            Some(13)
        );
        assert_eq!(line_of_key(TEXT, "title"), Some(1));
        assert_eq!(line_of_key(TEXT, "nothing.here"), None);
    }

    #[test]
    fn offsets_inside_values_name_their_key() {
        let at = |needle: &str| key_at(TEXT, TEXT.find(needle).unwrap());
        assert_eq!(at("-1.0").as_deref(), Some("lead[1].frequency_ghz"));
        assert_eq!(
            at("0.0 }").as_deref(),
            Some("stage[0].lead[1].frequency_ghz")
        );
        assert_eq!(at("10").as_deref(), Some("run.steps"));
        assert_eq!(at("steps"), None);
        assert_eq!(at("[run]"), None);
    }

    #[test]
    fn a_missing_key_names_its_table() {
        assert_eq!(line_of_key(TEXT, "run.timestep"), Some(2));
        assert_eq!(line_of_key(TEXT, "lead[1].motion"), Some(7));
    }
}
