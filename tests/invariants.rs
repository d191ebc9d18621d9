//! SPEC §8 invariants as property tests over generated plans and every
//! target from 15 to 180 minutes.

#![cfg(not(target_arch = "wasm32"))]

use proptest::prelude::*;
use time_crunch::wire::json::to_json;
use time_crunch_test_support::{generate, invariants};

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Every preview of a sweep satisfies every invariant, and sets never
    /// drop as the target grows.
    #[test]
    fn every_target_satisfies_the_invariants(request in generate::request()) {
        let previews = time_crunch::sweep(&request).unwrap();
        if let Err(problem) = invariants::check_sweep(&request, &previews) {
            prop_assert!(false, "{}\nrequest: {}", problem, to_json(&request));
        }
    }

    /// Timer-friendly rest (issue 16): in every preview of a sweep, every
    /// rest shown (an item's, and each superset member's) is its planned
    /// rest, its floor, or a multiple of 15 s between the two.
    #[test]
    fn every_rest_shown_is_on_the_timer_grid(request in generate::request()) {
        for preview in time_crunch::sweep(&request).unwrap() {
            let mut at_target = request.clone();
            at_target.target_minutes = preview.target_minutes;
            if let Err(problem) = invariants::check_rest_grid(&at_target, &preview) {
                prop_assert!(false, "target {}: {}\nrequest: {}", preview.target_minutes, problem, to_json(&request));
            }
        }
    }

    /// Coverage first within a priority (issue 16): no preview of a sweep
    /// leaves a muscle of a removed exercise untrained while an exercise of
    /// the same priority that could have gone instead — not in `keep`, not a
    /// core lift, every muscle of it still trained by another exercise left
    /// — remains (see `invariants::check_coverage`).
    #[test]
    fn no_muscle_loses_all_its_work_needlessly(request in generate::request()) {
        for preview in time_crunch::sweep(&request).unwrap() {
            let mut at_target = request.clone();
            at_target.target_minutes = preview.target_minutes;
            if let Err(problem) = invariants::check_coverage(&at_target, &preview) {
                prop_assert!(false, "target {}: {}\nrequest: {}", preview.target_minutes, problem, to_json(&request));
            }
        }
    }

    /// A sweep is exactly the previews of each target, and the same request
    /// always gives byte-identical JSON.
    #[test]
    fn sweep_matches_single_previews_byte_for_byte(request in generate::request(), target in 15..=180i64) {
        let swept = time_crunch::sweep(&request).unwrap();
        let mut single = request.clone();
        single.target_minutes = target;
        let once = to_json(&time_crunch::preview(&single).unwrap());
        let twice = to_json(&time_crunch::preview(&single).unwrap());
        prop_assert_eq!(&once, &twice);
        prop_assert_eq!(once, to_json(&swept[(target - 15) as usize]));
    }

    /// Applying a preview gives a valid plan that times exactly like the
    /// preview and, when the preview fits, needs no further compression.
    #[test]
    fn applied_previews_round_trip(request in generate::request()) {
        let preview = time_crunch::preview(&request).unwrap();
        let plan = time_crunch::apply_preview(&preview).unwrap();
        // At the pace the preview records, the applied plan times exactly like it.
        let pace = preview.pace.unwrap_or_default();
        let estimate = time_crunch::estimate_at(&plan, &pace).unwrap();
        prop_assert_eq!(estimate.seconds, time_crunch::estimate::preview_seconds(&preview));
        let again = time_crunch::preview(&time_crunch::PreviewRequest {
            plan: plan.clone(),
            target_minutes: request.target_minutes,
            options: preview.pace.map(|pace| time_crunch::Options { pace: Some(pace), ..Default::default() }),
        }).unwrap();
        if preview.fits {
            prop_assert_eq!(again.strategy, time_crunch::Strategy::FullAccessoryBlocks);
            prop_assert!(again.changes.is_empty());
            prop_assert_eq!(&again.blocks, &preview.blocks);
        }
        // Applying the as-written preview of the applied plan gives it back.
        let full = time_crunch::preview(&time_crunch::PreviewRequest { plan: plan.clone(), target_minutes: 180, options: None }).unwrap();
        if full.strategy == time_crunch::Strategy::FullAccessoryBlocks {
            prop_assert_eq!(time_crunch::apply_preview(&full).unwrap(), plan);
        }
    }
}
