//! Reading a workbook's sheet row by row, at the cost of its real cells only.
//!
//! A sheet's stated dimension is whatever the file says: one stray cell at XFD1048576 makes
//! it 17 billion cells, and reading it as a range aborted on a 512 GB allocation. XLSX and
//! XLSB sheets are read cell by cell instead, on a thread that hands over one row at a time.
//! Before any of that, a workbook over 200 MB, or a zip that would unpack past 1 GB, is
//! refused.

use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, BufReader, Read};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};

use calamine::{Data, DataRef, Range, Reader as _, Sheets};

use super::ReadOptions;

/// A workbook larger than this is refused unread.
pub const MAX_WORKBOOK_BYTES: u64 = 200 << 20;
/// A zip whose entries unpack to more than this is refused.
pub const MAX_UNZIPPED_BYTES: u64 = 1 << 30;
/// calamine holds a workbook's shared strings in memory, at up to a few times their XML size
/// for many short strings: past this, unpacked, the 300 MB budget would not hold. A real
/// export shares names and course titles, a few MB.
pub const MAX_SHARED_STRINGS_BYTES: u64 = 64 << 20;
/// Columns past Excel's last (XFD) are not read.
const MAX_COLUMNS: usize = 16_384;
/// Rows in flight between the reading thread and the importer.
const ROWS_IN_FLIGHT: usize = 256;

/// One sheet row: its Excel row number and its cells as text, up to its last real cell.
pub type SheetRow = (usize, Vec<String>);
pub type Rows = Box<dyn Iterator<Item = Result<SheetRow, String>> + Send>;
/// The rows the sheet says it has: only for a progress bar, never for memory. Set before
/// the first row arrives.
pub type Stated = Arc<AtomicU64>;

/// Streams sheet `$name` of workbook `$book` (XLSX or XLSB: their cell readers are alike
/// but not of one type) from a thread of its own.
macro_rules! stream_cells {
    ($book:expr, $name:expr, $stated:expr) => {{
        let (mut book, sheet, stated) = ($book, $name.clone(), Arc::clone(&$stated));
        stream(move |tx| match book.worksheet_cells_reader(&sheet) {
            Ok(mut cells) => {
                stated.store(u64::from(cells.dimensions().end.0) + 1, Ordering::Relaxed);
                send_rows(tx, || cells.next_cell().map_err(|e| e.to_string()))
            }
            Err(e) => drop(tx.send(Err(format!("sheet '{sheet}': {e}")))),
        })
    }};
}

/// Opens the sheet: the workbook's format (for the notes), the sheet's name and its rows.
pub fn open(
    path: &Path,
    opts: &ReadOptions,
    zip: bool,
) -> Result<(&'static str, String, Rows, Stated), String> {
    let size = std::fs::metadata(path).map_err(|e| e.to_string())?.len();
    if size > MAX_WORKBOOK_BYTES {
        return Err(format!(
            "the workbook is {} MB; yujing reads workbooks up to {} MB (save the sheet as CSV instead)",
            size >> 20,
            MAX_WORKBOOK_BYTES >> 20
        ));
    }
    if zip {
        check_unzipped(path)?;
    }
    let book = crate::os::as_user(|| Ok(calamine::open_workbook_auto(path)))
        .map_err(|e| e.to_string())?
        .map_err(|e| format!("not a readable workbook: {e}"))?;
    let names = book.sheet_names();
    let name = match &opts.sheet {
        Some(want) => names
            .iter()
            .find(|n| n.as_str() == want.as_str())
            .cloned()
            .ok_or_else(|| format!("no sheet '{want}' (sheets: {})", names.join(", ")))?,
        None => names.first().cloned().ok_or("the workbook has no sheets")?,
    };
    let stated = Stated::default();
    let (format, rows): (&'static str, Rows) = match book {
        Sheets::Xlsx(x) => ("XLSX", stream_cells!(x, name, stated)),
        Sheets::Xlsb(x) => ("XLSB", stream_cells!(x, name, stated)),
        // Old XLS (at most 65,536 × 256 cells) and ODS have no cell reader.
        Sheets::Xls(mut x) => ("XLS", range_rows(x.worksheet_range(&name), &name, &stated)?),
        Sheets::Ods(mut x) => ("ODS", range_rows(x.worksheet_range(&name), &name, &stated)?),
    };
    Ok((format, name, rows, stated))
}

/// Refuses a zip whose entries unpack past [`MAX_UNZIPPED_BYTES`], counting what they really
/// unpack to (a zip's stated sizes can lie), and stopping as soon as the limit is passed.
fn check_unzipped(path: &Path) -> Result<(), String> {
    let too_big = || {
        format!(
            "the workbook would unpack to more than {} GB (a zip bomb?); refused unread",
            MAX_UNZIPPED_BYTES >> 30
        )
    };
    let file = crate::os::as_user(|| File::open(path)).map_err(|e| e.to_string())?;
    let mut zip = zip::ZipArchive::new(BufReader::new(file))
        .map_err(|e| format!("not a readable workbook: {e}"))?;
    let stated = (0..zip.len())
        .filter_map(|i| zip.by_index_raw(i).ok().map(|e| e.size()))
        .fold(0u64, u64::saturating_add);
    if stated > MAX_UNZIPPED_BYTES {
        return Err(too_big());
    }
    let mut total = 0u64;
    for i in 0..zip.len() {
        let entry = zip
            .by_index(i)
            .map_err(|e| format!("not a readable workbook: {e}"))?;
        let shared = entry.name().is_ok_and(|n| n.ends_with("sharedStrings.xml"));
        let left = MAX_UNZIPPED_BYTES - total;
        let n = io::copy(&mut entry.take(left + 1), &mut io::sink())
            .map_err(|e| format!("not a readable workbook: {e}"))?;
        total += n;
        if total > MAX_UNZIPPED_BYTES {
            return Err(too_big());
        }
        if shared && n > MAX_SHARED_STRINGS_BYTES {
            return Err(format!(
                "the workbook's shared text unpacks to {} MB, more than the {} MB yujing reads (save the sheet as CSV instead)",
                n >> 20,
                MAX_SHARED_STRINGS_BYTES >> 20
            ));
        }
    }
    Ok(())
}

/// Runs `read` on its own thread; its rows arrive through a bounded channel, so only a few
/// hundred rows are ever held. Dropping the iterator ends the thread at its next send.
fn stream(read: impl FnOnce(&SyncSender<Result<SheetRow, String>>) + Send + 'static) -> Rows {
    let (tx, rx): (_, Receiver<_>) = sync_channel(ROWS_IN_FLIGHT);
    std::thread::spawn(move || read(&tx));
    Box::new(rx.into_iter())
}

/// Groups cells, as the sheet stores them, into rows and sends each row once complete.
fn send_rows<'a, E>(tx: &SyncSender<Result<SheetRow, String>>, mut next: E)
where
    E: FnMut() -> Result<Option<calamine::Cell<DataRef<'a>>>, String>,
{
    let mut row: Option<SheetRow> = None;
    loop {
        let cell = match next() {
            Ok(Some(c)) => c,
            Ok(None) => break,
            Err(e) => {
                let _ = tx.send(Err(e));
                return;
            }
        };
        let (r, c) = cell.get_position();
        let (r, c) = (r as usize + 1, c as usize);
        if c >= MAX_COLUMNS {
            continue;
        }
        if row.as_ref().is_some_and(|(n, _)| *n != r)
            && let Some(done) = row.take()
            && tx.send(Ok(done)).is_err()
        {
            return;
        }
        let (_, cells) = row.get_or_insert_with(|| (r, Vec::new()));
        if cells.len() <= c {
            cells.resize(c + 1, String::new());
        }
        cell_text(&Data::from(cell.get_value().clone()), &mut cells[c]);
    }
    if let Some(done) = row {
        let _ = tx.send(Ok(done));
    }
}

fn range_rows<E: std::fmt::Display>(
    range: Result<Range<Data>, E>,
    name: &str,
    stated: &Stated,
) -> Result<Rows, String> {
    let range = range.map_err(|e| format!("sheet '{name}': {e}"))?;
    stated.store(range.height() as u64, Ordering::Relaxed);
    Ok(Box::new(RangeRows {
        first: range.start().map_or(0, |(r, _)| r as usize),
        range,
        next: 0,
    }))
}

struct RangeRows {
    range: Range<Data>,
    first: usize,
    next: usize,
}

impl Iterator for RangeRows {
    type Item = Result<SheetRow, String>;

    fn next(&mut self) -> Option<Self::Item> {
        let (height, width) = self.range.get_size();
        if self.next >= height {
            return None;
        }
        let cells = (0..width)
            .map(|c| {
                let mut s = String::new();
                cell_text(
                    self.range.get((self.next, c)).unwrap_or(&Data::Empty),
                    &mut s,
                );
                s
            })
            .collect();
        self.next += 1;
        Some(Ok((self.first + self.next, cells)))
    }
}

/// A cell as text: whole numbers without `.0`, so that 学号 stored as numbers reads right.
pub fn cell_text(d: &Data, out: &mut String) {
    out.clear();
    // Writing to a String cannot fail.
    let _ = match d {
        Data::Empty => Ok(()),
        Data::String(s) => {
            out.push_str(s);
            Ok(())
        }
        Data::Float(f) if f.fract() == 0.0 && f.abs() < 1e15 => write!(out, "{}", *f as i64),
        other => write!(out, "{other}"),
    };
}

#[cfg(test)]
mod tests {
    use super::*;

    use std::io::Write as _;

    /// A zip of one entry of `len` zeros.
    fn zip_of(dir: &Path, entry: &str, len: usize) -> std::path::PathBuf {
        let path = dir.join("z.xlsx");
        let mut zip = zip::ZipWriter::new(File::create(&path).unwrap());
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        zip.start_file(entry, opts).unwrap();
        zip.write_all(&vec![b' '; len]).unwrap();
        zip.finish().unwrap();
        path
    }

    #[test]
    fn shared_strings_past_the_budget_are_refused_unread() {
        let dir = tempfile::tempdir().unwrap();
        let big = (MAX_SHARED_STRINGS_BYTES + 1) as usize;
        let err = check_unzipped(&zip_of(dir.path(), "xl/sharedStrings.xml", big)).unwrap_err();
        assert!(err.contains("shared text unpacks to 64 MB"), "{err}");
        // The same size elsewhere is only counted toward the 1 GB.
        assert_eq!(
            check_unzipped(&zip_of(dir.path(), "xl/worksheets/sheet1.xml", big)),
            Ok(())
        );
    }

    #[test]
    fn whole_numbers_from_sheets_have_no_fraction() {
        let mut s = String::new();
        cell_text(&Data::Float(2022000001.0), &mut s);
        assert_eq!(s, "2022000001");
        cell_text(&Data::Float(59.5), &mut s);
        assert_eq!(s, "59.5");
        cell_text(&Data::Int(90), &mut s);
        assert_eq!(s, "90");
        cell_text(&Data::String(" 良好 ".into()), &mut s);
        assert_eq!(s, " 良好 ");
        cell_text(&Data::Empty, &mut s);
        assert_eq!(s, "");
    }
}
