//! The modules of `src/` depend on each other without a cycle: each top-level module (a file
//! `src/x.rs` or a folder `src/x/`) may use modules below it in the graph, never one that uses
//! it back. Two cycles crept in once (`config` ↔ `i18n`, `render` ↔ `jobs`); this keeps them out.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

/// Every `.rs` file below `dir`.
fn rust_files(dir: &Path, found: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("src/ is readable") {
        let path = entry.expect("entry").path();
        if path.is_dir() {
            rust_files(&path, found);
        } else if path.extension().is_some_and(|e| e == "rs") {
            found.push(path);
        }
    }
}

/// The top-level modules named after `crate::` in `code` (comments left out):
/// `crate::site::render`, `crate::{config::Config, content}` and nested braces.
fn used_modules(code: &str) -> BTreeSet<String> {
    let mut used = BTreeSet::new();
    for line in code.lines() {
        let line = line.split("//").next().unwrap_or("");
        let mut rest = line;
        while let Some(at) = rest.find("crate::") {
            rest = &rest[at + "crate::".len()..];
            if let Some(group) = rest.strip_prefix('{') {
                // The items at the first level of the braces, each named by its first word.
                let mut depth = 0;
                let mut item = String::new();
                let mut items = Vec::new();
                for c in group.chars() {
                    match c {
                        '}' if depth == 0 => break,
                        ',' if depth == 0 => items.push(std::mem::take(&mut item)),
                        '{' => depth += 1,
                        '}' => depth -= 1,
                        c if depth == 0 => item.push(c),
                        _ => {}
                    }
                }
                items.push(item);
                for item in items {
                    let name: String = item
                        .trim()
                        .chars()
                        .take_while(|c| c.is_alphanumeric() || *c == '_')
                        .collect();
                    if !name.is_empty() {
                        used.insert(name);
                    }
                }
            } else {
                let name: String = rest
                    .chars()
                    .take_while(|c| c.is_alphanumeric() || *c == '_')
                    .collect();
                if !name.is_empty() {
                    used.insert(name);
                }
            }
        }
    }
    used
}

/// Top-level module → the other top-level modules it uses.
fn module_graph(src: &Path) -> BTreeMap<String, BTreeSet<String>> {
    let mut files = Vec::new();
    rust_files(src, &mut files);
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    for file in files {
        let relative = file.strip_prefix(src).expect("below src/");
        let first = relative
            .components()
            .next()
            .expect("a name")
            .as_os_str()
            .to_string_lossy();
        let module = first.trim_end_matches(".rs").to_owned();
        // The crate root and the binary name every module; they are not modules themselves.
        if module == "lib" || module == "main" || module == "bin" {
            continue;
        }
        let code = std::fs::read_to_string(&file).expect("readable");
        let uses = graph.entry(module.clone()).or_default();
        uses.extend(used_modules(&code).into_iter().filter(|m| *m != module));
    }
    graph
}

/// A cycle of `graph`, as the modules along it, if there is one.
fn find_cycle(graph: &BTreeMap<String, BTreeSet<String>>) -> Option<Vec<String>> {
    fn visit(
        module: &str,
        graph: &BTreeMap<String, BTreeSet<String>>,
        path: &mut Vec<String>,
        done: &mut BTreeSet<String>,
    ) -> Option<Vec<String>> {
        if let Some(start) = path.iter().position(|m| m == module) {
            let mut cycle = path[start..].to_vec();
            cycle.push(module.to_owned());
            return Some(cycle);
        }
        if done.contains(module) {
            return None;
        }
        path.push(module.to_owned());
        for next in graph.get(module).into_iter().flatten() {
            if let Some(cycle) = visit(next, graph, path, done) {
                return Some(cycle);
            }
        }
        path.pop();
        done.insert(module.to_owned());
        None
    }
    let mut done = BTreeSet::new();
    graph
        .keys()
        .find_map(|module| visit(module, graph, &mut Vec::new(), &mut done))
}

#[test]
fn uses_are_read_from_paths_and_groups() {
    let code = "use crate::config::{Config, Language};\n\
                use crate::{content::{Page, PageId}, date, i18n::I18n};\n\
                let x = crate::render::deps::record(y); // crate::site is only a comment\n";
    let used: Vec<String> = used_modules(code).into_iter().collect();
    assert_eq!(used, ["config", "content", "date", "i18n", "render"]);
}

#[test]
fn a_cycle_is_found_and_named() {
    let mut graph: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
    graph.entry("a".into()).or_default().insert("b".into());
    graph.entry("b".into()).or_default().insert("c".into());
    graph.entry("c".into()).or_default().insert("a".into());
    graph.entry("d".into()).or_default().insert("a".into());
    assert_eq!(
        find_cycle(&graph),
        Some(vec!["a".into(), "b".into(), "c".into(), "a".into()])
    );
    graph.get_mut("c").expect("c").clear();
    assert_eq!(find_cycle(&graph), None);
}

#[test]
fn the_modules_of_src_use_each_other_without_a_cycle() {
    let src = Path::new(env!("CARGO_MANIFEST_DIR")).join("src");
    let graph = module_graph(&src);
    // The graph is read for real: the modules that build a site are in it, with their uses.
    assert!(graph["site"].contains("content") && graph["site"].contains("render"));
    assert!(graph["jobs"].contains("render"));
    assert!(graph.len() >= 20, "only {} modules found", graph.len());
    if let Some(cycle) = find_cycle(&graph) {
        panic!(
            "the modules use each other in a circle: {}; move what both need into a module of its own",
            cycle.join(" → ")
        );
    }
}
