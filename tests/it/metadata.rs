//! The metadata the generated crates hold in `static`s equals what
//! `tencentcloud_spec::meta` builds from the spec at run time: the generator
//! writes the values of those same functions, which the command line and the
//! local endpoint call. For every action, waiter and JSON type, of the TRTC
//! crates and of the generator's edge-case crates.

use tencentcloud_runtime::json_string::Schema;
use tencentcloud_runtime::{ActionMeta, JsonConfig, ServiceMeta, WaiterMeta};
use tencentcloud_spec::{meta, Spec};
use tencentcloud_tests::root;

fn load(rel: &str) -> Spec {
    tencentcloud_spec::load(&root().join(rel)).unwrap_or_else(|e| panic!("{e}"))
}

/// Every generated item against the spec's values, in spec order.
fn assert_equal(
    spec: &Spec,
    service: &ServiceMeta,
    actions: &[(&str, &ActionMeta)],
    waiters: &[&WaiterMeta],
    schemas: &[&Schema<'static>],
) {
    assert_eq!(*service, meta::service_meta(spec));
    let names: Vec<&str> = actions.iter().map(|(n, _)| *n).collect();
    let spec_names: Vec<&str> = spec.actions.iter().map(|(n, _)| n).collect();
    assert_eq!(
        names, spec_names,
        "one generated ActionMeta per action, in order"
    );
    for ((name, generated), (_, action)) in actions.iter().zip(spec.actions.iter()) {
        assert_eq!(**generated, meta::action_meta(spec, name, action), "{name}");
    }
    assert_eq!(waiters.len(), spec.waiters.len());
    for (generated, (name, w)) in waiters.iter().zip(spec.waiters.iter()) {
        assert_eq!(**generated, meta::waiter_meta(name, w), "{name}");
    }
    let types: Vec<_> = spec
        .json_types
        .iter()
        .flat_map(|j| j.types.iter())
        .collect();
    assert_eq!(schemas.len(), types.len());
    for (generated, (name, t)) in schemas.iter().zip(types) {
        assert_eq!(**generated, meta::json_type_schema(name, t), "{name}");
    }
}

#[test]
fn trtc_statics_equal_the_run_time_metadata() {
    let spec = load("spec/trtc-2019-07-22.json");
    let mut actions: Vec<(&str, &ActionMeta)> = Vec::new();
    macro_rules! collect {
        ($wire:literal, $i:path, $o:path, $e:path, $with:ident, $meta:path) => {
            actions.push(($wire, &$meta));
        };
    }
    tencentcloud_trtc::for_each_action!(collect);
    assert_equal(
        &spec,
        &tencentcloud_trtc::SERVICE,
        &actions,
        tencentcloud_trtc::waiters::ALL,
        tencentcloud_trtc::model::json::SCHEMAS,
    );
    // The schema a JSON type checks against is the one listed.
    assert_eq!(
        <tencentcloud_trtc::model::json::LlmConfig as JsonConfig>::schema(),
        tencentcloud_trtc::model::json::SCHEMAS[0]
    );
    assert!(!actions.is_empty() && !tencentcloud_trtc::waiters::ALL.is_empty());
}

#[test]
fn edge_case_statics_equal_the_run_time_metadata() {
    let spec = load("codegen/tests/specs/edgecases-2020-01-01.json");
    let mut actions: Vec<(&str, &ActionMeta)> = Vec::new();
    macro_rules! collect {
        ($wire:literal, $i:path, $o:path, $e:path, $with:ident, $meta:path) => {
            actions.push(($wire, &$meta));
        };
    }
    tencentcloud_edgecases::for_each_action!(collect);
    assert_equal(&spec, &tencentcloud_edgecases::SERVICE, &actions, &[], &[]);
}

#[test]
fn a_changed_spec_is_a_different_value() {
    // The comparison can fail: one region more is another ActionMeta.
    let mut spec = load("spec/trtc-2019-07-22.json");
    let (name, action) = spec.actions.0[0].clone();
    let mut changed = action.clone();
    changed.regions.push("ap-nowhere".to_owned());
    assert_ne!(
        meta::action_meta(&spec, &name, &action),
        meta::action_meta(&spec, &name, &changed)
    );
    spec.service.version = "2000-01-01".to_owned();
    assert_ne!(tencentcloud_trtc::SERVICE, meta::service_meta(&spec));
}
