//! The Rust names and types the generator gives a spec, by wire name: what
//! a renamed item or a changed Rust type is judged by.

use std::collections::{BTreeSet, HashMap};

use crate::model::{ServiceModel, ShapeBody};
use crate::spec::Spec;

/// The Rust names and member types of a resolved spec, by wire name.
pub(super) struct Names {
    pub(super) shapes: HashMap<String, String>,
    pub(super) members: HashMap<(String, String), (String, String)>,
    pub(super) methods: HashMap<String, String>,
    pub(super) service_codes: HashMap<String, String>,
    pub(super) action_codes: HashMap<(String, String), String>,
}

impl Names {
    pub(super) fn of(m: ServiceModel) -> Names {
        let mut n = Names {
            shapes: HashMap::new(),
            members: HashMap::new(),
            methods: HashMap::new(),
            service_codes: HashMap::new(),
            action_codes: HashMap::new(),
        };
        for s in &m.shapes {
            n.shapes.insert(s.wire.clone(), s.rust().to_owned());
            if let ShapeBody::Struct(st) = &s.body {
                for mm in &st.members {
                    let ty = m.rust_type(mm).to_string();
                    n.members
                        .insert((s.wire.clone(), mm.wire.clone()), (mm.field.clone(), ty));
                }
            }
        }
        for c in &m.codes {
            n.service_codes.insert(c.code.clone(), c.variant.clone());
        }
        for a in &m.actions {
            n.methods.insert(a.wire.clone(), a.method.clone());
            for c in &a.errors {
                n.action_codes
                    .insert((a.wire.clone(), c.code.clone()), c.variant.clone());
            }
        }
        n
    }
}

/// Structures reachable from some action's input.
pub(super) fn input_structs(spec: &Spec) -> BTreeSet<String> {
    let mut seen = BTreeSet::new();
    let mut stack: Vec<String> = spec.actions.iter().map(|(_, a)| a.input.clone()).collect();
    while let Some(s) = stack.pop() {
        if !seen.insert(s.clone()) {
            continue;
        }
        if let Some(members) = spec.shapes.get(&s).and_then(|sh| sh.members.as_ref()) {
            for (_, m) in members.iter() {
                let t = m.target();
                if spec.shapes.contains_key(t) {
                    stack.push(t.to_owned());
                }
            }
        }
    }
    seen
}
