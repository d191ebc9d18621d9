//! An athlete's own pace: the constants of the duration model (SPEC §4)
//! fitted to how they really train. A preview request may carry one
//! (`options.pace`); the preview then records it, so its length stays
//! recomputable from the preview alone. Without one, [`Pace::DEFAULT`]
//! (the documented constants) applies and nothing changes.

use serde::{Deserialize, Serialize};

use crate::config::{DEFAULT_SECONDS_PER_REP, ITEM_TRANSITION_SECONDS, SET_SETUP_SECONDS};

/// The duration model's personal constants.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "js", derive(tsify::Tsify))]
#[serde(rename_all = "camelCase", deny_unknown_fields)]
pub struct Pace {
    /// Setup before every set, seconds (default 15).
    #[serde(serialize_with = "crate::wire::number::serialize")]
    pub setup_seconds: f64,
    /// Tempo of exercises that give none, seconds per rep (default 3).
    #[serde(serialize_with = "crate::wire::number::serialize")]
    pub seconds_per_rep: f64,
    /// Rest actually taken per second of planned rest (default 1).
    #[serde(serialize_with = "crate::wire::number::serialize")]
    pub rest_factor: f64,
    /// Transition between consecutive items, seconds (default 60).
    #[serde(serialize_with = "crate::wire::number::serialize")]
    pub transition_seconds: f64,
}

impl Pace {
    /// The documented constants of SPEC §4.
    pub const DEFAULT: Pace = Pace {
        setup_seconds: SET_SETUP_SECONDS,
        seconds_per_rep: DEFAULT_SECONDS_PER_REP,
        rest_factor: 1.0,
        transition_seconds: ITEM_TRANSITION_SECONDS,
    };
}

impl Default for Pace {
    fn default() -> Self {
        Pace::DEFAULT
    }
}
