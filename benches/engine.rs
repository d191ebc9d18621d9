//! Engine speed: one preview and a full sweep (166 targets) on a small, a
//! typical (10 exercises, 29 sets) and a 200-exercise plan.
//!
//! Run with `cargo bench --bench engine`; figures go in BENCHMARKS.md.

use std::hint::black_box;

use criterion::{criterion_group, criterion_main, Criterion};
use time_crunch::wire::json;
use time_crunch::{Plan, PreviewRequest};

fn corpus(name: &str) -> Plan {
    let path = format!("{}/tests/corpus/{name}.plan.json", env!("CARGO_MANIFEST_DIR"));
    json::plan_from_json(&std::fs::read_to_string(path).expect("corpus plan")).expect("valid plan")
}

fn small() -> Plan {
    let mut plan = corpus("full-body-beginner");
    plan.blocks.retain(|b| b.kind == time_crunch::BlockKind::Main);
    plan.blocks.truncate(1);
    plan.blocks[0].exercises.truncate(3);
    plan
}

/// 4 blocks of 50 exercises: the largest plan the contract accepts.
fn huge() -> Plan {
    let typical = corpus("upper-pull-hypertrophy");
    let pool: Vec<_> = typical.blocks.iter().flat_map(|b| b.exercises.clone()).collect();
    let mut plan = typical.clone();
    plan.blocks = (0..4)
        .map(|b| {
            let mut block = typical.blocks[b % typical.blocks.len()].clone();
            block.id = format!("block-{b}");
            block.exercises = (0..50)
                .map(|i| {
                    let mut exercise = pool[(b * 50 + i) % pool.len()].clone();
                    exercise.id = format!("e{b}-{i}");
                    exercise.superset_group = None;
                    exercise
                })
                .collect();
            block
        })
        .collect();
    plan
}

fn benches(c: &mut Criterion) {
    for (name, plan, target) in
        [("small", small(), 15), ("typical", corpus("upper-pull-hypertrophy"), 40), ("200-exercises", huge(), 60)]
    {
        let request = PreviewRequest { plan, target_minutes: target, options: None };
        c.bench_function(&format!("preview/{name}"), |b| b.iter(|| time_crunch::preview(black_box(&request))));
        c.bench_function(&format!("sweep/{name}"), |b| b.iter(|| time_crunch::sweep(black_box(&request))));
    }
}

criterion_group!(engine, benches);
criterion_main!(engine);
