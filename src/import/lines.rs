//! Cutting decoded CSV text into records before csv reads their fields, so that one stray
//! quote costs one row. Left to itself, csv lets a quote that never closes swallow the rest
//! of the file into one cell: with `--skip-bad` a whole file was lost as "1 bad".
//!
//! A record is one physical line, unless a quoted cell opened on it stays open at its end.
//! Then the following lines join it, but only if the quote closes within a few hundred lines
//! and the joined record has the header's number of fields (a real multi-line cell). Otherwise
//! the opening line alone is a bad row and the lines after it are read again as records.

use std::collections::VecDeque;
use std::io::{self, BufRead, Read};

use super::reasons::Why;

/// A physical line longer than this is a bad row (its rest is skipped unread into memory).
pub const MAX_LINE_BYTES: usize = 4 << 20;
/// How far a quoted cell may run on before its quote counts as unbalanced.
const MAX_SPAN_LINES: usize = 200;
const MAX_SPAN_BYTES: usize = 1 << 20;

/// What the next record of the stream is: where it starts, or why that line is bad.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Event {
    Record(usize),
    Bad(usize, String),
}

/// Quote state while scanning, as csv reads quotes: only a quote that starts a cell opens one.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Q {
    CellStart,
    Plain,
    Quoted,
    /// A quote inside a quoted cell: closes it, unless the next byte is a quote too.
    QuoteInQuoted,
}

fn scan(mut st: Q, line: &[u8], sep: u8, fields: &mut usize) -> Q {
    for &b in line {
        st = match (st, b) {
            (Q::CellStart, b'"') => Q::Quoted,
            (Q::Quoted, b'"') => Q::QuoteInQuoted,
            (Q::QuoteInQuoted, b'"') => Q::Quoted,
            (Q::Quoted, _) => Q::Quoted,
            (_, b) if b == sep => {
                *fields += 1;
                Q::CellStart
            }
            _ => Q::Plain,
        };
    }
    st
}

/// One physical line read again after a rejected span: (number, bytes, cut short, the line
/// end before it).
type Replay = (usize, Vec<u8>, bool, &'static [u8]);

/// A `Read` that passes on whole records, one per line, and notes in `events` where each
/// starts, in the order csv will read them.
pub struct Splitter<R> {
    inner: io::BufReader<R>,
    sep: u8,
    /// The header's number of fields, once known: what a record spanning lines must have.
    pub expected: Option<usize>,
    next_line: usize,
    skip_lf: bool,
    /// The line end that ended the previous line (CR until a following LF makes it CRLF).
    last_eol: &'static [u8],
    /// The line end before the line just read: kept inside a cell that spans lines.
    eol_before: &'static [u8],
    replay: VecDeque<Replay>,
    line: Vec<u8>,
    out: Vec<u8>,
    out_pos: usize,
    pub events: VecDeque<Event>,
    /// The language of the reasons a bad line is given.
    pub lang: crate::locale::Lang,
}

impl<R: Read> Splitter<R> {
    pub fn new(inner: R, sep: u8, capacity: usize) -> Splitter<R> {
        Splitter {
            inner: io::BufReader::with_capacity(capacity, inner),
            sep,
            expected: None,
            next_line: 1,
            skip_lf: false,
            last_eol: b"\n",
            eol_before: b"\n",
            replay: VecDeque::new(),
            line: Vec::new(),
            out: Vec::new(),
            out_pos: 0,
            events: VecDeque::new(),
            lang: crate::locale::Lang::En,
        }
    }

    pub fn get_ref(&self) -> &R {
        self.inner.get_ref()
    }

    /// The number of the line being read, for a read error's location.
    pub fn line(&self) -> usize {
        self.next_line
    }

    /// Reads the next physical line into `self.line`: its number and whether it was cut short.
    /// Line ends are LF, CRLF or a lone CR.
    fn next_line(&mut self) -> io::Result<Option<(usize, bool)>> {
        if let Some((n, bytes, cut, eol)) = self.replay.pop_front() {
            self.line = bytes;
            self.eol_before = eol;
            return Ok(Some((n, cut)));
        }
        self.line.clear();
        self.eol_before = self.last_eol;
        let (mut any, mut cut) = (false, false);
        loop {
            let buf = match self.inner.fill_buf() {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                other => other?,
            };
            if buf.is_empty() {
                break;
            }
            if self.skip_lf {
                self.skip_lf = false;
                if buf[0] == b'\n' {
                    self.inner.consume(1);
                    self.eol_before = b"\r\n";
                    continue;
                }
            }
            any = true;
            let end = memchr::memchr2(b'\n', b'\r', buf);
            let part = &buf[..end.unwrap_or(buf.len())];
            let room = MAX_LINE_BYTES.saturating_sub(self.line.len());
            cut |= part.len() > room;
            self.line.extend_from_slice(&part[..part.len().min(room)]);
            match end {
                Some(i) => {
                    self.skip_lf = buf[i] == b'\r';
                    self.last_eol = if self.skip_lf { b"\r" } else { b"\n" };
                    self.inner.consume(i + 1);
                    break;
                }
                None => {
                    let n = buf.len();
                    self.inner.consume(n);
                }
            }
        }
        if !any {
            return Ok(None);
        }
        let n = self.next_line;
        self.next_line += 1;
        Ok(Some((n, cut)))
    }

    fn emit(&mut self, first: usize, record: &[u8]) {
        // The reader also calls `advance` itself when it wants the next record's line number
        // before csv has asked for more bytes: drop what csv has read, or `out` keeps every
        // record of the file (a 200 MB file held whole).
        if self.out_pos == self.out.len() {
            self.out.clear();
            self.out_pos = 0;
        }
        self.out.extend_from_slice(record);
        self.out.push(b'\n');
        self.events.push_back(Event::Record(first));
    }

    /// Reads the next record (or bad line) into `out` and `events`; false at the end.
    pub fn advance(&mut self) -> io::Result<bool> {
        loop {
            let Some((first, cut)) = self.next_line()? else {
                return Ok(false);
            };
            if cut {
                self.events.push_back(Event::Bad(
                    first,
                    Why::LineTooLong(MAX_LINE_BYTES >> 20).text(self.lang),
                ));
                return Ok(true);
            }
            if self.line.is_empty() {
                continue;
            }
            let mut fields = 1;
            if memchr::memchr(b'"', &self.line).is_none()
                || scan(Q::CellStart, &self.line, self.sep, &mut fields) != Q::Quoted
            {
                let line = std::mem::take(&mut self.line);
                self.emit(first, &line);
                self.line = line;
                return Ok(true);
            }
            self.span(first, fields)?;
            return Ok(true);
        }
    }

    /// The line `first` (in `self.line`) leaves a quoted cell open: join the lines that
    /// follow while that makes a record the header would accept.
    fn span(&mut self, first: usize, mut fields: usize) -> io::Result<()> {
        let mut record = std::mem::take(&mut self.line);
        // (line number, where its line end and it start in `record`, cut short) of each
        // joined line.
        let mut joined: Vec<(usize, usize, usize, bool)> = Vec::new();
        let mut st = Q::Quoted;
        while st == Q::Quoted && joined.len() < MAX_SPAN_LINES && record.len() < MAX_SPAN_BYTES {
            let Some((n, cut)) = self.next_line()? else {
                break;
            };
            let eol_at = record.len();
            record.extend_from_slice(self.eol_before);
            joined.push((n, eol_at, record.len(), cut));
            record.extend_from_slice(&self.line);
            if cut {
                break;
            }
            st = scan(st, &self.line, self.sep, &mut fields);
        }
        let whole = joined.iter().all(|j| !j.3);
        if st != Q::Quoted && whole && self.expected.is_none_or(|e| e == fields) {
            self.emit(first, &record);
            self.line = record;
            return Ok(());
        }
        let mut end = record.len();
        for &(n, eol_at, at, cut) in joined.iter().rev() {
            let eol: &'static [u8] = match &record[eol_at..at] {
                b"\r\n" => b"\r\n",
                b"\r" => b"\r",
                _ => b"\n",
            };
            self.replay
                .push_front((n, record[at..end].to_vec(), cut, eol));
            end = eol_at;
        }
        self.events
            .push_back(Event::Bad(first, Why::UnclosedQuote.text(self.lang)));
        Ok(())
    }
}

impl<R: Read> Read for Splitter<R> {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        while self.out_pos == self.out.len() {
            self.out.clear();
            self.out_pos = 0;
            if !self.advance()? {
                return Ok(0);
            }
        }
        let n = buf.len().min(self.out.len() - self.out_pos);
        buf[..n].copy_from_slice(&self.out[self.out_pos..self.out_pos + n]);
        self.out_pos += n;
        Ok(n)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads `text` as the reader does: (line, cells) for records, (line, reason) for bad lines.
    fn read(
        text: &str,
        expected: Option<usize>,
        capacity: usize,
    ) -> Vec<(usize, Result<Vec<String>, String>)> {
        let mut s = Splitter::new(text.as_bytes(), b',', capacity);
        s.expected = expected;
        let mut rdr = csv::ReaderBuilder::new()
            .has_headers(false)
            .flexible(true)
            .buffer_capacity(capacity)
            .from_reader(s);
        let mut rec = csv::StringRecord::new();
        let mut out = Vec::new();
        loop {
            // The splitter holds the record csv reads now, never the records before it.
            let held = rdr.get_ref().out.len();
            assert!(held <= text.len() / 2 + 64, "holds {held} B");
            if rdr.get_ref().events.is_empty() && !rdr.get_mut().advance().unwrap() {
                break;
            }
            match rdr.get_mut().events.pop_front().unwrap() {
                Event::Bad(line, why) => out.push((line, Err(why))),
                Event::Record(line) => {
                    assert!(rdr.read_record(&mut rec).unwrap());
                    out.push((line, Ok(rec.iter().map(str::to_string).collect())));
                }
            }
        }
        assert!(!rdr.read_record(&mut rec).unwrap());
        out
    }

    fn lines_of(rows: &[(usize, Result<Vec<String>, String>)]) -> Vec<usize> {
        rows.iter().map(|(l, _)| *l).collect()
    }

    #[test]
    fn line_numbers_survive_crlf_blank_lines_and_multiline_cells() {
        let long = "生命科学与工程学院,2024-2025-1,some longer cell";
        let text = format!("title\n\na,b\n1,\"x\ny {long}\"\n\n\n2,{long}\n 3,w\n{long}");
        for eol in ["\n", "\r\n", "\r"] {
            let text = text.replace('\n', eol);
            for capacity in [3, 8 * 1024] {
                let rows = read(&text, None, capacity);
                assert_eq!(
                    lines_of(&rows),
                    [1, 3, 4, 8, 9, 10],
                    "line ends {eol:?}, buffer {capacity}"
                );
                // A cell spanning lines keeps its line ends as written.
                assert_eq!(
                    rows[2].1.as_ref().unwrap()[1],
                    format!("x{eol}y {long}"),
                    "{eol:?}"
                );
            }
        }
    }

    #[test]
    fn a_stray_quote_costs_its_own_line_only() {
        let text = "学号,姓名,成绩\n1,\"张三,90\n2,李四,80\n3,王五,70\n";
        let rows = read(text, Some(3), 8 * 1024);
        assert_eq!(lines_of(&rows), [1, 2, 3, 4]);
        assert!(rows[1].1.is_err());
        assert_eq!(rows[2].1.as_ref().unwrap(), &["2", "李四", "80"]);
        assert_eq!(rows[3].1.as_ref().unwrap(), &["3", "王五", "70"]);
    }

    #[test]
    fn a_quote_closing_in_a_row_of_the_wrong_width_is_not_a_cell() {
        // The quote on line 2 closes on line 3, but the joined record would have 4 fields.
        let text = "a,b,c\n1,\"x,y\n2,z\",w,v\n4,5,6\n";
        let rows = read(text, Some(3), 8 * 1024);
        assert_eq!(lines_of(&rows), [1, 2, 3, 4]);
        assert!(rows[1].1.is_err());
        // Read again on its own, line 3 holds a quote inside a cell: csv keeps it as written.
        assert_eq!(rows[2].1.as_ref().unwrap(), &["2", "z\"", "w", "v"]);
        // With the header's width the same quote makes one multi-line cell.
        let rows = read("a,b,c\n1,\"x\ny\",z\n", Some(3), 8 * 1024);
        assert_eq!(
            rows[1],
            (2, Ok(vec!["1".into(), "x\ny".into(), "z".into()]))
        );
    }

    #[test]
    fn quotes_inside_plain_cells_and_doubled_quotes_are_not_openings() {
        let text = "a,b\nx\"y,2\n\"say \"\"hi\"\"\",3\n";
        let rows = read(text, Some(2), 8 * 1024);
        assert_eq!(lines_of(&rows), [1, 2, 3]);
        assert_eq!(rows[2].1.as_ref().unwrap()[0], "say \"hi\"");
    }

    #[test]
    fn a_quote_never_closed_stops_after_the_span_limit() {
        let mut text = String::from("a,b\n1,\"open\n");
        for i in 0..(MAX_SPAN_LINES + 50) {
            text.push_str(&format!("{i},x\n"));
        }
        let rows = read(&text, Some(2), 8 * 1024);
        assert_eq!(rows.len(), MAX_SPAN_LINES + 52);
        assert!(rows[1].1.is_err());
        assert!(rows[2..].iter().all(|r| r.1.is_ok()));
    }

    #[test]
    fn a_long_file_is_never_held_whole() {
        let text: String = (0..20_000).map(|i| format!("{i},x\n")).collect();
        // `read` asserts after every record that the splitter holds less than half the text.
        assert_eq!(read(&text, Some(2), 8 * 1024).len(), 20_000);
    }

    #[test]
    fn an_overlong_line_is_cut_and_bad() {
        let text = format!("a,b\n1,{}\n2,y\n", "x".repeat(MAX_LINE_BYTES + 10));
        let rows = read(&text, Some(2), 8 * 1024);
        assert_eq!(lines_of(&rows), [1, 2, 3]);
        assert!(rows[1].1.as_ref().unwrap_err().contains("longer"));
    }
}
