//! Opening a file (CSV of any usual encoding and separator, or a workbook), finding its
//! header, and streaming its data rows through the row parser.

use std::collections::VecDeque;
use std::fmt::Write as _;
use std::fs::File;
use std::io::{self, Read};
use std::path::Path;

use calamine::{Data, Range, Reader as _, Sheets};
use csv::StringRecord;
use encoding_rs::{CoderResult, Decoder};

use super::detect::{self, Detected, PREFIX_LEN};
use super::headers::{Columns, HEADER_SEARCH_ROWS, HeaderSearch};
use super::rows::RowParser;
use super::{Dataset, FileError, Location, ReadNotes, ReadOptions, Row, RowError};

/// Streams the rows of one file. Iterate for rows; `notes()` is complete once exhausted.
pub struct FileReader {
    notes: ReadNotes,
    file: String,
    sheet: Option<String>,
    source: Source,
    record: StringRecord,
    parser: RowParser,
    /// Rows held back until the end of the file (wide-layout retakes).
    tail: std::vec::IntoIter<Row>,
    finished: bool,
}

impl FileReader {
    pub fn notes(&self) -> &ReadNotes {
        &self.notes
    }

    /// (done, total) in bytes for CSV or rows for XLSX, for a progress bar.
    pub fn progress(&self) -> (u64, u64) {
        self.source.progress()
    }

    fn location(&self, line: usize) -> Location {
        Location {
            file: self.file.clone(),
            sheet: self.sheet.clone(),
            line,
        }
    }

    fn end(&mut self) {
        self.finished = true;
        let (rows, assumed) = self.parser.finish();
        self.notes.retake_term_assumed = assumed;
        self.notes.natures = std::mem::take(&mut self.parser.natures)
            .into_iter()
            .collect();
        self.tail = rows.into_iter();
    }
}

impl Iterator for FileReader {
    type Item = Row;

    fn next(&mut self) -> Option<Row> {
        loop {
            if let Some(row) = self.tail.next() {
                return Some(row);
            }
            if self.finished {
                return None;
            }
            match self.source.next_record(&mut self.record) {
                Ok(Some(line)) => {
                    // Spreadsheets and Excel-made CSVs end with rows of empty cells: not data.
                    if self.record.as_slice().trim().is_empty() {
                        continue;
                    }
                    let location = self.location(line);
                    let result = self
                        .parser
                        .parse(&self.record, &location)
                        .map_err(|b| b.at(location.clone()));
                    self.notes.empty_results = self.parser.empty_results;
                    return Some(Row { location, result });
                }
                Ok(None) => self.end(),
                Err(reason) => {
                    let location = self.location(self.source.line());
                    self.end();
                    let error = RowError {
                        location: location.clone(),
                        column: "-".into(),
                        value: String::new(),
                        reason,
                    };
                    return Some(Row {
                        location,
                        result: Err(error),
                    });
                }
            }
        }
    }
}

/// Opens `path`, detects its form and finds its header row.
pub fn open(path: &Path, dataset: Dataset, opts: &ReadOptions) -> Result<FileReader, FileError> {
    let mut reader = open_plain(path, dataset, opts)?;
    if matches!(
        reader.parser.term_source(),
        Some(super::headers::TermSource::Split(..))
    ) {
        let (path, opts) = (path.to_path_buf(), opts.clone());
        reader.parser.set_semester_probe(Box::new(move || {
            zhengfang_semester_codes(&path, dataset, &opts)
        }));
    }
    Ok(reader)
}

/// Whether the file's 学期 column holds 正方's internal codes (12 or 16 somewhere), which make
/// a 3 there mean term 1 rather than a summer term. Reads the file again, stopping at the first
/// code found: only files with a bare 3 in 学期 pay for it.
fn zhengfang_semester_codes(path: &Path, dataset: Dataset, opts: &ReadOptions) -> bool {
    let Ok(mut r) = open_plain(path, dataset, opts) else {
        return false;
    };
    let Some(super::headers::TermSource::Split(_, col)) = r.parser.term_source() else {
        return false;
    };
    while let Ok(Some(_)) = r.source.next_record(&mut r.record) {
        let v = crate::model::normalise_digits(r.record.get(col).unwrap_or(""));
        if v == "12" || v == "16" {
            return true;
        }
    }
    false
}

fn open_plain(path: &Path, dataset: Dataset, opts: &ReadOptions) -> Result<FileReader, FileError> {
    let file = path.display().to_string();
    let io_err = |source| FileError::Io {
        file: file.clone(),
        source,
    };
    let mut f = File::open(path).map_err(io_err)?;
    let total = f.metadata().map_err(io_err)?.len();
    let prefix = read_prefix(&mut f).map_err(io_err)?;

    let (mut source, encoding, sheet) = if is_workbook(path, &prefix) {
        drop(f);
        let (format, name, range) =
            open_sheet(path, opts).map_err(|message| FileError::Format {
                file: file.clone(),
                message,
            })?;
        (Source::sheet(range), format.to_string(), Some(name))
    } else {
        let enc = match &opts.encoding {
            Some(label) => detect::encoding_for_label(label).ok_or_else(|| FileError::Format {
                file: file.clone(),
                message: format!("unknown encoding '{label}'"),
            })?,
            None => detect::detect_encoding(&prefix, (prefix.len() as u64) >= total),
        };
        (
            Source::csv(f, prefix, enc, total),
            enc.name.to_string(),
            None,
        )
    };

    let mut record = StringRecord::new();
    let (header_line, cols) = find_header(&mut source, &mut record, dataset, &file)?;
    let id_header = cols.header(super::headers::Field::StudentId).to_string();
    let parser = RowParser::new(dataset, cols);
    let notes = ReadNotes {
        encoding,
        id_header,
        alternatives: parser.columns().alternatives_used(),
        nature_columns: parser
            .columns()
            .nature_columns()
            .iter()
            .map(|i| parser.columns().name_at(*i).to_string())
            .collect(),
        has_assessment: parser.columns().has(super::headers::Field::Assessment),
        layout: parser.layout().map(str::to_string),
        header_line,
        ..ReadNotes::default()
    };
    Ok(FileReader {
        notes,
        file,
        sheet,
        source,
        record,
        parser,
        tail: Vec::new().into_iter(),
        finished: false,
    })
}

/// Reads up to the header: the first of the leading rows that names every required column.
fn find_header(
    source: &mut Source,
    record: &mut StringRecord,
    dataset: Dataset,
    file: &str,
) -> Result<(usize, Columns), FileError> {
    let mut search = HeaderSearch::new(dataset);
    for _ in 0..HEADER_SEARCH_ROWS {
        let line = match source.next_record(record) {
            Ok(Some(line)) => line,
            Ok(None) => break,
            Err(message) => {
                return Err(FileError::Format {
                    file: file.to_string(),
                    message,
                });
            }
        };
        let cells: Vec<&str> = record.iter().collect();
        if let Some(cols) = search.offer(&cells) {
            return Ok((line, cols));
        }
    }
    let no = search.failure();
    Err(FileError::MissingColumn {
        file: file.to_string(),
        missing: no.missing,
        accepted: no.accepted,
        found: no.found,
    })
}

fn read_prefix(f: &mut File) -> io::Result<Vec<u8>> {
    let mut prefix = Vec::with_capacity(PREFIX_LEN);
    f.by_ref()
        .take(PREFIX_LEN as u64)
        .read_to_end(&mut prefix)?;
    Ok(prefix)
}

/// A workbook by its extension, or by its magic bytes when a counsellor renamed it.
fn is_workbook(path: &Path, prefix: &[u8]) -> bool {
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    let by_ext = matches!(
        ext.as_deref(),
        Some("xlsx" | "xlsm" | "xlsb" | "xls" | "ods")
    );
    let zip = prefix.starts_with(b"PK\x03\x04");
    let ole = prefix.starts_with(&[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1]);
    by_ext || zip || ole
}

/// The workbook's format (for the notes), the sheet's name and its cells.
fn open_sheet(
    path: &Path,
    opts: &ReadOptions,
) -> Result<(&'static str, String, Range<Data>), String> {
    let mut book =
        calamine::open_workbook_auto(path).map_err(|e| format!("not a readable workbook: {e}"))?;
    let format = match book {
        Sheets::Xls(_) => "XLS",
        Sheets::Xlsx(_) => "XLSX",
        Sheets::Xlsb(_) => "XLSB",
        Sheets::Ods(_) => "ODS",
    };
    let names = book.sheet_names();
    let name = match &opts.sheet {
        Some(want) => names
            .iter()
            .find(|n| n.as_str() == want.as_str())
            .cloned()
            .ok_or_else(|| format!("no sheet '{want}' (sheets: {})", names.join(", ")))?,
        None => names.first().cloned().ok_or("the workbook has no sheets")?,
    };
    let range = book
        .worksheet_range(&name)
        .map_err(|e| format!("sheet '{name}': {e}"))?;
    Ok((format, name, range))
}

/// Where records come from.
enum Source {
    Csv {
        rdr: Box<csv::Reader<LineIndex<Decoding<File>>>>,
        total: u64,
    },
    Sheet {
        range: Range<Data>,
        next: usize,
        first_row: usize,
        cell: String,
    },
}

impl Source {
    fn csv(f: File, prefix: Vec<u8>, enc: Detected, total: u64) -> Source {
        let head = enc.encoding.decode(&prefix).0;
        let sep = detect::detect_separator(&head);
        let decoding = Decoding::new(f, prefix, enc.encoding.new_decoder());
        let rdr = csv::ReaderBuilder::new()
            .delimiter(sep)
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(PREFIX_LEN)
            .from_reader(LineIndex::new(decoding));
        Source::Csv {
            rdr: Box::new(rdr),
            total,
        }
    }

    fn sheet(range: Range<Data>) -> Source {
        let first_row = range.start().map_or(0, |(r, _)| r as usize);
        Source::Sheet {
            range,
            next: 0,
            first_row,
            cell: String::new(),
        }
    }

    /// Reads the next record into `rec`; returns the 1-based line (or Excel row) it starts on.
    fn next_record(&mut self, rec: &mut StringRecord) -> Result<Option<usize>, String> {
        match self {
            Source::Csv { rdr, .. } => match rdr.read_record(rec) {
                Ok(true) => {
                    let at = rec.position().map_or(0, |p| p.byte());
                    Ok(Some(rdr.get_mut().line_of(at)))
                }
                Ok(false) => Ok(None),
                Err(e) => Err(format!("cannot read the file: {e}")),
            },
            Source::Sheet {
                range,
                next,
                first_row,
                cell,
            } => {
                let (height, width) = range.get_size();
                if *next >= height {
                    return Ok(None);
                }
                rec.clear();
                for c in 0..width {
                    cell_text(range.get((*next, c)).unwrap_or(&Data::Empty), cell);
                    rec.push_field(cell);
                }
                *next += 1;
                Ok(Some(*first_row + *next))
            }
        }
    }

    /// The line being read, for a read error's location.
    fn line(&self) -> usize {
        match self {
            Source::Csv { rdr, .. } => rdr.get_ref().line,
            Source::Sheet {
                next, first_row, ..
            } => first_row + next,
        }
    }

    fn progress(&self) -> (u64, u64) {
        match self {
            Source::Csv { rdr, total } => (rdr.get_ref().inner.consumed.min(*total), *total),
            Source::Sheet { range, next, .. } => (*next as u64, range.height() as u64),
        }
    }
}

/// A cell as text: whole numbers without `.0`, so that 学号 stored as numbers reads right.
fn cell_text(d: &Data, out: &mut String) {
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

/// Numbers the lines of the decoded text as csv reads it. csv's own record positions point
/// at where the previous record's terminator ended (the `\n` of a CRLF, or a skipped blank
/// line), so its line numbers drift; this remembers where each non-blank line starts, and a
/// record's line is that of the first non-blank line at or after its reported position.
struct LineIndex<R> {
    inner: R,
    offset: u64,
    /// Number of the line the next byte belongs to.
    line: usize,
    at_line_start: bool,
    prev_cr: bool,
    /// (byte offset, line number) of non-blank line starts not yet claimed by a record.
    starts: VecDeque<(u64, usize)>,
}

impl<R> LineIndex<R> {
    fn new(inner: R) -> LineIndex<R> {
        LineIndex {
            inner,
            offset: 0,
            line: 1,
            at_line_start: true,
            prev_cr: false,
            starts: VecDeque::new(),
        }
    }

    fn scan(&mut self, bytes: &[u8]) {
        let mut i = 0;
        while i < bytes.len() {
            // Most bytes are neither CR nor LF: skip eight at a time while no byte in the word
            // is below 0x0E (then none is CR or LF).
            if !self.at_line_start && !self.prev_cr {
                while let Some(word) = bytes.get(i..i + 8) {
                    let x = u64::from_le_bytes(word.try_into().unwrap_or([0; 8]));
                    if x.wrapping_sub(0x0E0E_0E0E_0E0E_0E0E) & !x & 0x8080_8080_8080_8080 != 0 {
                        break;
                    }
                    i += 8;
                }
                if i >= bytes.len() {
                    break;
                }
            }
            self.step(bytes[i], self.offset + i as u64);
            i += 1;
        }
        self.offset += bytes.len() as u64;
    }

    fn step(&mut self, b: u8, at: u64) {
        if self.prev_cr {
            self.prev_cr = false;
            if b == b'\n' {
                return;
            }
        }
        if self.at_line_start {
            self.at_line_start = false;
            if b != b'\n' && b != b'\r' {
                self.starts.push_back((at, self.line));
            }
        }
        if b == b'\n' || b == b'\r' {
            self.line += 1;
            self.at_line_start = true;
            self.prev_cr = b == b'\r';
        }
    }

    /// The line of the record csv reports at byte `at`.
    fn line_of(&mut self, at: u64) -> usize {
        while self.starts.front().is_some_and(|&(o, _)| o < at) {
            self.starts.pop_front();
        }
        self.starts.front().map_or(self.line, |&(_, line)| line)
    }
}

impl<R: Read> Read for LineIndex<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.scan(&buf[..n]);
        Ok(n)
    }
}

/// Decodes a byte stream to UTF-8 as it is read, so a large GBK file never sits in memory
/// whole, raw or decoded. Starts with the bytes already read for detection.
struct Decoding<R> {
    inner: R,
    decoder: Decoder,
    input: Vec<u8>,
    in_pos: usize,
    in_end: usize,
    eof: bool,
    output: Vec<u8>,
    out_pos: usize,
    out_end: usize,
    done: bool,
    /// Bytes taken from `inner` so far, for progress.
    consumed: u64,
}

impl<R: Read> Decoding<R> {
    fn new(inner: R, prefix: Vec<u8>, decoder: Decoder) -> Decoding<R> {
        let in_end = prefix.len();
        let mut input = prefix;
        input.resize(PREFIX_LEN.max(in_end), 0);
        Decoding {
            inner,
            decoder,
            input,
            in_pos: 0,
            in_end,
            eof: false,
            output: vec![0; PREFIX_LEN],
            out_pos: 0,
            out_end: 0,
            done: false,
            consumed: in_end as u64,
        }
    }

    /// Decodes the next chunk into `output`; reads more input when all is decoded.
    fn refill(&mut self) -> io::Result<()> {
        if self.in_pos == self.in_end && !self.eof {
            let n = loop {
                match self.inner.read(&mut self.input) {
                    Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                    other => break other?,
                }
            };
            self.consumed += n as u64;
            (self.in_pos, self.in_end, self.eof) = (0, n, n == 0);
        }
        let (result, read, written, _) = self.decoder.decode_to_utf8(
            &self.input[self.in_pos..self.in_end],
            &mut self.output,
            self.eof,
        );
        self.in_pos += read;
        (self.out_pos, self.out_end) = (0, written);
        // After the last input is fully decoded the decoder must not be called again.
        self.done = self.eof && result == CoderResult::InputEmpty;
        Ok(())
    }
}

impl<R: Read> Read for Decoding<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.out_pos == self.out_end {
            if self.done {
                return Ok(0);
            }
            self.refill()?;
        }
        let n = buf.len().min(self.out_end - self.out_pos);
        buf[..n].copy_from_slice(&self.output[self.out_pos..self.out_pos + n]);
        self.out_pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_all(bytes: &[u8], prefix_len: usize, enc: &'static encoding_rs::Encoding) -> String {
        let (prefix, rest) = bytes.split_at(prefix_len.min(bytes.len()));
        let mut d = Decoding::new(rest, prefix.to_vec(), enc.new_decoder());
        let mut out = String::new();
        d.read_to_string(&mut out).unwrap();
        assert_eq!(d.consumed, bytes.len() as u64);
        out
    }

    #[test]
    fn decoding_reader_streams_gbk_across_chunk_boundaries() {
        let text = "学号,姓名\n2022000001,张三\n".repeat(20_000);
        let (gbk, _, _) = encoding_rs::GBK.encode(&text);
        // A prefix ending in the middle of a two-byte character.
        assert_eq!(decode_all(&gbk, 7, encoding_rs::GBK), text);
        assert_eq!(decode_all(&gbk, PREFIX_LEN, encoding_rs::GBK), text);
        let bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
        assert_eq!(decode_all(&bom, 2, encoding_rs::UTF_8), text);
    }

    fn lines(text: &str, capacity: usize) -> Vec<(usize, Vec<String>)> {
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(capacity)
            .from_reader(LineIndex::new(text.as_bytes()));
        let mut rec = StringRecord::new();
        let mut out = Vec::new();
        while rdr.read_record(&mut rec).unwrap() {
            let at = rec.position().unwrap().byte();
            out.push((
                rdr.get_mut().line_of(at),
                rec.iter().map(str::to_string).collect(),
            ));
        }
        out
    }

    #[test]
    fn line_numbers_survive_crlf_blank_lines_and_multiline_cells() {
        let long = "生命科学与工程学院,2024-2025-1,some longer cell";
        let text = format!("title\n\na,b\n1,\"x\ny {long}\"\n\n\n2,{long}\n 3,w\n{long}");
        for eol in ["\n", "\r\n", "\r"] {
            let text = text.replace('\n', eol);
            for capacity in [3, 8 * 1024] {
                let got: Vec<usize> = lines(&text, capacity).iter().map(|(l, _)| *l).collect();
                assert_eq!(
                    got,
                    [1, 3, 4, 8, 9, 10],
                    "line ends {eol:?}, buffer {capacity}"
                );
            }
        }
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
