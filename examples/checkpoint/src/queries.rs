//! Every PromQL expression the reports use, in one place.
//!
//! Each is written exactly as the dashboard panel (or alert) it comes from
//! writes it, `$__rate_interval` included; the tests compare them with
//! `dashboards/time-crunch.json` and `dashboards/alerts.yml`, so a report
//! and the dashboard never disagree on what a figure means. A report
//! chooses the range (`[1h]` for an hour's figure, `[5m]` for a trigger)
//! and [`Query::over`] scopes every project selector to the server twin's
//! `job`. Only raw series are read: recording rules exist in Prometheus
//! only from when it started evaluating them, so a report over past hours
//! cannot rely on them.

/// Where an expression comes from: the reference the tests check it against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Source {
    /// A target of a panel of `dashboards/time-crunch.json`: its title and `refId`.
    Panel {
        /// The panel's title.
        title: &'static str,
        /// The target's `refId`.
        ref_id: &'static str,
    },
    /// The signal of an alert of `dashboards/alerts.yml` (its expression
    /// without the comparison), with `$__rate_interval` at the alert's range.
    Alert {
        /// The alert's name.
        name: &'static str,
        /// The range the alert uses.
        range: &'static str,
    },
    /// The tool's own: which series count as the project's metrics.
    Own,
}

/// One PromQL expression and where it comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Query {
    /// The expression, with `$__rate_interval` where the range goes.
    pub expr: &'static str,
    /// The panel or alert it matches.
    pub source: Source,
}

/// Previews that fit the athlete's time, per preview.
pub const SUCCESS_RATE: Query = Query {
    expr: r#"sum(rate(time_crunch_previews_total{fits="true"}[$__rate_interval])) / sum(rate(time_crunch_previews_total[$__rate_interval]))"#,
    source: Source::Panel { title: "Previews that fit the target (model)", ref_id: "A" },
};

/// Failed previews per attempted preview (engine errors on either side and
/// server 5xx on the preview route).
pub const ERROR_RATE: Query = Query {
    expr: r#"((sum(rate(time_crunch_preview_failures_total[$__rate_interval])) or vector(0)) + (sum(rate(time_crunch_http_requests_total{route="/v1/time-crunch/preview",status=~"5.."}[$__rate_interval])) or vector(0))) / ((sum(rate(time_crunch_previews_total[$__rate_interval])) or vector(0)) + (sum(rate(time_crunch_preview_failures_total[$__rate_interval])) or vector(0)) + (sum(rate(time_crunch_http_requests_total{route="/v1/time-crunch/preview",status=~"5.."}[$__rate_interval])) or vector(0)))"#,
    source: Source::Panel { title: "Error rate", ref_id: "A" },
};

/// Mean response time of the server's preview endpoint, in seconds.
pub const MEAN_RESPONSE: Query = Query {
    expr: r#"sum(rate(time_crunch_http_request_duration_seconds_sum{route="/v1/time-crunch/preview"}[$__rate_interval])) / sum(rate(time_crunch_http_request_duration_seconds_count{route="/v1/time-crunch/preview"}[$__rate_interval]))"#,
    source: Source::Panel { title: "Preview response time (server)", ref_id: "D" },
};

/// p95 response time of the server's preview endpoint, in seconds.
pub const P95_RESPONSE: Query = Query {
    expr: r#"histogram_quantile(0.95, sum by (le) (rate(time_crunch_http_request_duration_seconds_bucket{route="/v1/time-crunch/preview"}[$__rate_interval])))"#,
    source: Source::Panel { title: "Preview response time (server)", ref_id: "B" },
};

/// Previews per second, 0 (not absent) when there are none.
pub const PREVIEW_RATE: Query = Query {
    expr: r#"(sum(rate(time_crunch_previews_total[$__rate_interval])) or vector(0))"#,
    source: Source::Alert { name: "TimeCrunchNoRequests", range: "5m" },
};

/// The server twin's resident memory, per instance.
pub const MEMORY: Query = Query {
    expr: r#"process_resident_memory_bytes{job=~"$job"}"#,
    source: Source::Panel { title: "Process memory", ref_id: "A" },
};

/// Previews per second by strategy.
pub const STRATEGIES: Query = Query {
    expr: r#"sum by (strategy) (rate(time_crunch_previews_total[$__rate_interval]))"#,
    source: Source::Panel { title: "Strategy distribution", ref_id: "A" },
};

/// Previews that could not fit, by reason and side.
pub const FALLBACK_REASONS: Query = Query {
    expr: r#"sum by (fallback_reason, source) (rate(time_crunch_previews_total{fallback_reason!="none"}[$__rate_interval]))"#,
    source: Source::Panel { title: "Fallback reasons", ref_id: "A" },
};

/// Flag evaluations by value and side.
pub const FLAG_EVALUATIONS: Query = Query {
    expr: r#"sum by (value, source) (rate(time_crunch_flag_evaluations_total[$__rate_interval]))"#,
    source: Source::Panel { title: "Flag evaluations", ref_id: "A" },
};

/// Telemetry events by outcome.
pub const TELEMETRY: Query = Query {
    expr: r#"sum by (outcome) (rate(time_crunch_telemetry_events_total[$__rate_interval]))"#,
    source: Source::Panel { title: "Telemetry ingestion", ref_id: "A" },
};

/// How many of the project's series were sampled (within Prometheus'
/// 5-minute lookback) at a time: absent when none was, which is how a
/// window with too little data shows.
pub const PROJECT_SERIES: Query = Query { expr: r#"count({__name__=~"time_crunch_.+"})"#, source: Source::Own };

/// The series selector of the project's metrics (Prometheus' series API).
pub const PROJECT_SELECTOR: &str = r#"{__name__=~"time_crunch_.+"}"#;

/// Every query, for the tests that compare them with the dashboard.
pub const ALL: &[Query] = &[
    SUCCESS_RATE,
    ERROR_RATE,
    MEAN_RESPONSE,
    P95_RESPONSE,
    PREVIEW_RATE,
    MEMORY,
    STRATEGIES,
    FALLBACK_REASONS,
    FLAG_EVALUATIONS,
    TELEMETRY,
    PROJECT_SERIES,
];

impl Query {
    /// The expression over `range_seconds`, every selector of the project's
    /// series (`time_crunch_*`, `{__name__=~…}`) and `$job` scoped to `job`
    /// (a regular expression, as the dashboard's variable is).
    pub fn over(&self, range_seconds: i64, job: &str) -> String {
        let ranged = self.expr.replace("$__rate_interval", &format!("{range_seconds}s"));
        scope_to_job(&ranged, job)
    }

    /// The plain expression (`$job` scoped), wrapped: `wrap` holds `{}`
    /// where the expression goes, e.g. `max(avg_over_time({}[30m]))`.
    pub fn wrapped(&self, wrap: &str, job: &str) -> String {
        wrap.replace("{}", &scope_to_job(self.expr, job))
    }
}

/// `job` as a PromQL string literal's content.
fn escaped(job: &str) -> String {
    job.replace('\\', "\\\\").replace('"', "\\\"")
}

/// Adds `job=~"JOB"` to every selector of a `time_crunch_*` metric and to
/// `{__name__=~…}` selectors, and fills in `$job`.
pub fn scope_to_job(expr: &str, job: &str) -> String {
    let matcher = format!(r#"job=~"{}""#, escaped(job));
    let expr = expr.replace("$job", &escaped(job));
    let mut out = String::with_capacity(expr.len() + 64);
    let bytes = expr.as_bytes();
    let mut i = 0;
    let mut in_string = false;
    while i < bytes.len() {
        let c = bytes[i] as char;
        if in_string {
            out.push(c);
            if c == '\\' && i + 1 < bytes.len() {
                out.push(bytes[i + 1] as char);
                i += 2;
                continue;
            }
            in_string = c != '"';
            i += 1;
            continue;
        }
        if c == '"' {
            in_string = true;
            out.push(c);
            i += 1;
            continue;
        }
        let starts_name = c.is_ascii_alphabetic() || c == '_';
        if starts_name && (i == 0 || !is_name_char(bytes[i - 1] as char)) {
            let end = (i..bytes.len()).find(|&j| !is_name_char(bytes[j] as char)).unwrap_or(bytes.len());
            let name = &expr[i..end];
            out.push_str(name);
            i = end;
            if name.starts_with("time_crunch_") {
                if bytes.get(i) == Some(&b'{') {
                    out.push('{');
                    out.push_str(&matcher);
                    out.push(',');
                    i += 1;
                } else {
                    out.push('{');
                    out.push_str(&matcher);
                    out.push('}');
                }
            }
            continue;
        }
        if c == '{' && expr[i..].starts_with("{__name__") {
            out.push('{');
            out.push_str(&matcher);
            out.push(',');
            i += 1;
            continue;
        }
        out.push(c);
        i += 1;
    }
    out
}

fn is_name_char(c: char) -> bool {
    c.is_ascii_alphanumeric() || c == '_' || c == ':'
}

#[cfg(test)]
mod tests {
    use super::*;

    const DASHBOARD: &str = include_str!("../../../dashboards/time-crunch.json");
    const ALERTS: &str = include_str!("../../../dashboards/alerts.yml");

    fn normalized(expr: &str) -> String {
        expr.split_whitespace().collect::<Vec<_>>().join(" ")
    }

    fn panel_expr(title: &str, ref_id: &str) -> Option<String> {
        let dashboard: serde_json::Value = serde_json::from_str(DASHBOARD).expect("dashboard JSON");
        let panel = dashboard["panels"].as_array()?.iter().find(|p| p["title"] == title)?;
        let target = panel["targets"].as_array()?.iter().find(|t| t["refId"] == ref_id)?;
        target["expr"].as_str().map(normalized)
    }

    /// The alert's expression (single line in alerts.yml), without its comparison.
    fn alert_signal(name: &str) -> Option<String> {
        let at = ALERTS.find(&format!("- alert: {name}\n"))?;
        let expr_line = ALERTS[at..].lines().find_map(|l| l.trim().strip_prefix("expr: "))?;
        let signal = expr_line.rsplit_once(" == ").or_else(|| expr_line.rsplit_once(" > "))?.0;
        Some(normalized(signal))
    }

    #[test]
    fn every_query_is_the_one_its_panel_or_alert_uses() {
        for query in ALL {
            match query.source {
                Source::Panel { title, ref_id } => assert_eq!(
                    panel_expr(title, ref_id).as_deref(),
                    Some(normalized(query.expr).as_str()),
                    "panel '{title}' {ref_id}"
                ),
                Source::Alert { name, range } => assert_eq!(
                    alert_signal(name).as_deref(),
                    Some(normalized(&query.expr.replace("$__rate_interval", range)).as_str()),
                    "alert {name}"
                ),
                Source::Own => assert!(query.expr.contains(r#"__name__=~"time_crunch_.+""#)),
            }
        }
    }

    #[test]
    fn the_triggers_ranges_are_the_recording_rules_expressions() {
        // The p95 trigger over 5 minutes is exactly the recording rule the
        // slow-responses alert reads.
        let rule = ALERTS.split("- record: time_crunch:preview_response_seconds:p95_5m").nth(1).expect("rule");
        let expr = rule.split("expr: |").nth(1).expect("expr").split("\n\n").next().expect("block");
        assert_eq!(
            normalized(expr).replace("( ", "("),
            normalized(&P95_RESPONSE.expr.replace("$__rate_interval", "5m"))
        );
    }

    #[test]
    fn every_project_selector_is_scoped_to_the_job() {
        let scoped = ERROR_RATE.over(300, "time-crunch");
        assert!(scoped.contains(r#"time_crunch_preview_failures_total{job=~"time-crunch"}[300s]"#), "{scoped}");
        assert!(scoped.contains(
            r#"time_crunch_http_requests_total{job=~"time-crunch",route="/v1/time-crunch/preview",status=~"5.."}[300s]"#
        ));
        assert_eq!(scoped.matches(r#"job=~"time-crunch""#).count(), 5);
        assert!(!scoped.contains("vector(0){"));
        assert_eq!(PROJECT_SERIES.over(60, r#"a"b"#), r#"count({job=~"a\"b",__name__=~"time_crunch_.+"})"#);
        assert_eq!(MEMORY.wrapped("max({})", "x"), r#"max(process_resident_memory_bytes{job=~"x"})"#);
        // Recording rules' names (time_crunch:…) are not raw series and are left alone.
        assert_eq!(scope_to_job("time_crunch:preview_errors:rate5m", "x"), "time_crunch:preview_errors:rate5m");
    }
}
