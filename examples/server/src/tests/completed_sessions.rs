use super::*;

fn completed(id: &str, target: i64, estimated: f64, actual: f64) -> Value {
    event(
        id,
        "session_completed",
        serde_json::json!({"strategy": "supersets", "targetMinutes": target, "estimatedMinutes": estimated, "actualMinutes": actual}),
    )
}

#[tokio::test]
async fn completed_sessions_are_counted_by_whether_they_finished_within_target() {
    let data = TempDir::new();
    let state = state_full(FlagRule::everyone(), Some(ADMIN_TOKEN), open_store(&data.0));
    let mut no_estimate = completed("c5", 30, 29.5, 31.0);
    no_estimate.as_object_mut().unwrap().remove("estimatedMinutes");
    let mut not_a_number = completed("c6", 30, 29.5, 31.0);
    not_a_number["actualMinutes"] = "31".into();
    let batch = serde_json::json!({ "events": [
        completed("c1", 30, 29.5, 28.0),   // within target, 0.95 of the estimate
        completed("c2", 30, 29.5, 36.0),   // over, 1.22
        completed("c3", 45, 44.0, 45.0),   // exactly the target is within it
        completed("c4", 30, 29.5, 0.0),    // refused: no session takes 0 minutes
        no_estimate,                       // refused: required field missing
        not_a_number,                      // refused: the wrong type
        completed("c7", 30, 29.5, 1441.0), // refused: more than a day
    ]});
    // Sent twice: a retry is stored and counted once.
    for _ in 0..2 {
        let (status, body) = call(state.clone(), post_telemetry(&batch)).await;
        assert_eq!(status, StatusCode::ACCEPTED, "{body}");
        let body: Value = serde_json::from_str(&body).unwrap();
        assert_eq!(body["accepted"], 3, "{body}");
        let reasons: Vec<(i64, &str)> = body["rejected"]
            .as_array()
            .unwrap()
            .iter()
            .map(|r| (r["index"].as_i64().unwrap(), r["reason"].as_str().unwrap()))
            .collect();
        assert_eq!(reasons.iter().map(|(i, _)| *i).collect::<Vec<_>>(), [3, 4, 5, 6], "{body}");
        assert_eq!(reasons[0].1, "actualMinutes must be above 0 and at most 1440");
        assert_eq!(reasons[1].1, "fields required by this event type are missing");
        assert!(reasons[2].1.starts_with("invalid event: invalid type: string \"31\""), "{}", reasons[2].1);
        assert_eq!(reasons[3].1, "actualMinutes must be above 0 and at most 1440");
    }

    let text = state.metrics.render();
    let expect = |series: &str, value: f64| {
        assert_eq!(sample(&text, series), Some(value), "{series}\n{text}");
    };
    expect(r#"time_crunch_sessions_completed_total{within_target="true"}"#, 2.0);
    expect(r#"time_crunch_sessions_completed_total{within_target="false"}"#, 1.0);
    expect("time_crunch_session_actual_to_estimated_ratio_count", 3.0);
    expect(r#"time_crunch_session_actual_to_estimated_ratio_bucket{le="0.9"}"#, 0.0);
    expect(r#"time_crunch_session_actual_to_estimated_ratio_bucket{le="1"}"#, 1.0);
    expect(r#"time_crunch_session_actual_to_estimated_ratio_bucket{le="1.1"}"#, 2.0);
    expect(r#"time_crunch_session_actual_to_estimated_ratio_bucket{le="1.25"}"#, 3.0);
    expect(r#"time_crunch_telemetry_events_total{outcome="accepted"}"#, 3.0);
    expect(r#"time_crunch_telemetry_events_total{outcome="duplicate"}"#, 3.0);
    expect(r#"time_crunch_telemetry_events_total{outcome="rejected"}"#, 8.0);

    // Stored as sent, with the new fields.
    let export = Request::get("/v1/admin/telemetry?since=0")
        .header("authorization", format!("Bearer {ADMIN_TOKEN}"))
        .body(Body::empty())
        .unwrap();
    let (status, lines) = call(state, export).await;
    assert_eq!(status, StatusCode::OK);
    let without_at = |mut event: Value| {
        event.as_object_mut().unwrap().remove("at");
        event
    };
    let stored: Vec<Value> =
        lines.lines().map(|l| without_at(serde_json::from_str::<Value>(l).unwrap()["event"].clone())).collect();
    let sent: Vec<Value> = batch["events"].as_array().unwrap()[..3].iter().cloned().map(without_at).collect();
    assert_eq!(stored, sent);
}

#[tokio::test]
async fn a_batch_of_only_invalid_completed_sessions_counts_nothing() {
    let state = state_with(FlagRule::everyone());
    let batch = serde_json::json!({ "events": [completed("n1", 30, f64::MAX, 20.0), completed("n2", 30, 29.5, -5.0)] });
    let (status, body) = call(state.clone(), post_telemetry(&batch)).await;
    assert_eq!(status, StatusCode::ACCEPTED);
    let body: Value = serde_json::from_str(&body).unwrap();
    assert_eq!(body["accepted"], 0);
    assert_eq!(body["rejected"][0]["reason"], "estimatedMinutes must be above 0 and at most 1440");
    assert_eq!(body["rejected"][1]["reason"], "actualMinutes must be above 0 and at most 1440");
    let text = state.metrics.render();
    assert_eq!(sample(&text, "time_crunch_session_actual_to_estimated_ratio_count"), Some(0.0));
    assert!(!text.contains("time_crunch_sessions_completed_total{"), "no series before the first session");
}
