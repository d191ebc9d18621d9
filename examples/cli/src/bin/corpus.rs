//! How well the engine uses the time the athlete has, over a folder of plans.
//!
//! Run with
//! ```not_rust
//! cargo run --release -p time-crunch-cli --bin corpus -- tests/corpus
//! ```
//!
//! Sweeps every `*.plan.json` in the folder over every target 15..=180 for
//! each goal, and prints
//!
//! - the fit rate and, for previews that fit but had to change the plan, the
//!   time used / target (median and 5th percentile);
//! - the share of rests shown off the 15 s grid: a rest (an item's
//!   `restSeconds`, and a superset member's own) that is neither its planned
//!   rest, nor its floor, nor a multiple of 15 s (the floors are multiples of
//!   15 s or the planned rest itself, so "a multiple of 15 s" covers them);
//! - working sets kept (`retained.workingSets`: kept sets / planned sets of
//!   the plan) at 40 %, 60 % and 80 % of each plan's own length (target =
//!   round(fraction × originalMinutes), clamped to 15..=180), averaged over
//!   plans and goals, beside the same figure for [`greedy_baseline`].

use std::process::ExitCode;

use time_crunch::estimate::plan_seconds;
use time_crunch::wire::json;
use time_crunch::{Goal, Options, Pace, Plan, Preview, PreviewRequest, Priority, Strategy};

/// The fractions of a plan's own length the kept-sets figures are taken at.
const FRACTIONS: [f64; 3] = [0.4, 0.6, 0.8];

fn main() -> ExitCode {
    let Some(dir) = std::env::args().nth(1) else {
        eprintln!("usage: corpus DIR");
        return ExitCode::from(2);
    };
    let mut paths: Vec<_> = match std::fs::read_dir(&dir) {
        Ok(entries) => entries.filter_map(Result::ok).map(|e| e.path()).collect(),
        Err(err) => {
            eprintln!("corpus: cannot read {dir}: {err}");
            return ExitCode::from(2);
        }
    };
    paths.retain(|p| p.to_string_lossy().ends_with(".plan.json"));
    paths.sort();
    let (mut all_ratios, mut fits, mut total) = (Vec::new(), 0usize, 0usize);
    let mut by_strategy = [0usize; 5];
    let (mut rests, mut off_grid, mut compressed_rests, mut compressed_off_grid) = (0usize, 0usize, 0usize, 0usize);
    let (mut kept_engine, mut kept_greedy, mut samples) = ([0.0f64; 3], [0.0f64; 3], 0usize);
    let mut greedy_fits = [0usize; 3];
    // Pooled over the corpus: (kept sets, planned sets) per fraction.
    let (mut pooled_engine, mut pooled_greedy) = ([(0i64, 0i64); 3], [(0i64, 0i64); 3]);
    println!("{:<42} {:>8} {:>8} {:>8} {:>8}", "plan", "minutes", "fit", "median", "p5");
    for path in &paths {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let plan = match json::plan_from_json(&text) {
            Ok(plan) => plan,
            Err(err) => {
                eprintln!("{}: {err}", path.display());
                return ExitCode::from(2);
            }
        };
        let (mut ratios, mut plan_fits, mut plan_total) = (Vec::new(), 0, 0);
        let mut minutes = 0.0;
        for goal in [Goal::General, Goal::Strength, Goal::Hypertrophy] {
            let request = PreviewRequest {
                plan: plan.clone(),
                target_minutes: 60,
                options: Some(Options { goal: Some(goal), ..Options::default() }),
            };
            let previews = match time_crunch::sweep(&request) {
                Ok(previews) => previews,
                Err(err) => {
                    eprintln!("{}: {err}", path.display());
                    return ExitCode::from(2);
                }
            };
            let original_minutes = previews[0].original_minutes;
            samples += 1;
            for (n, fraction) in FRACTIONS.iter().enumerate() {
                let target = ((fraction * original_minutes).round() as i64).clamp(15, 180);
                let preview = &previews[(target - 15) as usize];
                kept_engine[n] += preview.retained.working_sets;
                let sets: i64 = preview
                    .blocks
                    .iter()
                    .flat_map(|b| &b.items)
                    .flat_map(|i| &i.exercises)
                    .map(|e| i64::from(e.sets))
                    .sum();
                pooled_engine[n].0 += sets;
                pooled_engine[n].1 += planned_sets(&plan);
                let (kept, fits) = greedy_baseline(&plan, target);
                kept_greedy[n] += kept as f64 / planned_sets(&plan) as f64;
                pooled_greedy[n].0 += kept;
                pooled_greedy[n].1 += planned_sets(&plan);
                greedy_fits[n] += usize::from(fits);
            }
            for preview in previews {
                let (shown, off) = off_grid_rests(&plan, &preview);
                rests += shown;
                off_grid += off;
                if preview.strategy != Strategy::FullAccessoryBlocks {
                    compressed_rests += shown;
                    compressed_off_grid += off;
                }
                minutes = preview.original_minutes;
                plan_total += 1;
                by_strategy[Strategy::ALL.iter().position(|s| *s == preview.strategy).unwrap_or(0)] += 1;
                if preview.fits {
                    plan_fits += 1;
                    if preview.strategy != Strategy::FullAccessoryBlocks {
                        let used =
                            time_crunch::estimate::preview_seconds(&preview) / (preview.target_minutes as f64 * 60.0);
                        ratios.push(used);
                    }
                }
            }
        }
        let name = path.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_default();
        println!(
            "{:<42} {:>8.1} {:>7.1}% {:>8.3} {:>8.3}",
            name,
            minutes,
            100.0 * plan_fits as f64 / plan_total as f64,
            percentile(&mut ratios, 0.5),
            percentile(&mut ratios, 0.05)
        );
        all_ratios.extend(ratios);
        fits += plan_fits;
        total += plan_total;
    }
    println!(
        "{:<42} {:>8} {:>7.1}% {:>8.3} {:>8.3}   ({} compressed previews that fit)",
        "ALL",
        "",
        100.0 * fits as f64 / total.max(1) as f64,
        percentile(&mut all_ratios, 0.5),
        percentile(&mut all_ratios, 0.05),
        all_ratios.len()
    );
    for (strategy, count) in Strategy::ALL.iter().zip(by_strategy) {
        println!("  {:<24} {count}", strategy.as_str());
    }
    println!(
        "rests off the 15 s grid: {off_grid} of {rests} shown ({:.2} %); in compressed previews {compressed_off_grid} of {compressed_rests} ({:.2} %)",
        100.0 * off_grid as f64 / rests.max(1) as f64,
        100.0 * compressed_off_grid as f64 / compressed_rests.max(1) as f64
    );
    println!("working sets kept: mean retained.workingSets over {samples} plan x goal sweeps [pooled kept sets / planned sets]:");
    let pooled = |(kept, planned): (i64, i64)| kept as f64 / planned.max(1) as f64;
    for (n, fraction) in FRACTIONS.iter().enumerate() {
        println!(
            "  at {:>2.0} % of the plan: engine {:.3} [{:.3}]   greedy baseline {:.3} [{:.3}] (greedy fits {} of {samples})",
            fraction * 100.0,
            kept_engine[n] / samples.max(1) as f64,
            pooled(pooled_engine[n]),
            kept_greedy[n] / samples.max(1) as f64,
            pooled(pooled_greedy[n]),
            greedy_fits[n]
        );
    }
    ExitCode::SUCCESS
}

/// Rests a preview shows (each item's, and each superset member's own) and
/// how many of them are off the 15 s grid: not the planned rest and not a
/// multiple of 15 s (every floor is a multiple of 15 s or the planned rest).
fn off_grid_rests(plan: &Plan, preview: &Preview) -> (usize, usize) {
    let planned =
        |id: &str| plan.blocks.iter().flat_map(|b| &b.exercises).find(|e| e.id == id).map_or(0, |e| e.rest_seconds);
    let on_grid = |shown: u32, planned: i64| i64::from(shown) == planned || shown % 15 == 0;
    let (mut shown, mut off) = (0, 0);
    for item in preview.blocks.iter().flat_map(|b| &b.items) {
        let item_planned = item.exercises.iter().map(|e| planned(&e.id)).max().unwrap_or(0);
        shown += 1;
        off += usize::from(!on_grid(item.rest_seconds, item_planned));
        if item.exercises.len() > 1 {
            for exercise in &item.exercises {
                shown += 1;
                off += usize::from(!on_grid(exercise.rest_seconds, planned(&exercise.id)));
            }
        }
    }
    (shown, off)
}

/// The comparison baseline, not the engine: greedy trimming of whole
/// accessories, as simple open-source planners do it. Drops exercises below
/// the plan's highest priority one at a time (lowest priority first, then
/// the last in plan order) until the plan as written fits `target_minutes`;
/// no supersets, no rest cuts, no set trims. Returns the sets kept and
/// whether it fit.
fn greedy_baseline(plan: &Plan, target_minutes: i64) -> (i64, bool) {
    let target_seconds = target_minutes as f64 * 60.0;
    let top = plan.blocks.iter().flat_map(|b| &b.exercises).map(|e| e.priority).min().unwrap_or(Priority::Core);
    let mut current = plan.clone();
    loop {
        let kept = planned_sets(&current);
        if plan_seconds(&current, &Pace::DEFAULT) <= target_seconds {
            return (kept, true);
        }
        // The lowest priority present below the top, last in plan order.
        let mut victim: Option<(Priority, usize, usize)> = None;
        for (b, block) in current.blocks.iter().enumerate() {
            for (e, exercise) in block.exercises.iter().enumerate() {
                if exercise.priority != top && victim.is_none_or(|(p, _, _)| exercise.priority >= p) {
                    victim = Some((exercise.priority, b, e));
                }
            }
        }
        let Some((_, b, e)) = victim else {
            return (kept, false);
        };
        current.blocks[b].exercises.remove(e);
        current.blocks.retain(|block| !block.exercises.is_empty());
    }
}

/// Nearest-rank percentile of `values` (sorted in place); NaN when empty.
fn percentile(values: &mut [f64], p: f64) -> f64 {
    if values.is_empty() {
        return f64::NAN;
    }
    values.sort_by(f64::total_cmp);
    let rank = ((p * values.len() as f64).ceil() as usize).clamp(1, values.len());
    values[rank - 1]
}

/// Sets a plan holds.
fn planned_sets(plan: &Plan) -> i64 {
    plan.blocks.iter().flat_map(|b| &b.exercises).map(|e| e.sets).sum()
}
