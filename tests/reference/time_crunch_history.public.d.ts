// The public API of time_crunch_history.d.ts as scripts/public-api.mjs prints it:
// every export with its doc comment, sorted by name; InitOutput's members omitted.

/**
 * A block of the session (warm-up, main work, accessories, ...).
 */
export interface Block {
    /**
     * Block id.
     */
    id: string;
    /**
     * Optional display name.
     */
    name?: string;
    /**
     * What the block is for.
     */
    kind: BlockKind;
    /**
     * Exercises in order, 1..=50.
     */
    exercises: Exercise[];
}

/**
 * What a block is for.
 */
export type BlockKind = "warmup" | "main" | "accessory" | "core" | "conditioning" | "cooldown";

/**
 * A fitted pace and how it was fitted.
 */
export interface Calibration {
    /**
     * The athlete's pace, for `options.pace`.
     */
    pace: Pace;
    /**
     * Whether the pace is their own: false when the log did not predict
     * its latest sessions better than the documented constants, which
     * `pace` then holds.
     */
    personal: boolean;
    /**
     * Indices (into `History::sessions`) of the sessions it was fitted on.
     */
    used: number[];
    /**
     * Sessions it was not fitted on, and why.
     */
    leftOut: UnusedSession[];
    /**
     * Median |predicted − actual| / actual over the sessions used, with
     * the documented constants.
     */
    errorBefore: number;
    /**
     * The same with the fitted pace.
     */
    errorAfter: number;
    /**
     * Median actual / predicted with the documented constants: 1.25 means
     * the sessions run about 25 % longer than planned.
     */
    actualToPlanned: number;
}

/**
 * Equipment an exercise uses.
 */
export type Equipment = "barbell" | "dumbbell" | "kettlebell" | "cable" | "machine" | "bodyweight" | "band" | "other";

/**
 * One exercise as planned.
 */
export interface Exercise {
    /**
     * Unique within the plan.
     */
    id: string;
    /**
     * Display name (untrusted text).
     */
    name: string;
    /**
     * How much the exercise matters to the session.
     */
    priority: Priority;
    /**
     * Movement pattern.
     */
    pattern: Pattern;
    /**
     * Primary muscles worked (non-empty).
     */
    muscles: Muscle[];
    /**
     * Equipment used.
     */
    equipment: Equipment;
    /**
     * Working sets, 1..=20.
     */
    sets: number;
    /**
     * Reps per set, 1..=100 (exactly one of `reps` / `durationSeconds`).
     */
    reps?: number;
    /**
     * Seconds of work per set, 5..=3600.
     */
    durationSeconds?: number;
    /**
     * Rest between sets in seconds, 0..=600.
     */
    restSeconds: number;
    /**
     * Tempo, 1..=12 seconds per rep (default 3).
     */
    secondsPerRep?: number;
    /**
     * One side at a time: work time counts twice (default false).
     */
    unilateral?: boolean;
    /**
     * Author-made superset: exercises of one block sharing this name.
     */
    supersetGroup?: string;
}

/**
 * Where one plan exercise came from.
 */
export interface ExerciseSource {
    /**
     * The plan exercise's id.
     */
    exerciseId: string;
    /**
     * The name as logged.
     */
    loggedName: string;
    /**
     * The free-exercise-db entry it matched, if any.
     */
    dbName?: string;
    /**
     * The match's confidence, 0..=1.
     */
    confidence: number;
}

/**
 * Which app wrote the export (detected by its header).
 */
export type ExportFormat = "strong_classic" | "strong_semicolon" | "strong2025" | "hevy";

/**
 * An imported training log.
 */
export interface History {
    /**
     * The export's format.
     */
    format: ExportFormat;
    /**
     * Sessions by start time, oldest first.
     */
    sessions: LoggedSession[];
    /**
     * Rows that could not be read, in file order.
     */
    skipped: SkippedRow[];
}

/**
 * Why a logged duration cannot be trusted.
 */
export type Implausible = "timer_left_running" | "logged_afterwards";

export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

export interface InitOutput {
    /* members omitted: the module's raw wasm exports, named differently by each compiler */
}

/**
 * A logged exercise that is not in the plan.
 */
export interface LeftOut {
    /**
     * The name as logged.
     */
    name: string;
    /**
     * Why.
     */
    reason: LeftOutReason;
}

/**
 * Why a logged exercise is not in the plan.
 */
export type LeftOutReason = "no_set_done" | "plan_full";

/**
 * One exercise of a session: a run of consecutive sets of one exercise.
 */
export interface LoggedExercise {
    /**
     * The name as the app writes it, e.g. `Bench Press (Barbell)`.
     */
    name: string;
    /**
     * Sets in order.
     */
    sets: LoggedSet[];
    /**
     * The rest timer the lifter had set, seconds, where the log has one.
     */
    restTimerSeconds?: number;
    /**
     * The app's superset id, where the log has one.
     */
    superset?: string;
}

/**
 * One logged session.
 */
export interface LoggedSession {
    /**
     * Local start time as written by the app, normalised to
     * `YYYY-MM-DDTHH:MM` or `YYYY-MM-DDTHH:MM:SS` (sorts as text).
     */
    start: string;
    /**
     * The session's name in the app.
     */
    name: string;
    /**
     * Minutes the session really took (the app's duration, or end − start).
     */
    actualMinutes: number;
    /**
     * Exercises in the order they were done; one exercise done in two
     * separate runs appears twice.
     */
    exercises: LoggedExercise[];
    /**
     * Why the session's duration cannot be trusted, if it cannot; such a
     * session is kept but left out of calibration.
     */
    implausible?: Implausible;
}

/**
 * One logged set.
 */
export interface LoggedSet {
    /**
     * Warm-up, normal, drop or failure set.
     */
    kind: SetKind;
    /**
     * Reps, when the set counted reps (0 is kept: the log said so).
     */
    reps?: number;
    /**
     * Seconds, when the set was timed.
     */
    seconds?: number;
    /**
     * Weight in the lifter's unit (the export does not always say which).
     */
    weight?: number;
}

/**
 * What a name matched.
 */
export interface Match {
    /**
     * The name as the app wrote it.
     */
    name: string;
    /**
     * The matched exercise; absent when the name is unmatched.
     */
    exercise?: MatchedExercise;
    /**
     * How sure the match is, 0..=1. For an unmatched name, the best score
     * found, below the threshold of 0.6 (`MATCH_THRESHOLD`).
     */
    confidence: number;
}

/**
 * A matched exercise on the engine's terms.
 */
export interface MatchedExercise {
    /**
     * The free-exercise-db entry's name.
     */
    dbName: string;
    /**
     * Primary muscles.
     */
    muscles: Muscle[];
    /**
     * The equipment the app name states, else the entry's.
     */
    equipment: Equipment;
    /**
     * Movement pattern.
     */
    pattern: Pattern;
    /**
     * A multi-joint lift.
     */
    compound: boolean;
}

/**
 * Primary muscle worked.
 */
export type Muscle = "chest" | "back" | "lats" | "traps" | "front_delts" | "side_delts" | "rear_delts" | "biceps" | "triceps" | "forearms" | "quads" | "hamstrings" | "glutes" | "calves" | "adductors" | "abs" | "obliques" | "lower_back" | "full_body";

/**
 * The duration model's personal constants.
 */
export interface Pace {
    /**
     * Setup before every set, seconds (default 15).
     */
    setupSeconds: number;
    /**
     * Tempo of exercises that give none, seconds per rep (default 3).
     */
    secondsPerRep: number;
    /**
     * Rest actually taken per second of planned rest (default 1).
     */
    restFactor: number;
    /**
     * Transition between consecutive items, seconds (default 60).
     */
    transitionSeconds: number;
}

/**
 * Movement pattern.
 */
export type Pattern = "squat" | "hinge" | "lunge" | "horizontal_push" | "vertical_push" | "horizontal_pull" | "vertical_pull" | "carry" | "core" | "isolation" | "conditioning" | "mobility";

/**
 * A planned session.
 */
export interface Plan {
    /**
     * The host app's id for the plan.
     */
    id: string;
    /**
     * Display name (untrusted text).
     */
    name: string;
    /**
     * Blocks in session order, 1..=50.
     */
    blocks: Block[];
}

/**
 * Priority, most to least important.
 */
export type Priority = "core" | "primary" | "secondary" | "optional";

/**
 * A plan made from a logged session, with what the page needs to ask about.
 */
export interface SessionPlan {
    /**
     * A valid engine plan.
     */
    plan: Plan;
    /**
     * Where each plan exercise came from, in plan order.
     */
    sources: ExerciseSource[];
    /**
     * Names that matched no exercise, in first-logged order, with the ids
     * they became: the athlete is asked to describe them.
     */
    unmatched: Unmatched[];
    /**
     * Logged exercises that are not in the plan, in logged order.
     */
    leftOut: LeftOut[];
}

/**
 * Kind of set.
 */
export type SetKind = "warmup" | "normal" | "drop" | "failure";

/**
 * A row the importer could not read.
 */
export interface SkippedRow {
    /**
     * 1-based line of the file where the row starts.
     */
    line: number;
    /**
     * Why it was skipped, a human sentence.
     */
    reason: string;
}

export type SyncInitInput = BufferSource | WebAssembly.Module;

/**
 * What `importLog`, `planFromSession` and `calibrate` throw: an `Error`
 * named "TimeCrunchError" (as the preview module's), recognised by `name`.
 */
export interface TimeCrunchHistoryError extends Error {
    /** Always "TimeCrunchError". */
    name: "TimeCrunchError";
    /** Stable code, e.g. "not_an_export", "too_large", "broken_csv", "not_enough_history". */
    code: string;
    /** 1-based line of the file, when the error is at one. */
    line?: number;
}

/**
 * A logged name that matched nothing.
 */
export interface Unmatched {
    /**
     * The name as logged.
     */
    name: string;
    /**
     * The plan exercises it became.
     */
    exerciseIds: string[];
}

/**
 * Why a session was left out of calibration.
 */
export type UnusedReason = "timer_left_running" | "logged_afterwards" | "no_sets" | "outlier";

/**
 * A session calibration did not use.
 */
export interface UnusedSession {
    /**
     * Index into `History::sessions`.
     */
    session: number;
    /**
     * Why.
     */
    reason: UnusedReason;
}

/**
 * If `module_or_path` is {RequestInfo} or {URL}, makes a request and
 * for everything else, calls `WebAssembly.instantiate` directly.
 *
 * @param {{ module_or_path: InitInput | Promise<InitInput> }} module_or_path - Passing `InitInput` directly is deprecated.
 *
 * @returns {Promise<InitOutput>}
 */
export default function __wbg_init (module_or_path?: { module_or_path: InitInput | Promise<InitInput> } | InitInput | Promise<InitInput>): Promise<InitOutput>;

/**
 * Fits the athlete's own pace on their history (at least 5 sessions with
 * a plausible duration), for a preview request's `options.pace`.
 *
 * ```js
 * const { pace, errorBefore, errorAfter } = calibrate(history);
 * preview({ plan, targetMinutes: 30, options: { pace } });
 * ```
 */
export function calibrate(history: History): Calibration;

/**
 * Reads a Strong or Hevy CSV export (every format the package README
 * lists, detected by its header) into the lifter's history. Rows that
 * cannot be read are skipped and listed in `skipped` with their line.
 *
 * ```js
 * const history = importLog(await file.text());
 * console.log(history.sessions.length, history.skipped.length);
 * ```
 */
export function importLog(text: string): History;

/**
 * Instantiates the given `module`, which can either be bytes or
 * a precompiled `WebAssembly.Module`.
 *
 * @param {{ module: SyncInitInput }} module - Passing `SyncInitInput` directly is deprecated.
 *
 * @returns {InitOutput}
 */
export function initSync(module: { module: SyncInitInput } | SyncInitInput): InitOutput;

/**
 * Matches an app's exercise name ("Bench Press (Barbell)") to the
 * exercise database; `exercise` is absent when no entry is close enough.
 *
 * ```js
 * const { exercise, confidence } = matchExercise("Lat Pulldown (Cable)");
 * ```
 */
export function matchExercise(name: string): Match;

/**
 * A valid plan from a logged session (the rules are in the package
 * README), with the exercises no database entry matched, to ask for.
 *
 * ```js
 * const { plan, unmatched } = planFromSession(history.sessions.at(-1), "today");
 * ```
 */
export function planFromSession(session: LoggedSession, id: string): SessionPlan;
