//! Native timing of one request, for comparison with the browser.
//!
//! Run with
//! ```not_rust
//! cargo run --release -p time-crunch-cli --bin speed -- tests/fixtures/supersets-pull-day.request.json
//! ```
//!
//! Prints the mean time of one preview and of one full sweep over repeated
//! runs (after a warm-up): engine only (`previewMicros`, `sweepMillis`) and
//! from request JSON to preview JSON, as a caller of the server twin gets it
//! (`previewJsonMicros`, `sweepJsonMillis`); the browser's figures likewise
//! include its boundary conversions.

use std::hint::black_box;
use std::process::ExitCode;
use std::time::Instant;

fn mean_seconds(runs: u32, mut work: impl FnMut()) -> f64 {
    for _ in 0..runs / 10 {
        work();
    }
    let start = Instant::now();
    for _ in 0..runs {
        work();
    }
    start.elapsed().as_secs_f64() / f64::from(runs)
}

fn main() -> ExitCode {
    let Some(path) = std::env::args().nth(1) else {
        eprintln!("usage: speed REQUEST.json");
        return ExitCode::from(2);
    };
    let text = match std::fs::read_to_string(&path) {
        Ok(text) => text,
        Err(err) => {
            eprintln!("speed: cannot read {path}: {err}");
            return ExitCode::from(2);
        }
    };
    let request = match time_crunch::wire::json::request_from_json(&text) {
        Ok(request) => request,
        Err(err) => {
            eprintln!("speed: {path}: {err}");
            return ExitCode::from(2);
        }
    };
    let preview = mean_seconds(20_000, || {
        let _ = black_box(time_crunch::preview(black_box(&request)));
    });
    let sweep = mean_seconds(500, || {
        let _ = black_box(time_crunch::sweep(black_box(&request)));
    });
    let preview_json = mean_seconds(20_000, || {
        let request = time_crunch::wire::json::request_from_json(black_box(&text));
        let _ = black_box(request.and_then(|r| time_crunch::preview(&r)).map(|p| time_crunch::wire::json::to_json(&p)));
    });
    let sweep_json = mean_seconds(500, || {
        let request = time_crunch::wire::json::request_from_json(black_box(&text));
        let _ = black_box(request.and_then(|r| time_crunch::sweep(&r)).map(|p| time_crunch::wire::json::to_json(&p)));
    });
    println!(
        "{{\"previewMicros\":{:.2},\"sweepMillis\":{:.3},\"previewJsonMicros\":{:.2},\"sweepJsonMillis\":{:.3}}}",
        preview * 1e6,
        sweep * 1e3,
        preview_json * 1e6,
        sweep_json * 1e3
    );
    ExitCode::SUCCESS
}
