//! Atomic file writes: the user's file is replaced whole or not at all.

use std::fs::{File, Metadata, Permissions};
use std::io::{ErrorKind, Write};
use std::path::Path;
use std::time::Duration;

/// Temporary files are named `.synmap-<random>.tmp`, next to the file they will replace.
const TEMP_PREFIX: &str = ".synmap-";
const TEMP_SUFFIX: &str = ".tmp";
/// A temporary file older than this was left by a write that was killed half-way.
const STALE_TEMP_AGE: Duration = Duration::from_secs(60 * 60);

/// Who may read a file once written.
#[derive(Clone, Copy)]
enum Access {
    /// A new file gets the usual mode (0666 minus the umask); a replaced file keeps its mode.
    Shared,
    /// Only the owner: always mode 0600.
    Private,
}

/// The refusal to replace a read-only file.
#[derive(Debug, thiserror::Error)]
#[error("the file is read-only (make it writable to replace it)")]
struct ReadOnly;

/// Writes `bytes` to `path` atomically: a temporary file in the same directory is written,
/// flushed to disk and renamed over the target. On any error the previous file is intact and
/// the temporary file is removed.
///
/// A new file gets mode 0666 minus the umask, like any file a program creates; a replaced file
/// keeps its mode. A read-only target (no write permission for its owner, or none for us) is
/// refused with [`ErrorKind::PermissionDenied`] (see [`is_read_only`]) and left as it is.
/// Temporary files of writes killed half-way, over an hour old, are removed from the directory.
///
/// A symbolic link is followed, so the file it points to is replaced and the link stays. A
/// target that exists but is not a regular file (`/dev/null`, a pipe, a terminal) cannot be
/// replaced by renaming without destroying it, so it is written to in place.
pub fn write_atomic(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write(path, |file| file.write_all(bytes), Access::Shared)
}

/// Like [`write_atomic`], the content written by `fill` as it is made (a large document need
/// not be held whole). An error from `fill` leaves the previous file intact.
pub fn write_atomic_with(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
) -> std::io::Result<()> {
    write(path, fill, Access::Shared)
}

/// Like [`write_atomic`], for files only the user may read (settings, autosave records): the
/// file always gets mode 0600, whatever the umask or its previous mode.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    write(path, |file| file.write_all(bytes), Access::Private)
}

/// True when `error` is [`write_atomic`]'s refusal to replace a read-only file (a conflict
/// with the author's choice, not a failure of the disk).
pub fn is_read_only(error: &std::io::Error) -> bool {
    error.kind() == ErrorKind::PermissionDenied && error.get_ref().is_some_and(|e| e.is::<ReadOnly>())
}

fn write(
    path: &Path,
    fill: impl FnOnce(&mut dyn Write) -> std::io::Result<()>,
    access: Access,
) -> std::io::Result<()> {
    let (resolved, existing) = match std::fs::canonicalize(path) {
        Ok(real) => {
            let meta = std::fs::metadata(&real)?;
            if !meta.is_file() {
                let mut file = std::io::BufWriter::new(std::fs::OpenOptions::new().write(true).open(&real)?);
                fill(&mut file)?;
                return file.flush();
            }
            refuse_read_only(&real, &meta)?;
            (real, Some(meta))
        }
        Err(_) => (path.to_path_buf(), None),
    };
    let dir = match resolved.parent() {
        Some(p) if !p.as_os_str().is_empty() => p,
        _ => Path::new("."),
    };
    let mut tmp = tempfile::Builder::new().prefix(TEMP_PREFIX).suffix(TEMP_SUFFIX).tempfile_in(dir)?;
    remove_stale_temporaries(dir, tmp.as_file());
    // The temporary file is created 0600; it gets the target's mode before it becomes the target.
    if let Some(permissions) = permissions(access, existing.as_ref()) {
        tmp.as_file().set_permissions(permissions)?;
    }
    let mut buffered = std::io::BufWriter::new(tmp.as_file_mut());
    fill(&mut buffered)?;
    buffered.flush()?;
    drop(buffered);
    tmp.as_file().sync_all()?;
    tmp.persist(&resolved).map_err(|e| e.error)?;
    if let Ok(d) = File::open(dir) {
        // Persist the rename itself; not all platforms allow syncing a directory.
        let _ = d.sync_all();
    }
    Ok(())
}

/// Refuses an existing regular file its owner may not write (mode bits: a process running as
/// root may write anything, yet a 0444 file is still read-only to the author), or we may not.
fn refuse_read_only(path: &Path, meta: &Metadata) -> std::io::Result<()> {
    #[cfg(unix)]
    let owner_may_not_write = std::os::unix::fs::PermissionsExt::mode(&meta.permissions()) & 0o200 == 0;
    #[cfg(not(unix))]
    let owner_may_not_write = meta.permissions().readonly();
    // Opening without truncating changes nothing; it asks the system whether we may write.
    let we_may_not_write = std::fs::OpenOptions::new()
        .write(true)
        .open(path)
        .is_err_and(|e| e.kind() == ErrorKind::PermissionDenied);
    if owner_may_not_write || we_may_not_write {
        return Err(std::io::Error::new(ErrorKind::PermissionDenied, ReadOnly));
    }
    Ok(())
}

/// The permissions the written file gets, or `None` to keep the temporary file's.
#[cfg(unix)]
fn permissions(access: Access, existing: Option<&Metadata>) -> Option<Permissions> {
    use std::os::unix::fs::PermissionsExt;
    Some(match (access, existing) {
        (Access::Private, _) => Permissions::from_mode(0o600),
        (Access::Shared, Some(meta)) => meta.permissions(),
        (Access::Shared, None) => Permissions::from_mode(0o666 & !umask()),
    })
}

/// The permissions the written file gets, or `None` to keep the temporary file's.
#[cfg(not(unix))]
fn permissions(access: Access, existing: Option<&Metadata>) -> Option<Permissions> {
    match access {
        Access::Private => None,
        Access::Shared => existing.map(Metadata::permissions),
    }
}

/// The process's umask. Setting it is the only way to read it through the C library, so it is
/// read from `/proc` instead (Linux 4.7 and later); elsewhere the usual 022 is assumed.
#[cfg(unix)]
fn umask() -> u32 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|status| {
            let value = status.lines().find_map(|l| l.strip_prefix("Umask:"))?;
            u32::from_str_radix(value.trim(), 8).ok()
        })
        .unwrap_or(0o022)
}

/// Removes the temporary files of writes killed half-way: `.synmap-*.tmp` regular files in
/// `dir`, owned by the owner of `ours` (our own new temporary file), last modified over an hour
/// ago. A younger one may belong to a write still under way and is kept. Best effort: what
/// cannot be read or removed is left.
fn remove_stale_temporaries(dir: &Path, ours: &File) {
    let Ok(ours) = ours.metadata() else { return };
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(name) = name.to_str() else { continue };
        if !(name.starts_with(TEMP_PREFIX) && name.ends_with(TEMP_SUFFIX)) {
            continue;
        }
        // Not followed through a symbolic link: a link is not a regular file here.
        let Ok(meta) = entry.metadata() else { continue };
        let stale =
            meta.modified().ok().and_then(|t| t.elapsed().ok()).is_some_and(|age| age > STALE_TEMP_AGE);
        if meta.is_file() && same_owner(&meta, &ours) && stale {
            let _ = std::fs::remove_file(entry.path());
        }
    }
}

#[cfg(unix)]
fn same_owner(a: &Metadata, b: &Metadata) -> bool {
    use std::os::unix::fs::MetadataExt;
    a.uid() == b.uid()
}

#[cfg(not(unix))]
fn same_owner(_: &Metadata, _: &Metadata) -> bool {
    // Ownership is not part of the metadata here; the folder is the user's own.
    true
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn replaces_whole_file_and_leaves_no_temporaries() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.svg");
        write_atomic(&p, b"one").unwrap();
        write_atomic(&p, b"two").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1);
    }

    #[test]
    fn failure_keeps_previous_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.svg");
        write_atomic(&p, b"keep").unwrap();
        // A directory cannot be renamed over by a file: the write fails, the file survives.
        let target = dir.path().join("sub");
        std::fs::create_dir(&target).unwrap();
        assert!(write_atomic(&target, b"x").is_err());
        assert_eq!(std::fs::read(&p).unwrap(), b"keep");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 2);
    }

    #[test]
    fn content_that_fails_half_way_keeps_the_previous_file() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("a.svg");
        write_atomic(&p, b"keep").unwrap();
        let failed = write_atomic_with(&p, |file| {
            file.write_all(&[b'x'; 100_000])?;
            Err(std::io::Error::other("the map could not be written"))
        });
        assert_eq!(failed.unwrap_err().to_string(), "the map could not be written");
        assert_eq!(std::fs::read(&p).unwrap(), b"keep");
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary left");
        write_atomic_with(&p, |file| file.write_all(b"new")).unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"new");
    }

    #[cfg(unix)]
    #[test]
    fn follows_symbolic_links() {
        let dir = tempfile::tempdir().unwrap();
        let real = dir.path().join("real.svg");
        let link = dir.path().join("link.svg");
        std::fs::write(&real, b"old").unwrap();
        std::os::unix::fs::symlink(&real, &link).unwrap();
        write_atomic(&link, b"new").unwrap();
        assert!(std::fs::symlink_metadata(&link).unwrap().file_type().is_symlink());
        assert_eq!(std::fs::read(&real).unwrap(), b"new");
    }

    #[cfg(unix)]
    #[test]
    fn writes_into_a_pipe_without_replacing_it() {
        use std::io::Read;
        use std::os::unix::fs::FileTypeExt;
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("out.fifo");
        let made = std::process::Command::new("mkfifo").arg(&fifo).status().expect("mkfifo (coreutils)");
        assert!(made.success());
        let reader = {
            let fifo = fifo.clone();
            std::thread::spawn(move || {
                let mut got = Vec::new();
                std::fs::File::open(fifo).unwrap().read_to_end(&mut got).unwrap();
                got
            })
        };
        write_atomic(&fifo, b"through the pipe").unwrap();
        assert_eq!(reader.join().unwrap(), b"through the pipe");
        assert!(std::fs::symlink_metadata(&fifo).unwrap().file_type().is_fifo());
    }

    #[cfg(unix)]
    fn mode(path: &Path) -> u32 {
        use std::os::unix::fs::PermissionsExt;
        std::fs::metadata(path).unwrap().permissions().mode() & 0o7777
    }

    #[cfg(unix)]
    fn set_mode(path: &Path, mode: u32) {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(mode)).unwrap();
    }

    #[cfg(unix)]
    #[test]
    fn umask_is_read_as_the_shell_reports_it() {
        let out = std::process::Command::new("sh").args(["-c", "umask"]).output().expect("sh");
        let shell = u32::from_str_radix(String::from_utf8(out.stdout).unwrap().trim(), 8).unwrap();
        assert_eq!(umask(), shell);
    }

    #[cfg(unix)]
    #[test]
    fn a_new_file_gets_the_usual_mode_not_0600() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("new.svg");
        write_atomic(&p, b"new").unwrap();
        assert_eq!(mode(&p), 0o666 & !umask());
    }

    #[cfg(unix)]
    #[test]
    fn a_replaced_file_keeps_its_mode() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("shared.svg");
        std::fs::write(&p, b"old").unwrap();
        set_mode(&p, 0o640);
        write_atomic(&p, b"new").unwrap();
        assert_eq!(std::fs::read(&p).unwrap(), b"new");
        assert_eq!(mode(&p), 0o640);
    }

    #[cfg(unix)]
    #[test]
    fn private_files_are_0600_new_or_replaced() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("settings.toml");
        write_private(&p, b"one").unwrap();
        assert_eq!(mode(&p), 0o600);
        set_mode(&p, 0o644);
        write_private(&p, b"two").unwrap();
        assert_eq!(mode(&p), 0o600);
        assert_eq!(std::fs::read(&p).unwrap(), b"two");
    }

    #[cfg(unix)]
    #[test]
    fn a_read_only_file_is_refused_and_left_unchanged() {
        let dir = tempfile::tempdir().unwrap();
        let p = dir.path().join("locked.svg");
        std::fs::write(&p, b"locked").unwrap();
        set_mode(&p, 0o444);
        // The test may run as root, who may write anything: the mode bits decide.
        let err = write_atomic(&p, b"new").unwrap_err();
        assert_eq!(err.kind(), std::io::ErrorKind::PermissionDenied);
        assert!(is_read_only(&err));
        assert!(err.to_string().contains("read-only"), "{err}");
        assert_eq!(std::fs::read(&p).unwrap(), b"locked");
        assert_eq!(mode(&p), 0o444);
        assert_eq!(std::fs::read_dir(dir.path()).unwrap().count(), 1, "no temporary file is left");
        // Through a link too, and for private files.
        let link = dir.path().join("link.svg");
        std::os::unix::fs::symlink(&p, &link).unwrap();
        assert!(is_read_only(&write_atomic(&link, b"new").unwrap_err()));
        assert!(is_read_only(&write_private(&p, b"new").unwrap_err()));
        assert_eq!(std::fs::read(&p).unwrap(), b"locked");
    }

    #[test]
    fn other_permission_errors_are_not_read_only() {
        let err = std::io::Error::from(std::io::ErrorKind::PermissionDenied);
        assert!(!is_read_only(&err));
    }

    #[test]
    fn temporaries_over_an_hour_old_are_removed_younger_ones_kept() {
        let dir = tempfile::tempdir().unwrap();
        let aged = |name: &str, age: Duration| {
            let p = dir.path().join(name);
            let f = File::create(&p).unwrap();
            f.set_modified(std::time::SystemTime::now() - age).unwrap();
            p
        };
        let stale = aged(".synmap-killed.tmp", Duration::from_secs(2 * 60 * 60));
        let fresh = aged(".synmap-writing.tmp", Duration::from_secs(10 * 60));
        let other = aged("notes.tmp", Duration::from_secs(2 * 60 * 60));
        let folder = dir.path().join(".synmap-folder.tmp");
        std::fs::create_dir(&folder).unwrap();
        File::open(&folder)
            .unwrap()
            .set_modified(std::time::SystemTime::now() - Duration::from_secs(7200))
            .unwrap();
        write_atomic(&dir.path().join("a.svg"), b"map").unwrap();
        assert!(!stale.exists(), "a write killed two hours ago left this");
        assert!(fresh.exists(), "another write may still be under way");
        assert!(other.exists() && folder.exists(), "only synmap's own temporary files");
    }
}
