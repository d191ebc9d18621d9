//! Reading a rules file (the flags file, the admin overrides) without ever
//! blocking on it: only a regular file of at most [`MAX_FLAGS_FILE_BYTES`]
//! is read. A FIFO, a directory or a device at the path is refused (a FIFO
//! opened for reading would wait for a writer forever, a device could be
//! endless), and so is a bigger file. These are blocking calls: run them on
//! a blocking thread (`tokio::task::spawn_blocking`), never on a worker.

use std::fs::{File, Metadata};
use std::io::Read;
use std::path::Path;
use std::time::SystemTime;

use crate::flag_rules::FlagsFile;

/// Largest rules file read, bytes (a file of a thousand flags with long
/// allow lists fits; a bigger one is refused rather than read).
pub const MAX_FLAGS_FILE_BYTES: u64 = 1024 * 1024;

/// What tells that a file changed: its modification time and size.
pub type Stamp = Option<(SystemTime, u64)>;

/// The file's stamp now; `None` when it cannot be read (missing and the like).
pub fn stamp(path: &Path) -> Stamp {
    let metadata = std::fs::metadata(path).ok()?;
    Some((metadata.modified().ok()?, metadata.len()))
}

/// Reads and checks a rules file in the flags file's format; `what` names
/// it in errors ("flags file").
pub fn read(path: &Path, what: &str) -> Result<FlagsFile, String> {
    let name = format!("{what} {}", path.display());
    let text = read_text(path, &name)?;
    let file: FlagsFile = serde_json::from_str(&text).map_err(|e| format!("{name} is invalid: {e}"))?;
    for (key, rule) in &file.flags {
        rule.check().map_err(|e| format!("{name}: flag {key}: {e}"))?;
    }
    Ok(file)
}

/// The file's text, if it is a regular file within the size cap.
fn read_text(path: &Path, name: &str) -> Result<String, String> {
    let cannot = |e: std::io::Error| format!("cannot read {name}: {e}");
    // Checked before opening (opening some devices has effects) and again on
    // the open file (the path may have been replaced in between).
    check_kind(name, &std::fs::metadata(path).map_err(cannot)?)?;
    let file = open_nonblocking(path).map_err(cannot)?;
    check_kind(name, &file.metadata().map_err(cannot)?)?;
    let mut text = String::new();
    file.take(MAX_FLAGS_FILE_BYTES + 1).read_to_string(&mut text).map_err(cannot)?;
    if text.len() as u64 > MAX_FLAGS_FILE_BYTES {
        return Err(too_big(name));
    }
    Ok(text)
}

fn check_kind(name: &str, metadata: &Metadata) -> Result<(), String> {
    if !metadata.is_file() {
        return Err(format!("{name} is not a regular file ({}); give the path of a JSON file", kind(metadata)));
    }
    if metadata.len() > MAX_FLAGS_FILE_BYTES {
        return Err(too_big(name));
    }
    Ok(())
}

fn too_big(name: &str) -> String {
    format!("{name} is larger than {MAX_FLAGS_FILE_BYTES} bytes, the most read")
}

/// Opened without waiting: a FIFO that appeared after the check does not
/// block the open (and is then refused by the second check).
fn open_nonblocking(path: &Path) -> std::io::Result<File> {
    let mut options = std::fs::OpenOptions::new();
    options.read(true);
    // rustix's flag value is the platform's O_NONBLOCK, a small positive int.
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::custom_flags(&mut options, rustix::fs::OFlags::NONBLOCK.bits() as i32);
    options.open(path)
}

fn kind(metadata: &Metadata) -> &'static str {
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        let kind = metadata.file_type();
        if kind.is_fifo() {
            return "a FIFO";
        }
        if kind.is_char_device() || kind.is_block_device() {
            return "a device";
        }
        if kind.is_socket() {
            return "a socket";
        }
    }
    if metadata.is_dir() {
        "a directory"
    } else {
        "not a plain file"
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_regular_files_within_the_cap_are_read() {
        let dir = std::env::temp_dir().join(format!("tc-flags-file-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let err = read(&dir, "flags file").unwrap_err();
        assert!(err.contains("not a regular file (a directory)"), "{err}");
        let big = dir.join("big.json");
        File::create(&big).unwrap().set_len(MAX_FLAGS_FILE_BYTES + 1).unwrap();
        assert!(read(&big, "flags file").unwrap_err().contains("larger than"));
        let fifo = dir.join("fifo");
        assert!(std::process::Command::new("mkfifo").arg(&fifo).status().unwrap().success());
        assert!(read(&fifo, "flags file").unwrap_err().contains("(a FIFO)"));
        let good = dir.join("flags.json");
        std::fs::write(&good, r#"{"flags": {"a": {"enabled": false}}}"#).unwrap();
        assert!(!read(&good, "flags file").unwrap().flags["a"].enabled);
        std::fs::remove_dir_all(&dir).unwrap();
    }
}
