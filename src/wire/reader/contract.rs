//! How each contract type is read: its fields by wire name. serde's derives
//! remain the definition (names, order, required fields); the tests check
//! that every field of every type reads back what serde_json reads.

use serde::de::DeserializeOwned;

use super::{struct_name_and_fields, variant_names, Fault, FromText, Reader};
use crate::pace::Pace;
use crate::preview::{Item, ItemExercise, PreviewBlock, Strategy};
use crate::request::{
    Block, BlockKind, Equipment, Exercise, Goal, Muscle, Options, Pattern, Plan, PreviewRequest, Priority,
};
use crate::telemetry::TelemetryEventType;
use crate::translate::PreviewSession;

/// Reads a struct: `field` reads one field present, by its wire name.
pub fn read_struct<T: DeserializeOwned>(
    reader: &mut Reader<'_>,
    field: &mut dyn FnMut(&mut Reader<'_>, &str) -> Result<(), Fault>,
) -> Result<(), Fault> {
    let (name, fields) = struct_name_and_fields::<T>();
    reader.fields(name, fields, &mut |reader, index| field(reader, fields[index]))
}

/// A required field's value, or serde's "missing field" error.
pub fn required<T>(value: Option<T>, field: &str) -> Result<T, Fault> {
    value.ok_or_else(|| Fault::missing_field(field))
}

/// `null` as absent, anything else read by `read`.
pub fn optional<'t, T>(
    reader: &mut Reader<'t>,
    read: impl FnOnce(&mut Reader<'t>) -> Result<T, Fault>,
) -> Result<Option<T>, Fault> {
    if reader.null()? {
        Ok(None)
    } else {
        read(reader).map(Some)
    }
}

/// An array of `T`.
pub fn list<T: FromText>(reader: &mut Reader<'_>) -> Result<Vec<T>, Fault> {
    let mut out = Vec::new();
    reader.elements(&mut |reader| {
        out.push(T::read(reader)?);
        Ok(())
    })?;
    Ok(out)
}

impl FromText for String {
    fn read(reader: &mut Reader<'_>) -> Result<Self, Fault> {
        reader.string()
    }
}

/// A unit-only enum, given all its variants in declaration order.
pub fn variant<T: DeserializeOwned + Copy>(reader: &mut Reader<'_>, all: &[T]) -> Result<T, Fault> {
    let index = reader.variant(variant_names::<T>())?;
    // Only when `all` and the derive disagree, which the tests rule out.
    all.get(index).copied().ok_or_else(|| Fault::missing_field("variant"))
}

macro_rules! unit_enums {
    ($($name:ty),*) => {$(
        impl FromText for $name {
            fn read(reader: &mut Reader<'_>) -> Result<Self, Fault> {
                variant(reader, &<$name>::ALL)
            }
        }
    )*};
}

unit_enums!(Goal, BlockKind, Priority, Pattern, Equipment, Muscle, Strategy, TelemetryEventType);

impl FromText for PreviewRequest {
    fn read(reader: &mut Reader<'_>) -> Result<Self, Fault> {
        let (mut plan, mut target_minutes, mut options) = (None, None, None);
        read_struct::<Self>(reader, &mut |reader, field| {
            match field {
                "plan" => plan = Some(Plan::read(reader)?),
                "targetMinutes" => target_minutes = Some(reader.i64()?),
                "options" => options = optional(reader, Options::read)?,
                _ => reader.skip()?,
            }
            Ok(())
        })?;
        Ok(PreviewRequest {
            plan: required(plan, "plan")?,
            target_minutes: required(target_minutes, "targetMinutes")?,
            options,
        })
    }
}

impl FromText for Options {
    fn read(reader: &mut Reader<'_>) -> Result<Self, Fault> {
        let mut options = Options::default();
        read_struct::<Self>(reader, &mut |reader, field| {
            match field {
                "goal" => options.goal = optional(reader, Goal::read)?,
                "keep" => options.keep = optional(reader, list)?,
                "allowSupersets" => options.allow_supersets = optional(reader, Reader::boolean)?,
                "pace" => options.pace = optional(reader, Pace::read)?,
                _ => reader.skip()?,
            }
            Ok(())
        })?;
        Ok(options)
    }
}

impl FromText for Pace {
    fn read(reader: &mut Reader<'_>) -> Result<Self, Fault> {
        let (mut setup, mut tempo, mut rest_factor, mut transition) = (None, None, None, None);
        read_struct::<Self>(reader, &mut |reader, field| {
            match field {
                "setupSeconds" => setup = Some(reader.f64()?),
                "secondsPerRep" => tempo = Some(reader.f64()?),
                "restFactor" => rest_factor = Some(reader.f64()?),
                "transitionSeconds" => transition = Some(reader.f64()?),
                _ => reader.skip()?,
            }
            Ok(())
        })?;
        Ok(Pace {
            setup_seconds: required(setup, "setupSeconds")?,
            seconds_per_rep: required(tempo, "secondsPerRep")?,
            rest_factor: required(rest_factor, "restFactor")?,
            transition_seconds: required(transition, "transitionSeconds")?,
        })
    }
}

impl FromText for Plan {
    fn read(reader: &mut Reader<'_>) -> Result<Self, Fault> {
        let (mut id, mut name, mut blocks) = (None, None, None);
        read_struct::<Self>(reader, &mut |reader, field| {
            match field {
                "id" => id = Some(reader.string()?),
                "name" => name = Some(reader.string()?),
                "blocks" => blocks = Some(list(reader)?),
                _ => reader.skip()?,
            }
            Ok(())
        })?;
        Ok(Plan { id: required(id, "id")?, name: required(name, "name")?, blocks: required(blocks, "blocks")? })
    }
}

impl FromText for Block {
    fn read(reader: &mut Reader<'_>) -> Result<Self, Fault> {
        let (mut id, mut name, mut kind, mut exercises) = (None, None, None, None);
        read_struct::<Self>(reader, &mut |reader, field| {
            match field {
                "id" => id = Some(reader.string()?),
                "name" => name = optional(reader, Reader::string)?,
                "kind" => kind = Some(BlockKind::read(reader)?),
                "exercises" => exercises = Some(list(reader)?),
                _ => reader.skip()?,
            }
            Ok(())
        })?;
        Ok(Block {
            id: required(id, "id")?,
            name,
            kind: required(kind, "kind")?,
            exercises: required(exercises, "exercises")?,
        })
    }
}

impl FromText for Exercise {
    fn read(reader: &mut Reader<'_>) -> Result<Self, Fault> {
        let (mut id, mut name, mut priority, mut pattern, mut muscles, mut equipment) =
            (None, None, None, None, None, None);
        let (mut sets, mut reps, mut duration_seconds, mut rest_seconds) = (None, None, None, None);
        let (mut seconds_per_rep, mut unilateral, mut superset_group) = (None, None, None);
        read_struct::<Self>(reader, &mut |reader, field| {
            match field {
                "id" => id = Some(reader.string()?),
                "name" => name = Some(reader.string()?),
                "priority" => priority = Some(Priority::read(reader)?),
                "pattern" => pattern = Some(Pattern::read(reader)?),
                "muscles" => muscles = Some(list(reader)?),
                "equipment" => equipment = Some(Equipment::read(reader)?),
                "sets" => sets = Some(reader.i64()?),
                "reps" => reps = optional(reader, Reader::i64)?,
                "durationSeconds" => duration_seconds = optional(reader, Reader::i64)?,
                "restSeconds" => rest_seconds = Some(reader.i64()?),
                "secondsPerRep" => seconds_per_rep = optional(reader, Reader::f64)?,
                "unilateral" => unilateral = optional(reader, Reader::boolean)?,
                "supersetGroup" => superset_group = optional(reader, Reader::string)?,
                _ => reader.skip()?,
            }
            Ok(())
        })?;
        Ok(Exercise {
            id: required(id, "id")?,
            name: required(name, "name")?,
            priority: required(priority, "priority")?,
            pattern: required(pattern, "pattern")?,
            muscles: required(muscles, "muscles")?,
            equipment: required(equipment, "equipment")?,
            sets: required(sets, "sets")?,
            reps,
            duration_seconds,
            rest_seconds: required(rest_seconds, "restSeconds")?,
            seconds_per_rep,
            unilateral,
            superset_group,
        })
    }
}

/// Applying needs the plan and the session; the summary fields of a
/// preview (strategy, minutes, changes, ...) are stepped over unread.
impl FromText for PreviewSession {
    fn read(reader: &mut Reader<'_>) -> Result<Self, Fault> {
        let (mut plan_id, mut plan_name, mut blocks) = (None, None, None);
        read_struct::<crate::preview::Preview>(reader, &mut |reader, field| {
            match field {
                "planId" => plan_id = Some(reader.string()?),
                "planName" => plan_name = Some(reader.string()?),
                "blocks" => blocks = Some(list(reader)?),
                _ => reader.skip()?,
            }
            Ok(())
        })?;
        Ok(PreviewSession {
            plan_id: required(plan_id, "planId")?,
            plan_name: required(plan_name, "planName")?,
            blocks: required(blocks, "blocks")?,
        })
    }
}

impl FromText for PreviewBlock {
    fn read(reader: &mut Reader<'_>) -> Result<Self, Fault> {
        let (mut id, mut kind, mut name, mut items) = (None, None, None, None);
        read_struct::<Self>(reader, &mut |reader, field| {
            match field {
                "id" => id = Some(reader.string()?),
                "kind" => kind = Some(BlockKind::read(reader)?),
                "name" => name = optional(reader, Reader::string)?,
                "items" => items = Some(list(reader)?),
                _ => reader.skip()?,
            }
            Ok(())
        })?;
        Ok(PreviewBlock {
            id: required(id, "id")?,
            kind: required(kind, "kind")?,
            name,
            items: required(items, "items")?,
        })
    }
}

impl FromText for Item {
    fn read(reader: &mut Reader<'_>) -> Result<Self, Fault> {
        let (mut exercises, mut rest_seconds) = (None, None);
        read_struct::<Self>(reader, &mut |reader, field| {
            match field {
                "exercises" => exercises = Some(list(reader)?),
                "restSeconds" => rest_seconds = Some(reader.u32()?),
                _ => reader.skip()?,
            }
            Ok(())
        })?;
        Ok(Item { exercises: required(exercises, "exercises")?, rest_seconds: required(rest_seconds, "restSeconds")? })
    }
}

impl FromText for ItemExercise {
    fn read(reader: &mut Reader<'_>) -> Result<Self, Fault> {
        let (mut id, mut name, mut sets, mut reps, mut duration_seconds, mut rest_seconds) =
            (None, None, None, None, None, None);
        let (mut seconds_per_rep, mut unilateral, mut priority, mut pattern, mut muscles, mut equipment) =
            (None, None, None, None, None, None);
        read_struct::<Self>(reader, &mut |reader, field| {
            match field {
                "id" => id = Some(reader.string()?),
                "name" => name = Some(reader.string()?),
                "sets" => sets = Some(reader.u32()?),
                "reps" => reps = optional(reader, Reader::u32)?,
                "durationSeconds" => duration_seconds = optional(reader, Reader::u32)?,
                "restSeconds" => rest_seconds = Some(reader.u32()?),
                "secondsPerRep" => seconds_per_rep = Some(reader.f64()?),
                "unilateral" => unilateral = Some(reader.boolean()?),
                "priority" => priority = Some(Priority::read(reader)?),
                "pattern" => pattern = Some(Pattern::read(reader)?),
                "muscles" => muscles = Some(list(reader)?),
                "equipment" => equipment = Some(Equipment::read(reader)?),
                _ => reader.skip()?,
            }
            Ok(())
        })?;
        Ok(ItemExercise {
            id: required(id, "id")?,
            name: required(name, "name")?,
            sets: required(sets, "sets")?,
            reps,
            duration_seconds,
            rest_seconds: required(rest_seconds, "restSeconds")?,
            seconds_per_rep: required(seconds_per_rep, "secondsPerRep")?,
            unilateral: required(unilateral, "unilateral")?,
            priority: required(priority, "priority")?,
            pattern: required(pattern, "pattern")?,
            muscles: required(muscles, "muscles")?,
            equipment: required(equipment, "equipment")?,
        })
    }
}
