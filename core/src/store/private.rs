//! Files and folders that hold someone's history (the database, its WAL, backups, exports,
//! logs) are readable by their owner only: 0700 folders and 0600 files on Unix. Elsewhere
//! the OS's per-user folders already keep other accounts out, and these are plain calls.
//!
//! SQLite creates the `-wal` and `-shm` files with the mode of the database file, so making
//! the database file private before the first connection covers them too.

use std::fs::{File, OpenOptions};
use std::io;
use std::path::Path;

#[cfg(unix)]
const DIR_MODE: u32 = 0o700;
#[cfg(unix)]
const FILE_MODE: u32 = 0o600;

/// Creates `dir` and any missing parents; the folders it creates are private. An existing
/// folder is left as it is: it may be the person's own (`CONFAB_DB` can point anywhere).
pub fn create_dir_all(dir: &Path) -> io::Result<()> {
    let mut builder = std::fs::DirBuilder::new();
    builder.recursive(true);
    #[cfg(unix)]
    std::os::unix::fs::DirBuilderExt::mode(&mut builder, DIR_MODE);
    builder.create(dir)
}

/// Creates `dir` if needed and makes it private even if it existed: for folders that are
/// Confab's alone (backups, logs).
pub fn own_dir(dir: &Path) -> io::Result<()> {
    create_dir_all(dir)?;
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(dir, std::fs::Permissions::from_mode(DIR_MODE))?;
    }
    Ok(())
}

/// Creates (or truncates) `path` for writing, private from the first byte.
pub fn create_file(path: &Path) -> io::Result<File> {
    let mut options = OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, FILE_MODE);
    let file = options.open(path)?;
    // `mode` applies only when the file is new; an existing one is narrowed here.
    restrict_open(&file)?;
    Ok(file)
}

/// Makes an existing file private (e.g. a database created by an older version).
pub fn restrict(path: &Path) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(FILE_MODE))?;
    }
    #[cfg(not(unix))]
    let _ = path;
    Ok(())
}

/// Makes the files in `dir` whose names start with `prefix` private (log files written by
/// an older version, or by an appender that cannot be given a mode).
pub fn restrict_files_in(dir: &Path, prefix: &str) -> io::Result<()> {
    for entry in std::fs::read_dir(dir)?.flatten() {
        let ours = entry.file_name().to_string_lossy().starts_with(prefix);
        if ours && entry.file_type().is_ok_and(|kind| kind.is_file()) {
            restrict(&entry.path())?;
        }
    }
    Ok(())
}

fn restrict_open(file: &File) -> io::Result<()> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        file.set_permissions(std::fs::Permissions::from_mode(FILE_MODE))?;
    }
    #[cfg(not(unix))]
    let _ = file;
    Ok(())
}
