//! A candidate compressed session: which exercises remain with how many sets,
//! which new supersets were formed, and how it lays out into timed items.
//! Rest is not stored here: it is applied, cut some steps toward the floors, when timing.

use crate::config::MAX_SUPERSET_SIZE;
use crate::estimate::{item_seconds, session_seconds, Timed};
use crate::rest::{cut_rest, superset_floor};
use crate::workout::Workout;

/// Up to three exercise indices, in plan order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Members {
    indices: [usize; MAX_SUPERSET_SIZE],
    len: usize,
}

impl Members {
    /// A group of one.
    pub fn one(index: usize) -> Self {
        Members { indices: [index; MAX_SUPERSET_SIZE], len: 1 }
    }

    /// Adds a member, keeping plan order; ignored when full.
    pub fn push(&mut self, index: usize) {
        if self.len < MAX_SUPERSET_SIZE {
            self.indices[self.len] = index;
            self.len += 1;
            self.indices[..self.len].sort_unstable();
        }
    }

    /// Removes a member if present.
    pub fn remove(&mut self, index: usize) {
        if let Some(at) = self.as_slice().iter().position(|&i| i == index) {
            self.indices.copy_within(at + 1..self.len, at);
            self.len -= 1;
        }
    }

    /// The members.
    pub fn as_slice(&self) -> &[usize] {
        &self.indices[..self.len]
    }

    /// How many members.
    pub fn len(&self) -> usize {
        self.len
    }
}

/// Where an item comes from, which decides how its rest and changes read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ItemOrigin {
    /// One exercise on its own.
    Single,
    /// A superset the author wrote.
    Author,
    /// A superset the engine formed (index into [`Candidate::groups`]).
    Formed(usize),
}

/// One timed item of a candidate session.
#[derive(Debug, Clone, Copy)]
pub(crate) struct LaidItem {
    /// Exercise indices, plan order.
    pub members: Members,
    /// Where it comes from.
    pub origin: ItemOrigin,
    /// Rest between sets/rounds as planned.
    pub rest_original: u32,
    /// The lowest rest allowed.
    pub rest_floor: u32,
}

/// A candidate session.
#[derive(Debug, Clone)]
pub(crate) struct Candidate {
    /// Sets kept per exercise (0 = removed).
    pub sets: Vec<u32>,
    /// Superset formed by the engine that each exercise belongs to.
    pub formed_group: Vec<Option<usize>>,
    /// Supersets formed by the engine (a dissolved one keeps its slot, empty).
    pub groups: Vec<Members>,
}

impl Candidate {
    /// The plan as written.
    pub fn planned(workout: &Workout) -> Self {
        Candidate {
            sets: workout.exercises.iter().map(|e| e.sets).collect(),
            formed_group: vec![None; workout.exercises.len()],
            groups: Vec::new(),
        }
    }

    /// Whether an exercise is still in the session.
    pub fn present(&self, index: usize) -> bool {
        self.sets[index] > 0
    }

    /// Present members of the author superset an exercise belongs to, when
    /// at least two remain (so the superset still stands).
    pub fn standing_author_group(&self, workout: &Workout, index: usize) -> Option<Members> {
        let group = workout.exercises[index].author_group?;
        let mut members: Option<Members> = None;
        for &member in workout.author_groups[group].iter().filter(|&&m| self.present(m)) {
            match members.as_mut() {
                Some(m) => m.push(member),
                None => members = Some(Members::one(member)),
            }
        }
        members.filter(|m| m.len() >= 2)
    }

    /// Whether an exercise is on its own (neither in a standing author
    /// superset nor in a formed one), so it may be paired.
    pub fn is_free(&self, workout: &Workout, index: usize) -> bool {
        self.present(index)
            && self.formed_group[index].is_none()
            && self.standing_author_group(workout, index).is_none()
    }

    /// Forms a new superset of free exercises.
    pub fn form_group(&mut self, members: Members) {
        let group = self.groups.len();
        for &member in members.as_slice() {
            self.formed_group[member] = Some(group);
        }
        self.groups.push(members);
    }

    /// Adds a free exercise to a formed superset.
    pub fn extend_group(&mut self, group: usize, member: usize) {
        self.groups[group].push(member);
        self.formed_group[member] = Some(group);
    }

    /// Removes an exercise; a formed superset left with one member dissolves.
    /// Returns the exercise left on its own by that, if any.
    pub fn remove(&mut self, index: usize) -> Option<usize> {
        self.sets[index] = 0;
        let group = self.formed_group[index].take()?;
        self.groups[group].remove(index);
        if self.groups[group].len() == 1 {
            let orphan = self.groups[group].as_slice()[0];
            self.groups[group] = Members { indices: [0; MAX_SUPERSET_SIZE], len: 0 };
            self.formed_group[orphan] = None;
            return Some(orphan);
        }
        None
    }

    /// The session laid out as items, in performing order: an item stands
    /// where its first member stood in the plan.
    pub fn lay_out(&self, workout: &Workout) -> Vec<LaidItem> {
        let mut placed = vec![false; self.sets.len()];
        let mut items = Vec::with_capacity(self.sets.len());
        for index in 0..self.sets.len() {
            if !self.present(index) || placed[index] {
                continue;
            }
            let (members, origin) = if let Some(members) = self.standing_author_group(workout, index) {
                (members, ItemOrigin::Author)
            } else if let Some(group) = self.formed_group[index] {
                (self.groups[group], ItemOrigin::Formed(group))
            } else {
                (Members::one(index), ItemOrigin::Single)
            };
            for &member in members.as_slice() {
                placed[member] = true;
            }
            let (rest_original, rest_floor) = if members.len() == 1 {
                let e = &workout.exercises[index];
                (e.rest, e.rest_floor)
            } else {
                let longest = members.as_slice().iter().map(|&m| workout.exercises[m].rest).max().unwrap_or(0);
                (longest, superset_floor(longest))
            };
            items.push(LaidItem { members, origin, rest_original, rest_floor });
        }
        items
    }

    /// Seconds the laid-out session takes with rest cut to `rest_cut`.
    pub fn seconds(&self, workout: &Workout, items: &[LaidItem], rest_cut: u32) -> f64 {
        session_seconds(
            items.iter().map(|item| {
                let mut timed = [Timed { set_seconds: 0.0, sets: 0 }; MAX_SUPERSET_SIZE];
                for (slot, &member) in timed.iter_mut().zip(item.members.as_slice()) {
                    *slot = Timed { set_seconds: workout.exercises[member].set_seconds, sets: self.sets[member] };
                }
                item_seconds(
                    &timed[..item.members.len()],
                    cut_rest(item.rest_original, item.rest_floor, rest_cut),
                    &workout.pace,
                )
            }),
            &workout.pace,
        )
    }
}
