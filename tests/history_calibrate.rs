//! Calibration recovers a known pace: a synthetic lifter whose sessions
//! take what the duration model says at their pace, logged to the whole
//! minute as the apps log them, with a forgotten timer and a session that
//! ran far over thrown in.

use time_crunch::estimate::plan_seconds;
use time_crunch::history::calibrate::{calibrate, UnusedReason, MIN_CALIBRATION_SESSIONS};
use time_crunch::history::plan_from_session::plan_from_session;
use time_crunch::history::{
    ExportFormat, History, HistoryErrorCode, Implausible, LoggedExercise, LoggedSession, LoggedSet, SetKind,
};
use time_crunch::Pace;

const LIFTS: [&str; 10] = [
    "Bench Press (Barbell)",
    "Squat (Barbell)",
    "Deadlift (Barbell)",
    "Lat Pulldown (Cable)",
    "Overhead Press (Dumbbell)",
    "Seated Row (Cable)",
    "Bicep Curl (Dumbbell)",
    "Triceps Pushdown (Cable)",
    "Lateral Raise (Dumbbell)",
    "Leg Extension (Machine)",
];

/// A small deterministic generator, so the test is the same on every run.
struct Dice(u64);

impl Dice {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self.0.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
        (self.0 >> 33) % n
    }
}

fn session(dice: &mut Dice, day: usize) -> LoggedSession {
    let count = 3 + dice.below(5) as usize;
    let exercises = (0..count)
        .map(|i| {
            let name = LIFTS[(day + i * 3) % LIFTS.len()];
            let reps = 4 + dice.below(12) as u32;
            let sets = (0..2 + dice.below(4)).map(|_| LoggedSet {
                kind: SetKind::Normal,
                reps: Some(reps),
                seconds: None,
                weight: Some(60.0),
            });
            LoggedExercise {
                name: name.to_owned(),
                sets: sets.collect(),
                // Some lifters' logs carry their rest timer, and timers vary.
                rest_timer_seconds: Some([45, 60, 90, 120, 150, 180, 240][dice.below(7) as usize]),
                superset: None,
            }
        })
        .collect();
    LoggedSession {
        start: format!("2026-{:02}-{:02}T18:00", 1 + day / 28, 1 + day % 28),
        name: format!("Day {day}"),
        actual_minutes: 0.0,
        exercises,
        implausible: None,
    }
}

fn lifter(pace: &Pace, sessions: usize) -> History {
    let mut dice = Dice(7);
    let sessions = (0..sessions)
        .map(|day| {
            let mut session = session(&mut dice, day);
            let plan = plan_from_session(&session, "synthetic").unwrap().plan;
            // The apps log whole minutes.
            session.actual_minutes = (plan_seconds(&plan, pace) / 60.0).round();
            session
        })
        .collect();
    History { format: ExportFormat::Hevy, sessions, skipped: Vec::new() }
}

const KNOWN: Pace = Pace { setup_seconds: 26.0, seconds_per_rep: 3.6, rest_factor: 1.35, transition_seconds: 110.0 };

#[test]
fn a_synthetic_lifters_pace_is_recovered_within_five_percent() {
    let mut history = lifter(&KNOWN, 40);
    // A forgotten timer, marked by the importer; and a session that took
    // three times what it should without being marked.
    history.sessions[5].actual_minutes = 300.0;
    history.sessions[5].implausible = Some(Implausible::TimerLeftRunning);
    history.sessions[11].actual_minutes *= 3.0;

    let calibration = calibrate(&history).unwrap();
    let pace = calibration.pace;
    let close = |got: f64, want: f64| (got - want).abs() / want <= 0.05;
    assert!(close(pace.setup_seconds, KNOWN.setup_seconds), "setup {pace:?}");
    assert!(close(pace.seconds_per_rep, KNOWN.seconds_per_rep), "tempo {pace:?}");
    assert!(close(pace.rest_factor, KNOWN.rest_factor), "rest factor {pace:?}");
    assert!(close(pace.transition_seconds, KNOWN.transition_seconds), "transition {pace:?}");

    assert!(calibration.left_out.iter().any(|l| l.session == 5 && l.reason == UnusedReason::TimerLeftRunning));
    assert!(calibration.left_out.iter().any(|l| l.session == 11 && l.reason == UnusedReason::Outlier));
    assert_eq!(calibration.used.len(), 38);
    assert!(calibration.error_after < 0.03, "{calibration:?}");
    assert!(calibration.error_before > calibration.error_after, "{calibration:?}");
    // This lifter is slower than the documented constants.
    assert!(calibration.actual_to_planned > 1.2, "{calibration:?}");
}

#[test]
fn the_documented_pace_is_recovered_as_itself() {
    // Shorter sessions, so whole minutes blur them more: each constant
    // within 10 %, and the sessions predicted within 2 %.
    let calibration = calibrate(&lifter(&Pace::DEFAULT, 40)).unwrap();
    let pace = calibration.pace;
    assert!(calibration.error_after <= 0.02, "{calibration:?}");
    let close = |got: f64, want: f64| (got - want).abs() / want <= 0.10;
    assert!(close(pace.setup_seconds, Pace::DEFAULT.setup_seconds), "{pace:?}");
    assert!(close(pace.seconds_per_rep, Pace::DEFAULT.seconds_per_rep), "{pace:?}");
    assert!(close(pace.rest_factor, Pace::DEFAULT.rest_factor), "{pace:?}");
    assert!(close(pace.transition_seconds, Pace::DEFAULT.transition_seconds), "{pace:?}");
    assert!((calibration.actual_to_planned - 1.0).abs() <= 0.03, "{calibration:?}");
}

#[test]
fn fewer_than_five_usable_sessions_is_not_enough_history() {
    let mut history = lifter(&KNOWN, MIN_CALIBRATION_SESSIONS + 1);
    assert!(calibrate(&history).is_ok());
    history.sessions[0].implausible = Some(Implausible::LoggedAfterwards);
    history.sessions[1].implausible = Some(Implausible::LoggedAfterwards);
    let error = calibrate(&history).unwrap_err();
    assert_eq!(error.code, HistoryErrorCode::NotEnoughHistory);
    assert!(error.message.contains('4'), "{error}");
    let one = History { sessions: history.sessions[..1].to_vec(), ..history };
    assert_eq!(calibrate(&one).unwrap_err().code, HistoryErrorCode::NotEnoughHistory);
}

#[test]
fn a_pace_always_stays_within_its_plausible_range() {
    // A lifter whose sessions take ten times the model: every constant
    // would have to leave its range to explain it.
    let mut history = lifter(&KNOWN, 12);
    for session in &mut history.sessions {
        session.actual_minutes *= 10.0;
    }
    let pace = calibrate(&history).unwrap().pace;
    let within = |value: f64, (min, max): (f64, f64)| (min..=max).contains(&value);
    use time_crunch::config::*;
    assert!(within(pace.setup_seconds, PACE_SETUP_SECONDS_RANGE), "{pace:?}");
    assert!(within(pace.seconds_per_rep, PACE_SECONDS_PER_REP_RANGE), "{pace:?}");
    assert!(within(pace.rest_factor, PACE_REST_FACTOR_RANGE), "{pace:?}");
    assert!(within(pace.transition_seconds, PACE_TRANSITION_SECONDS_RANGE), "{pace:?}");
}
