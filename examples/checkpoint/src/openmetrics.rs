//! Writes series in the OpenMetrics text format as `promtool tsdb
//! create-blocks-from openmetrics` reads it: each family with its `# TYPE`
//! and `# HELP`, every sample with a timestamp in seconds, each series'
//! samples in time order, and `# EOF` at the end.

use std::io::{self, Write};

/// A metric family's type.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A counter (samples named `<family>_total`).
    Counter,
    /// A gauge.
    Gauge,
    /// A histogram (`_bucket`, `_count`, `_sum`).
    Histogram,
}

/// One series: its full sample name, labels and one value per timestamp.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// The sample's name, e.g. `time_crunch_previews_total`.
    pub name: String,
    /// Its labels, in order.
    pub labels: Vec<(String, String)>,
    /// One value per timestamp of the file.
    pub values: Vec<f64>,
}

/// A metric family and its series.
#[derive(Debug, Clone, PartialEq)]
pub struct Family {
    /// The family's name (a counter's without `_total`).
    pub name: &'static str,
    /// Its help text.
    pub help: &'static str,
    /// Its type.
    pub kind: Kind,
    /// Its series.
    pub series: Vec<Series>,
}

fn escape(value: &str) -> String {
    value.replace('\\', "\\\\").replace('"', "\\\"").replace('\n', "\\n")
}

/// Writes `families` with samples at `timestamps` (unix seconds).
pub fn write(out: &mut impl Write, families: &[Family], timestamps: &[i64]) -> io::Result<()> {
    for family in families {
        let kind = match family.kind {
            Kind::Counter => "counter",
            Kind::Gauge => "gauge",
            Kind::Histogram => "histogram",
        };
        writeln!(out, "# TYPE {} {kind}", family.name)?;
        writeln!(out, "# HELP {} {}", family.name, family.help)?;
        for series in &family.series {
            let labels: Vec<String> = series.labels.iter().map(|(k, v)| format!("{k}=\"{}\"", escape(v))).collect();
            let head = format!("{}{{{}}}", series.name, labels.join(","));
            for (value, t) in series.values.iter().zip(timestamps) {
                writeln!(out, "{head} {value} {t}")?;
            }
        }
    }
    writeln!(out, "# EOF")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn families_series_in_time_order_and_eof() {
        let families = [Family {
            name: "x",
            help: "An x.",
            kind: Kind::Counter,
            series: vec![Series {
                name: "x_total".into(),
                labels: vec![("job".into(), "a\"b".into())],
                values: vec![1.0, 2.5],
            }],
        }];
        let mut out = Vec::new();
        write(&mut out, &families, &[60, 120]).expect("write");
        assert_eq!(
            String::from_utf8(out).expect("utf-8"),
            "# TYPE x counter\n# HELP x An x.\nx_total{job=\"a\\\"b\"} 1 60\nx_total{job=\"a\\\"b\"} 2.5 120\n# EOF\n"
        );
    }
}
