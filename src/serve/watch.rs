//! Which file-system events matter; which paths are inputs is `crate::input`'s answer.

use notify_debouncer_full::notify::EventKind;
use notify_debouncer_full::notify::event::{MetadataKind, ModifyKind};

/// Events that change a file; reads (our own build opening files) and permission or
/// access-time updates are not changes.
pub(crate) fn is_change(kind: &EventKind) -> bool {
    match kind {
        EventKind::Create(_) | EventKind::Remove(_) => true,
        EventKind::Modify(ModifyKind::Metadata(metadata)) => {
            matches!(metadata, MetadataKind::WriteTime | MetadataKind::Any)
        }
        EventKind::Modify(_) => true,
        EventKind::Access(_) | EventKind::Any | EventKind::Other => false,
    }
}
