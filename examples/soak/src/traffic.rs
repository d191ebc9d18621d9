//! The traffic mix: what a fleet of browsers sends the server twin. Most
//! calls are previews of the corpus plans at targets from 15 to 180 minutes
//! (the ends always among them) with varied options, some are the golden
//! fixtures (invalid requests among them, which must get their typed error),
//! and the rest are flag evaluations and telemetry batches.

use std::path::Path;

use serde_json::{json, Value};
use time_crunch::api::FLAG_KEY;
use time_crunch::config::TARGET_MINUTES;

/// The kinds of call, reported separately.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    /// `POST /v1/time-crunch/preview`.
    Preview,
    /// `GET /v1/flags/{key}`.
    Flag,
    /// `POST /v1/telemetry`.
    Telemetry,
}

impl Kind {
    /// Every kind, in report order.
    pub const ALL: [Kind; 3] = [Kind::Preview, Kind::Flag, Kind::Telemetry];

    /// Name in the report.
    pub fn name(self) -> &'static str {
        match self {
            Kind::Preview => "preview",
            Kind::Flag => "flag",
            Kind::Telemetry => "telemetry",
        }
    }
}

/// What a correct answer looks like.
#[derive(Debug, Clone, PartialEq)]
pub enum Expect {
    /// 200 with a preview for this target.
    Preview { target: i64 },
    /// A 4xx error envelope with this code.
    Error { code: String },
    /// 202 accepting this many events.
    Accepted { events: usize },
    /// 200 with an evaluation of the flag.
    Evaluation,
}

/// One request to send.
#[derive(Debug, Clone)]
pub struct Call {
    /// For the report.
    pub kind: Kind,
    /// `GET` when there is no body, `POST` otherwise.
    pub body: Option<String>,
    /// Path and query.
    pub path: String,
    /// Sent in the user-key header.
    pub user: String,
    /// What a correct answer looks like.
    pub expect: Expect,
}

/// A golden case: its request and the error code it must get, if any.
#[derive(Debug, Clone)]
struct Fixture {
    request: String,
    error: Option<String>,
}

/// Plans, fixtures and users, and a deterministic generator of calls.
#[derive(Debug)]
pub struct Traffic {
    plans: Vec<Value>,
    fixtures: Vec<Fixture>,
    users: Vec<String>,
    run: String,
}

impl Traffic {
    /// Loads `*.plan.json` from `corpus` and `*.request.json` (with their
    /// `.error.json`, if any) from `fixtures`.
    pub fn load(corpus: &Path, fixtures: &Path, run: String) -> Result<Traffic, String> {
        let mut plans = Vec::new();
        for (name, text) in read_dir(corpus, ".plan.json")? {
            plans.push(serde_json::from_str(&text).map_err(|e| format!("{name}: {e}"))?);
        }
        let mut cases = Vec::new();
        for (name, request) in read_dir(fixtures, ".request.json")? {
            let error_file = fixtures.join(name.replace(".request.json", ".error.json"));
            let error = match std::fs::read_to_string(&error_file) {
                Ok(text) => {
                    let value: Value =
                        serde_json::from_str(&text).map_err(|e| format!("{}: {e}", error_file.display()))?;
                    Some(
                        value["error"]["code"]
                            .as_str()
                            .ok_or(format!("{}: no error code", error_file.display()))?
                            .into(),
                    )
                }
                Err(_) => None,
            };
            cases.push(Fixture { request, error });
        }
        if plans.is_empty() || cases.is_empty() {
            return Err(format!("no plans in {} or no requests in {}", corpus.display(), fixtures.display()));
        }
        Ok(Traffic { plans, fixtures: cases, users: Vec::new(), run })
    }

    /// Candidate user keys; the soak keeps those the flag is on for.
    pub fn candidate_users(&self, n: usize) -> Vec<String> {
        (0..n).map(|i| format!("soak-user-{i}")).collect()
    }

    /// The users previews are sent for.
    pub fn set_users(&mut self, users: Vec<String>) {
        self.users = users;
    }

    /// Call number `n` (the same `n` and seed always give the same call).
    pub fn call(&self, seed: u64, n: u64) -> Call {
        let mut rng = Rng::new(seed ^ n.wrapping_mul(0x9E37_79B9_7F4A_7C15));
        let user = self.users[rng.below(self.users.len())].clone();
        match rng.below(100) {
            0..=69 => self.preview(&mut rng, user),
            70..=84 => Call {
                kind: Kind::Flag,
                body: None,
                path: format!("/v1/flags/{FLAG_KEY}?userKey={user}"),
                user,
                expect: Expect::Evaluation,
            },
            _ => self.telemetry(&mut rng, user, n),
        }
    }

    fn preview(&self, rng: &mut Rng, user: String) -> Call {
        let path = "/v1/time-crunch/preview".to_owned();
        // One preview in ten is a golden case, invalid requests included.
        if rng.below(10) == 0 {
            let fixture = &self.fixtures[rng.below(self.fixtures.len())];
            let expect = match &fixture.error {
                Some(code) => Expect::Error { code: code.clone() },
                None => Expect::Preview {
                    target: serde_json::from_str::<Value>(&fixture.request)
                        .ok()
                        .and_then(|v| v["targetMinutes"].as_i64())
                        .unwrap_or(0),
                },
            };
            return Call { kind: Kind::Preview, body: Some(fixture.request.clone()), path, user, expect };
        }
        let plan = &self.plans[rng.below(self.plans.len())];
        // The ends of the range are the hardest cases; a fifth of previews use them.
        let (lowest, highest) = (*TARGET_MINUTES.start(), *TARGET_MINUTES.end());
        let target = match rng.below(10) {
            0 => lowest,
            1 => highest,
            _ => lowest + rng.below(TARGET_MINUTES.count()) as i64,
        };
        let mut request = json!({ "plan": plan, "targetMinutes": target });
        if rng.below(2) == 0 {
            let goal = ["general", "strength", "hypertrophy"][rng.below(3)];
            let mut options = json!({ "goal": goal, "allowSupersets": rng.below(4) != 0 });
            if let Some(id) = self.some_exercise(plan, rng) {
                options["keep"] = json!([id]);
            }
            request["options"] = options;
        }
        Call { kind: Kind::Preview, body: Some(request.to_string()), path, user, expect: Expect::Preview { target } }
    }

    fn some_exercise(&self, plan: &Value, rng: &mut Rng) -> Option<String> {
        let ids: Vec<&str> = plan["blocks"]
            .as_array()?
            .iter()
            .flat_map(|b| b["exercises"].as_array().into_iter().flatten())
            .filter_map(|e| e["id"].as_str())
            .collect();
        (!ids.is_empty() && rng.below(2) == 0).then(|| ids[rng.below(ids.len())].to_owned())
    }

    /// A batch as the browser module sends it: 1 to 50 events of a session.
    fn telemetry(&self, rng: &mut Rng, user: String, n: u64) -> Call {
        let now =
            std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map_or(0, |d| d.as_millis() as i64);
        let count = 1 + rng.below(50);
        let session = format!("{}-s{}", self.run, n % 1000);
        let strategies = ["full_accessory_blocks", "reduced_rest", "supersets", "core_plus_supersets", "core_only"];
        let events: Vec<Value> = (0..count)
            .map(|i| {
                let mut event = json!({
                    "id": format!("{}-{n}-{i}", self.run), "at": now - rng.below(5000) as i64,
                    "sessionId": session, "userKey": user,
                });
                match rng.below(10) {
                    0..=5 => {
                        let fits = rng.below(50) != 0;
                        event["type"] = "preview_generated".into();
                        event["strategy"] = strategies[rng.below(strategies.len())].into();
                        event["targetMinutes"] = (15 + rng.below(166) as i64).into();
                        event["fits"] = fits.into();
                        event["generationMs"] = (0.02 + rng.below(200) as f64 / 1000.0).into();
                        if !fits {
                            event["fallbackReason"] = "target_below_minimum".into();
                        }
                    }
                    6 => event["type"] = "modal_opened".into(),
                    7 => event["type"] = "preview_applied".into(),
                    8 => {
                        event["type"] = "flag_evaluated".into();
                        event["flagValue"] = true.into();
                    }
                    _ => {
                        event["type"] = "preview_failed".into();
                        event["errorCode"] = "invalid_plan".into();
                    }
                }
                event
            })
            .collect();
        Call {
            kind: Kind::Telemetry,
            body: Some(json!({ "events": events }).to_string()),
            path: "/v1/telemetry".into(),
            user,
            expect: Expect::Accepted { events: count },
        }
    }
}

fn read_dir(dir: &Path, suffix: &str) -> Result<Vec<(String, String)>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("cannot read {}: {e}", dir.display()))?;
    let mut files = Vec::new();
    for entry in entries.flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        if name.ends_with(suffix) {
            let text = std::fs::read_to_string(entry.path()).map_err(|e| format!("{name}: {e}"))?;
            files.push((name, text));
        }
    }
    files.sort();
    Ok(files)
}

/// SplitMix64: a small, seedable generator (the mix needs no more).
struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed)
    }

    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `0..n` (n > 0); the modulo bias is negligible here.
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn traffic() -> Traffic {
        let tests = Path::new(crate::args::TESTS_DIR);
        let mut traffic = Traffic::load(&tests.join("corpus"), &tests.join("fixtures"), "t".into()).unwrap();
        traffic.set_users(vec!["u".into()]);
        traffic
    }

    #[test]
    fn the_mix_covers_every_kind_both_ends_of_the_range_and_invalid_requests() {
        let traffic = traffic();
        let calls: Vec<Call> = (0..2000).map(|n| traffic.call(7, n)).collect();
        for kind in Kind::ALL {
            assert!(calls.iter().any(|c| c.kind == kind), "{kind:?}");
        }
        for target in [15, 180] {
            assert!(calls.iter().any(|c| c.expect == Expect::Preview { target }), "{target}");
        }
        assert!(calls.iter().any(|c| matches!(c.expect, Expect::Error { .. })));
        // Deterministic: the same seed and number give the same call.
        assert_eq!(traffic.call(7, 5).body, calls[5].body);
    }

    #[test]
    fn corpus_previews_are_valid_requests_the_engine_answers() {
        let traffic = traffic();
        for n in 0..300 {
            let call = traffic.call(3, n);
            if let (Expect::Preview { target }, Some(body)) = (&call.expect, &call.body) {
                let request = time_crunch::wire::json::request_from_json(body).unwrap();
                assert_eq!(time_crunch::preview(&request).unwrap().target_minutes, *target);
            }
        }
    }
}
