//! Applies a preview back into a [`Plan`] of the same contract, so the host
//! app can save the compressed session.
//!
//! Supersets become `supersetGroup`s named `superset-1`, `superset-2`, ...
//! (the preview does not carry the author's group names). Because a plan
//! superset rests the largest `restSeconds` of its members between rounds,
//! each member's rest is capped at the item's rest and the longest is set to
//! it, so the applied plan times exactly like the preview.

use crate::error::{Error, ErrorCode, Path};
use crate::preview::{Preview, PreviewBlock};
use crate::request::{Block, Exercise, Plan};
use crate::validate::validate_plan;
use crate::wire::number::push_decimal;

/// What applying uses of a preview: which plan it compresses, and the
/// session. The rest of a preview summarizes the session for the athlete.
#[derive(Debug, Clone, PartialEq)]
pub struct PreviewSession {
    /// Id of the plan the preview compresses.
    pub plan_id: String,
    /// Name of that plan.
    pub plan_name: String,
    /// The compressed session.
    pub blocks: Vec<PreviewBlock>,
}

/// The plan a preview describes.
pub fn apply_preview(preview: &Preview) -> Result<Plan, Error> {
    apply_session(&preview.plan_id, &preview.plan_name, &preview.blocks)
}

/// The plan a preview's session describes (see [`PreviewSession`]).
pub fn apply_session(plan_id: &str, plan_name: &str, preview_blocks: &[PreviewBlock]) -> Result<Plan, Error> {
    let root = Path::root();
    if preview_blocks.is_empty() {
        return Err(Error::at(ErrorCode::InvalidPreview, "a preview holds at least one block", &root.field("blocks")));
    }
    let mut group_number = 0u64;
    let mut blocks = Vec::with_capacity(preview_blocks.len());
    for (b, block) in preview_blocks.iter().enumerate() {
        let mut exercises = Vec::new();
        for (i, item) in block.items.iter().enumerate() {
            let members = item.exercises.len();
            if !(1..=crate::config::MAX_SUPERSET_SIZE).contains(&members) {
                return Err(Error::at(
                    ErrorCode::InvalidPreview,
                    "an item holds from 1 to 3 exercises",
                    &root.field("blocks").index(b).field("items").index(i).field("exercises"),
                ));
            }
            let group = (members > 1).then(|| {
                group_number += 1;
                let mut name = String::from("superset-");
                push_decimal(&mut name, group_number);
                name
            });
            let rests: Vec<u32> = item
                .exercises
                .iter()
                .map(|e| if members == 1 { item.rest_seconds } else { e.rest_seconds.min(item.rest_seconds) })
                .collect();
            let longest = rests.iter().enumerate().max_by_key(|&(n, r)| (*r, std::cmp::Reverse(n))).map(|(n, _)| n);
            for (n, e) in item.exercises.iter().enumerate() {
                let rest = if Some(n) == longest { item.rest_seconds } else { rests[n] };
                exercises.push(Exercise {
                    id: e.id.clone(),
                    name: e.name.clone(),
                    priority: e.priority,
                    pattern: e.pattern,
                    muscles: e.muscles.clone(),
                    equipment: e.equipment,
                    sets: i64::from(e.sets),
                    reps: e.reps.map(i64::from),
                    duration_seconds: e.duration_seconds.map(i64::from),
                    rest_seconds: i64::from(rest),
                    seconds_per_rep: Some(e.seconds_per_rep),
                    unilateral: Some(e.unilateral),
                    superset_group: group.clone(),
                });
            }
        }
        blocks.push(Block { id: block.id.clone(), name: block.name.clone(), kind: block.kind, exercises });
    }
    let plan = Plan { id: plan_id.to_owned(), name: plan_name.to_owned(), blocks };
    validate_plan(&plan).map_err(|e| Error { code: ErrorCode::InvalidPreview, ..e })?;
    Ok(plan)
}
