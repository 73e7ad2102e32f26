//! GB/T 2260 administrative division codes, current and historical, for the
//! address part of resident ID numbers. The table ships with the program
//! (assets/regions/gb2260.tsv, provenance in its README).

use std::sync::OnceLock;

const TABLE: &str = include_str!("../../../../assets/regions/gb2260.tsv");

fn codes() -> &'static [u32] {
    static CODES: OnceLock<Vec<u32>> = OnceLock::new();
    CODES.get_or_init(|| {
        let mut v: Vec<u32> = TABLE
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| l.split('\t').next()?.trim().parse().ok())
            .collect();
        v.sort_unstable();
        v.dedup();
        v
    })
}

/// Whether `code` (six digits) is a county-, prefecture- or province-level code
/// that has ever been in use.
pub fn is_known(code: u32) -> bool {
    codes().binary_search(&code).is_ok()
}

/// Whether the first two digits name a province-level division (including
/// 71 Taiwan, 81 Hong Kong, 82 Macao, and 83, which residence permits for
/// Taiwan residents carry).
pub fn is_province(code: u32) -> bool {
    matches!(code / 10_000,
        11..=15 | 21..=23 | 31..=37 | 41..=46 | 50..=54 | 61..=65 | 71 | 81..=83)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn current_and_historical_codes() {
        assert!(codes().len() > 3000, "table has {} codes", codes().len());
        assert!(is_known(110105)); // 北京市朝阳区
        assert!(is_known(440524)); // 汕头市潮阳县 (historical)
        assert!(!is_known(999999));
        assert!(is_province(350100) && !is_province(990000));
    }
}
