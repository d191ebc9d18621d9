//! A report as markdown, ready to paste in the team channel: the rollout
//! plan's update template, with the day's breakdowns and the go/no-go's
//! criteria where they apply.

use std::fmt::Write;

use crate::report::{Report, Status, Verdict};

fn mark(met: bool) -> &'static str {
    if met {
        "✅"
    } else {
        "❌"
    }
}

fn status_word(status: Status) -> &'static str {
    match status {
        Status::Green => "Green",
        Status::Yellow => "Yellow",
        Status::Red => "Red",
    }
}

/// The report as markdown.
pub fn render(report: &Report) -> String {
    let mut out = String::new();
    let title = match (report.report, report.hour) {
        ("hour", Some(hour)) => format!("Stream5 Staging Update - Hour {hour}"),
        ("day", _) => "Stream5 Staging Update - 24-Hour Checkpoint".to_owned(),
        _ => "Stream5 Staging Go/No-Go - Hour 48".to_owned(),
    };
    let _ = writeln!(out, "**{title}**");
    let _ = writeln!(
        out,
        "Window: {} to {} (hour {} to hour {} of the rollout)\n",
        report.window_start, report.window_end, report.hours.0, report.hours.1
    );
    let _ = writeln!(out, "{}", if report.report == "final" { "Success Criteria:" } else { "Key Metrics:" });
    for check in &report.checks {
        let _ = writeln!(out, "- {}: {} (Target: {}) {}", check.name, check.figure, check.target, mark(check.met));
    }
    for (title, shares) in &report.breakdowns {
        let _ = writeln!(out, "\n{title}:");
        if shares.is_empty() {
            let _ = writeln!(out, "- none");
        }
        for share in shares {
            let _ = writeln!(out, "- {}: {} ({:.1}%)", share.label, share.count, share.share * 100.0);
        }
    }
    if !report.trends.is_empty() {
        let _ = writeln!(out, "\nTrends (hours 1–4 → hours 21–24):");
        for trend in &report.trends {
            let _ = writeln!(out, "- {}: {} → {}", trend.name, trend.first_hours, trend.last_hours);
        }
    }
    let _ = writeln!(out, "\nStatus: {}", status_word(report.status));
    if report.notes.len() == 1 {
        let _ = writeln!(out, "Notes: {}", report.notes[0]);
    } else {
        let _ = writeln!(out, "Notes:");
        for note in &report.notes {
            let _ = writeln!(out, "- {note}");
        }
    }
    let _ = writeln!(out, "\nNext: {}", report.next);
    if let Some(verdict) = report.verdict {
        let word = match verdict {
            Verdict::Go => "GO",
            Verdict::NoGo => "NO-GO",
        };
        let _ = writeln!(out, "\nverdict: {word}");
        for check in report.checks.iter().filter(|c| !c.met) {
            let _ = writeln!(out, "  because: {} {} (target {})", check.name, check.figure, check.target);
        }
    }
    out
}
