//! A tile-grid map of China: one equal square per provincial-level division,
//! placed roughly where it lies, so a bottleneck's share of votes can be
//! drawn for every province without downloading any map geometry. The 34
//! divisions are all drawn; Taiwan, Hong Kong and Macao take no part in the
//! survey (its place data covers the 31 of the mainland) and say so.

/// One division's square.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Tile {
    /// GB/T 2260 code.
    pub code: &'static str,
    /// Grid row from the north, 0-based.
    pub row: u8,
    /// Grid column from the west, 0-based.
    pub col: u8,
    /// Short Chinese name, as on a tile map (北京, 内蒙古).
    pub zh: &'static str,
    /// Short English name, in the forms China's government uses (Xizang, Macao).
    pub en: &'static str,
    /// Two-letter code of ISO 3166-2:CN (`HE` for Hebei), what an English
    /// tile has room for; the table beside the map gives the names.
    pub abbr: &'static str,
}

/// Rows and columns of the grid.
pub const ROWS: u8 = 8;
pub const COLS: u8 = 9;

const fn tile(code: &'static str, row: u8, col: u8, zh: &'static str, en: &'static str, abbr: &'static str) -> Tile {
    Tile { code, row, col, zh, en, abbr }
}

/// Every provincial-level division, north to south, west to east.
pub const TILES: [Tile; 34] = [
    tile("230000", 0, 8, "黑龙江", "Heilongjiang", "HL"),
    tile("650000", 1, 1, "新疆", "Xinjiang", "XJ"),
    tile("150000", 1, 5, "内蒙古", "Inner Mongolia", "NM"),
    tile("110000", 1, 6, "北京", "Beijing", "BJ"),
    tile("210000", 1, 7, "辽宁", "Liaoning", "LN"),
    tile("220000", 1, 8, "吉林", "Jilin", "JL"),
    tile("630000", 2, 2, "青海", "Qinghai", "QH"),
    tile("620000", 2, 3, "甘肃", "Gansu", "GS"),
    tile("640000", 2, 4, "宁夏", "Ningxia", "NX"),
    tile("140000", 2, 5, "山西", "Shanxi", "SX"),
    tile("130000", 2, 6, "河北", "Hebei", "HE"),
    tile("120000", 2, 7, "天津", "Tianjin", "TJ"),
    tile("540000", 3, 2, "西藏", "Xizang", "XZ"),
    tile("510000", 3, 3, "四川", "Sichuan", "SC"),
    tile("610000", 3, 4, "陕西", "Shaanxi", "SN"),
    tile("410000", 3, 5, "河南", "Henan", "HA"),
    tile("370000", 3, 6, "山东", "Shandong", "SD"),
    tile("500000", 4, 3, "重庆", "Chongqing", "CQ"),
    tile("420000", 4, 4, "湖北", "Hubei", "HB"),
    tile("340000", 4, 5, "安徽", "Anhui", "AH"),
    tile("320000", 4, 6, "江苏", "Jiangsu", "JS"),
    tile("310000", 4, 7, "上海", "Shanghai", "SH"),
    tile("530000", 5, 2, "云南", "Yunnan", "YN"),
    tile("520000", 5, 3, "贵州", "Guizhou", "GZ"),
    tile("430000", 5, 4, "湖南", "Hunan", "HN"),
    tile("360000", 5, 5, "江西", "Jiangxi", "JX"),
    tile("330000", 5, 6, "浙江", "Zhejiang", "ZJ"),
    tile("450000", 6, 4, "广西", "Guangxi", "GX"),
    tile("440000", 6, 5, "广东", "Guangdong", "GD"),
    tile("350000", 6, 6, "福建", "Fujian", "FJ"),
    tile("710000", 6, 7, "台湾", "Taiwan", "TW"),
    tile("460000", 7, 4, "海南", "Hainan", "HI"),
    tile("820000", 7, 5, "澳门", "Macao", "MO"),
    tile("810000", 7, 6, "香港", "Hong Kong", "HK"),
];

/// True for the 31 divisions of the mainland, where the survey collects
/// votes; false for Taiwan, Hong Kong and Macao.
pub fn surveyed(code: &str) -> bool {
    !matches!(code, "710000" | "810000" | "820000")
}

/// How dark a surveyed tile is drawn, 1 (lightest) to [`SHADES`], for a
/// region where `share` per mille of voters chose the bottleneck, against
/// the highest share of any region, `top`: the map shows where a bottleneck
/// hurts most, not only that every province has it. 0 for no share at all.
pub fn shade(share: u32, top: u32) -> u8 {
    if share == 0 || top == 0 {
        return 0;
    }
    let step = (share.min(top) * u32::from(SHADES)).div_ceil(top);
    step.clamp(1, u32::from(SHADES)) as u8
}

/// Shades of the map's scale, and of its legend.
pub const SHADES: u8 = 4;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_division_has_its_own_square_inside_the_grid() {
        for (i, a) in TILES.iter().enumerate() {
            assert!(a.row < ROWS && a.col < COLS, "{} is outside the grid", a.code);
            assert!(a.abbr.len() == 2 && a.abbr.bytes().all(|b| b.is_ascii_uppercase()), "{}: {}", a.code, a.abbr);
            for b in &TILES[..i] {
                assert_ne!(a.code, b.code);
                assert_ne!(a.abbr, b.abbr);
                assert_ne!((a.row, a.col), (b.row, b.col), "{} and {} share a square", a.zh, b.zh);
            }
        }
    }

    #[test]
    fn neighbours_on_the_ground_are_neighbours_on_the_grid() {
        let at = |zh: &str| TILES.iter().find(|t| t.zh == zh).map(|t| (i16::from(t.row), i16::from(t.col))).unwrap();
        let touching = |a: &str, b: &str| {
            let ((ra, ca), (rb, cb)) = (at(a), at(b));
            (ra - rb).abs() <= 1 && (ca - cb).abs() <= 1
        };
        for (a, b) in [
            ("北京", "河北"),
            ("天津", "河北"),
            ("上海", "江苏"),
            ("广东", "广西"),
            ("广东", "福建"),
            ("四川", "重庆"),
            ("黑龙江", "吉林"),
            ("香港", "广东"),
            ("澳门", "广东"),
            ("台湾", "福建"),
        ] {
            assert!(touching(a, b), "{a} and {b} border each other");
        }
        let (north, south) = (at("黑龙江"), at("海南"));
        assert!(north.0 < south.0);
        let (west, east) = (at("新疆"), at("上海"));
        assert!(west.1 < east.1);
    }

    #[test]
    fn only_the_mainland_is_surveyed_and_its_tiles_are_the_place_data_provinces() {
        let mut surveyed_codes: Vec<&str> = TILES.iter().map(|t| t.code).filter(|c| surveyed(c)).collect();
        surveyed_codes.sort_unstable();
        let provinces = crate::provinces::provinces();
        let place_codes: Vec<&str> = provinces.iter().map(|p| p.code.as_str()).collect();
        assert_eq!(surveyed_codes, place_codes);
        assert!(!surveyed("710000") && !surveyed("810000") && !surveyed("820000"));
    }

    #[test]
    fn the_region_where_a_bottleneck_hurts_most_is_darkest() {
        assert_eq!(shade(0, 500), 0);
        assert_eq!(shade(500, 500), SHADES);
        assert_eq!(shade(1, 500), 1, "any share at all is visible");
        assert_eq!(shade(250, 500), 2);
        assert_eq!(shade(251, 500), 3);
        assert_eq!(shade(10, 0), 0);
    }
}
