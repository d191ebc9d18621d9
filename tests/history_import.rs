//! Importing training logs: every real export under `tests/data/exports`
//! (the counts its README states), and small inline exports for each format,
//! language, duration text, date form and bad input.

#![cfg(not(target_arch = "wasm32"))]

use time_crunch::history::{
    import, ExportFormat, History, HistoryError, HistoryErrorCode, Implausible, LoggedSession, LoggedSet, SetKind,
    MAX_EXPORT_BYTES,
};
use time_crunch_test_support as support;

/// Imports, and checks what every history keeps (the fuzz target's checks).
fn history(text: &str) -> History {
    let history = import(text).unwrap_or_else(|e| panic!("import failed: {e}\n{text}"));
    if let Err(problem) = support::fuzzing::check_history(&history) {
        panic!("{problem}\n{text}");
    }
    history
}

fn error(text: &str) -> HistoryError {
    match import(text) {
        Ok(history) => panic!("imported {} sessions from a bad file\n{text}", history.sessions.len()),
        Err(error) => error,
    }
}

fn set(kind: SetKind, reps: Option<u32>, seconds: Option<u32>, weight: Option<f64>) -> LoggedSet {
    LoggedSet { kind, reps, seconds, weight }
}

fn normal(reps: u32, weight: f64) -> LoggedSet {
    set(SetKind::Normal, Some(reps), None, Some(weight))
}

fn names(session: &LoggedSession) -> Vec<&str> {
    session.exercises.iter().map(|e| e.name.as_str()).collect()
}

// ---- The real exports -------------------------------------------------------

/// What the README and a count of the file say about one real export.
struct Real {
    file: &'static str,
    format: ExportFormat,
    sessions: usize,
    exercises: usize,
    /// Every row is a set: none of these files has rest-timer rows.
    sets: usize,
    first: (&'static str, &'static str, f64),
    last: (&'static str, &'static str, f64),
    timer_left_running: usize,
    logged_afterwards: usize,
    /// (session, exercise) pairs where the exercise was done in two runs.
    split: usize,
}

const REAL: [Real; 6] = [
    Real {
        file: "DericMei+My-WorkOut-Project/strong.csv",
        format: ExportFormat::StrongClassic,
        sessions: 384,
        exercises: 2096,
        sets: 6778,
        first: ("2020-09-29T07:10:22", "4.Pull", 73.0),
        last: ("2023-12-17T17:43:27", "1.Push", 54.0),
        timer_left_running: 4,
        logged_afterwards: 1,
        split: 121,
    },
    Real {
        file: "breinsp+strong-charts/strong.csv",
        format: ExportFormat::StrongClassic,
        sessions: 129,
        exercises: 619,
        sets: 2078,
        first: ("2021-02-10T16:46:13", "Mittwoch", 138.0),
        last: ("2021-12-22T15:07:27", "Mittwoch", 104.0),
        timer_left_running: 0,
        logged_afterwards: 0,
        split: 0,
    },
    Real {
        file: "ys-math+strength-training/strong_workouts.csv",
        format: ExportFormat::StrongClassic,
        sessions: 37,
        exercises: 165,
        sets: 666,
        first: ("2026-04-24T09:40:00", "Upper Body", 51.0),
        last: ("2026-07-22T14:14:23", "SBDO", 67.0),
        timer_left_running: 0,
        logged_afterwards: 1,
        split: 0,
    },
    Real {
        file: "dravenbc+gym-dashboard/strong.csv",
        format: ExportFormat::Strong2025,
        sessions: 20,
        exercises: 82,
        sets: 266,
        first: ("2025-03-09T14:08:49", "Push", 4543.0 / 60.0),
        last: ("2025-04-17T18:59:45", "Push", 5773.0 / 60.0),
        timer_left_running: 0,
        logged_afterwards: 0,
        split: 0,
    },
    Real {
        file: "SIERRA711+workout-analysis/workout_data.csv",
        format: ExportFormat::Hevy,
        sessions: 397,
        exercises: 2441,
        sets: 7921,
        first: ("2022-10-22T12:37", "Legs 1", 55.0),
        last: ("2026-01-03T17:29", "Legs 2", 69.0),
        timer_left_running: 0,
        logged_afterwards: 1,
        split: 5,
    },
    Real {
        file: "mouadja02+Hevy-Coach/workout_data.csv",
        format: ExportFormat::Hevy,
        sessions: 17,
        exercises: 90,
        sets: 330,
        first: ("2025-05-13T19:49", "Evening workout 🏋️", 55.0),
        last: ("2025-06-30T19:56", "Monday ? You mean international CHEST DAY !", 62.0),
        timer_left_running: 0,
        logged_afterwards: 0,
        split: 0,
    },
];

/// A real export's text; the data folder must be there (no silent skip).
fn real(file: &str) -> String {
    let path = support::exports_dir().join(file);
    std::fs::read_to_string(&path).unwrap_or_else(|e| {
        panic!("cannot read the real export {} ({e}): the tests need tests/data/exports", path.display())
    })
}

fn real_history(file: &str) -> History {
    history(&real(file))
}

#[test]
fn every_real_export_imports_with_the_sessions_its_readme_states() {
    for expected in &REAL {
        let history = real_history(expected.file);
        let file = expected.file;
        assert_eq!(history.format, expected.format, "{file}");
        assert_eq!(history.sessions.len(), expected.sessions, "{file}");
        assert_eq!(history.skipped, vec![], "{file}: every row of the real exports is readable");
        let exercises: usize = history.sessions.iter().map(|s| s.exercises.len()).sum();
        let sets: usize = history.sessions.iter().flat_map(|s| &s.exercises).map(|e| e.sets.len()).sum();
        assert_eq!(exercises, expected.exercises, "{file}");
        assert_eq!(sets, expected.sets, "{file}: one set per row");
        for (session, (start, name, minutes)) in
            [(&history.sessions[0], expected.first), (history.sessions.last().unwrap(), expected.last)]
        {
            assert_eq!((session.start.as_str(), session.name.as_str()), (start, name), "{file}");
            assert!((session.actual_minutes - minutes).abs() < 1e-9, "{file}: {start} took {}", session.actual_minutes);
        }
        let marked = |mark| history.sessions.iter().filter(|s| s.implausible == Some(mark)).count();
        assert_eq!(marked(Implausible::TimerLeftRunning), expected.timer_left_running, "{file}");
        assert_eq!(marked(Implausible::LoggedAfterwards), expected.logged_afterwards, "{file}");
        let split: usize = history
            .sessions
            .iter()
            .map(|s| {
                let mut names = names(s);
                let runs = names.len();
                names.sort_unstable();
                names.dedup();
                let mut distinct_split = 0;
                for name in &names {
                    if s.exercises.iter().filter(|e| e.name == *name).count() > 1 {
                        distinct_split += 1;
                    }
                }
                assert!(runs >= names.len());
                distinct_split
            })
            .sum();
        assert_eq!(split, expected.split, "{file}");
    }
}

#[test]
fn chinese_strong_durations_are_read() {
    let history = real_history("DericMei+My-WorkOut-Project/strong.csv");
    let first = &history.sessions[0];
    // `1小时13分钟` on every row of the session.
    assert_eq!(first.actual_minutes, 73.0);
    assert_eq!(first.exercises[0].name, "Bent Over Row (Barbell)");
    assert_eq!(first.exercises[0].sets[0].reps, Some(5));
    assert_eq!(first.exercises[0].sets[0].weight, Some(44.09245243697551));
    assert_eq!(first.exercises[0].sets[0].seconds, None, "Strong's 0 seconds beside reps is no timing");
    let over = history.sessions.iter().filter(|s| s.actual_minutes > 240.0).count();
    assert_eq!(over, 4);
    // The one row of 0 reps stays a set of 0 reps.
    let zero: usize =
        history.sessions.iter().flat_map(|s| &s.exercises).flat_map(|e| &e.sets).filter(|s| s.reps == Some(0)).count();
    assert_eq!(zero, 1);
}

#[test]
fn a_session_done_twice_over_keeps_each_run() {
    // 2021-01-24 03:10:40 lists its seven exercises, then the same seven again.
    let history = real_history("DericMei+My-WorkOut-Project/strong.csv");
    let session = history.sessions.iter().find(|s| s.start == "2021-01-24T03:10:40").unwrap();
    let runs = names(session);
    assert_eq!(runs.len(), 14);
    assert_eq!(runs[..7], runs[7..]);
    assert_eq!(runs[0], "Chin Up");
    assert_eq!(session.exercises[0].sets.len(), 4);
}

#[test]
fn strong_planks_are_timed_sets() {
    let history = real_history("breinsp+strong-charts/strong.csv");
    let planks: Vec<&LoggedSet> = history
        .sessions
        .iter()
        .flat_map(|s| &s.exercises)
        .filter(|e| e.name == "Plank")
        .flat_map(|e| &e.sets)
        .filter(|s| s.seconds.is_some())
        .collect();
    let seconds: Vec<u32> = planks.iter().map(|s| s.seconds.unwrap()).collect();
    assert_eq!(seconds, [90, 90, 95, 100, 105, 105]);
    assert!(planks.iter().all(|s| s.reps.is_none()), "Strong's 0 reps on a timed set is no count");
}

#[test]
fn warmups_are_read_from_strong_and_hevy() {
    let count = |history: &History| {
        history
            .sessions
            .iter()
            .flat_map(|s| &s.exercises)
            .flat_map(|e| &e.sets)
            .filter(|s| s.kind == SetKind::Warmup)
            .count()
    };
    // `W` in Strong's Set Order, `warmup` in Hevy's set_type.
    assert_eq!(count(&real_history("ys-math+strength-training/strong_workouts.csv")), 162);
    assert_eq!(count(&real_history("SIERRA711+workout-analysis/workout_data.csv")), 98);
}

#[test]
fn hevy_minutes_are_end_minus_start() {
    let history = real_history("SIERRA711+workout-analysis/workout_data.csv");
    // "3 Jan 2026, 17:29" to "3 Jan 2026, 18:38".
    let last = history.sessions.last().unwrap();
    assert_eq!(last.actual_minutes, 69.0);
    assert_eq!(last.exercises[0].name, "Leg Extension (Machine)");
    assert_eq!(last.exercises[0].sets[0], normal(10, 230.0));
    // Carries log a weight over a distance, the treadmill only seconds.
    let sets = |name: &str| -> Vec<LoggedSet> {
        history
            .sessions
            .iter()
            .flat_map(|s| &s.exercises)
            .filter(|e| e.name == name)
            .flat_map(|e| e.sets.clone())
            .collect()
    };
    let carries: Vec<LoggedSet> = sets("Farmers Walk").into_iter().filter(|s| s.reps.is_none()).collect();
    assert_eq!(carries.len(), 21);
    assert!(carries.iter().all(|s| s.seconds.is_none() && s.weight.is_some()));
    assert_eq!(sets("Treadmill"), [set(SetKind::Normal, None, Some(10), None)]);
}

#[test]
fn strong_2025_durations_are_seconds() {
    let history = real_history("dravenbc+gym-dashboard/strong.csv");
    let first = &history.sessions[0];
    assert_eq!(first.actual_minutes, 4543.0 / 60.0);
    assert_eq!(names(first), ["Bench Press (Barbell)", "Ohio State", "Chin Up", "Pec Deck (Machine)"]);
    assert_eq!(first.exercises[0].sets[0], normal(5, 61.23492));
    assert_eq!(first.exercises[2].sets[0], normal(5, 0.0), "body weight is 0 as logged");
    // This export has no rest-timer rows; `strong_2025_rest_timer_rows_are_no_sets` covers them.
    assert!(history.sessions.iter().flat_map(|s| &s.exercises).all(|e| e.rest_timer_seconds.is_none()));
}

#[test]
fn a_real_export_with_crlf_and_a_bom_reads_the_same() {
    let text = real("breinsp+strong-charts/strong.csv");
    let plain = history(&text);
    let windows = format!("\u{feff}{}", text.replace('\n', "\r\n"));
    assert_eq!(history(&windows), plain);
}

// ---- Each format and language -----------------------------------------------

#[test]
fn strong_classic_columns_are_found_by_name() {
    // Columns in another order, no notes and no RPE.
    let text = "\
Exercise Name,Reps,Weight,Date,Workout Name,Set Order,Duration,Seconds,Distance
Squat (Barbell),5,100,2024-01-15 08:30:00,Legs,1,1h 5m,0,0
Squat (Barbell),5,102.5,2024-01-15 08:30:00,Legs,2,1h 5m,0,0
Running,0,0,2024-01-15 08:30:00,Legs,1,1h 5m,600,2
";
    let history = history(text);
    assert_eq!(history.format, ExportFormat::StrongClassic);
    let session = &history.sessions[0];
    assert_eq!(
        (session.start.as_str(), session.name.as_str(), session.actual_minutes),
        ("2024-01-15T08:30:00", "Legs", 65.0)
    );
    assert_eq!(session.exercises[0].sets, [normal(5, 100.0), normal(5, 102.5)]);
    assert_eq!(session.exercises[1].sets, [set(SetKind::Normal, None, Some(600), Some(0.0))], "a cardio row is timed");
    assert_eq!(session.implausible, None);
}

#[test]
fn strong_in_german() {
    // The header German Strong writes, with its rest-timer rows (`Ruhezeit`).
    let text = "\
Datum,Workout-Name,Dauer,Name der Übung,Reihenfolge festlegen,Gewicht,Wiederh.,Entfernung,Sekunden,Notizen,Workout-Notizen,RPE
2025-08-23 17:51:23,\"Ganzkörper\",2h 23min,\"Chest Press (Machine)\",1,50.0,12.0,0,0.0,\"\",\"Erstes Training\",
2025-08-23 17:51:23,\"Ganzkörper\",2h 23min,\"Chest Press (Machine)\",Ruhezeit,0,0.0,0,120.0,,,
2025-08-23 17:51:23,\"Ganzkörper\",2h 23min,\"Chest Press (Machine)\",2,55.0,10.0,0,0.0,,,8
2025-08-23 17:51:23,\"Ganzkörper\",2h 23min,\"Push Up\",1,0,15.0,0,0.0,\"\",,
2025-09-30 20:37:54,\"Push \",1 Std. 5 Min.,\"Hammer Curl (Cable)\",W,17.5,8.0,0,0.0,\"\",,
";
    let history = history(text);
    assert_eq!(history.format, ExportFormat::StrongClassic);
    let [first, second] = &history.sessions[..] else { panic!("two sessions") };
    assert_eq!(first.actual_minutes, 143.0);
    assert_eq!(first.exercises[0].sets, [normal(12, 50.0), normal(10, 55.0)], "the rest timer is no set");
    assert_eq!(first.exercises[0].rest_timer_seconds, Some(120));
    assert_eq!(first.exercises[1].rest_timer_seconds, None);
    assert_eq!(second.name, "Push", "names are trimmed");
    assert_eq!(second.actual_minutes, 65.0);
    assert_eq!(second.exercises[0].sets, [set(SetKind::Warmup, Some(8), None, Some(17.5))]);
}

#[test]
fn strong_in_german_with_the_plainer_names() {
    let text = "\
Datum,Trainingsname,Dauer,Übungsname,Satzreihenfolge,Gewicht,Wiederh.,Entfernung,Sekunden,Notizen,Trainingsnotizen
2025-08-23 17:51:23,Beine,1h 5min,Kniebeuge,1,80,5,0,0,,
";
    assert_eq!(history(text).sessions[0].exercises[0].sets, [normal(5, 80.0)]);
}

#[test]
fn strong_in_french() {
    let text = "\
Date,Nom de l'entraînement,Durée,Nom de l'exercice,Ordre de la série,Poids,Réps,Distance,Secondes,RPE,Notes
2025-01-01 10:00:00,Full Body,1h 5min,Squat,1,100,5,0,0,8,
2025-01-01 10:00:00,Full Body,1h 5min,Squat,2,100,5,0,0,8.5,
2025-01-03 10:00:00,Haut du corps,45 min,Développé couché,1,80,8,0,0,9,
";
    let history = history(text);
    assert_eq!(history.sessions.len(), 2);
    assert_eq!(history.sessions[0].actual_minutes, 65.0);
    assert_eq!(history.sessions[1].actual_minutes, 45.0);
    assert_eq!(history.sessions[1].exercises[0].name, "Développé couché");
}

#[test]
fn strong_in_chinese() {
    let text = "\
日期,锻炼名称,时长,运动名称,设置顺序,重量,次,距离,秒,备注,锻炼备注,RPE
2020-09-29 07:10:22,\"4.Pull\",1小时13分钟,\"Bent Over Row (Barbell)\",1,44.09,5,0,0,\"4x8\",\"星期二\",
2020-09-30 07:10:22,\"5.Legs\",45分钟,\"Squat (Barbell)\",1,60,5,0,0,,,
";
    let history = history(text);
    assert_eq!(history.sessions.iter().map(|s| s.actual_minutes).collect::<Vec<_>>(), [73.0, 45.0]);
}

#[test]
fn strong_semicolon_export() {
    let text = "\
Date;Workout Name;Exercise Name;Set Order;Weight;Weight Unit;Reps;RPE;Distance;Distance Unit;Seconds;Notes;Workout Notes;Workout Duration
2019-01-11 12:31:54;\"Leg\";\"Deadlift (Barbell)\";1;20;kg;5;;;;0;\"\";\"\";52m
2019-01-11 12:31:54;\"Leg\";\"Deadlift (Barbell)\";2;232,5;lbs;4;;;;0;;;52m
";
    let history = history(text);
    assert_eq!(history.format, ExportFormat::StrongSemicolon);
    assert_eq!(history.sessions[0].actual_minutes, 52.0);
    assert_eq!(history.sessions[0].exercises[0].sets, [normal(5, 20.0), normal(4, 232.5)], "a decimal comma is read");
}

#[test]
fn strong_2025_rest_timer_rows_are_no_sets() {
    let text = r#""Workout #";"Date";"Workout Name";"Duration (sec)";"Exercise Name";"Set Order";"Weight (kg)";"Reps";"RPE";"Distance (meters)";"Seconds";"Notes";"Workout Notes"
"1";"2024-01-15 08:30:00";"Push Day";"3900";"Bench Press (Barbell)";"W";"40";"10";"";"";"";"";"Good day"
"1";"2024-01-15 08:30:00";"Push Day";"3900";"Bench Press (Barbell)";"1";"80";"8";"8";"";"";"";""
"1";"2024-01-15 08:30:00";"Push Day";"3900";"Bench Press (Barbell)";"D";"60";"12";"";"";"";"";""
"1";"2024-01-15 08:30:00";"Push Day";"3900";"Bench Press (Barbell)";"F";"50";"9";"";"";"";"";""
"1";"2024-01-15 08:30:00";"Push Day";"3900";"Bench Press (Barbell)";"Rest Timer";"";"";"";"";"90";"";""
"1";"2024-01-15 08:30:00";"Push Day";"3900";"Cable Fly";"Rest Timer";"";"";"";"";"60";"";""
"1";"2024-01-15 08:30:00";"Push Day";"3900";"Cable Fly";"1";"15";"12";"";"";"";"Line 1
Line 2";""
"2";"2024-01-17 18:00:00";"Legs";"2700";"Running (Treadmill)";"1";"";"";"";"2500";"900";"";""
"#;
    let history = history(text);
    assert_eq!(history.format, ExportFormat::Strong2025);
    let [push, legs] = &history.sessions[..] else { panic!("two sessions") };
    assert_eq!(push.actual_minutes, 65.0);
    let bench = &push.exercises[0];
    assert_eq!(
        bench.sets,
        [
            set(SetKind::Warmup, Some(10), None, Some(40.0)),
            normal(8, 80.0),
            set(SetKind::Drop, Some(12), None, Some(60.0)),
            set(SetKind::Failure, Some(9), None, Some(50.0)),
        ],
        "four sets: the rest-timer row is none"
    );
    assert_eq!(bench.rest_timer_seconds, Some(90));
    assert_eq!(push.exercises[1].rest_timer_seconds, Some(60), "a rest timer may come before the sets");
    assert_eq!(push.exercises[1].sets, [normal(12, 15.0)]);
    assert_eq!(legs.exercises[0].sets, [set(SetKind::Normal, None, Some(900), None)]);
    assert_eq!(legs.actual_minutes, 45.0);
}

#[test]
fn strong_2025_may_be_comma_separated() {
    let text = "\
\"Workout #\",\"Date\",\"Workout Name\",\"Duration (sec)\",\"Exercise Name\",\"Set Order\",\"Weight (kg)\",\"Reps\",\"RPE\",\"Distance (meters)\",\"Seconds\",\"Notes\",\"Workout Notes\"
\"1\",\"2024-01-15 08:30:00\",\"Push\",\"1800\",\"Dip\",\"1\",\"0\",\"10\",\"\",\"\",\"\",\"\",\"\"
";
    let history = history(text);
    assert_eq!(history.format, ExportFormat::Strong2025);
    assert_eq!(history.sessions[0].actual_minutes, 30.0);
}

#[test]
fn a_lone_rest_timer_is_skipped_and_counted() {
    let text = r#""Workout #";"Date";"Workout Name";"Duration (sec)";"Exercise Name";"Set Order";"Weight (kg)";"Reps";"RPE";"Distance (meters)";"Seconds";"Notes";"Workout Notes"
"1";"2024-01-15 08:30:00";"Push";"3900";"Bench Press (Barbell)";"1";"80";"8";"";"";"";"";""
"1";"2024-01-15 08:30:00";"Push";"3900";"Cable Fly";"Rest Timer";"";"";"";"";"60";"";""
"#;
    let history = history(text);
    assert_eq!(names(&history.sessions[0]), ["Bench Press (Barbell)"]);
    assert_eq!(history.skipped.len(), 1);
    assert_eq!(history.skipped[0].line, 3);
    assert!(history.skipped[0].reason.contains("rest timer for `Cable Fly`"), "{}", history.skipped[0].reason);
}

const HEVY_HEADER: &str = "title,start_time,end_time,description,exercise_title,superset_id,exercise_notes,set_index,set_type,weight_kg,reps,distance_km,duration_seconds,rpe";

#[test]
fn hevy_export() {
    let text = format!(
        "{HEVY_HEADER}
\"Push\",\"Jul 28, 2026, 11:49 PM\",\"Jul 29, 2026, 12:59 AM\",\"\",\"Bench Press (Barbell)\",,\"\",0,\"warmup\",40,10,,,
\"Push\",\"Jul 28, 2026, 11:49 PM\",\"Jul 29, 2026, 12:59 AM\",\"\",\"Bench Press (Barbell)\",,\"\",1,\"normal\",80,8.0,,,8.5
\"Push\",\"Jul 28, 2026, 11:49 PM\",\"Jul 29, 2026, 12:59 AM\",\"\",\"Bench Press (Barbell)\",,\"\",2,\"dropset\",60,12,,,
\"Push\",\"Jul 28, 2026, 11:49 PM\",\"Jul 29, 2026, 12:59 AM\",\"\",\"Bench Press (Barbell)\",,\"\",3,\"failure\",50,0,,,
\"Push\",\"Jul 28, 2026, 11:49 PM\",\"Jul 29, 2026, 12:59 AM\",\"\",\"Cable Fly\",0,\"\",0,\"normal\",15,12,,,
\"Push\",\"Jul 28, 2026, 11:49 PM\",\"Jul 29, 2026, 12:59 AM\",\"\",\"Triceps Pushdown\",0,\"\",0,\"normal\",25,12,,,
\"Push\",\"Jul 28, 2026, 11:49 PM\",\"Jul 29, 2026, 12:59 AM\",\"\",\"Treadmill\",,\"\",0,\"normal\",,,1.5,600,
\"Pull\",\"3 Jan 2026, 17:29\",\"3 Jan 2026, 18:38\",\"\",\"Pull Up\",,\"\",0,\"normal\",0,8,,,
"
    );
    let history = history(&text);
    assert_eq!(history.format, ExportFormat::Hevy);
    let [pull, push] = &history.sessions[..] else { panic!("two sessions") };
    assert_eq!((pull.start.as_str(), pull.actual_minutes), ("2026-01-03T17:29", 69.0));
    assert_eq!((push.start.as_str(), push.actual_minutes), ("2026-07-28T23:49", 70.0), "across midnight");
    assert_eq!(
        push.exercises[0].sets,
        [
            set(SetKind::Warmup, Some(10), None, Some(40.0)),
            normal(8, 80.0),
            set(SetKind::Drop, Some(12), None, Some(60.0)),
            set(SetKind::Failure, Some(0), None, Some(50.0)),
        ]
    );
    assert_eq!(push.exercises[0].superset, None);
    assert_eq!(push.exercises[1].superset.as_deref(), Some("0"));
    assert_eq!(push.exercises[2].superset.as_deref(), Some("0"));
    assert_eq!(push.exercises[3].sets, [set(SetKind::Normal, None, Some(600), None)]);
}

#[test]
fn hevy_in_pounds_with_localised_months() {
    let header = HEVY_HEADER.replace("weight_kg", "weight_lbs").replace("distance_km", "distance_miles");
    let text = format!(
        "{header}
Beine,\"3 Dez. 2025, 17:29\",\"3 Dez. 2025, 18:29\",,Squat,,,0,normal,225,5,,,
Jambes,\"31 déc. 2025, 23:30\",\"1 janv. 2026, 00:45\",,Squat,,,0,normal,230,5,,,
Piernas,\"3 ene 2026, 17:29\",\"3 ene 2026, 18:00\",,Squat,,,0,normal,235,5,,,
Pernas,\"3 de fev. de 2026, 17:29\",\"3 de fev. de 2026, 18:00\",,Squat,,,0,normal,240,5,,,
Gambe,\"3 mar 2026, 17:29\",\"3 mar 2026, 18:00\",,Squat,,,0,normal,245,5,,,
"
    );
    let history = history(&text);
    let read: Vec<(&str, f64)> = history.sessions.iter().map(|s| (s.start.as_str(), s.actual_minutes)).collect();
    assert_eq!(
        read,
        [
            ("2025-12-03T17:29", 60.0),
            ("2025-12-31T23:30", 75.0),
            ("2026-01-03T17:29", 31.0),
            ("2026-02-03T17:29", 31.0),
            ("2026-03-03T17:29", 31.0),
        ]
    );
    assert_eq!(history.sessions[0].exercises[0].sets, [normal(5, 225.0)]);
}

// ---- Sessions, exercises, marks -----------------------------------------------

const CLASSIC_HEADER: &str =
    "Date,Workout Name,Duration,Exercise Name,Set Order,Weight,Reps,Distance,Seconds,Notes,Workout Notes,RPE";

/// A Strong classic export of rows `(date, name, duration, exercise)`, one set each.
fn classic(rows: &[(&str, &str, &str, &str)]) -> String {
    let mut text = format!("{CLASSIC_HEADER}\n");
    for (date, name, duration, exercise) in rows {
        text.push_str(&format!("{date},\"{name}\",{duration},\"{exercise}\",1,50,10,0,0,,,\n"));
    }
    text
}

#[test]
fn sessions_are_sorted_oldest_first_keeping_file_order_between_equal_starts() {
    let text = classic(&[
        ("2024-03-01 10:00:00", "C", "1h", "Squat"),
        ("2024-01-01 10:00:00", "B", "1h", "Squat"),
        ("2024-01-01 10:00:00", "A", "1h", "Squat"),
        ("2023-12-31 23:59:59", "Z", "1h", "Squat"),
    ]);
    let history = history(&text);
    let order: Vec<&str> = history.sessions.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(order, ["Z", "B", "A", "C"]);
}

#[test]
fn the_same_exercise_in_two_runs_stays_two_exercises() {
    let text = classic(&[
        ("2024-01-01 10:00:00", "Full", "1h", "Squat"),
        ("2024-01-01 10:00:00", "Full", "1h", "Squat"),
        ("2024-01-01 10:00:00", "Full", "1h", "Bench"),
        ("2024-01-01 10:00:00", "Full", "1h", "Squat"),
    ]);
    let history = history(&text);
    let session = &history.sessions[0];
    assert_eq!(names(session), ["Squat", "Bench", "Squat"]);
    assert_eq!(session.exercises[0].sets.len(), 2);
}

#[test]
fn implausible_durations_are_kept_and_marked() {
    let text = classic(&[
        ("2024-01-01 10:00:00", "Forgot", "4h 1m", "Squat"),
        ("2024-01-02 10:00:00", "Four hours", "4h", "Squat"),
        ("2024-01-03 10:00:00", "Typed in", "9m", "Squat"),
        ("2024-01-04 10:00:00", "Ten", "10m", "Squat"),
        ("2024-01-05 10:00:00", "Seconds", "55s", "Squat"),
    ]);
    let history = history(&text);
    let marks: Vec<(&str, Option<Implausible>)> =
        history.sessions.iter().map(|s| (s.name.as_str(), s.implausible)).collect();
    assert_eq!(
        marks,
        [
            ("Forgot", Some(Implausible::TimerLeftRunning)),
            ("Four hours", None),
            ("Typed in", Some(Implausible::LoggedAfterwards)),
            ("Ten", None),
            ("Seconds", Some(Implausible::LoggedAfterwards)),
        ]
    );
    assert_eq!(history.sessions[4].actual_minutes, 55.0 / 60.0);
}

#[test]
fn every_duration_text_form() {
    let forms = [
        ("1h 5m", 65.0),
        ("35min", 35.0),
        ("55s", 55.0 / 60.0),
        ("51m", 51.0),
        ("2h", 120.0),
        ("1小时13分钟", 73.0),
        ("1 Std. 5 Min.", 65.0),
        ("1h 5min", 65.0),
        ("2h 23min", 143.0),
        ("1h05", 65.0),
    ];
    for (form, minutes) in forms {
        let history = history(&classic(&[("2024-01-01 10:00:00", "S", form, "Squat")]));
        assert_eq!(history.sessions[0].actual_minutes, minutes, "{form}");
    }
}

#[test]
fn every_date_form() {
    let strong = [
        ("2021-02-10 16:46:13", "2021-02-10T16:46:13"),
        ("2021-02-10 16:46", "2021-02-10T16:46"),
        ("2023-01-05 6:46:13 PM", "2023-01-05T18:46:13"),
    ];
    for (form, start) in strong {
        let history = history(&classic(&[(form, "S", "1h", "Squat")]));
        assert_eq!(history.sessions[0].start, start, "{form}");
    }
    let hevy = [
        ("3 Jan 2026, 17:29", "2026-01-03T17:29"),
        ("Jul 28, 2026, 6:49 PM", "2026-07-28T18:49"),
        ("3 Dez. 2026, 17:29", "2026-12-03T17:29"),
        ("3 déc. 2026, 17:29", "2026-12-03T17:29"),
        ("3 dic 2026, 17:29", "2026-12-03T17:29"),
        ("3 de dez. de 2026, 17:29", "2026-12-03T17:29"),
        ("3 ago 2026, 17:29", "2026-08-03T17:29"),
        ("3 März 2026, 17:29", "2026-03-03T17:29"),
    ];
    for (form, start) in hevy {
        let text = format!("{HEVY_HEADER}\nS,\"{form}\",\"{form}\",,Squat,,,0,normal,50,5,,,\n");
        let history = history(&text);
        assert_eq!(history.sessions[0].start, start, "{form}");
        assert_eq!(history.sessions[0].actual_minutes, 0.0);
    }
}

// ---- Bad input -----------------------------------------------------------------

#[test]
fn an_empty_file_or_a_header_alone_is_empty_file() {
    let header_only = format!("{CLASSIC_HEADER}\n");
    let header_and_blank_lines = format!("{CLASSIC_HEADER}\n\n\r\n");
    for text in ["", "\n\n", "\u{feff}", "  \r\n", &header_only, &header_and_blank_lines] {
        assert_eq!(error(text).code, HistoryErrorCode::EmptyFile, "{text:?}");
    }
}

#[test]
fn a_file_over_the_limit_is_refused_before_parsing() {
    // 21 MiB of rows that would otherwise read.
    let row = "2024-01-01 10:00:00,\"S\",1h,\"Squat\",1,50,10,0,0,,,\n";
    let mut text = format!("{CLASSIC_HEADER}\n");
    while text.len() <= 21 * 1024 * 1024 {
        text.push_str(row);
    }
    let error = error(&text);
    assert_eq!(error.code, HistoryErrorCode::TooLarge);
    assert!(error.message.contains("20 MiB"), "{}", error.message);
    // The limit itself is allowed (a file of spaces: checked cheaply as empty).
    assert_eq!(self::error(&" ".repeat(MAX_EXPORT_BYTES)).code, HistoryErrorCode::EmptyFile);
    assert_eq!(self::error(&" ".repeat(MAX_EXPORT_BYTES + 1)).code, HistoryErrorCode::TooLarge);
}

#[test]
fn anything_but_an_export_is_not_an_export() {
    let junk: Vec<u8> = (0..4096u32).map(|i| (i.wrapping_mul(2_654_435_761) >> 13) as u8).collect();
    let cases = [
        "name,age,city\nBob,34,Lyon\n".to_owned(),
        "{\"workouts\": [{\"date\": \"2024-01-01\"}]}".to_owned(),
        String::from_utf8_lossy(&junk).into_owned(),
        "Date;Workout Name;Exercise Name;Set Order;Weight;Reps\n2019-01-11 12:31:54;Leg;Squat;1;20;5\n".to_owned(),
        "Date\n2024-01-01\n".to_owned(),
    ];
    for text in &cases {
        assert_eq!(error(text).code, HistoryErrorCode::NotAnExport, "{text:?}");
    }
    assert!(error(&cases[1]).message.contains("JSON"));
    assert!(error(&cases[3]).message.contains("no duration column"));
}

#[test]
fn a_quote_never_closed_is_broken_csv_at_its_line() {
    let text = format!(
        "{CLASSIC_HEADER}
2024-01-01 10:00:00,\"S\",1h,\"Squat\",1,50,10,0,0,\"a note
over two lines\",,
2024-01-01 10:00:00,\"S\",1h,\"Squat\",2,50,10,0,0,\"never closed,,
2024-01-01 10:00:00,\"S\",1h,\"Squat\",3,50,10,0,0,,,
"
    );
    let error = error(&text);
    assert_eq!((error.code, error.line), (HistoryErrorCode::BrokenCsv, Some(4)), "{error}");
    // The same with CRLF line ends.
    let error = self::error(&text.replace('\n', "\r\n"));
    assert_eq!((error.code, error.line), (HistoryErrorCode::BrokenCsv, Some(4)), "{error}");
    // With no quote after it, the rest of the file is one field.
    let unquoted = format!(
        "{CLASSIC_HEADER}
2024-01-01 10:00:00,S,1h,Squat,1,50,10,0,0,,,
2024-01-01 10:00:00,S,1h,Squat,2,50,10,0,0,,,\"never closed
2024-01-01 10:00:00,S,1h,Squat,3,50,10,0,0,,,
"
    );
    let error = self::error(&unquoted);
    assert_eq!((error.code, error.line), (HistoryErrorCode::BrokenCsv, Some(3)), "{error}");
    // In the header itself.
    let error = self::error("Date,\"Workout Name,Duration\n2024-01-01,x,1h\n");
    assert_eq!((error.code, error.line), (HistoryErrorCode::BrokenCsv, Some(1)), "{error}");
}

#[test]
fn another_formats_header_inside_is_mixed_formats() {
    let strong = classic(&[("2024-01-01 10:00:00", "S", "1h", "Squat")]);
    let hevy = format!("{HEVY_HEADER}\nS,\"3 Jan 2026, 17:29\",\"3 Jan 2026, 18:38\",,Squat,,,0,normal,50,5,,,\n");
    let strong_2025 = "\"Workout #\";\"Date\";\"Workout Name\";\"Duration (sec)\";\"Exercise Name\";\"Set Order\";\"Weight (kg)\";\"Reps\";\"RPE\";\"Distance (meters)\";\"Seconds\";\"Notes\";\"Workout Notes\"\n";
    for (text, line) in [
        (format!("{strong}{hevy}"), 3),
        (format!("{hevy}{strong}"), 3),
        (format!("{strong}{strong_2025}"), 3),
        (format!("{}{strong}", strong_2025.replace(";", ",")), 2),
    ] {
        let error = error(&text);
        assert_eq!((error.code, error.line), (HistoryErrorCode::MixedFormats, Some(line)), "{error}\n{text}");
    }
}

#[test]
fn two_exports_of_one_format_pasted_together_read_once() {
    let older = classic(&[("2024-01-01 10:00:00", "A", "1h", "Squat"), ("2024-01-02 10:00:00", "B", "1h", "Bench")]);
    let newer = classic(&[("2024-01-02 10:00:00", "B", "1h", "Bench"), ("2024-01-03 10:00:00", "C", "1h", "Row")]);
    let history = history(&format!("{older}\u{feff}{newer}"));
    let order: Vec<&str> = history.sessions.iter().map(|s| s.name.as_str()).collect();
    assert_eq!(order, ["A", "B", "C"]);
    assert_eq!(history.sessions[1].exercises[0].sets.len(), 1, "B is not read twice");
    let lines: Vec<u64> = history.skipped.iter().map(|row| row.line).collect();
    assert_eq!(lines, [4, 5], "the second header and B's repeated row");
    assert!(history.skipped[0].reason.contains("header again"));
    assert!(history.skipped[1].reason.contains("read from line 3"), "{}", history.skipped[1].reason);
}

#[test]
fn a_repeated_header_in_another_language_reads_the_rows_after_it() {
    let text = format!(
        "{}日期,锻炼名称,时长,运动名称,设置顺序,重量,次,距离,秒\n2024-01-02 10:00:00,B,45分钟,Row,1,40,12,0,0\n",
        classic(&[("2024-01-01 10:00:00", "A", "1h", "Squat")])
    );
    let history = history(&text);
    assert_eq!(history.format, ExportFormat::StrongClassic);
    assert_eq!(history.sessions[1].actual_minutes, 45.0);
    assert_eq!(history.sessions[1].exercises[0].sets, [normal(12, 40.0)]);
    assert_eq!(history.skipped.len(), 1);
}

#[test]
fn unreadable_rows_are_skipped_with_their_line_and_reason() {
    let text = format!(
        "{CLASSIC_HEADER}
2024-01-01 10:00:00,\"S\",1h,\"Squat\",1,50,10,0,0,,,
2024-01-01 10:00:00,\"S\",1h,\"Squat\",2,50,10,0,0,,
2024-13-01 10:00:00,\"S\",1h,\"Squat\",3,50,10,0,0,,,
2024-01-01 10:00:00,\"S\",an hour,\"Squat\",4,50,10,0,0,,,
2024-01-01 10:00:00,\"S\",1h,\"Squat\",5,heavy,10,0,0,,,
2024-01-01 10:00:00,\"S\",1h,\"Squat\",6,50,10.5,0,0,,,
2024-01-01 10:00:00,\"S\",1h,\"Squat\",X,50,10,0,0,,,
2024-01-01 10:00:00,\"S\",1h,\"\",7,50,10,0,0,,,
2024-01-01 10:00:00,\"S\",1h,\"Squat\",8,50,8,0,0,,,
"
    );
    let history = history(&text);
    assert_eq!(history.sessions[0].exercises[0].sets, [normal(10, 50.0), normal(8, 50.0)]);
    let skipped: Vec<(u64, &str)> = history.skipped.iter().map(|row| (row.line, row.reason.as_str())).collect();
    assert_eq!(
        skipped,
        [
            (3, "It has 11 fields where the header has 12."),
            (4, "Its date: `2024-13-01 10:00:00` is not a date and time (such as `2021-02-10 16:46:13` or `3 Jan 2026, 17:29`)."),
            (5, "Its duration: `an hour` is not a duration (such as `1h 5m`, `35min` or `55s`)."),
            (6, "Its weight `heavy` is not a number."),
            (7, "Its reps `10.5` is not a whole number of zero or more."),
            (8, "Its set order `X` is not a set number, `W`, `D`, `F` or a rest timer."),
            (9, "It has no exercise name."),
        ]
    );
}

#[test]
fn hevy_rows_that_cannot_be_read_are_skipped() {
    let text = format!(
        "{HEVY_HEADER}
S,\"3 Jan 2026, 17:29\",\"3 Jan 2026, 18:38\",,Squat,,,0,normal,50,5,,,
S,\"3 Jan 2026, 17:29\",\"3 Jan 2026, 16:00\",,Squat,,,1,normal,50,5,,,
S,\"3 Jan 2026, 17:29\",\"3 Jan 2026, 18:38\",,Squat,,,2,superset,50,5,,,
"
    );
    let history = history(&text);
    let skipped: Vec<(u64, &str)> = history.skipped.iter().map(|row| (row.line, row.reason.as_str())).collect();
    assert_eq!(
        skipped,
        [
            (3, "It ends (2026-01-03T16:00) before it starts (2026-01-03T17:29)."),
            (4, "Its set type `superset` is not normal, warmup, dropset or failure."),
        ]
    );
}

#[test]
fn lines_count_from_one_through_notes_over_several_lines_and_crlf() {
    let text = format!(
        "\u{feff}{CLASSIC_HEADER}\r\n\
         2024-01-01 10:00:00,\"S\",1h,\"Squat\",1,50,10,0,0,\"first\r\nsecond\r\nthird\",,\r\n\
         2024-01-01 10:00:00,\"S\",1h,\"Squat\",2,50,10,0,0,,\r\n"
    );
    let history = history(&text);
    assert_eq!(history.skipped.len(), 1);
    assert_eq!(history.skipped[0].line, 5);
}

#[test]
fn a_session_whose_every_row_was_skipped_does_not_exist() {
    let text = classic(&[
        ("2024-01-01 10:00:00", "Kept", "1h", "Squat"),
        ("2024-01-02 10:00:00", "Lost", "soon", "Squat"),
        ("2024-01-02 10:00:00", "Lost", "soon", "Bench"),
    ]);
    let history = history(&text);
    assert_eq!(history.sessions.iter().map(|s| s.name.as_str()).collect::<Vec<_>>(), ["Kept"]);
    assert_eq!(history.skipped.iter().map(|row| row.line).collect::<Vec<_>>(), [3, 4]);
}

#[test]
fn a_file_whose_every_row_was_skipped_has_no_readable_sessions() {
    let text =
        classic(&[("2024-01-02 10:00:00", "Lost", "soon", "Squat"), ("2024-01-02 10:00:00", "Lost", "?", "Bench")]);
    let error = error(&text);
    assert_eq!((error.code, error.line), (HistoryErrorCode::NoReadableSessions, Some(2)));
    assert!(error.message.contains("None of the export's 2 rows"), "{}", error.message);
    assert!(error.message.contains("`soon` is not a duration"), "{}", error.message);
    assert_eq!(error.code.as_str(), "no_readable_sessions");
}
