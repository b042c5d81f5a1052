//! Line numbers in TOML text, for messages that name the line of a bad value: the line of a
//! byte offset (a parse error's span), and the line where a key of a table is set. Shared by
//! the deck readers and the model parameter files.

/// 1-based line number of a byte offset.
pub(crate) fn line_of(text: &str, offset: usize) -> usize {
    text[..offset.min(text.len())]
        .bytes()
        .filter(|&b| b == b'\n')
        .count()
        + 1
}

/// Line where `key` is set inside `[table]` (or the table header line), for messages about
/// values that parsed but are invalid.
pub(crate) fn locate(text: &str, table: &str, key: &str) -> Option<usize> {
    let mut current = String::new();
    let mut header = None;
    for (k, l) in text.lines().enumerate() {
        let t = l.trim();
        if t.starts_with('[') {
            current = t.trim_matches(|c| c == '[' || c == ']').trim().to_string();
            if current == table {
                header = Some(k + 1);
            }
            continue;
        }
        if current == table {
            if let Some((lhs, _)) = t.split_once('=') {
                if lhs.trim() == key {
                    return Some(k + 1);
                }
            }
        }
    }
    header
}
