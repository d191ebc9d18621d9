//! Every limit of SPEC §2 and §3, checked before the engine runs so that the
//! engine itself can assume a well-formed plan. The first problem found is
//! reported, with the path to it.

use std::collections::{BTreeMap, BTreeSet};

use crate::config::*;
use crate::error::{Error, ErrorCode, Path};
use crate::pace::Pace;
use crate::request::{Muscle, Plan, PreviewRequest};

/// Checks a whole request.
pub fn validate_request(request: &PreviewRequest) -> Result<(), Error> {
    validate_plan_at(&request.plan, &Path::root().field("plan"))?;
    if !TARGET_MINUTES.contains(&request.target_minutes) {
        return Err(Error::at(
            ErrorCode::TargetOutOfRange,
            "targetMinutes must be a whole number of minutes from 15 to 180",
            &Path::root().field("targetMinutes"),
        ));
    }
    validate_options(request)
}

/// Checks a request whose `targetMinutes` does not matter (a sweep).
pub fn validate_request_for_sweep(request: &PreviewRequest) -> Result<(), Error> {
    validate_plan_at(&request.plan, &Path::root().field("plan"))?;
    validate_options(request)
}

fn validate_options(request: &PreviewRequest) -> Result<(), Error> {
    let root = Path::root();
    if let Some(pace) = request.options.as_ref().and_then(|o| o.pace.as_ref()) {
        validate_pace(pace, &root.field("options").field("pace"))?;
    }
    if let Some(keep) = request.options.as_ref().and_then(|o| o.keep.as_ref()) {
        let mut ids: BTreeSet<&str> = BTreeSet::new();
        for exercise in request.plan.blocks.iter().flat_map(|b| &b.exercises) {
            ids.insert(&exercise.id);
        }
        let keep_path = root.field("options").field("keep");
        if keep.len() > MAX_EXERCISES {
            return Err(Error::at(
                ErrorCode::InvalidRequest,
                "options.keep lists more ids than a plan can hold",
                &keep_path,
            ));
        }
        for (i, id) in keep.iter().enumerate() {
            if !ids.contains(id.as_str()) {
                return Err(Error::at(
                    ErrorCode::InvalidRequest,
                    "options.keep names an exercise id that is not in the plan",
                    &keep_path.index(i),
                ));
            }
        }
    }
    Ok(())
}

/// Checks that every constant of a pace is finite and within its plausible
/// range (`crate::config::PACE_*`).
pub fn validate_pace(pace: &Pace, path: &Path) -> Result<(), Error> {
    let checks: [(f64, (f64, f64), &'static str, &'static str); 4] = [
        (pace.setup_seconds, PACE_SETUP_SECONDS_RANGE, "setupSeconds", "setupSeconds must be a number from 5 to 90"),
        (
            pace.seconds_per_rep,
            PACE_SECONDS_PER_REP_RANGE,
            "secondsPerRep",
            "secondsPerRep must be a number from 1 to 12",
        ),
        (pace.rest_factor, PACE_REST_FACTOR_RANGE, "restFactor", "restFactor must be a number from 0.5 to 3"),
        (
            pace.transition_seconds,
            PACE_TRANSITION_SECONDS_RANGE,
            "transitionSeconds",
            "transitionSeconds must be a number from 0 to 600",
        ),
    ];
    for (value, (min, max), field, message) in checks {
        if !(value.is_finite() && (min..=max).contains(&value)) {
            return Err(Error::at(ErrorCode::InvalidRequest, message, &path.field(field)));
        }
    }
    Ok(())
}

/// Checks a plan on its own (for estimates and applied previews).
pub fn validate_plan(plan: &Plan) -> Result<(), Error> {
    validate_plan_at(plan, &Path::root())
}

fn check_string(value: &str, path: &Path, required: bool) -> Result<(), Error> {
    if required && value.is_empty() {
        return Err(Error::at(ErrorCode::InvalidPlan, "must not be empty", path));
    }
    if value.chars().count() > MAX_STRING_CHARS {
        return Err(Error::at(ErrorCode::InvalidPlan, "is longer than 200 characters", path));
    }
    Ok(())
}

fn check_range(value: i64, (min, max): (i64, i64), message: &str, path: &Path) -> Result<(), Error> {
    if (min..=max).contains(&value) {
        Ok(())
    } else {
        Err(Error::at(ErrorCode::InvalidPlan, message, path))
    }
}

fn validate_plan_at(plan: &Plan, path: &Path) -> Result<(), Error> {
    check_string(&plan.id, &path.field("id"), true)?;
    check_string(&plan.name, &path.field("name"), false)?;
    let blocks_path = path.field("blocks");
    if plan.blocks.is_empty() || plan.blocks.len() > MAX_BLOCKS {
        return Err(Error::at(ErrorCode::InvalidPlan, "a plan has from 1 to 50 blocks", &blocks_path));
    }
    let mut exercise_ids: BTreeSet<&str> = BTreeSet::new();
    let mut block_ids: BTreeSet<&str> = BTreeSet::new();
    let mut total = 0usize;
    for (b, block) in plan.blocks.iter().enumerate() {
        let block_path = blocks_path.index(b);
        check_string(&block.id, &block_path.field("id"), true)?;
        if !block_ids.insert(block.id.as_str()) {
            return Err(Error::at(
                ErrorCode::InvalidPlan,
                "block ids must be unique in the plan",
                &block_path.field("id"),
            ));
        }
        if let Some(name) = &block.name {
            check_string(name, &block_path.field("name"), false)?;
        }
        let exercises_path = block_path.field("exercises");
        if block.exercises.is_empty() || block.exercises.len() > MAX_EXERCISES_PER_BLOCK {
            return Err(Error::at(ErrorCode::InvalidPlan, "a block has from 1 to 50 exercises", &exercises_path));
        }
        total += block.exercises.len();
        if total > MAX_EXERCISES {
            return Err(Error::at(ErrorCode::InvalidPlan, "a plan has at most 200 exercises", &exercises_path));
        }
        let mut group_sizes: BTreeMap<&str, usize> = BTreeMap::new();
        for (e, ex) in block.exercises.iter().enumerate() {
            let p = exercises_path.index(e);
            check_string(&ex.id, &p.field("id"), true)?;
            if !exercise_ids.insert(ex.id.as_str()) {
                return Err(Error::at(
                    ErrorCode::InvalidPlan,
                    "exercise ids must be unique in the plan",
                    &p.field("id"),
                ));
            }
            check_string(&ex.name, &p.field("name"), false)?;
            if ex.muscles.is_empty() {
                return Err(Error::at(ErrorCode::InvalidPlan, "list at least one primary muscle", &p.field("muscles")));
            }
            if ex.muscles.len() > Muscle::ALL.len() {
                return Err(Error::at(ErrorCode::InvalidPlan, "lists more muscles than exist", &p.field("muscles")));
            }
            check_range(ex.sets, SETS_RANGE, "sets must be a whole number from 1 to 20", &p.field("sets"))?;
            check_range(
                ex.rest_seconds,
                REST_SECONDS_RANGE,
                "restSeconds must be a whole number from 0 to 600",
                &p.field("restSeconds"),
            )?;
            match (ex.reps, ex.duration_seconds) {
                (Some(reps), None) => {
                    check_range(reps, REPS_RANGE, "reps must be a whole number from 1 to 100", &p.field("reps"))?
                }
                (None, Some(seconds)) => check_range(
                    seconds,
                    DURATION_SECONDS_RANGE,
                    "durationSeconds must be a whole number from 5 to 3600",
                    &p.field("durationSeconds"),
                )?,
                _ => return Err(Error::at(ErrorCode::InvalidPlan, "give exactly one of reps or durationSeconds", &p)),
            }
            if let Some(tempo) = ex.seconds_per_rep {
                let (min, max) = SECONDS_PER_REP_RANGE;
                if !(tempo.is_finite() && (min..=max).contains(&tempo)) {
                    return Err(Error::at(
                        ErrorCode::InvalidPlan,
                        "secondsPerRep must be a number from 1 to 12",
                        &p.field("secondsPerRep"),
                    ));
                }
            }
            if let Some(group) = &ex.superset_group {
                let gp = p.field("supersetGroup");
                check_string(group, &gp, true)?;
                let size = group_sizes.entry(group.as_str()).or_insert(0);
                *size += 1;
                if *size > MAX_SUPERSET_SIZE {
                    return Err(Error::at(ErrorCode::InvalidPlan, "a superset group holds at most 3 exercises", &gp));
                }
            }
        }
    }
    Ok(())
}
