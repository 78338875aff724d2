//! Cell limits every importer shares: what a registrar never exports, refused before the
//! row is read, so that a 10 MB "course name" or a NUL byte never reaches the database.

use csv::StringRecord;

use super::Dataset;
use super::cells::{Bad, MAX_CELL_CHARS};
use super::dupes::reads;
use super::headers::{Field, field_of};
use super::reasons::Why;
use crate::locale::Lang;

/// (index, header) of the header's columns that `dataset` reads.
pub fn read_columns(dataset: Dataset, header: &StringRecord) -> Vec<(usize, String)> {
    let fields: Vec<Option<Field>> = header.iter().map(field_of).collect();
    let wide = fields.iter().any(|f| {
        matches!(
            f,
            Some(Field::MakeupResult | Field::RetakeResult | Field::ResultRemark)
        )
    });
    header
        .iter()
        .zip(&fields)
        .enumerate()
        .filter(|(_, (_, f))| f.is_some_and(|f| reads(dataset, f, wide)))
        .map(|(i, (h, _))| (i, h.trim().to_string()))
        .collect()
}

/// The first read cell that is too long or holds a NUL byte.
pub fn check_cells(rec: &StringRecord, cols: &[(usize, String)], lang: Lang) -> Option<Bad> {
    for (i, header) in cols {
        let Some(cell) = rec.get(*i) else { continue };
        let reason = if cell.contains('\0') {
            Why::NulByte.text(lang)
        } else if cell.len() > MAX_CELL_CHARS && cell.chars().count() > MAX_CELL_CHARS {
            Why::TooLong(cell.chars().count()).text(lang)
        } else {
            continue;
        };
        return Some(Bad {
            column: header.clone(),
            value: cell.to_string(),
            reason,
        });
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn long_and_nul_cells_in_read_columns_are_bad() {
        let header = StringRecord::from(vec!["学号", "姓名", "备注"]);
        let cols = read_columns(Dataset::Students, &header);
        assert_eq!(cols, [(0, "学号".to_string()), (1, "姓名".to_string())]);
        let ok = StringRecord::from(vec!["1", &"张".repeat(MAX_CELL_CHARS), "x"]);
        assert_eq!(check_cells(&ok, &cols, Lang::En), None);
        let long = StringRecord::from(vec!["1", &"张".repeat(MAX_CELL_CHARS + 1), "x"]);
        let bad = check_cells(&long, &cols, Lang::En).unwrap();
        assert_eq!(bad.column, "姓名");
        assert!(bad.reason.starts_with("1001 characters"));
        let nul = StringRecord::from(vec!["1\0", "a", "x"]);
        assert_eq!(check_cells(&nul, &cols, Lang::En).unwrap().column, "学号");
        // A column the import does not read may hold anything.
        let note = StringRecord::from(vec!["1", "a", &"x".repeat(5000)]);
        assert_eq!(check_cells(&note, &cols, Lang::En), None);
    }
}
