use std::path::Path;

use super::{Dataset, FileError, ReadNotes, ReadOptions, Row};

/// Streams the rows of one file. Iterate for rows; `notes()` is complete once exhausted.
pub struct FileReader {
    notes: ReadNotes,
}

impl FileReader {
    pub fn notes(&self) -> &ReadNotes {
        &self.notes
    }
    /// (done, total) in bytes for CSV or rows for XLSX, for a progress bar.
    pub fn progress(&self) -> (u64, u64) {
        (0, 0)
    }
}

impl Iterator for FileReader {
    type Item = Row;
    fn next(&mut self) -> Option<Row> {
        None
    }
}

pub fn open(_path: &Path, _dataset: Dataset, _opts: &ReadOptions) -> Result<FileReader, FileError> {
    todo!()
}
