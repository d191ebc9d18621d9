//! Every value of the contract's enums, for the generators of plans
//! (`generate.rs` for proptest, `fuzzing.rs` for the fuzz targets).

use time_crunch::{BlockKind, Equipment, Muscle, Pattern, Priority};

pub const PRIORITIES: [Priority; 4] = [Priority::Core, Priority::Primary, Priority::Secondary, Priority::Optional];
pub const PATTERNS: [Pattern; 12] = [
    Pattern::Squat,
    Pattern::Hinge,
    Pattern::Lunge,
    Pattern::HorizontalPush,
    Pattern::VerticalPush,
    Pattern::HorizontalPull,
    Pattern::VerticalPull,
    Pattern::Carry,
    Pattern::Core,
    Pattern::Isolation,
    Pattern::Conditioning,
    Pattern::Mobility,
];
pub const EQUIPMENT: [Equipment; 8] = [
    Equipment::Barbell,
    Equipment::Dumbbell,
    Equipment::Kettlebell,
    Equipment::Cable,
    Equipment::Machine,
    Equipment::Bodyweight,
    Equipment::Band,
    Equipment::Other,
];
pub const MUSCLES: [Muscle; 19] = [
    Muscle::Chest,
    Muscle::Back,
    Muscle::Lats,
    Muscle::Traps,
    Muscle::FrontDelts,
    Muscle::SideDelts,
    Muscle::RearDelts,
    Muscle::Biceps,
    Muscle::Triceps,
    Muscle::Forearms,
    Muscle::Quads,
    Muscle::Hamstrings,
    Muscle::Glutes,
    Muscle::Calves,
    Muscle::Adductors,
    Muscle::Abs,
    Muscle::Obliques,
    Muscle::LowerBack,
    Muscle::FullBody,
];
pub const KINDS: [BlockKind; 6] = [
    BlockKind::Warmup,
    BlockKind::Main,
    BlockKind::Accessory,
    BlockKind::Core,
    BlockKind::Conditioning,
    BlockKind::Cooldown,
];
