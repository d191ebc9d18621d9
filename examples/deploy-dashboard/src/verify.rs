//! The verification after a save: the dashboard Grafana gives back has the
//! uid, version and folder of the save, and the same panels as the file
//! (ids, titles, types and queries), none missing, none added.

use std::collections::BTreeMap;

use crate::dashboard::{panels, Dashboard, PanelSummary};
use crate::error::DeployError;
use crate::grafana::{Saved, Stored};

/// Most differences listed in the message.
const LISTED: usize = 5;

/// Compares what was sent with what Grafana stored; `Ok` carries the number of panels compared.
pub fn verify(
    sent: &Dashboard,
    folder_uid: Option<&str>,
    saved: &Saved,
    stored: &Stored,
) -> Result<usize, DeployError> {
    let mut differences = Vec::new();
    let uid = stored.dashboard.get("uid").and_then(|v| v.as_str()).unwrap_or_default();
    if uid != sent.uid {
        differences.push(format!("uid {uid:?} instead of {:?}", sent.uid));
    }
    let version = stored.dashboard.get("version").and_then(|v| v.as_i64());
    if version != Some(saved.version) {
        differences.push(format!("version {version:?} instead of the saved {}", saved.version));
    }
    let folder = folder_uid.unwrap_or_default();
    if stored.meta.folder_uid != folder {
        differences.push(format!("folder {:?} instead of {folder:?}", stored.meta.folder_uid));
    }
    let expected = sent.panels();
    match panels(&stored.dashboard) {
        Ok(got) => differences.extend(panel_differences(&expected, &got)),
        Err(why) => differences.push(format!("the stored dashboard {why}")),
    }
    if differences.is_empty() {
        return Ok(expected.len());
    }
    let count = differences.len();
    let mut listed: Vec<String> = differences.into_iter().take(LISTED).collect();
    if count > LISTED {
        listed.push(format!("and {} more", count - LISTED));
    }
    Err(DeployError::NotVerified(format!(
        "dashboard not verified: what GET /api/dashboards/uid/{} returns differs from the file: {}",
        sent.uid,
        listed.join("; ")
    )))
}

/// Each difference between two panel lists, by panel id.
fn panel_differences(expected: &[PanelSummary], got: &[PanelSummary]) -> Vec<String> {
    let by_id = |list: &[PanelSummary]| list.iter().map(|p| (p.id, p.clone())).collect::<BTreeMap<_, _>>();
    let (expected, got) = (by_id(expected), by_id(got));
    let mut differences = Vec::new();
    for (id, want) in &expected {
        let Some(have) = got.get(id) else {
            differences.push(format!("panel {id} {:?} is missing", want.title));
            continue;
        };
        if have.title != want.title {
            differences.push(format!("panel {id} is titled {:?} instead of {:?}", have.title, want.title));
        }
        if have.kind != want.kind {
            differences.push(format!("panel {id} {:?} is a {:?} instead of a {:?}", want.title, have.kind, want.kind));
        }
        if have.queries != want.queries {
            differences.push(format!("panel {id} {:?} has other queries", want.title));
        }
    }
    for (id, extra) in &got {
        if !expected.contains_key(id) {
            differences.push(format!("panel {id} {:?} is not in the file", extra.title));
        }
    }
    differences
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::grafana::StoredMeta;
    use serde_json::{json, Value};

    fn sent() -> Dashboard {
        Dashboard::from_value(json!({"uid": "u", "title": "T", "version": 1, "panels": [
            {"id": 1, "type": "timeseries", "title": "One", "targets": [{"refId": "A", "expr": "up"}]},
            {"id": 2, "type": "timeseries", "title": "Two", "targets": [{"refId": "A", "expr": "down"}]}]}))
        .unwrap()
    }

    fn stored_as(change: impl FnOnce(&mut Value)) -> Stored {
        let mut model = Value::Object(sent().model);
        model["version"] = json!(3);
        change(&mut model);
        let Value::Object(dashboard) = model else { unreachable!() };
        Stored { dashboard, meta: StoredMeta { folder_uid: "rollout".into() } }
    }

    fn saved() -> Saved {
        Saved { uid: "u".into(), url: "/d/u/t".into(), status: "success".into(), version: 3 }
    }

    #[test]
    fn the_same_panels_back_verify() {
        assert_eq!(verify(&sent(), Some("rollout"), &saved(), &stored_as(|_| {})), Ok(2));
    }

    #[test]
    fn each_difference_is_named() {
        let message = |folder: Option<&str>, change: fn(&mut Value)| {
            verify(&sent(), folder, &saved(), &stored_as(change)).unwrap_err().to_string()
        };
        assert!(message(Some("rollout"), |m| {
            m["panels"].as_array_mut().unwrap().pop();
        })
        .contains("panel 2 \"Two\" is missing"));
        assert!(message(Some("rollout"), |m| m["panels"][0]["title"] = json!("Uno")).contains("titled \"Uno\""));
        assert!(
            message(Some("rollout"), |m| m["panels"][1]["targets"][0]["expr"] = json!("x")).contains("other queries")
        );
        assert!(message(Some("rollout"), |m| m["panels"][1]["type"] = json!("stat")).contains("is a \"stat\""));
        assert!(message(Some("rollout"), |m| m["panels"][1]["id"] = json!(9))
            .contains("panel 9 \"Two\" is not in the file"));
        assert!(
            message(Some("rollout"), |m| m["version"] = json!(2)).contains("version Some(2) instead of the saved 3")
        );
        assert!(message(None, |_| {}).contains("folder \"rollout\" instead of \"\""));
    }
}
