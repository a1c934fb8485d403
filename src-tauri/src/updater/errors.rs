//! The updater's failures as Confab's typed errors: each an `Error::Update` whose code the
//! UI explains (network, bad signature, not installable, disk, the installer).

use std::io::ErrorKind;

use confab_core::{Error, ErrorCode};
use tauri_plugin_updater::Error as Plugin;

use super::fetch::FetchError;

pub fn fetch(error: FetchError) -> Error {
    super::update_error(
        ErrorCode::UpdateNetwork,
        format!("the update could not be downloaded: {error}"),
    )
}

pub fn plugin(error: Plugin) -> Error {
    let kind = code(&error);
    let message = match kind {
        ErrorCode::UpdateSignature => {
            format!("the update's signature does not match; it was not installed ({error})")
        }
        _ => format!("the update failed: {error}"),
    };
    super::update_error(kind, message)
}

fn code(error: &Plugin) -> ErrorCode {
    match error {
        Plugin::Minisign(_)
        | Plugin::Base64(_)
        | Plugin::SignatureUtf8(_)
        | Plugin::SignedVersionMismatch { .. }
        | Plugin::MissingSignedVersion => ErrorCode::UpdateSignature,
        Plugin::TargetNotFound(_)
        | Plugin::TargetsNotFound(_)
        | Plugin::UnsupportedOs
        | Plugin::UnsupportedArch
        | Plugin::FailedToDetermineExtractPath
        | Plugin::InvalidUpdaterFormat
        | Plugin::BinaryNotFoundInArchive => ErrorCode::UpdateNotInstallable,
        Plugin::TempDirNotFound | Plugin::TempDirNotOnSameMountPoint => ErrorCode::UpdateDisk,
        Plugin::Io(io) if disk(io.kind()) => ErrorCode::UpdateDisk,
        Plugin::Io(_)
        | Plugin::AuthenticationFailed
        | Plugin::DebInstallFailed
        | Plugin::PackageInstallFailed
        | Plugin::PreviousAppNotRestored(_) => ErrorCode::UpdateInstallFailed,
        // The manifest is not a release (bad JSON, version, URL, date), or the request failed.
        _ => ErrorCode::UpdateNetwork,
    }
}

fn disk(kind: ErrorKind) -> bool {
    matches!(
        kind,
        ErrorKind::StorageFull
            | ErrorKind::ReadOnlyFilesystem
            | ErrorKind::QuotaExceeded
            | ErrorKind::FileTooLarge
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_failure_has_its_code() {
        assert_eq!(
            code(&Plugin::MissingSignedVersion),
            ErrorCode::UpdateSignature
        );
        assert_eq!(
            code(&Plugin::TargetsNotFound(vec!["linux-x86_64-deb".into()])),
            ErrorCode::UpdateNotInstallable
        );
        assert_eq!(
            code(&Plugin::Io(ErrorKind::StorageFull.into())),
            ErrorCode::UpdateDisk
        );
        assert_eq!(
            code(&Plugin::Io(ErrorKind::NotFound.into())),
            ErrorCode::UpdateInstallFailed
        );
        assert_eq!(code(&Plugin::ReleaseNotFound), ErrorCode::UpdateNetwork);
    }
}
