//! The dashboard being deployed: read from its file, the body of Grafana's
//! save request, and the panels a verification compares.

use std::path::Path;

use serde_json::{json, Map, Value};

use crate::error::DeployError;

/// The largest dashboard file read (ours is about 30 KB).
const MAX_FILE_BYTES: u64 = 5 * 1024 * 1024;

/// A dashboard model read from a file, with the fields the deployment relies on checked.
#[derive(Debug, Clone)]
pub struct Dashboard {
    /// The model as the file has it.
    pub model: Map<String, Value>,
    /// Its `uid`: the dashboard's identity in every Grafana, and in its URL.
    pub uid: String,
    /// Its `title`.
    pub title: String,
}

/// What a panel must be after the round trip through Grafana: its id, title, type and queries.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PanelSummary {
    /// The panel's `id` (unique in the dashboard).
    pub id: i64,
    /// The panel's `title`.
    pub title: String,
    /// The panel's plugin (`timeseries`, `row`, ...).
    pub kind: String,
    /// Each query as `(refId, expr)`.
    pub queries: Vec<(String, String)>,
}

impl Dashboard {
    /// Reads and checks a dashboard file.
    pub fn read(path: &Path) -> Result<Dashboard, DeployError> {
        let shown = path.display();
        let size = std::fs::metadata(path)
            .map_err(|e| DeployError::Config(format!("cannot read the dashboard {shown}: {e}")))?
            .len();
        if size > MAX_FILE_BYTES {
            return Err(DeployError::Config(format!(
                "the dashboard {shown} is {size} bytes, more than the {MAX_FILE_BYTES} a dashboard file may have"
            )));
        }
        let text = std::fs::read_to_string(path)
            .map_err(|e| DeployError::Config(format!("cannot read the dashboard {shown}: {e}")))?;
        let value: Value = serde_json::from_str(&text)
            .map_err(|e| DeployError::Config(format!("the dashboard {shown} is not JSON: {e}")))?;
        Dashboard::from_value(value).map_err(|why| DeployError::Config(format!("the dashboard {shown} {why}")))
    }

    /// Checks a dashboard model: an object with a uid, a title and panels that each have an id and a title.
    pub fn from_value(value: Value) -> Result<Dashboard, String> {
        let Value::Object(model) = value else {
            return Err("is not a JSON object".into());
        };
        let text = |field: &str| model.get(field).and_then(Value::as_str).map(str::trim).filter(|s| !s.is_empty());
        let uid = text("uid").ok_or("has no \"uid\": without one Grafana makes up a new dashboard on every deploy")?;
        let title = text("title").ok_or("has no \"title\"")?.to_string();
        let uid = uid.to_string();
        let dashboard = Dashboard { model, uid, title };
        let panels = panels(&dashboard.model)?;
        if panels.is_empty() {
            return Err("has no panels".into());
        }
        let mut ids: Vec<i64> = panels.iter().map(|p| p.id).collect();
        ids.sort_unstable();
        if let Some(pair) = ids.windows(2).find(|pair| pair[0] == pair[1]) {
            return Err(format!("has two panels with id {}", pair[0]));
        }
        Ok(dashboard)
    }

    /// The body of `POST /api/dashboards/db`, as Grafana's dashboard HTTP API documents it.
    pub fn save_request(&self, folder_uid: Option<&str>, overwrite: bool, message: &str) -> Value {
        let mut body = json!({ "dashboard": self.model, "overwrite": overwrite, "message": message });
        // Without folderUid Grafana saves into (or moves the dashboard to) the General folder.
        if let Some(uid) = folder_uid {
            body["folderUid"] = json!(uid);
        }
        body
    }

    /// The panels of this dashboard, rows' nested panels included.
    pub fn panels(&self) -> Vec<PanelSummary> {
        panels(&self.model).expect("checked when read")
    }
}

/// The panels of a dashboard model (rows' collapsed panels included), or why they cannot be read.
pub fn panels(model: &Map<String, Value>) -> Result<Vec<PanelSummary>, String> {
    let mut found = Vec::new();
    let list = match model.get("panels") {
        Some(Value::Array(list)) => list,
        Some(_) => return Err("has \"panels\" that are not a list".into()),
        None => return Ok(found),
    };
    for (index, panel) in list.iter().enumerate() {
        collect(panel, &format!("panels[{index}]"), &mut found)?;
    }
    Ok(found)
}

fn collect(panel: &Value, path: &str, found: &mut Vec<PanelSummary>) -> Result<(), String> {
    let id =
        panel.get("id").and_then(Value::as_i64).ok_or_else(|| format!("has a panel without a numeric id at {path}"))?;
    let text = |value: Option<&Value>| value.and_then(Value::as_str).unwrap_or_default().to_string();
    let mut queries = Vec::new();
    if let Some(Value::Array(targets)) = panel.get("targets") {
        for target in targets {
            queries.push((text(target.get("refId")), text(target.get("expr"))));
        }
    }
    found.push(PanelSummary { id, title: text(panel.get("title")), kind: text(panel.get("type")), queries });
    if let Some(Value::Array(nested)) = panel.get("panels") {
        for (index, inner) in nested.iter().enumerate() {
            collect(inner, &format!("{path}.panels[{index}]"), found)?;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn project_dashboard() -> Dashboard {
        Dashboard::read(&Path::new(env!("CARGO_MANIFEST_DIR")).join("../../dashboards/time-crunch.json")).unwrap()
    }

    #[test]
    fn the_project_dashboard_reads_with_its_uid_and_every_panel() {
        let dashboard = project_dashboard();
        assert_eq!((dashboard.uid.as_str(), dashboard.title.as_str()), ("time-crunch", "Time Crunch"));
        let panels = dashboard.panels();
        assert_eq!(panels.len(), dashboard.model["panels"].as_array().unwrap().len());
        assert!(panels.iter().all(|p| !p.title.is_empty() && !p.queries.is_empty()));
        assert!(panels.iter().flat_map(|p| &p.queries).all(|(ref_id, expr)| !ref_id.is_empty() && !expr.is_empty()));
    }

    #[test]
    fn the_save_request_is_the_documented_body() {
        let dashboard = project_dashboard();
        let body = dashboard.save_request(Some("rollout"), true, "why");
        assert_eq!(body["dashboard"], Value::Object(dashboard.model.clone()));
        assert_eq!(
            (&body["folderUid"], &body["overwrite"], &body["message"]),
            (&json!("rollout"), &json!(true), &json!("why"))
        );
        let general = dashboard.save_request(None, false, "why");
        assert!(general.get("folderUid").is_none());
        assert_eq!(general["overwrite"], json!(false));
    }

    #[test]
    fn a_model_the_deployment_cannot_rely_on_is_refused_with_the_reason() {
        let refuse = |value: Value| Dashboard::from_value(value).unwrap_err();
        assert_eq!(refuse(json!([])), "is not a JSON object");
        assert!(refuse(json!({"title": "T", "panels": []})).contains("has no \"uid\""));
        assert_eq!(refuse(json!({"uid": "u", "panels": []})), "has no \"title\"");
        assert_eq!(refuse(json!({"uid": "u", "title": "T"})), "has no panels");
        assert_eq!(refuse(json!({"uid": "u", "title": "T", "panels": {}})), "has \"panels\" that are not a list");
        assert!(refuse(json!({"uid": "u", "title": "T", "panels": [{"title": "x"}]})).contains("at panels[0]"));
        assert_eq!(
            refuse(json!({"uid": "u", "title": "T", "panels": [{"id": 1}, {"id": 1}]})),
            "has two panels with id 1"
        );
    }

    #[test]
    fn rows_nested_panels_are_counted() {
        let dashboard = Dashboard::from_value(json!({"uid": "u", "title": "T", "panels": [
            {"id": 1, "type": "row", "title": "R", "panels": [{"id": 2, "type": "timeseries", "title": "P",
             "targets": [{"refId": "A", "expr": "up"}]}]}]}))
        .unwrap();
        let panels = dashboard.panels();
        assert_eq!(panels.iter().map(|p| p.id).collect::<Vec<_>>(), vec![1, 2]);
        assert_eq!(panels[1].queries, vec![("A".to_string(), "up".to_string())]);
    }
}
