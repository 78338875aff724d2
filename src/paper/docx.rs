//! A minimal WordprocessingML writer: laid-out blocks to a .docx that Word and WPS open.
//!
//! Hand-written (zip + XML) rather than a DOCX crate: the forms need headings, paragraphs,
//! bordered tables, a dashed cut line and page breaks, and the `zip` crate is already in the
//! build (calamine and rust_xlsxwriter use it). A4, 宋体 headings and 仿宋 body text, each with
//! its Windows name as a fallback so a machine without the Chinese names still finds the font.

use std::io::{Seek, Write};

use zip::write::SimpleFileOptions;

use super::template::Block;

/// A4 in twentieths of a point, and the text width between 2.5 cm margins.
const PAGE_W: u32 = 11906;
const PAGE_H: u32 = 16838;
const MARGIN: u32 = 1417;
const TEXT_W: u32 = PAGE_W - 2 * MARGIN;

const HEADING_FONT: &str = "宋体";
const BODY_FONT: &str = "仿宋";

const CONTENT_TYPES: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/word/document.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/><Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/><Override PartName="/word/fontTable.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.fontTable+xml"/></Types>"#;

const RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/officeDocument" Target="word/document.xml"/></Relationships>"#;

const DOC_RELS: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/styles" Target="styles.xml"/><Relationship Id="rId2" Type="http://schemas.openxmlformats.org/officeDocument/2006/relationships/fontTable" Target="fontTable.xml"/></Relationships>"#;

const FONT_TABLE: &str = r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:fonts xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:font w:name="宋体"><w:altName w:val="SimSun"/><w:charset w:val="86"/><w:family w:val="auto"/></w:font><w:font w:name="仿宋"><w:altName w:val="FangSong"/><w:charset w:val="86"/><w:family w:val="modern"/></w:font><w:font w:name="Times New Roman"><w:charset w:val="00"/><w:family w:val="roman"/></w:font></w:fonts>"#;

const W_NS: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";

fn styles() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:styles xmlns:w="{W_NS}"><w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="{BODY_FONT}" w:cs="Times New Roman"/><w:sz w:val="28"/><w:szCs w:val="28"/><w:lang w:val="en-US" w:eastAsia="zh-CN"/></w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after="60" w:line="360" w:lineRule="auto"/></w:pPr></w:pPrDefault></w:docDefaults><w:style w:type="paragraph" w:default="1" w:styleId="Normal"><w:name w:val="Normal"/></w:style></w:styles>"#
    )
}

/// Text as XML character data: escaped, and without the control characters XML forbids.
fn escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' => out.push(' '),
            c if (c as u32) < 0x20 => {}
            c => out.push(c),
        }
    }
    out
}

/// One run; line breaks inside the text become `<w:br/>`.
fn run(text: &str, font: &str, size: u32, bold: bool) -> String {
    let mut r = format!(
        r#"<w:r><w:rPr><w:rFonts w:ascii="Times New Roman" w:hAnsi="Times New Roman" w:eastAsia="{font}"/>{}<w:sz w:val="{size}"/><w:szCs w:val="{size}"/></w:rPr>"#,
        if bold { "<w:b/>" } else { "" }
    );
    for (i, line) in text.split('\n').enumerate() {
        if i > 0 {
            r.push_str("<w:br/>");
        }
        r.push_str(&format!(
            r#"<w:t xml:space="preserve">{}</w:t>"#,
            escape(line)
        ));
    }
    r.push_str("</w:r>");
    r
}

fn para(ppr: &str, text: &str, font: &str, size: u32, bold: bool) -> String {
    format!(
        "<w:p><w:pPr>{ppr}</w:pPr>{}</w:p>",
        run(text, font, size, bold)
    )
}

fn table(rows: &[Vec<String>]) -> String {
    let cols = rows.iter().map(Vec::len).max().unwrap_or(1).max(1);
    let col_w = TEXT_W / u32::try_from(cols).unwrap_or(1);
    let border =
        |side: &str| format!(r#"<w:{side} w:val="single" w:sz="4" w:space="0" w:color="000000"/>"#);
    let borders: String = ["top", "left", "bottom", "right", "insideH", "insideV"]
        .iter()
        .map(|s| border(s))
        .collect();
    let mut t = format!(
        r#"<w:tbl><w:tblPr><w:tblW w:w="{TEXT_W}" w:type="dxa"/><w:tblBorders>{borders}</w:tblBorders><w:tblLayout w:type="fixed"/></w:tblPr><w:tblGrid>"#
    );
    for _ in 0..cols {
        t.push_str(&format!(r#"<w:gridCol w:w="{col_w}"/>"#));
    }
    t.push_str("</w:tblGrid>");
    for row in rows {
        t.push_str("<w:tr>");
        let n = row.len().max(1);
        for i in 0..n {
            // A short row's last cell spans the rest, so a free-text row fills the width.
            let span = if i + 1 == n { cols - n + 1 } else { 1 };
            let w = col_w * u32::try_from(span).unwrap_or(1);
            let cell = row.get(i).map_or("", String::as_str);
            t.push_str(&format!(
                r#"<w:tc><w:tcPr><w:tcW w:w="{w}" w:type="dxa"/>{}</w:tcPr>{}</w:tc>"#,
                if span > 1 {
                    format!(r#"<w:gridSpan w:val="{span}"/>"#)
                } else {
                    String::new()
                },
                para("", cell, BODY_FONT, 24, false)
            ));
        }
        t.push_str("</w:tr>");
    }
    t.push_str("</w:tbl><w:p/>");
    t
}

/// The `word/document.xml` of the blocks.
pub fn document_xml(blocks: &[Block]) -> String {
    let mut body = String::new();
    for b in blocks {
        body.push_str(&match b {
            Block::Title(s) => para(
                r#"<w:jc w:val="center"/><w:spacing w:before="120" w:after="240"/>"#,
                s,
                HEADING_FONT,
                36,
                true,
            ),
            Block::Para(s) => para("", s, BODY_FONT, 28, false),
            Block::Right(s) => para(r#"<w:jc w:val="right"/>"#, s, BODY_FONT, 28, false),
            Block::Table(rows) => table(rows),
            Block::Cut => r#"<w:p><w:pPr><w:pBdr><w:bottom w:val="dashed" w:sz="6" w:space="1" w:color="000000"/></w:pBdr></w:pPr></w:p>"#.to_string(),
            Block::PageBreak => r#"<w:p><w:r><w:br w:type="page"/></w:r></w:p>"#.to_string(),
        });
    }
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<w:document xmlns:w="{W_NS}" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><w:body>{body}<w:sectPr><w:pgSz w:w="{PAGE_W}" w:h="{PAGE_H}"/><w:pgMar w:top="{MARGIN}" w:right="{MARGIN}" w:bottom="{MARGIN}" w:left="{MARGIN}" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr></w:body></w:document>"#
    )
}

/// Writes the blocks as a .docx package.
pub fn write(out: impl Write + Seek, blocks: &[Block]) -> zip::result::ZipResult<()> {
    let mut z = zip::ZipWriter::new(out);
    let opts = SimpleFileOptions::default().compression_method(zip::CompressionMethod::Deflated);
    let parts: [(&str, String); 6] = [
        ("[Content_Types].xml", CONTENT_TYPES.to_string()),
        ("_rels/.rels", RELS.to_string()),
        ("word/_rels/document.xml.rels", DOC_RELS.to_string()),
        ("word/styles.xml", styles()),
        ("word/fontTable.xml", FONT_TABLE.to_string()),
        ("word/document.xml", document_xml(blocks)),
    ];
    for (name, text) in parts {
        z.start_file(name, opts)?;
        z.write_all(text.as_bytes())?;
    }
    z.finish()?;
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn document_is_a4_names_the_fonts_and_escapes_text() {
        let blocks = vec![
            Block::Title("通知书".into()),
            Block::Para("A & B <c>\u{1b}[31m".into()),
            Block::Table(vec![
                vec!["学号".into(), "1".into(), "姓名".into()],
                vec!["备注".into()],
            ]),
            Block::Cut,
            Block::PageBreak,
        ];
        let xml = document_xml(&blocks);
        assert!(xml.contains(r#"<w:pgSz w:w="11906" w:h="16838"/>"#));
        assert!(xml.contains(r#"w:eastAsia="宋体""#) && xml.contains(r#"w:eastAsia="仿宋""#));
        assert!(xml.contains("A &amp; B &lt;c&gt;[31m"), "{xml}");
        assert!(!xml.contains('\u{1b}'));
        assert!(xml.contains(r#"<w:gridSpan w:val="3"/>"#));
        assert!(xml.contains(r#"w:val="dashed""#) && xml.contains(r#"w:type="page""#));

        let mut buf = std::io::Cursor::new(Vec::new());
        write(&mut buf, &blocks).unwrap();
        let mut z = zip::ZipArchive::new(std::io::Cursor::new(buf.into_inner())).unwrap();
        let mut doc = String::new();
        std::io::Read::read_to_string(&mut z.by_name("word/document.xml").unwrap(), &mut doc)
            .unwrap();
        assert_eq!(doc, xml);
        assert!(z.by_name("word/fontTable.xml").is_ok());
    }
}
