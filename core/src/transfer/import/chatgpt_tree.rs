//! The nodes of a ChatGPT `mapping` in an order where every node comes after its parent.
//!
//! The tree is read from the `parent` links alone (`children` lists only repeat them). A
//! hostile file can make those links anything, so the walk checks them first: every parent
//! named must be in `mapping`, and every node must lead up to a root (a node without a
//! parent); a node that does not sits on a loop of parent links, or below one. The walk keeps
//! its own stack, so a chain of any depth cannot overflow the thread's; its time grows with
//! the number of nodes (and sorting each node's children).

use std::cmp::Ordering;
use std::collections::{HashMap, HashSet};

use serde_json::{Map, Value};

use super::fields::{Fields, Problems};

pub type Node = Map<String, Value>;

/// One node as the walk reaches it.
pub struct Visit<'a> {
    /// Its key in `mapping`.
    pub key: &'a str,
    pub node: &'a Node,
    /// Where its parent is in the walk; `None` for a root.
    pub parent: Option<usize>,
}

/// Every node of `mapping`, parents before children, siblings by `create_time` then by id;
/// and where `current` is in that order. `None` (with the problem reported) when a parent is
/// missing or the parent links loop.
pub fn walk<'a>(
    mapping: &'a Map<String, Value>,
    current: &str,
    fields: &Fields<'_>,
    problems: &mut Problems,
) -> Option<(Vec<Visit<'a>>, usize)> {
    // Entries that are not objects are no nodes: naming one is naming a missing node.
    let nodes: HashMap<&str, &Node> = mapping
        .iter()
        .filter_map(|(key, node)| Some((key.as_str(), node.as_object()?)))
        .collect();
    if !nodes.contains_key(current) {
        problems.push(
            &fields.at("mapping"),
            format!("current_node {current:?} is not in mapping"),
        );
        return None;
    }
    let mut roots = Vec::new();
    let mut children: HashMap<&str, Vec<&str>> = HashMap::new();
    // In the file's key order, so that the same file always reports the same problem.
    for (key, node) in mapping
        .iter()
        .filter_map(|(k, n)| Some((k.as_str(), n.as_object()?)))
    {
        match parent_of(node) {
            Some(parent) if nodes.contains_key(parent) => {
                children.entry(parent).or_default().push(key);
            }
            Some(parent) => {
                problems.push(
                    &fields.at("mapping"),
                    format!("a node names the parent {parent:?}, which is not in mapping"),
                );
                return None;
            }
            None => roots.push(key),
        }
    }
    let by_time = |a: &&str, b: &&str| sibling_order(a, nodes[a], b, nodes[b]);
    roots.sort_by(by_time);
    for siblings in children.values_mut() {
        siblings.sort_by(by_time);
    }

    // Depth first, so that each branch is listed whole before the next one.
    let mut order: Vec<Visit<'a>> = Vec::with_capacity(nodes.len());
    let mut stack: Vec<(&str, Option<usize>)> = roots.iter().rev().map(|&r| (r, None)).collect();
    let mut current_at = None;
    while let Some((key, parent)) = stack.pop() {
        let at = order.len();
        if key == current {
            current_at = Some(at);
        }
        // Each node has one parent, so it is reached once.
        let Some(&node) = nodes.get(key) else {
            continue;
        };
        order.push(Visit { key, node, parent });
        if let Some(below) = children.get(key) {
            stack.extend(below.iter().rev().map(|&child| (child, Some(at))));
        }
    }
    let Some(current_at) = current_at.filter(|_| order.len() == nodes.len()) else {
        // Some nodes never lead up to a root: name a node of the loop they are on or under.
        let reached: HashSet<&str> = order.iter().map(|visit| visit.key).collect();
        let start = if reached.contains(current) {
            nodes
                .keys()
                .copied()
                .filter(|key| !reached.contains(key))
                .min()?
        } else {
            current
        };
        let at = loop_at(&nodes, start)?;
        problems.push(
            &fields.at("mapping"),
            format!("the parent links loop at node {at:?}"),
        );
        return None;
    };
    Some((order, current_at))
}

fn parent_of(node: &Node) -> Option<&str> {
    node.get("parent").and_then(Value::as_str)
}

/// Siblings in the order they were written: by `create_time` (none first), then by id.
fn sibling_order(a_key: &str, a: &Node, b_key: &str, b: &Node) -> Ordering {
    let time = |node: &Node| node.get("message")?.get("create_time")?.as_f64();
    match (time(a), time(b)) {
        (Some(a), Some(b)) => a.total_cmp(&b),
        (a, b) => a.is_some().cmp(&b.is_some()),
    }
    .then_with(|| a_key.cmp(b_key))
}

/// The first node met twice going up the parent links from `start`: a node of the loop.
/// Only called when no root is reached from `start`, and every parent named is a node.
fn loop_at<'a>(nodes: &HashMap<&'a str, &Node>, start: &'a str) -> Option<&'a str> {
    let mut seen = HashSet::new();
    let mut key = start;
    while seen.insert(key) {
        let parent = parent_of(nodes.get(key)?)?;
        key = *nodes.get_key_value(parent)?.0;
    }
    Some(key)
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn siblings_go_by_time_then_by_id_and_untimed_ones_first() {
        let at = |time: Value| json!({"parent": "r", "message": {"create_time": time}});
        let conversation = json!({"mapping": {
            "r": {"parent": null},
            "b": at(json!(2.0)),
            "a": at(json!(2.0)),
            "c": at(json!(1.0)),
            "d": at(Value::Null),
            "e": {"parent": "c"},
        }});
        let mut problems = Problems::default();
        let fields = Fields::of(&conversation, "[0]".into(), &mut problems).expect("object");
        let mapping = fields
            .raw("mapping")
            .and_then(Value::as_object)
            .expect("mapping");

        let (order, current) = walk(mapping, "e", &fields, &mut problems).expect("walked");

        let keys: Vec<&str> = order.iter().map(|visit| visit.key).collect();
        assert_eq!(keys, ["r", "d", "c", "e", "a", "b"]);
        let parents: Vec<Option<usize>> = order.iter().map(|visit| visit.parent).collect();
        assert_eq!(parents, [None, Some(0), Some(0), Some(2), Some(0), Some(0)]);
        assert_eq!(current, 3);
        assert!(problems.is_empty());
    }
}
