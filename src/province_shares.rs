//! One bottleneck across the provinces, for the tile map and for the table
//! that reads it out: each province's share of voters who chose it, the
//! shade of its square, and the key to the shades. Plain Rust, so what the
//! map says is tested on the host.

use std::cmp::Reverse;

use survey_protocol::RegionResults;

use crate::tile_map::{shade, surveyed, Tile, COLS, ROWS, SHADES, TILES};

/// What a province's square and table row show.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Share {
    /// Taiwan, Hong Kong and Macao: drawn, but the survey collects no votes there.
    NotSurveyed,
    /// Left out by the endpoint (see `RegionResults::shown`): too few votes,
    /// or needed to keep others from being worked out.
    Withheld,
    Shown {
        /// Voters of the province who chose the bottleneck.
        votes: u64,
        /// All voters of the province.
        total: u64,
        /// `votes` per thousand of `total`.
        per_mille: u32,
        /// 0 (nobody chose it) to [`SHADES`] (the highest share of any province).
        shade: u8,
    },
}

/// One division's square.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ProvinceShare {
    pub tile: Tile,
    pub share: Share,
}

/// A bottleneck drawn on the tile grid.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProvinceMap {
    /// Every division, in [`TILES`] order.
    pub provinces: Vec<ProvinceShare>,
    /// The highest share of any province, per mille: the darkest shade.
    pub top: u32,
}

/// The map of `option` from province-level results.
pub fn province_shares(results: &RegionResults, option: &str) -> ProvinceMap {
    let per_mille = |votes: u64, total: u64| u32::try_from(votes.saturating_mul(1000) / total.max(1)).unwrap_or(1000).min(1000);
    let top = TILES
        .iter()
        .filter_map(|tile| results.shown(tile.code))
        .map(|region| per_mille(region.votes(option), region.total))
        .max()
        .unwrap_or(0);
    let provinces = TILES
        .iter()
        .map(|&tile| {
            let share = match results.shown(tile.code) {
                _ if !surveyed(tile.code) => Share::NotSurveyed,
                None => Share::Withheld,
                Some(region) => {
                    let votes = region.votes(option);
                    let per_mille = per_mille(votes, region.total);
                    Share::Shown { votes, total: region.total, per_mille, shade: shade(per_mille, top) }
                }
            };
            ProvinceShare { tile, share }
        })
        .collect();
    ProvinceMap { provinces, top }
}

impl ProvinceMap {
    /// The grid's cells row by row, north to south and west to east, `None`
    /// where no division lies. Drawn in this order, a square needs no
    /// position of its own, so no `style` attribute that a strict
    /// Content-Security-Policy would refuse.
    pub fn grid(&self) -> Vec<Option<&ProvinceShare>> {
        (0..ROWS)
            .flat_map(|row| (0..COLS).map(move |col| (row, col)))
            .map(|(row, col)| self.provinces.iter().find(|p| p.tile.row == row && p.tile.col == col))
            .collect()
    }

    /// The surveyed provinces for the table: those shown by share (most
    /// first, ties in code order), then those withheld, in code order (the
    /// map's table lists these after it, in one sentence).
    pub fn table(&self) -> Vec<&ProvinceShare> {
        let mut rows: Vec<&ProvinceShare> = self.provinces.iter().filter(|p| p.share != Share::NotSurveyed).collect();
        rows.sort_by_key(|p| {
            let rank = match p.share {
                Share::Shown { per_mille, .. } => Reverse(Some(per_mille)),
                _ => Reverse(None),
            };
            (rank, p.tile.code)
        });
        rows
    }

    /// The key: for each shade from 1 to [`SHADES`], the shares it stands
    /// for, from above the first bound up to the second, per mille. Empty
    /// when nobody chose the bottleneck anywhere (every square is shade 0).
    pub fn key(&self) -> Vec<(u8, u32, u32)> {
        if self.top == 0 {
            return Vec::new();
        }
        let bound = |step: u32| step * self.top / u32::from(SHADES);
        (1..=SHADES).map(|s| (s, bound(u32::from(s) - 1), bound(u32::from(s)))).collect()
    }
}
