//! How well the engine uses the time the athlete has, over a folder of plans.
//!
//! Run with
//! ```not_rust
//! cargo run --release -p time-crunch-cli --bin corpus -- tests/corpus
//! ```
//!
//! Sweeps every `*.plan.json` in the folder over every target 15..=180 for
//! each goal, and prints the fit rate and, for previews that fit but had to
//! change the plan, the time used / target (median and 5th percentile).

use std::process::ExitCode;

use time_crunch::wire::json;
use time_crunch::{Goal, Options, PreviewRequest, Strategy};

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
            for preview in previews {
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
    ExitCode::SUCCESS
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
