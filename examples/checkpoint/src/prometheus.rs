//! Prometheus' HTTP API: instant queries, range queries and the series
//! endpoint, each failure as a sentence naming Prometheus' URL.

use std::collections::BTreeMap;
use std::time::Duration;

use jiff::Timestamp;
use reqwest::blocking::Client;
use reqwest::Url;
use serde::Deserialize;

use crate::error::CheckpointError;

/// How long one call may take.
const CALL_TIMEOUT: Duration = Duration::from_secs(30);

/// A series' labels.
pub type Labels = BTreeMap<String, String>;

/// One value of an instant query.
#[derive(Debug, Clone, PartialEq)]
pub struct Sample {
    /// Its labels.
    pub labels: Labels,
    /// Its value (NaN when Prometheus says so, e.g. 0 / 0).
    pub value: f64,
}

/// One series of a range query: (unix seconds, value), in time order.
#[derive(Debug, Clone, PartialEq)]
pub struct Series {
    /// Its labels.
    pub labels: Labels,
    /// Its points.
    pub points: Vec<(i64, f64)>,
}

/// A Prometheus server.
#[derive(Debug, Clone)]
pub struct Prometheus {
    base: Url,
    client: Client,
}

#[derive(Deserialize)]
struct Answer {
    status: String,
    #[serde(default)]
    data: serde_json::Value,
    #[serde(default)]
    error: Option<String>,
}

#[derive(Deserialize)]
struct VectorItem {
    metric: Labels,
    value: (f64, String),
}

#[derive(Deserialize)]
struct MatrixItem {
    metric: Labels,
    values: Vec<(f64, String)>,
}

impl Prometheus {
    /// A client for the Prometheus at `base` (its base URL).
    pub fn new(base: Url) -> Result<Self, CheckpointError> {
        let client = Client::builder()
            .no_proxy()
            .timeout(CALL_TIMEOUT)
            .connect_timeout(Duration::from_secs(5))
            .build()
            .map_err(|e| CheckpointError::new(format!("cannot build the HTTP client: {e}")))?;
        Ok(Prometheus { base, client })
    }

    /// `expr` evaluated at `at`.
    pub fn instant(&self, expr: &str, at: Timestamp) -> Result<Vec<Sample>, CheckpointError> {
        let data = self.call("api/v1/query", &[("query", expr.to_owned()), ("time", at.as_second().to_string())])?;
        let items: Vec<VectorItem> = result_of(&data, "vector", expr)?;
        Ok(items.into_iter().map(|i| Sample { labels: i.metric, value: number(&i.value.1) }).collect())
    }

    /// `expr` evaluated at `at`: the value of its single series, `None` when
    /// it has none (or the value is NaN: a ratio of nothing).
    pub fn scalar(&self, expr: &str, at: Timestamp) -> Result<Option<f64>, CheckpointError> {
        let samples = self.instant(expr, at)?;
        Ok(samples.first().map(|s| s.value).filter(|v| v.is_finite()))
    }

    /// `expr` evaluated every `step` seconds from `start` to `end`.
    pub fn range(
        &self,
        expr: &str,
        start: Timestamp,
        end: Timestamp,
        step: i64,
    ) -> Result<Vec<Series>, CheckpointError> {
        let params = [
            ("query", expr.to_owned()),
            ("start", start.as_second().to_string()),
            ("end", end.as_second().to_string()),
            ("step", step.to_string()),
        ];
        let data = self.call("api/v1/query_range", &params)?;
        let items: Vec<MatrixItem> = result_of(&data, "matrix", expr)?;
        Ok(items
            .into_iter()
            .map(|i| Series {
                labels: i.metric,
                points: i.values.iter().map(|(t, v)| (*t as i64, number(v))).collect(),
            })
            .collect())
    }

    /// How many series match `selector` between `start` and `end`.
    pub fn series_count(&self, selector: &str, start: Timestamp, end: Timestamp) -> Result<usize, CheckpointError> {
        let params = [
            ("match[]", selector.to_owned()),
            ("start", start.as_second().to_string()),
            ("end", end.as_second().to_string()),
        ];
        let data = self.call("api/v1/series", &params)?;
        data.as_array().map(Vec::len).ok_or_else(|| self.odd_answer("api/v1/series"))
    }

    fn call(&self, path: &str, params: &[(&str, String)]) -> Result<serde_json::Value, CheckpointError> {
        let mut url = self.base.clone();
        if !url.path().ends_with('/') {
            url.set_path(&format!("{}/", url.path()));
        }
        let mut url = url.join(path).map_err(|e| CheckpointError::new(format!("bad --prometheus URL: {e}")))?;
        url.query_pairs_mut().extend_pairs(params.iter().map(|(k, v)| (*k, v.as_str())));
        let response = self.client.get(url).send().map_err(|e| {
            CheckpointError::new(format!("Prometheus at {} could not be reached: {}.", self.base, reqwest_reason(&e)))
        })?;
        let status = response.status();
        let body = response.text().unwrap_or_default();
        match serde_json::from_str::<Answer>(&body) {
            Ok(answer) if answer.status == "success" => Ok(answer.data),
            Ok(answer) => Err(CheckpointError::new(format!(
                "Prometheus at {} answered {status} to {path}: {}.",
                self.base,
                answer.error.unwrap_or_else(|| "no reason given".to_owned())
            ))),
            Err(_) => Err(CheckpointError::new(format!(
                "Prometheus at {} answered {status} to {path} with something that is not Prometheus' API \
                 (is --prometheus Prometheus' base URL?).",
                self.base
            ))),
        }
    }

    fn odd_answer(&self, path: &str) -> CheckpointError {
        CheckpointError::new(format!("Prometheus at {} answered {path} in an unexpected shape.", self.base))
    }
}

fn result_of<T: serde::de::DeserializeOwned>(
    data: &serde_json::Value,
    kind: &str,
    expr: &str,
) -> Result<Vec<T>, CheckpointError> {
    if data["resultType"] != kind {
        return Err(CheckpointError::new(format!(
            "Prometheus answered `{expr}` with a {} result, not a {kind}.",
            data["resultType"]
        )));
    }
    serde_json::from_value(data["result"].clone())
        .map_err(|e| CheckpointError::new(format!("Prometheus' answer to `{expr}` is not in its API's shape: {e}")))
}

/// Prometheus writes values as strings: numbers, `NaN`, `+Inf`, `-Inf`.
fn number(text: &str) -> f64 {
    match text {
        "+Inf" => f64::INFINITY,
        "-Inf" => f64::NEG_INFINITY,
        _ => text.parse().unwrap_or(f64::NAN),
    }
}

/// The innermost cause: "Connection refused (os error 111)" rather than
/// reqwest's "error sending request".
fn reqwest_reason(error: &reqwest::Error) -> String {
    let mut source: &dyn std::error::Error = error;
    while let Some(inner) = source.source() {
        source = inner;
    }
    if error.is_timeout() {
        format!("no answer within {} s", CALL_TIMEOUT.as_secs())
    } else {
        source.to_string()
    }
}
