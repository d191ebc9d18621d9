//! The invariants of SPEC §8, written from the spec (not from the engine's
//! internals) so they check the engine rather than restate it.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use time_crunch::estimate::{minutes, plan_seconds, preview_seconds};
use time_crunch::{
    BlockKind, ChangeKind, Equipment, Exercise, Goal, Muscle, Preview, PreviewRequest, Priority, Strategy,
};

/// A change as (kind, exercise ids, from, to), reason aside.
type ChangeKey = (String, Vec<String>, Option<u32>, Option<u32>);

struct PlanFacts<'a> {
    by_id: HashMap<&'a str, (&'a Exercise, BlockKind, usize)>,
    top_priority: Priority,
    goal: Goal,
    keep: BTreeSet<&'a str>,
    allow_supersets: bool,
}

impl<'a> PlanFacts<'a> {
    fn new(request: &'a PreviewRequest) -> Self {
        let mut by_id = HashMap::new();
        for (b, block) in request.plan.blocks.iter().enumerate() {
            for exercise in &block.exercises {
                by_id.insert(exercise.id.as_str(), (exercise, block.kind, b));
            }
        }
        let options = request.options.clone().unwrap_or_default();
        let keep = request
            .options
            .as_ref()
            .and_then(|o| o.keep.as_ref())
            .map(|k| k.iter().map(String::as_str).collect())
            .unwrap_or_default();
        PlanFacts {
            top_priority: by_id.values().map(|(e, _, _)| e.priority).min().unwrap(),
            by_id,
            goal: options.goal.unwrap_or_default(),
            keep,
            allow_supersets: options.allow_supersets.unwrap_or(true),
        }
    }

    fn exercise(&self, id: &str) -> &'a Exercise {
        self.by_id[id].0
    }

    fn plays_core(&self, id: &str) -> bool {
        self.exercise(id).priority == self.top_priority
    }

    fn rest_floor(&self, id: &str) -> i64 {
        let e = self.exercise(id);
        let compound = e.pattern.is_compound();
        let floor = if self.plays_core(id) && e.reps.is_some_and(|r| r <= 6) {
            if self.goal == Goal::Strength {
                180
            } else {
                120
            }
        } else if compound {
            90
        } else {
            45
        };
        e.rest_seconds.min(floor)
    }

    /// The author's superset key, if the exercise is in one of 2+ members.
    fn author_group(&self, request: &PreviewRequest, id: &str) -> Option<(usize, String)> {
        let (e, _, b) = self.by_id[id];
        let group = e.superset_group.clone()?;
        let members =
            request.plan.blocks[b].exercises.iter().filter(|x| x.superset_group.as_ref() == Some(&group)).count();
        (members >= 2).then_some((b, group))
    }
}

fn shares_muscle(a: &[Muscle], b: &[Muscle]) -> bool {
    a.contains(&Muscle::FullBody) || b.contains(&Muscle::FullBody) || a.iter().any(|m| b.contains(m))
}

/// Checks one preview against its request. Returns what is wrong.
pub fn check_preview(request: &PreviewRequest, preview: &Preview) -> Result<(), String> {
    let facts = PlanFacts::new(request);
    let target_seconds = preview.target_minutes as f64 * 60.0;
    let seconds = preview_seconds(preview);
    let pace = request.options.as_ref().and_then(|o| o.pace).unwrap_or_default();
    let original = plan_seconds(&request.plan, &pace);
    if preview.pace.unwrap_or_default() != pace {
        return Err(format!("the preview records pace {:?} but the request asked for {pace:?}", preview.pace));
    }

    if preview.estimated_minutes != minutes(seconds) {
        return Err(format!("estimatedMinutes {} but recomputed {}", preview.estimated_minutes, minutes(seconds)));
    }
    if preview.original_minutes != minutes(original) {
        return Err("originalMinutes does not match the plan".into());
    }
    if preview.fits {
        if seconds > target_seconds {
            return Err(format!("fits but takes {seconds} s for a {target_seconds} s target"));
        }
        if preview.fallback.is_some() {
            return Err("fits but has a fallback".into());
        }
    } else {
        let fallback = preview.fallback.as_ref().ok_or("does not fit but has no fallback")?;
        if fallback.reason != "target_below_minimum" || preview.strategy != Strategy::CoreOnly {
            return Err("fallback must be target_below_minimum with core_only".into());
        }
        // minimumMinutes is rounded up to 0.1 min; allow for float error in x60.
        if seconds <= target_seconds || fallback.minimum_minutes * 60.0 < seconds - 1e-6 {
            return Err("fallback minimum does not describe the session".into());
        }
    }
    if original <= target_seconds && (preview.strategy != Strategy::FullAccessoryBlocks || !preview.changes.is_empty())
    {
        return Err("the plan fits as written but was changed".into());
    }
    if preview.strategy == Strategy::FullAccessoryBlocks && !preview.changes.is_empty() {
        return Err("full_accessory_blocks with changes".into());
    }

    // What the preview keeps, and what its changes must account for.
    let mut kept: BTreeMap<&str, u32> = BTreeMap::new();
    let mut expected: BTreeSet<ChangeKey> = BTreeSet::new();
    for block in &preview.blocks {
        for item in &block.items {
            let ids: Vec<&str> = item.exercises.iter().map(|e| e.id.as_str()).collect();
            if ids.is_empty() || ids.len() > 3 {
                return Err("an item holds 1 to 3 exercises".into());
            }
            if ids.len() == 1 {
                let planned = facts.exercise(ids[0]);
                let rest = i64::from(item.rest_seconds);
                if rest > planned.rest_seconds || rest < facts.rest_floor(ids[0]) {
                    return Err(format!("rest {rest} of {} breaks its floor or raises it", ids[0]));
                }
                if item.exercises[0].rest_seconds != item.rest_seconds {
                    return Err("a single's rest differs from its item's".into());
                }
            } else {
                let longest = ids.iter().map(|id| facts.exercise(id).rest_seconds).max().unwrap();
                let rest = i64::from(item.rest_seconds);
                if rest > longest || rest < longest.min(60) {
                    return Err(format!("superset rest {rest} outside [min(60, {longest}), {longest}]"));
                }
                let author = facts.author_group(request, ids[0]);
                let is_author = author.is_some() && ids.iter().all(|id| facts.author_group(request, id) == author);
                if !is_author {
                    check_pairing(request, &facts, &ids)?;
                    expected.insert(("paired".into(), ids.iter().map(|s| s.to_string()).collect(), None, None));
                }
            }
            for exercise in &item.exercises {
                let planned = facts.exercise(&exercise.id);
                let sets = i64::from(exercise.sets);
                if sets > planned.sets || sets < 1 {
                    return Err(format!("{} has {sets} sets of {}", exercise.id, planned.sets));
                }
                let main =
                    matches!(planned.priority, Priority::Core | Priority::Primary) || facts.plays_core(&exercise.id);
                if main && sets < planned.sets.min(2) {
                    return Err(format!("main lift {} cut below 2 sets", exercise.id));
                }
                if i64::from(exercise.rest_seconds) > planned.rest_seconds {
                    return Err(format!("{} rest raised", exercise.id));
                }
                if sets < planned.sets {
                    expected.insert((
                        "sets_reduced".into(),
                        vec![exercise.id.clone()],
                        Some(planned.sets as u32),
                        Some(exercise.sets),
                    ));
                }
                if i64::from(exercise.rest_seconds) < planned.rest_seconds {
                    expected.insert((
                        "rest_reduced".into(),
                        vec![exercise.id.clone()],
                        Some(planned.rest_seconds as u32),
                        Some(exercise.rest_seconds),
                    ));
                }
                if kept.insert(exercise.id.as_str(), exercise.sets).is_some() {
                    return Err(format!("{} appears twice", exercise.id));
                }
            }
        }
    }
    for (id, (exercise, _, _)) in &facts.by_id {
        if kept.contains_key(id) {
            continue;
        }
        expected.insert(("removed".into(), vec![id.to_string()], None, None));
        if facts.keep.contains(id) {
            return Err(format!("kept exercise {id} was removed"));
        }
        if facts.plays_core(id) {
            return Err(format!("core lift {id} was removed"));
        }
        let lower_remains =
            kept.keys().any(|k| facts.exercise(k).priority > exercise.priority && !facts.keep.contains(k));
        if lower_remains {
            return Err(format!("{id} removed while lower-priority work remains"));
        }
    }
    let mut actual = BTreeSet::new();
    for change in &preview.changes {
        if change.reason.trim().is_empty() {
            return Err("a change without a reason".into());
        }
        let kind = match change.kind {
            ChangeKind::Removed => "removed",
            ChangeKind::SetsReduced => "sets_reduced",
            ChangeKind::RestReduced => "rest_reduced",
            ChangeKind::Paired => "paired",
        };
        if !actual.insert((kind.to_string(), change.exercise_ids.clone(), change.from, change.to)) {
            return Err("a change is listed twice".into());
        }
    }
    if actual != expected {
        let missing: Vec<_> = expected.difference(&actual).collect();
        let extra: Vec<_> = actual.difference(&expected).collect();
        return Err(format!("changes do not account for the differences: missing {missing:?}, extra {extra:?}"));
    }

    let planned_sets: i64 = facts.by_id.values().map(|(e, _, _)| e.sets).sum();
    let kept_sets: u32 = kept.values().sum();
    let fraction = (kept_sets as f64 / planned_sets as f64 * 1000.0).round() / 1000.0;
    if preview.retained.working_sets != fraction {
        return Err(format!("workingSets {} but {kept_sets}/{planned_sets}", preview.retained.working_sets));
    }
    if preview.retained.by_muscle.values().any(|f| !(0.0..=1.0).contains(f)) {
        return Err("a muscle fraction outside 0..1".into());
    }
    check_rest_grid(request, preview)
}

/// Coverage first within a priority (issue 16). Stated precisely: if an
/// exercise X was removed and no exercise left in the preview trains one of
/// X's muscles, then no exercise left in the preview that
///
/// - has X's priority,
/// - could have been removed (it is not in `keep` and not a core lift, i.e.
///   not of the plan's highest priority), and
/// - has every one of its muscles trained by another exercise left
///
/// remains: the engine would have removed that one instead, keeping every
/// muscle trained. Exercises of other priorities are governed by priority
/// order, `keep` exercises are never removed, so neither can force a
/// muscle's loss here.
pub fn check_coverage(request: &PreviewRequest, preview: &Preview) -> Result<(), String> {
    let facts = PlanFacts::new(request);
    let left: Vec<&str> =
        preview.blocks.iter().flat_map(|b| &b.items).flat_map(|i| &i.exercises).map(|e| e.id.as_str()).collect();
    let trained_by = |muscle: Muscle, except: &str| {
        left.iter().filter(|id| **id != except).any(|id| facts.exercise(id).muscles.contains(&muscle))
    };
    for (id, (removed, _, _)) in &facts.by_id {
        if left.contains(id) {
            continue;
        }
        let Some(lost) = removed.muscles.iter().find(|m| !trained_by(**m, id)) else {
            continue;
        };
        let redundant = left.iter().find(|other| {
            let e = facts.exercise(other);
            e.priority == removed.priority
                && !facts.keep.contains(**other)
                && !facts.plays_core(other)
                && e.muscles.iter().all(|m| trained_by(*m, other))
        });
        if let Some(other) = redundant {
            return Err(format!(
                "{id} was removed, so nothing trains {lost:?}, while {other} of the same priority, whose muscles all \
                 stay trained without it, remains"
            ));
        }
    }
    Ok(())
}

/// The timer grid (issue 16): every rest a preview shows — an item's rest
/// between sets or superset rounds, and each superset member's own — is its
/// planned rest, its floor, or a multiple of 15 s between the two. An
/// item's planned rest is its exercise's (a single) or its members' longest
/// (a superset); its floor is the exercise's floor (SPEC §5) or
/// min(60 s, longest). A member's own rest may also be its item's floor.
pub fn check_rest_grid(request: &PreviewRequest, preview: &Preview) -> Result<(), String> {
    let facts = PlanFacts::new(request);
    let on_grid = |rest: i64, planned: i64, floor: i64| {
        rest == planned || rest == floor || (rest % 15 == 0 && (floor..=planned).contains(&rest))
    };
    for item in preview.blocks.iter().flat_map(|b| &b.items) {
        let rest = i64::from(item.rest_seconds);
        let (planned, floor) = match &item.exercises[..] {
            [single] => (facts.exercise(&single.id).rest_seconds, facts.rest_floor(&single.id)),
            members => {
                let longest = members.iter().map(|e| facts.exercise(&e.id).rest_seconds).max().unwrap_or(0);
                (longest, longest.min(60))
            }
        };
        if !on_grid(rest, planned, floor) {
            return Err(format!("rest {rest} off the 15 s grid between {floor} and {planned}"));
        }
        if item.exercises.len() > 1 {
            for member in &item.exercises {
                let own = facts.exercise(&member.id).rest_seconds;
                let shown = i64::from(member.rest_seconds);
                if !(on_grid(shown, own, floor.min(own)) || shown == floor) {
                    return Err(format!("{} rests {shown}, off the 15 s grid below {own}", member.id));
                }
            }
        }
    }
    Ok(())
}

fn check_pairing(request: &PreviewRequest, facts: &PlanFacts, ids: &[&str]) -> Result<(), String> {
    if !facts.allow_supersets {
        return Err("paired although supersets are off".into());
    }
    // One block, or consecutive working blocks: main, accessory, core and
    // conditioning (README, deliberate deviations).
    let blocks: Vec<usize> = ids.iter().map(|id| facts.by_id[id].2).collect();
    let (first, last) = (*blocks.iter().min().unwrap(), *blocks.iter().max().unwrap());
    if first != last
        && !request.plan.blocks[first..=last].iter().all(|b| {
            matches!(b.kind, BlockKind::Main | BlockKind::Accessory | BlockKind::Core | BlockKind::Conditioning)
        })
    {
        return Err("paired across blocks other than consecutive working blocks".into());
    }
    let mut barbells = 0;
    for (n, id) in ids.iter().enumerate() {
        let (exercise, kind, _) = facts.by_id[id];
        if matches!(kind, BlockKind::Warmup | BlockKind::Cooldown) {
            return Err("paired in a warm-up/cool-down".into());
        }
        if facts.goal == Goal::Strength && facts.plays_core(id) {
            return Err(format!("core lift {id} supersetted with a strength goal"));
        }
        barbells += usize::from(exercise.equipment == Equipment::Barbell);
        for other in &ids[n + 1..] {
            if shares_muscle(&exercise.muscles, &facts.exercise(other).muscles) {
                return Err(format!("{id} and {other} share a primary muscle"));
            }
        }
    }
    if barbells > 1 {
        return Err("two barbell exercises in one superset".into());
    }
    Ok(())
}

/// Checks a sweep (one preview per target 15..=180): each preview, and that
/// more time never gives less training.
pub fn check_sweep(request: &PreviewRequest, previews: &[Preview]) -> Result<(), String> {
    if previews.len() != 166 {
        return Err(format!("a sweep has 166 previews, not {}", previews.len()));
    }
    let mut previous: HashMap<String, u32> = HashMap::new();
    for (n, preview) in previews.iter().enumerate() {
        let target = 15 + n as i64;
        if preview.target_minutes != target {
            return Err(format!("preview {n} is for {} minutes", preview.target_minutes));
        }
        let mut at_target = request.clone();
        at_target.target_minutes = target;
        check_preview(&at_target, preview).map_err(|e| format!("target {target}: {e}"))?;
        let sets: HashMap<String, u32> = preview
            .blocks
            .iter()
            .flat_map(|b| &b.items)
            .flat_map(|i| &i.exercises)
            .map(|e| (e.id.clone(), e.sets))
            .collect();
        for (id, before) in &previous {
            let now = sets.get(id).copied().unwrap_or(0);
            if now < *before {
                return Err(format!(
                    "target {target}: {id} has {now} sets, fewer than {before} at {} minutes",
                    target - 1
                ));
            }
        }
        previous = sets;
    }
    Ok(())
}
