//! Knowing that the telemetry database is the one this data directory had.
//!
//! SQLite happily opens an empty or missing file as a new, empty database,
//! and exports would start again at `seq` 1 while consumers wait past their
//! last `since`. So the database holds a random id (table `meta`), and a
//! small file beside it, `telemetry.identity`, holds that id and the highest
//! `seq` handed out so far. At start a database that is missing, empty, of
//! another id or behind that `seq` is refused. While running, the file at
//! the database's path must stay the one opened (same inode) and never get
//! shorter (SQLite never shrinks it: no VACUUM, no auto_vacuum).

use std::io::Write;
use std::os::unix::fs::MetadataExt;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

/// What `telemetry.identity` records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Recorded {
    /// The database's random id.
    pub id: String,
    /// The highest `seq` handed out when it was last written.
    pub seq: i64,
}

/// Reads `telemetry.identity`; `None` when there is none (a new data
/// directory, or one from before identities were recorded).
pub fn read(path: &Path) -> Result<Option<Recorded>, String> {
    let text = match std::fs::read_to_string(path) {
        Ok(text) => text,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(None),
        Err(e) => return Err(format!("cannot read {}: {e}", path.display())),
    };
    let field = |name: &str| text.lines().find_map(|line| line.strip_prefix(name)).map(str::trim);
    match (field("id="), field("seq=").and_then(|s| s.parse().ok())) {
        (Some(id), Some(seq)) if !id.is_empty() => Ok(Some(Recorded { id: id.to_owned(), seq })),
        _ => Err(format!("{} is not an identity file (id=..., seq=...); remove it only on purpose", path.display())),
    }
}

/// Writes `telemetry.identity` whole (a temporary file renamed over it),
/// flushed to disk with its directory.
pub fn write(path: &Path, recorded: &Recorded) -> std::io::Result<()> {
    let temporary = path.with_extension("identity.tmp");
    let mut file = private_file(&temporary)?;
    file.write_all(format!("id={}\nseq={}\n", recorded.id, recorded.seq).as_bytes())?;
    file.sync_all()?;
    std::fs::rename(&temporary, path)?;
    std::fs::File::open(path.parent().unwrap_or(Path::new(".")))?.sync_all()
}

/// Creates (or truncates) a file only its owner can read.
pub fn private_file(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new().write(true).create(true).truncate(true).mode(0o600).open(path)
}

/// The database file as opened, to notice it deleted, replaced or truncated.
#[derive(Debug)]
pub struct OpenedFile {
    path: PathBuf,
    dev: u64,
    ino: u64,
    /// The longest it has been seen.
    longest: AtomicU64,
}

impl OpenedFile {
    /// Notes the file now at `path`.
    pub fn note(path: &Path) -> std::io::Result<Self> {
        let meta = std::fs::metadata(path)?;
        Ok(OpenedFile { path: path.to_owned(), dev: meta.dev(), ino: meta.ino(), longest: AtomicU64::new(meta.len()) })
    }

    /// `Err` says how the file at the path is no longer the one opened.
    pub fn check(&self) -> Result<(), String> {
        let path = self.path.display();
        let meta = match std::fs::metadata(&self.path) {
            Ok(meta) => meta,
            Err(e) => return Err(format!("the telemetry database {path} is gone ({e}): it was deleted while in use")),
        };
        if (meta.dev(), meta.ino()) != (self.dev, self.ino) {
            return Err(format!("the telemetry database {path} was replaced by another file while in use"));
        }
        let longest = self.longest.fetch_max(meta.len(), Ordering::Relaxed);
        if meta.len() < longest {
            return Err(format!(
                "the telemetry database {path} was truncated while in use ({longest} -> {} bytes)",
                meta.len()
            ));
        }
        Ok(())
    }
}
