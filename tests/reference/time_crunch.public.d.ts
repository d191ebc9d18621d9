// The public API of time_crunch.d.ts as scripts/public-api.mjs prints it:
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
 * One change and why it was made.
 */
export interface Change {
    /**
     * What kind of change.
     */
    kind: ChangeKind;
    /**
     * The exercises concerned.
     */
    exerciseIds: string[];
    /**
     * Value before, for set and rest changes.
     */
    from?: number;
    /**
     * Value after, for set and rest changes.
     */
    to?: number;
    /**
     * Why, in words an athlete understands.
     */
    reason: string;
}

/**
 * What kind of change was made.
 */
export type ChangeKind = "removed" | "sets_reduced" | "rest_reduced" | "paired";

/**
 * How a [`TimeCrunchClient`] reaches the server.
 */
export interface ClientOptions {
    /**
     * The user: flag bucketing and every event.
     */
    userKey: string;
    /**
     * The server's origin, e.g. `"https://api.example.com"`; `""` (the
     * default) for the page's own origin.
     */
    baseUrl?: string;
    /**
     * The browser session the events belong to; random by default.
     */
    sessionId?: string;
    /**
     * Longest an event waits before it is sent, milliseconds (default 5000).
     */
    flushIntervalMs?: number;
    /**
     * Events per batch, and the queue length that sends at once (default 50).
     */
    maxBatch?: number;
    /**
     * Events kept while the server is unreachable; the oldest are dropped
     * beyond it (default 500).
     */
    maxBuffer?: number;
}

/**
 * Equipment an exercise uses.
 */
export type Equipment = "barbell" | "dumbbell" | "kettlebell" | "cable" | "machine" | "bodyweight" | "band" | "other";

/**
 * How long a plan takes.
 */
export interface Estimate {
    /**
     * Exact seconds.
     */
    seconds: number;
    /**
     * Seconds / 60, rounded to 0.1.
     */
    minutes: number;
}

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
 * Why the preview does not fit, and what would.
 */
export interface Fallback {
    /**
     * Machine-readable reason; today always `target_below_minimum`.
     */
    reason: string;
    /**
     * A sentence for the athlete.
     */
    message: string;
    /**
     * Length of the most compact session, minutes rounded up to 0.1.
     */
    minimumMinutes: number;
}

/**
 * Training goal of the session.
 */
export type Goal = "strength" | "hypertrophy" | "general";

export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

export interface InitOutput {
    /* members omitted: the module's raw wasm exports, named differently by each compiler */
}

/**
 * One thing done in sequence: a single exercise, or a superset of 2–3.
 */
export interface Item {
    /**
     * One member (single exercise) or 2–3 (superset).
     */
    exercises: ItemExercise[];
    /**
     * Rest between sets (single) or between rounds (superset), seconds.
     */
    restSeconds: number;
}

/**
 * An exercise as it will be performed.
 */
export interface ItemExercise {
    /**
     * Exercise id from the plan.
     */
    id: string;
    /**
     * Exercise name from the plan.
     */
    name: string;
    /**
     * Sets to perform.
     */
    sets: number;
    /**
     * Reps per set, for rep-based exercises.
     */
    reps?: number;
    /**
     * Seconds per set, for timed exercises.
     */
    durationSeconds?: number;
    /**
     * Rest after each set; inside a superset, never more than the item's rest.
     */
    restSeconds: number;
    /**
     * Tempo used for the estimate.
     */
    secondsPerRep: number;
    /**
     * Whether work time counts twice.
     */
    unilateral: boolean;
    /**
     * Priority from the plan (extension, for applying the preview).
     */
    priority: Priority;
    /**
     * Pattern from the plan (extension).
     */
    pattern: Pattern;
    /**
     * Muscles from the plan (extension).
     */
    muscles: Muscle[];
    /**
     * Equipment from the plan (extension).
     */
    equipment: Equipment;
}

/**
 * Primary muscle worked.
 */
export type Muscle = "chest" | "back" | "lats" | "traps" | "front_delts" | "side_delts" | "rear_delts" | "biceps" | "triceps" | "forearms" | "quads" | "hamstrings" | "glutes" | "calves" | "adductors" | "abs" | "obliques" | "lower_back" | "full_body";

/**
 * Options that steer the compression.
 */
export interface Options {
    /**
     * Training goal; changes rest floors and pairing rules.
     */
    goal?: Goal;
    /**
     * Exercise ids that are never removed (their sets may still be trimmed).
     */
    keep?: string[];
    /**
     * Whether the engine may pair exercises into supersets (default true).
     */
    allowSupersets?: boolean;
    /**
     * The athlete's own pace (from `calibrate`); the documented constants
     * of the duration model when absent.
     */
    pace?: Pace;
}

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
 * A compressed session and how it was made.
 */
export interface Preview {
    /**
     * Id of the plan this preview compresses.
     */
    planId: string;
    /**
     * Name of that plan.
     */
    planName: string;
    /**
     * The strategy that produced this session.
     */
    strategy: Strategy;
    /**
     * Whether the session fits in `target_minutes`.
     */
    fits: boolean;
    /**
     * Minutes requested.
     */
    targetMinutes: number;
    /**
     * The plan's own length, minutes rounded to 0.1.
     */
    originalMinutes: number;
    /**
     * This session's length, minutes rounded to 0.1.
     */
    estimatedMinutes: number;
    /**
     * Blocks that still hold exercises, in plan order.
     */
    blocks: PreviewBlock[];
    /**
     * Every difference from the plan, with its reason.
     */
    changes: Change[];
    /**
     * How much training is kept.
     */
    retained: Retained;
    /**
     * Set when even the most compact session does not fit.
     */
    fallback: Fallback | null;
    /**
     * Things the athlete should know that are not changes.
     */
    warnings: string[];
    /**
     * The athlete's pace the estimates use, when the request gave one
     * (absent: the documented constants).
     */
    pace?: Pace;
}

/**
 * A block of the compressed session.
 */
export interface PreviewBlock {
    /**
     * Block id from the plan.
     */
    id: string;
    /**
     * Block kind from the plan.
     */
    kind: BlockKind;
    /**
     * Block name from the plan, when it had one.
     */
    name?: string;
    /**
     * Items in the order they are performed.
     */
    items: Item[];
}

/**
 * What the host app sends: the plan, the minutes the athlete has, options.
 */
export interface PreviewRequest {
    /**
     * The session as planned.
     */
    plan: Plan;
    /**
     * Minutes available, 15..=180.
     */
    targetMinutes: number;
    /**
     * Optional tuning; defaults apply when absent.
     */
    options?: Options;
}

/**
 * Priority, most to least important.
 */
export type Priority = "core" | "primary" | "secondary" | "optional";

/**
 * Training kept, as fractions of the plan.
 */
export interface Retained {
    /**
     * Kept working sets / planned working sets, 0..=1 (rounded to 0.001).
     */
    workingSets: number;
    /**
     * The same fraction per muscle the plan works (rounded to 0.001).
     */
    byMuscle: Partial<Record<Muscle, number>>;
}

/**
 * The five strategies, least to most aggressive (SPEC §5).
 */
export type Strategy = "full_accessory_blocks" | "reduced_rest" | "supersets" | "core_plus_supersets" | "core_only";

export type SyncInitInput = BufferSource | WebAssembly.Module;

/**
 * What the client posts.
 */
export interface TelemetryBatch {
    /**
     * 1..=500 events.
     */
    events: TelemetryEvent[];
}

/**
 * One telemetry event.
 */
export interface TelemetryEvent {
    /**
     * Client-made unique id; a retry reuses it and is counted once.
     */
    id: string;
    /**
     * What happened.
     */
    type: TelemetryEventType;
    /**
     * When, in milliseconds since the Unix epoch.
     */
    at: number;
    /**
     * The browser session.
     */
    sessionId: string;
    /**
     * The user, when known.
     */
    userKey?: string;
    /**
     * Strategy of a generated preview, or of a completed session's preview.
     */
    strategy?: Strategy;
    /**
     * Target of a generated preview, or of a completed session's preview.
     */
    targetMinutes?: number;
    /**
     * Whether a generated preview fits.
     */
    fits?: boolean;
    /**
     * Fallback reason of a generated preview.
     */
    fallbackReason?: string;
    /**
     * Time the browser took to compute it, milliseconds.
     */
    generationMs?: number;
    /**
     * Error code of a failed preview.
     */
    errorCode?: string;
    /**
     * Value of an evaluated flag.
     */
    flagValue?: boolean;
    /**
     * Minutes the preview of a completed session estimated.
     */
    estimatedMinutes?: number;
    /**
     * Minutes a completed session really took.
     */
    actualMinutes?: number;
}

/**
 * What happened.
 */
export type TelemetryEventType = "modal_opened" | "preview_generated" | "preview_applied" | "preview_failed" | "flag_evaluated" | "session_completed";

/**
 * Feature flag and telemetry for one user, e.g.
 *
 * ```js
 * const client = new TimeCrunchClient({ userKey });
 * if (await client.isEnabled()) showShortOnTime();
 * client.track({ type: "modal_opened" });
 * ```
 */
export class TimeCrunchClient {
    free(): void;
    [Symbol.dispose](): void;
    /**
     * Events dropped because the queue was full.
     */
    dropped(): number;
    /**
     * Sends what waits now, even during a retry delay; resolves when that
     * send is over. Never rejects.
     */
    flush(): Promise<void>;
    /**
     * Whether the feature is on for this user. Resolves `false` on any
     * failure; never rejects. The answer is reused for a minute.
     */
    isEnabled(): Promise<boolean>;
    /**
     * A client for `options.userKey`; throws a `TimeCrunchError` only when
     * the options themselves are malformed.
     */
    constructor(options: ClientOptions);
    /**
     * Events waiting to be sent.
     */
    pending(): number;
    /**
     * Malformed events given to `track`, and sessions given to
     * `trackCompleted` without plausible minutes.
     */
    rejected(): number;
    /**
     * Queues the `session_completed` event of a session the athlete
     * trained from `preview`: its strategy, target and estimate, and the
     * minutes it really took, which is what the dashboards' "finished
     * within target" counts. Never throws: `actualMinutes` that is not a
     * number above 0 and at most a day (1440), or a preview without its
     * strategy, target or estimate, is counted in `rejected()` and dropped.
     *
     * ```js
     * const started = Date.now();
     * // ... the athlete trains the applied preview ...
     * client.trackCompleted(preview, (Date.now() - started) / 60_000);
     * ```
     */
    trackCompleted(preview: Preview, actualMinutes: number): void;
    /**
     * Queues the `preview_generated` event of a preview this module made.
     */
    trackPreview(preview: Preview, generationMs: number): void;
    /**
     * Queues an event. Never throws: a malformed event is counted in
     * `rejected()` and dropped.
     */
    track(event: TrackedEvent): void;
}

/**
 * What `preview`, `sweep`, `estimate`, `applyPreview` and the
 * `TimeCrunchClient` constructor throw on bad input: an `Error`, not a class
 * of its own, so recognise it by `name` rather than `instanceof`.
 */
export interface TimeCrunchError extends Error {
    /** Always "TimeCrunchError". */
    name: "TimeCrunchError";
    /** Stable code: "invalid_request" | "invalid_plan" | "target_out_of_range" | "invalid_preview". */
    code: string;
    /** Where in the input, e.g. "plan.blocks[0].exercises[2].sets", when known. */
    path?: string;
}

/**
 * An event as the host reports it; the client adds `id`, `at`,
 * `sessionId` and `userKey`.
 */
export interface TrackedEvent {
    /**
     * What happened.
     */
    type: TelemetryEventType;
    /**
     * Strategy of a generated preview, or of a completed session's preview.
     */
    strategy?: Strategy;
    /**
     * Target of a preview.
     */
    targetMinutes?: number;
    /**
     * Whether a generated preview fits.
     */
    fits?: boolean;
    /**
     * Fallback reason of a generated preview.
     */
    fallbackReason?: string;
    /**
     * Time the preview took in the browser, milliseconds.
     */
    generationMs?: number;
    /**
     * Error code of a failed preview.
     */
    errorCode?: string;
    /**
     * Value of an evaluated flag.
     */
    flagValue?: boolean;
    /**
     * Minutes the preview of a completed session estimated.
     */
    estimatedMinutes?: number;
    /**
     * Minutes a completed session really took.
     */
    actualMinutes?: number;
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
 * The plan a preview describes, ready to save. It uses the preview's
 * `planId`, `planName` and `blocks`; the other fields describe the session
 * for the athlete and are not read (unknown fields are still rejected).
 *
 * ```js
 * const compressed = applyPreview(preview({ plan, targetMinutes: 30 }));
 * ```
 */
export function applyPreview(preview: Preview): Plan;

/**
 * How long a plan takes as written, at the athlete's pace when one is
 * given (`calibrate` in `time-crunch/history`).
 *
 * ```js
 * const { minutes } = estimate(plan);
 * const mine = estimate(plan, pace).minutes;
 * ```
 */
export function estimate(plan: Plan, pace?: Pace | null): Estimate;

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
 * Compresses a plan to fit `targetMinutes`.
 *
 * ```js
 * const result = preview({ plan, targetMinutes: 30 });
 * if (!result.fits) console.log(result.fallback.message);
 * ```
 */
export function preview(request: PreviewRequest): Preview;

/**
 * One preview per target from 15 to 180 minutes (166 in all, index 0 is
 * 15 minutes), for a slider; `targetMinutes` is ignored.
 *
 * ```js
 * const previews = sweep({ plan, targetMinutes: 60 });
 * const at = (minutes) => previews[minutes - 15];
 * ```
 */
export function sweep(request: PreviewRequest): Preview[];

/**
 * The engine's version (the crate version).
 *
 * ```js
 * console.log(version()); // "0.1.0"
 * ```
 */
export function version(): string;
