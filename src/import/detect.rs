//! Guessing what the counsellor did not say: a CSV file's encoding and its separator.

use chardetng::{EncodingDetector, Iso2022JpDetection, Utf8Detection};
use encoding_rs::{Encoding, GB18030, GBK, UTF_8};

use super::headers::{Columns, HEADER_SEARCH_ROWS};

/// How many leading bytes the guesses look at.
pub const PREFIX_LEN: usize = 64 * 1024;

/// The encoding to decode with and the name to tell the user.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Detected {
    pub encoding: &'static Encoding,
    pub name: &'static str,
}

/// Guesses the encoding from the file's first bytes (`whole`: they are the whole file).
pub fn detect_encoding(prefix: &[u8], whole: bool) -> Detected {
    if prefix.starts_with(b"\xEF\xBB\xBF") {
        return Detected {
            encoding: UTF_8,
            name: "UTF-8 with BOM",
        };
    }
    // Cut at the last line end so that a character split by the prefix's end is not mistaken
    // for a malformed one.
    let sample = if whole {
        prefix
    } else {
        prefix
            .iter()
            .rposition(|&b| b == b'\n')
            .map_or(prefix, |i| &prefix[..=i])
    };
    if std::str::from_utf8(sample).is_ok() {
        return Detected {
            encoding: UTF_8,
            name: "UTF-8",
        };
    }
    let mut detector = EncodingDetector::new(Iso2022JpDetection::Deny);
    detector.feed(sample, true);
    let guess = detector.guess(None, Utf8Detection::Deny);
    // Registrar exports that are not UTF-8 are GBK/GB18030 in practice; a short file with few
    // Chinese characters can look like Big5 or Shift_JIS to a statistical guess, so GBK wins
    // whenever it decodes the bytes cleanly.
    let gbk_clean = GBK
        .decode_without_bom_handling_and_without_replacement(sample)
        .is_some();
    if guess == GBK || guess == GB18030 || gbk_clean {
        return if has_gb18030_four_byte(sample) {
            Detected {
                encoding: GB18030,
                name: "GB18030",
            }
        } else {
            Detected {
                encoding: GBK,
                name: "GBK",
            }
        };
    }
    Detected {
        encoding: guess,
        name: guess.name(),
    }
}

/// GB18030's four-byte sequences (lead byte, then an ASCII digit) do not occur in GBK.
fn has_gb18030_four_byte(bytes: &[u8]) -> bool {
    let mut i = 0;
    while i + 1 < bytes.len() {
        let b = bytes[i];
        if b < 0x80 {
            i += 1;
        } else if (0x81..=0xFE).contains(&b) && bytes[i + 1].is_ascii_digit() {
            return true;
        } else {
            i += 2;
        }
    }
    false
}

/// The encoding named by `--encoding` (any encoding_rs label).
pub fn encoding_for_label(label: &str) -> Option<Detected> {
    Encoding::for_label(label.trim().as_bytes()).map(|e| Detected {
        encoding: e,
        name: e.name(),
    })
}

pub const SEPARATORS: [u8; 3] = [b',', b'\t', b';'];

/// Picks the separator that makes the header region name the most known columns; with no
/// known column anywhere, the one that splits rows into the most cells. Comma on ties.
pub fn detect_separator(head: &str) -> u8 {
    let mut best = (b',', 0usize, 0usize);
    for sep in SEPARATORS {
        let mut rdr = csv::ReaderBuilder::new()
            .delimiter(sep)
            .has_headers(false)
            .flexible(true)
            .from_reader(head.as_bytes());
        let (mut known, mut cells) = (0, 0);
        for rec in rdr.records().take(HEADER_SEARCH_ROWS) {
            let Ok(rec) = rec else { break };
            let row: Vec<&str> = rec.iter().collect();
            known = known.max(Columns::from_row(&row).recognised());
            cells = cells.max(row.len());
        }
        if (known, cells) > (best.1, best.2) {
            best = (sep, known, cells);
        }
    }
    best.0
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn utf8_with_and_without_bom() {
        let text = "学号,姓名\n2022000001,张三\n";
        assert_eq!(detect_encoding(text.as_bytes(), true).name, "UTF-8");
        let bom = [b"\xEF\xBB\xBF".as_slice(), text.as_bytes()].concat();
        assert_eq!(detect_encoding(&bom, true).encoding, UTF_8);
        assert_eq!(detect_encoding(&bom, true).name, "UTF-8 with BOM");
    }

    #[test]
    fn utf8_cut_mid_character_is_still_utf8() {
        let text = "学号,姓名\n2022000001,张三\n".repeat(10);
        let bytes = text.as_bytes();
        // End inside the three bytes of a Chinese character.
        let cut = &bytes[..bytes.len() - 5];
        assert_eq!(detect_encoding(cut, false).encoding, UTF_8);
    }

    #[test]
    fn gbk_even_for_a_short_file() {
        let (bytes, _, _) = GBK.encode("学号,姓名\n2022000001,张三\n");
        assert_eq!(detect_encoding(&bytes, true).encoding, GBK);
        let text = "学号,姓名,学院\n2022000001,张三,生命科学与工程学院\n".repeat(50);
        let (long, _, _) = GBK.encode(&text);
        assert_eq!(detect_encoding(&long, false).name, "GBK");
    }

    #[test]
    fn gb18030_when_four_byte_sequences_occur() {
        // CJK Extension B is beyond GBK: GB18030 writes it in four bytes.
        let (bytes, _, _) = GB18030.encode("学号,姓名\n2022000001,张\u{20000}\n");
        assert!(has_gb18030_four_byte(&bytes));
        assert_eq!(detect_encoding(&bytes, true).name, "GB18030");
    }

    #[test]
    fn labels() {
        assert_eq!(encoding_for_label("gbk").map(|d| d.encoding), Some(GBK));
        assert_eq!(
            encoding_for_label(" UTF-8 ").map(|d| d.encoding),
            Some(UTF_8)
        );
        assert!(encoding_for_label("klingon").is_none());
    }

    #[test]
    fn separators_from_the_header_region() {
        assert_eq!(detect_separator("学号,姓名,学年\n1,a,b\n"), b',');
        assert_eq!(
            detect_separator("某某大学成绩表\n学号\t姓名\t成绩\n1\tx\t90\n"),
            b'\t'
        );
        assert_eq!(detect_separator("学号;姓名;学分,备注\n"), b';');
        // A title row full of commas does not beat a tab-separated header.
        assert_eq!(
            detect_separator("表,,,,,,,,,\n学号\t学年学期\t成绩\n"),
            b'\t'
        );
        assert_eq!(detect_separator("a;b;c\n"), b';');
        assert_eq!(detect_separator(""), b',');
    }
}
