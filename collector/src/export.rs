//! Tallies by region as CSV, what the 2018 team sent to the regions: one
//! row per province (or per city of one province) with its total, its
//! real-name total and its votes for each option. For the organiser, not
//! for publication: no region is withheld, however few its votes.
//!
//! UTF-8 with a byte order mark and CRLF line ends, so that Excel on a
//! government PC opens the Chinese names as they are; fields are quoted by
//! RFC 4180 when they hold a comma, a quote or a line end.

use survey_protocol::Batch;

use crate::regions::Regions;
use crate::store::tally::Listing;
use crate::store::tally::Tallies;

/// The byte order mark that tells Excel the file is UTF-8.
const BOM: &str = "\u{feff}";

/// The first row: the whole the regions make up (the nation, or the
/// province whose cities follow), then every region of the region data in
/// code order, with zeros where nobody voted; a region with votes that the
/// region data lacks comes last, unnamed.
pub struct Table<'a> {
    pub batch: &'a Batch,
    pub regions: &'a Regions,
    /// Code (`""` for the nation) and name of the whole; its tallies are
    /// the listing's, read with the regions'.
    pub whole: (&'a str, &'a str),
    /// The regions to list, `(code, name)`, in code order.
    pub rows: Vec<(&'a str, &'a str)>,
    pub listing: &'a Listing,
}

impl Table<'_> {
    pub fn to_csv(&self) -> String {
        let mut csv = String::from(BOM);
        let mut header = vec!["地区代码 code".to_owned(), "地区名称 region".to_owned()];
        header.extend(["总票数 total".to_owned(), "实名票数 real-name".to_owned()]);
        header.extend(self.batch.options.iter().map(|o| format!("{} {}", o.id, o.text)));
        push_row(&mut csv, &header);
        let (code, name) = self.whole;
        push_row(&mut csv, &self.row(code, name, &self.listing.whole));
        let empty = Tallies::default();
        for (code, name) in &self.rows {
            let tallies = self.listing.regions.iter().find(|(c, _)| c == code).map_or(&empty, |(_, t)| t);
            push_row(&mut csv, &self.row(code, name, tallies));
        }
        for (code, tallies) in self.listing.regions.iter().filter(|(code, _)| !self.rows.iter().any(|(c, _)| c == code)) {
            push_row(&mut csv, &self.row(code, self.regions.name(code).unwrap_or_default(), tallies));
        }
        csv
    }

    fn row(&self, code: &str, name: &str, tallies: &Tallies) -> Vec<String> {
        let mut row = vec![code.to_owned(), name.to_owned(), tallies.total.to_string(), tallies.real_name_total.to_string()];
        row.extend(self.batch.options.iter().map(|o| tallies.by_option.get(&o.id).copied().unwrap_or(0).to_string()));
        row
    }
}

fn push_row(csv: &mut String, fields: &[String]) {
    let quoted: Vec<String> = fields.iter().map(|f| quote(f)).collect();
    csv.push_str(&quoted.join(","));
    csv.push_str("\r\n");
}

/// A field as RFC 4180 writes it: in quotes, quotes doubled, when it holds
/// a comma, a quote or a line end.
fn quote(field: &str) -> String {
    if field.contains([',', '"', '\r', '\n']) { format!("\"{}\"", field.replace('"', "\"\"")) } else { field.to_owned() }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_with_commas_quotes_or_line_ends_are_quoted_and_others_are_not() {
        assert_eq!(quote("河北省"), "河北省");
        assert_eq!(quote("重复填写，很麻烦"), "重复填写，很麻烦", "a Chinese comma is no separator");
        assert_eq!(quote("a,b"), "\"a,b\"");
        assert_eq!(quote("say \"no\""), "\"say \"\"no\"\"\"");
        assert_eq!(quote("two\nlines"), "\"two\nlines\"");
    }
}
