//! Reading input files within a size limit.

use std::io::Read;
use std::path::Path;

/// The whole file, or an error naming it; a file longer than `limit` bytes is refused without
/// reading more than `limit + 1` bytes of it.
pub fn read_limited(path: &Path, limit: u64) -> Result<Vec<u8>, String> {
    let name = path.display().to_string();
    let file = std::fs::File::open(path).map_err(|e| format!("{name}: {e}"))?;
    // The size the file says it has, to read it in one go (the limit is enforced by reading).
    let hint = file.metadata().map_or(0, |m| m.len()).min(limit);
    let mut bytes = Vec::with_capacity(hint as usize + 1);
    file.take(limit + 1).read_to_end(&mut bytes).map_err(|e| format!("{name}: cannot read the file: {e}"))?;
    if bytes.len() as u64 > limit {
        return Err(format!("{name}: the file is longer than the limit of {limit} bytes"));
    }
    Ok(bytes)
}
