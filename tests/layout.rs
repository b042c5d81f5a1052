//! The source layout rules (issue 17): no import cycle between the files of `src/`, no file of
//! `src/` over [`MAX_LINES`] lines, and imports in one direction between the layers
//! ([`LAYERS`]): `transport` names neither `deck` nor `commands`, `deck` does not name
//! `commands`.
//!
//! Every `src/**/*.rs` of the library is a node, named by its module path (`src/a/b.rs` and
//! `src/a/b/mod.rs` are `a::b`). Its edges are the crate paths it names, in `use` declarations
//! and in code bodies alike: `crate::…`, `super::…`, `self::…` (with `super` and `self`
//! resolved in the module they are written in, inline modules such as `mod tests { … }`
//! included), and paths starting with the name of one of the module's own child modules. A path
//! `crate::a::b::Item` is an edge to the longest prefix `a::b` that is a file module; when that
//! module re-exports `Item` (`pub use …::Item`), the edge follows the re-export to the module
//! that defines it. A module declaring or re-exporting its own descendants (`pub mod child;`,
//! `pub use child::X`) is not an edge, else every child using its parent would be a cycle.
//! Comments, doc comments and string literals are not read. `main.rs`, a separate crate that
//! only uses the library, is counted for its length but has no edges.
//!
//! A failure lists each strongly connected component of more than one file with one concrete
//! cycle through it, and each file over the limit. `scripts/import_cycles.sh` runs this test
//! with its output shown.

use std::collections::{BTreeMap, BTreeSet, VecDeque};
use std::fs;
use std::path::{Path, PathBuf};

/// No file of `src/` may be longer than this many lines.
const MAX_LINES: usize = 800;

/// A module path below the crate root (`[]` is the root).
type ModPath = Vec<String>;

/// The paths a use tree names, each with its alias (`as NAME`, or `*` for a glob) if any.
type Named = Vec<(Vec<String>, Option<String>)>;

#[derive(Clone, Debug, PartialEq)]
enum Tok {
    Ident(String),
    /// `::`
    PathSep,
    Punct(char),
}

impl Tok {
    fn is_punct(&self, c: char) -> bool {
        *self == Tok::Punct(c)
    }
    fn ident(&self) -> Option<&str> {
        match self {
            Tok::Ident(s) => Some(s),
            _ => None,
        }
    }
}

/// Rust source to tokens, without comments, string and character literals (which are dropped)
/// or numbers (which become single punctuation tokens of no meaning here).
fn tokenize(src: &str) -> Vec<Tok> {
    let c: Vec<char> = src.chars().collect();
    let n = c.len();
    let mut toks = Vec::new();
    let mut i = 0;
    while i < n {
        let ch = c[i];
        if ch.is_whitespace() {
            i += 1;
        } else if ch == '/' && i + 1 < n && c[i + 1] == '/' {
            while i < n && c[i] != '\n' {
                i += 1;
            }
        } else if ch == '/' && i + 1 < n && c[i + 1] == '*' {
            let mut depth = 0;
            while i < n {
                if c[i] == '/' && i + 1 < n && c[i + 1] == '*' {
                    depth += 1;
                    i += 2;
                } else if c[i] == '*' && i + 1 < n && c[i + 1] == '/' {
                    depth -= 1;
                    i += 2;
                    if depth == 0 {
                        break;
                    }
                } else {
                    i += 1;
                }
            }
        } else if ch == '"' {
            i = skip_string(&c, i + 1);
        } else if (ch == 'r' || ch == 'b')
            && raw_string_start(&c, i).is_some()
            && !(i > 0 && is_ident_char(c[i - 1]))
        {
            let (hashes, body) = raw_string_start(&c, i).unwrap();
            i = body;
            if hashes == usize::MAX {
                i = skip_string(&c, i);
            } else {
                while i < n {
                    if c[i] == '"' && (1..=hashes).all(|k| i + k < n && c[i + k] == '#') {
                        i += 1 + hashes;
                        break;
                    }
                    i += 1;
                }
            }
        } else if ch == '\'' {
            // A character literal ('x', '\n', '\u{..}') or a lifetime / label ('a).
            if i + 1 < n && c[i + 1] == '\\' {
                i += 2;
                while i < n && c[i] != '\'' {
                    i += 1;
                }
                i += 1;
            } else if i + 2 < n && c[i + 2] == '\'' {
                i += 3;
            } else {
                i += 1;
            }
        } else if is_ident_char(ch) && !ch.is_ascii_digit() {
            let start = i;
            while i < n && is_ident_char(c[i]) {
                i += 1;
            }
            let mut word: String = c[start..i].iter().collect();
            if word == "r" && i + 1 < n && c[i] == '#' && is_ident_char(c[i + 1]) {
                let s = i + 1;
                i = s;
                while i < n && is_ident_char(c[i]) {
                    i += 1;
                }
                word = c[s..i].iter().collect();
            }
            toks.push(Tok::Ident(word));
        } else if ch.is_ascii_digit() {
            while i < n && (is_ident_char(c[i]) || c[i] == '.') {
                // stop before a range `..` or a method call on a literal
                if c[i] == '.' && !(i + 1 < n && c[i + 1].is_ascii_digit()) {
                    break;
                }
                i += 1;
            }
            toks.push(Tok::Punct('0'));
        } else if ch == ':' && i + 1 < n && c[i + 1] == ':' {
            toks.push(Tok::PathSep);
            i += 2;
        } else {
            toks.push(Tok::Punct(ch));
            i += 1;
        }
    }
    toks
}

fn is_ident_char(ch: char) -> bool {
    ch == '_' || ch.is_alphanumeric()
}

/// Index just past the closing quote of a string whose body starts at `i`.
fn skip_string(c: &[char], mut i: usize) -> usize {
    while i < c.len() {
        match c[i] {
            '\\' => i += 2,
            '"' => return i + 1,
            _ => i += 1,
        }
    }
    i
}

/// At `r"`, `r#"`, `b"`, `br#"`: the number of `#` (`usize::MAX` for an escaped byte string)
/// and the index of the body.
fn raw_string_start(c: &[char], i: usize) -> Option<(usize, usize)> {
    let mut j = i;
    if c[j] == 'b' {
        j += 1;
        if j < c.len() && c[j] == '"' {
            return Some((usize::MAX, j + 1));
        }
    }
    if j >= c.len() || c[j] != 'r' {
        return None;
    }
    j += 1;
    let mut hashes = 0;
    while j < c.len() && c[j] == '#' {
        hashes += 1;
        j += 1;
    }
    (j < c.len() && c[j] == '"').then_some((hashes, j + 1))
}

/// One path named by a file: its segments as written (leading `crate`/`super`/`self` kept),
/// the module it is written in, and whether it is a `pub use` (a re-export) with its name.
#[derive(Debug)]
struct PathRef {
    segs: Vec<String>,
    scope: ModPath,
    reexport: Option<String>,
}

/// One source file: its module path, the child modules of each of its (inline) modules, and
/// the paths it names.
struct SourceFile {
    rel: String,
    module: ModPath,
    paths: Vec<PathRef>,
}

/// Parse a path (or use tree) whose first segment is at `i`, below `base`: every full path it
/// names with its alias (`as NAME`) if any, and the index after it.
fn parse_tree(toks: &[Tok], mut i: usize, base: Vec<String>) -> (Named, usize) {
    let mut cur = base;
    loop {
        match toks.get(i) {
            Some(Tok::Ident(s)) => {
                cur.push(s.clone());
                i += 1;
                if toks.get(i) == Some(&Tok::PathSep) {
                    i += 1;
                    continue;
                }
                let mut alias = None;
                if toks.get(i).and_then(Tok::ident) == Some("as") {
                    alias = toks.get(i + 1).and_then(Tok::ident).map(str::to_string);
                    i += 2;
                }
                return (vec![(cur, alias)], i);
            }
            Some(Tok::Punct('{')) => {
                i += 1;
                let mut out = Vec::new();
                while i < toks.len() && !toks[i].is_punct('}') {
                    let (paths, next) = parse_tree(toks, i, cur.clone());
                    out.extend(paths);
                    i = next.max(i + 1);
                    if toks.get(i).is_some_and(|t| t.is_punct(',')) {
                        i += 1;
                    }
                }
                return (out, i + 1);
            }
            Some(Tok::Punct('*')) => return (vec![(cur, Some("*".into()))], i + 1),
            _ => return (vec![(cur, None)], i),
        }
    }
}

/// Whether the `use` at token `i` is `pub use` / `pub(..) use`.
fn is_pub_use(toks: &[Tok], i: usize) -> bool {
    if i == 0 {
        return false;
    }
    if toks[i - 1].ident() == Some("pub") {
        return true;
    }
    if toks[i - 1].is_punct(')') {
        let mut j = i - 1;
        while j > 0 && !toks[j].is_punct('(') {
            j -= 1;
        }
        return j > 0 && toks[j - 1].ident() == Some("pub");
    }
    false
}

fn read_source(rel: String, module: ModPath, src: &str) -> SourceFile {
    let toks = tokenize(src);
    // first pass: the child modules of each module of the file (declared or inline)
    let mut children: BTreeMap<ModPath, BTreeSet<String>> = BTreeMap::new();
    let mut paths = Vec::new();
    for pass in 0..2 {
        let mut scope = module.clone();
        // (brace depth at the inline module's `{`) per open inline module
        let mut open: Vec<usize> = Vec::new();
        let mut depth = 0usize;
        // the `use` statement being read: (start of its tree, is pub)
        let mut i = 0;
        while i < toks.len() {
            let t = &toks[i];
            if t.is_punct('{') {
                depth += 1;
            } else if t.is_punct('}') {
                depth = depth.saturating_sub(1);
                if open.last() == Some(&depth) {
                    open.pop();
                    scope.pop();
                }
            } else if t.ident() == Some("mod") {
                if let Some(name) = toks.get(i + 1).and_then(Tok::ident) {
                    if pass == 0 {
                        children
                            .entry(scope.clone())
                            .or_default()
                            .insert(name.to_string());
                    }
                    if toks.get(i + 2).is_some_and(|t| t.is_punct('{')) {
                        open.push(depth);
                        depth += 1;
                        scope.push(name.to_string());
                        i += 3;
                        continue;
                    }
                }
            } else if pass == 1 {
                let after_sep = i > 0 && (toks[i - 1] == Tok::PathSep || toks[i - 1].is_punct('.'));
                let starts = match t.ident() {
                    Some("crate" | "super" | "self") => true,
                    Some(name) => children.get(&scope).is_some_and(|c| c.contains(name)),
                    None => false,
                };
                let is_use = i > 0 && toks[i - 1].ident() == Some("use");
                if starts && !after_sep && (toks.get(i + 1) == Some(&Tok::PathSep) || is_use) {
                    let reexport = is_use && is_pub_use(&toks, i - 1);
                    let (found, next) = parse_tree(&toks, i, Vec::new());
                    for (segs, alias) in found {
                        let name = alias.or_else(|| segs.last().cloned());
                        paths.push(PathRef {
                            segs,
                            scope: scope.clone(),
                            reexport: if reexport { name } else { None },
                        });
                    }
                    i = next.max(i + 1);
                    continue;
                }
            }
            i += 1;
        }
    }
    SourceFile { rel, module, paths }
}

/// The absolute module path a reference names (its leading `crate`, `super`, `self` resolved
/// in its scope; `self` inside a group dropped).
fn absolute(r: &PathRef) -> ModPath {
    let mut segs = r.segs.iter().peekable();
    let mut base: ModPath = match segs.peek().map(|s| s.as_str()) {
        Some("crate") => {
            segs.next();
            Vec::new()
        }
        _ => r.scope.clone(),
    };
    while let Some(s) = segs.peek() {
        match s.as_str() {
            "super" => {
                base.pop();
                segs.next();
            }
            "self" => {
                segs.next();
            }
            _ => break,
        }
    }
    base.extend(segs.filter(|s| *s != "self").cloned());
    base
}

struct Crate {
    files: Vec<SourceFile>,
    by_module: BTreeMap<ModPath, usize>,
}

impl Crate {
    /// The file a path names: the longest prefix that is a file module, following its
    /// re-export of the next segment.
    fn resolve(&self, path: &[String], hops: usize) -> Option<usize> {
        let k = (0..=path.len())
            .rev()
            .find(|k| self.by_module.contains_key(&path[..*k]))?;
        let f = self.by_module[&path[..k]];
        if k < path.len() && hops < 16 {
            let file = &self.files[f];
            let name = &path[k];
            if let Some(r) = file
                .paths
                .iter()
                .find(|r| r.reexport.as_deref() == Some(name.as_str()))
            {
                let mut target = absolute(r);
                target.extend(path[k + 1..].iter().cloned());
                return self.resolve(&target, hops + 1).or(Some(f));
            }
        }
        Some(f)
    }

    /// The file dependency graph: for each file, the files it names.
    fn edges(&self) -> Vec<BTreeSet<usize>> {
        self.files
            .iter()
            .enumerate()
            .map(|(f, file)| {
                let mut out = BTreeSet::new();
                if file.rel == "main.rs" {
                    return out;
                }
                for r in &file.paths {
                    let target = absolute(r);
                    // a module (re-)exporting its own descendants is not an edge
                    if r.reexport.is_some() && target.starts_with(&file.module) {
                        continue;
                    }
                    if let Some(g) = self.resolve(&target, 0) {
                        if g != f {
                            out.insert(g);
                        }
                    }
                }
                out
            })
            .collect()
    }
}

fn rs_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in fs::read_dir(dir).unwrap() {
        let path = entry.unwrap().path();
        if path.is_dir() {
            rs_files(&path, out);
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
}

fn module_of(rel: &Path) -> ModPath {
    let mut segs: ModPath = rel
        .iter()
        .map(|s| s.to_string_lossy().trim_end_matches(".rs").to_string())
        .collect();
    if matches!(
        segs.last().map(String::as_str),
        Some("mod" | "lib" | "main")
    ) {
        segs.pop();
    }
    segs
}

fn read_crate(src: &Path) -> Crate {
    let mut paths = Vec::new();
    rs_files(src, &mut paths);
    paths.sort();
    let mut files = Vec::new();
    let mut by_module = BTreeMap::new();
    for p in paths {
        let rel = p.strip_prefix(src).unwrap();
        let module = module_of(rel);
        let rel = rel.to_string_lossy().to_string();
        if rel != "main.rs" {
            by_module.insert(module.clone(), files.len());
        }
        let text = fs::read_to_string(&p).unwrap();
        files.push(read_source(rel, module, &text));
    }
    Crate { files, by_module }
}

/// Tarjan's strongly connected components, each sorted.
fn components(edges: &[BTreeSet<usize>]) -> Vec<Vec<usize>> {
    struct State<'a> {
        edges: &'a [BTreeSet<usize>],
        index: Vec<Option<usize>>,
        low: Vec<usize>,
        on_stack: Vec<bool>,
        stack: Vec<usize>,
        next: usize,
        out: Vec<Vec<usize>>,
    }
    fn visit(s: &mut State, v: usize) {
        s.index[v] = Some(s.next);
        s.low[v] = s.next;
        s.next += 1;
        s.stack.push(v);
        s.on_stack[v] = true;
        for &w in s.edges[v].iter() {
            match s.index[w] {
                None => {
                    visit(s, w);
                    s.low[v] = s.low[v].min(s.low[w]);
                }
                Some(iw) if s.on_stack[w] => s.low[v] = s.low[v].min(iw),
                _ => {}
            }
        }
        if Some(s.low[v]) == s.index[v] {
            let mut comp = Vec::new();
            loop {
                let w = s.stack.pop().unwrap();
                s.on_stack[w] = false;
                comp.push(w);
                if w == v {
                    break;
                }
            }
            comp.sort();
            s.out.push(comp);
        }
    }
    let n = edges.len();
    let mut s = State {
        edges,
        index: vec![None; n],
        low: vec![0; n],
        on_stack: vec![false; n],
        stack: Vec::new(),
        next: 0,
        out: Vec::new(),
    };
    for v in 0..n {
        if s.index[v].is_none() {
            visit(&mut s, v);
        }
    }
    s.out
}

/// A shortest cycle through the first file of a component, within the component.
fn cycle_through(edges: &[BTreeSet<usize>], comp: &[usize]) -> Vec<usize> {
    let start = comp[0];
    let mut prev: BTreeMap<usize, usize> = BTreeMap::new();
    let mut queue = VecDeque::from([start]);
    while let Some(v) = queue.pop_front() {
        for &w in &edges[v] {
            if !comp.contains(&w) {
                continue;
            }
            if w == start {
                let mut path = vec![start, v];
                let mut u = v;
                while u != start {
                    u = prev[&u];
                    path.push(u);
                }
                path.reverse();
                return path;
            }
            if let std::collections::btree_map::Entry::Vacant(e) = prev.entry(w) {
                e.insert(v);
                queue.push_back(w);
            }
        }
    }
    unreachable!("a strongly connected component has a cycle through each of its files")
}

fn src_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("src")
}

/// The import cycles of a crate, one line per strongly connected component.
fn cycles(krate: &Crate) -> Vec<String> {
    let edges = krate.edges();
    let name = |f: usize| format!("src/{}", krate.files[f].rel);
    components(&edges)
        .into_iter()
        .filter(|c| c.len() > 1)
        .map(|c| {
            let files: Vec<String> = c.iter().map(|&f| name(f)).collect();
            let cycle: Vec<String> = cycle_through(&edges, &c).into_iter().map(name).collect();
            format!(
                "{} files: {}\n    cycle: {}",
                c.len(),
                files.join(", "),
                cycle.join(" -> ")
            )
        })
        .collect()
}

#[test]
fn no_import_cycle_between_files() {
    let krate = read_crate(&src_dir());
    let found = cycles(&krate);
    for c in &found {
        println!("import cycle among {c}");
    }
    assert!(
        found.is_empty(),
        "{} import cycle(s) between files of src/:\n{}",
        found.len(),
        found.join("\n")
    );
}

#[test]
fn no_source_file_over_the_line_limit() {
    let mut paths = Vec::new();
    rs_files(&src_dir(), &mut paths);
    paths.sort();
    let long: Vec<String> = paths
        .iter()
        .filter_map(|p| {
            let lines = fs::read_to_string(p).unwrap().lines().count();
            let rel = p.strip_prefix(src_dir()).unwrap().display();
            (lines > MAX_LINES).then(|| format!("src/{rel} ({lines} lines)"))
        })
        .collect();
    for l in &long {
        println!("over {MAX_LINES} lines: {l}");
    }
    assert!(
        long.is_empty(),
        "files of src/ over {MAX_LINES} lines:\n{}",
        long.join("\n")
    );
}

/// The layers of `src/`, each with the top-level modules it may not name: the transport
/// library reads no decks and runs no commands (the decks and the commands build on it), and
/// the decks run no commands.
const LAYERS: [(&str, &[&str]); 2] = [
    ("transport", &["deck", "commands"]),
    ("deck", &["commands"]),
];

/// Each path of a file of a layer that names a module it may not use, directly or through a
/// re-export: `src/FILE names PATH`.
fn layer_violations(krate: &Crate) -> Vec<String> {
    let below =
        |m: &[String], banned: &[&str]| m.first().is_some_and(|s| banned.contains(&s.as_str()));
    let mut out = Vec::new();
    for file in &krate.files {
        for (layer, banned) in LAYERS {
            if file.module.first().map(String::as_str) != Some(layer) {
                continue;
            }
            for r in &file.paths {
                let target = absolute(r);
                let via = krate.resolve(&target, 0).map(|g| &krate.files[g].module);
                if below(&target, banned) || via.is_some_and(|m| below(m, banned)) {
                    out.push(format!("src/{} names {}", file.rel, target.join("::")));
                }
            }
        }
    }
    out
}

#[test]
fn transport_uses_no_deck_or_command_and_decks_no_command() {
    let found = layer_violations(&read_crate(&src_dir()));
    assert!(
        found.is_empty(),
        "imports against the layering (deck -> transport, commands -> both):\n{}",
        found.join("\n")
    );
}

/// The layer check on a small crate: a path in a body and a `use` through a re-export are
/// found, a comment or string is not, and the allowed direction passes.
#[test]
fn the_layer_check_finds_uses_against_the_layering() {
    let files = vec![
        (
            "lib.rs",
            "pub mod commands;\npub mod deck;\npub mod transport;\npub mod util;\n",
        ),
        ("commands.rs", "use crate::{deck::D, transport::T};\n"),
        ("deck.rs", "pub struct D;\nuse crate::transport::T;\n"),
        (
            "transport/mod.rs",
            "//! crate::deck in a comment\npub mod a;\npub mod b;\npub struct T;\n",
        ),
        (
            "transport/a.rs",
            "fn f() { let s = \"crate::commands\"; crate::deck::g(); }\n",
        ),
        ("transport/b.rs", "use crate::util::D;\n"),
        ("util.rs", "pub use crate::deck::D;\n"),
    ];
    let files: Vec<SourceFile> = files
        .into_iter()
        .map(|(rel, src)| read_source(rel.into(), module_of(Path::new(rel)), src))
        .collect();
    let by_module = files
        .iter()
        .enumerate()
        .map(|(i, f)| (f.module.clone(), i))
        .collect();
    let found = layer_violations(&Crate { files, by_module });
    assert_eq!(
        found,
        vec![
            "src/transport/a.rs names deck::g".to_string(),
            "src/transport/b.rs names util::D".to_string(),
        ]
    );
}

/// The checker itself on small crates written here: it sees `use` trees, inline paths,
/// `super` in inline modules, re-exports, and does not see comments or strings.
#[test]
fn the_checker_finds_cycles_and_only_them() {
    let file = |rel: &str, src: &str| read_source(rel.into(), module_of(Path::new(rel)), src);
    let krate = |files: Vec<SourceFile>| {
        let by_module = files
            .iter()
            .enumerate()
            .map(|(i, f)| (f.module.clone(), i))
            .collect();
        Crate { files, by_module }
    };
    let a_mod = "//! crate::b::x in a comment\npub mod one;\npub mod two;\npub use one::Thing;\n";
    // a::two uses a::one through the parent's re-export; a::one names b in a code body;
    // b names a::two through a `use` group with `self`.
    let ok = krate(vec![
        file("lib.rs", "pub mod a;\npub mod b;\n"),
        file("a/mod.rs", a_mod),
        file("a/one.rs", "pub struct Thing;\nfn f() { let s = \"crate::a::two\"; crate::b::g(); }\n#[cfg(test)]\nmod tests { use super::*; use super::super::Thing; }\n"),
        file("a/two.rs", "use super::{Thing as T, one::{self}};\n"),
        file("b.rs", "pub fn g() {}\n"),
    ]);
    assert!(cycles(&ok).is_empty(), "{:?}", cycles(&ok));
    let bad = krate(vec![
        file("lib.rs", "pub mod a;\npub mod b;\n"),
        file("a/mod.rs", a_mod),
        file("a/one.rs", "pub struct Thing;\nfn f() { crate::b::g(); }\n"),
        file("a/two.rs", "use super::{Thing as T, one::{self}};\n"),
        file(
            "b.rs",
            "use crate::a::{self, two::{self as t}};\npub fn g() {}\n",
        ),
    ]);
    let found = cycles(&bad);
    assert_eq!(found.len(), 1, "{found:?}");
    assert!(
        found[0].contains("cycle: src/a/one.rs -> src/b.rs -> src/a/two.rs -> src/a/one.rs"),
        "{found:?}"
    );
}
