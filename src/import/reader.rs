//! Opening a file (CSV of any usual encoding and separator, or a workbook), finding its
//! header, and streaming its data rows through the row parser.

use std::fs::File;
use std::io::{self, Read};
use std::path::Path;
use std::sync::atomic::Ordering;

use csv::StringRecord;
use encoding_rs::{CoderResult, Decoder};

use super::detect::{self, Detected, PREFIX_LEN};
use super::headers::{Columns, HEADER_SEARCH_ROWS, HeaderSearch};
use super::lines::{Event, Splitter};
use super::rows::RowParser;
use super::sheet::{self, Rows, Stated};
use super::{Dataset, FileError, Location, ReadNotes, ReadOptions, Row, RowError};

/// Streams the rows of one file. Iterate for rows; `notes()` is complete once exhausted.
pub struct FileReader {
    notes: ReadNotes,
    file: String,
    sheet: Option<String>,
    source: Source,
    record: StringRecord,
    /// (index, header) of the columns the parser reads, for the cell limits.
    read_cols: Vec<(usize, String)>,
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
                Ok(Some(Next::Bad(line, reason))) => {
                    let location = self.location(line);
                    let result = Err(RowError {
                        location: location.clone(),
                        column: "-".into(),
                        value: String::new(),
                        reason,
                    });
                    return Some(Row { location, result });
                }
                Ok(Some(Next::Record(line))) => {
                    // Spreadsheets and Excel-made CSVs end with rows of empty cells: not data.
                    if self.record.as_slice().trim().is_empty() {
                        continue;
                    }
                    let location = self.location(line);
                    let lang = self.source.lang();
                    let result =
                        match super::limits::check_cells(&self.record, &self.read_cols, lang) {
                            Some(bad) => Err(bad.at(location.clone())),
                            None => self
                                .parser
                                .parse(&self.record, &location)
                                .map_err(|b| b.at(location.clone())),
                        };
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
    // The file is opened with the user's rights only, never yujing's group (server set-up).
    let mut f = crate::os::as_user(|| File::open(path)).map_err(io_err)?;
    let total = f.metadata().map_err(io_err)?.len();
    let prefix = read_prefix(&mut f).map_err(io_err)?;

    let (mut source, encoding, sheet) = if is_workbook(path, &prefix) {
        drop(f);
        let (format, name, rows, stated) =
            sheet::open(path, opts, prefix.starts_with(b"PK\x03\x04")).map_err(|message| {
                FileError::Format {
                    file: file.clone(),
                    message: crate::text::sanitize(&message).into_owned(),
                }
            })?;
        (Source::sheet(rows, stated), format.to_string(), Some(name))
    } else {
        let enc = match &opts.encoding {
            Some(label) => detect::encoding_for_label(label).ok_or_else(|| FileError::Format {
                file: file.clone(),
                message: format!("unknown encoding '{}'", crate::text::sanitize(label)),
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
    // Set first: the header search can already refuse the file (a file of another kind).
    source.set_lang(opts.lang);
    let (header_line, cols) = find_header(&mut source, &mut record, dataset, &file)?;
    source.expect_fields(record.len());
    let read_cols = super::limits::read_columns(dataset, &record);
    let id_header = cols.header(super::headers::Field::StudentId).to_string();
    let mut parser = RowParser::new(dataset, cols);
    parser.set_lang(opts.lang);
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
        read_cols,
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
    let mut kinds = super::kind::KindGuess::default();
    let format = |message: String| FileError::Format {
        file: file.to_string(),
        message: crate::text::sanitize(&message).into_owned(),
    };
    for _ in 0..HEADER_SEARCH_ROWS {
        let line = match source.next_record(record) {
            Ok(Some(Next::Record(line))) => line,
            // A broken title row is no header; keep looking.
            Ok(Some(Next::Bad(..))) => continue,
            Ok(None) => break,
            Err(message) => return Err(format(message)),
        };
        let cells: Vec<&str> = record.iter().collect();
        if let Some(cols) = search.offer(&cells) {
            if let Some(other) = super::kind::looks_like_other(dataset, &cells) {
                return Err(format(super::kind::wrong_kind(
                    dataset,
                    other,
                    file,
                    source.lang(),
                )));
            }
            if let Some((text, a, b)) = super::dupes::duplicate_header(dataset, &cells) {
                let (a, b) = (
                    super::dupes::column_letters(a),
                    super::dupes::column_letters(b),
                );
                return Err(format(match source.lang() {
                    crate::locale::Lang::Zh => format!(
                        "第 {line} 行：{a} 列和 {b} 列的表头都是 '{text}'；yujing 读取这一列，分不清是哪一列（请改名或删去其中一列）"
                    ),
                    crate::locale::Lang::En => format!(
                        "line {line}: columns {a} and {b} are both headed '{text}'; yujing reads that column and cannot tell which one is meant (rename or remove one)"
                    ),
                }));
            }
            return Ok((line, cols));
        }
        kinds.offer(&cells);
    }
    if let Some(other) = kinds.guess(dataset) {
        return Err(format(super::kind::wrong_kind(
            dataset,
            other,
            file,
            source.lang(),
        )));
    }
    let no = search.failure();
    Err(FileError::MissingColumn {
        file: file.to_string(),
        missing: no.missing,
        accepted: no.accepted,
        found: crate::text::sanitize(&no.found).into_owned(),
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

/// What the source has next: a record starting on a line, or a line that is bad as it stands.
enum Next {
    Record(usize),
    Bad(usize, String),
}

/// Where records come from.
enum Source {
    Csv {
        rdr: Box<csv::Reader<Splitter<Decoding<File>>>>,
        total: u64,
    },
    Sheet {
        rows: Rows,
        stated: Stated,
        /// The Excel number of the last row read.
        line: usize,
        count: u64,
        done: bool,
        lang: crate::locale::Lang,
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
            .from_reader(Splitter::new(decoding, sep, PREFIX_LEN));
        Source::Csv {
            rdr: Box::new(rdr),
            total,
        }
    }

    fn sheet(rows: Rows, stated: Stated) -> Source {
        Source::Sheet {
            rows,
            stated,
            line: 0,
            count: 0,
            done: false,
            lang: crate::locale::Lang::En,
        }
    }

    fn set_lang(&mut self, lang: crate::locale::Lang) {
        if let Source::Csv { rdr, .. } = self {
            rdr.get_mut().lang = lang;
        }
        if let Source::Sheet { lang: l, .. } = self {
            *l = lang;
        }
    }

    fn lang(&self) -> crate::locale::Lang {
        match self {
            Source::Csv { rdr, .. } => rdr.get_ref().lang,
            Source::Sheet { lang, .. } => *lang,
        }
    }

    /// From the header on, a CSV cell may span lines only in a record of the header's width.
    fn expect_fields(&mut self, n: usize) {
        if let Source::Csv { rdr, .. } = self {
            rdr.get_mut().expected = Some(n);
        }
    }

    /// Reads the next record into `rec`, or says which line is bad.
    fn next_record(&mut self, rec: &mut StringRecord) -> Result<Option<Next>, String> {
        let lang = self.lang();
        let read_err = |e: &dyn std::fmt::Display| match lang {
            crate::locale::Lang::Zh => format!("无法读取文件：{e}"),
            crate::locale::Lang::En => format!("cannot read the file: {e}"),
        };
        match self {
            Source::Csv { rdr, .. } => {
                if rdr.get_ref().events.is_empty()
                    && !rdr.get_mut().advance().map_err(|e| read_err(&e))?
                {
                    return Ok(None);
                }
                match rdr.get_mut().events.pop_front() {
                    None => Ok(None),
                    Some(Event::Bad(line, why)) => Ok(Some(Next::Bad(line, why))),
                    Some(Event::Record(line)) => match rdr.read_record(rec) {
                        Ok(true) => Ok(Some(Next::Record(line))),
                        Ok(false) => Ok(None),
                        Err(e) => Err(read_err(&e)),
                    },
                }
            }
            Source::Sheet {
                rows,
                line,
                count,
                done,
                ..
            } => match rows.next() {
                None => {
                    *done = true;
                    Ok(None)
                }
                Some(Err(e)) => Err(e),
                Some(Ok((n, cells))) => {
                    rec.clear();
                    for c in &cells {
                        rec.push_field(c);
                    }
                    *line = n;
                    *count += 1;
                    Ok(Some(Next::Record(n)))
                }
            },
        }
    }

    /// The line being read, for a read error's location.
    fn line(&self) -> usize {
        match self {
            Source::Csv { rdr, .. } => rdr.get_ref().line(),
            Source::Sheet { line, .. } => *line + 1,
        }
    }

    fn progress(&self) -> (u64, u64) {
        match self {
            Source::Csv { rdr, total } => (rdr.get_ref().get_ref().consumed.min(*total), *total),
            // The stated dimension is an estimate (it may lie): the bar ends full at the end.
            Source::Sheet {
                stated,
                count,
                done,
                ..
            } => {
                let total = (*count).max(stated.load(Ordering::Relaxed));
                (if *done { total } else { *count }, total)
            }
        }
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
}
