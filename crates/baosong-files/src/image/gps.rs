//! A GPS position, and how people read it.

use serde::{Deserialize, Serialize};

/// Decimal degrees; south and west are negative.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct GpsPosition {
    pub latitude: f64,
    pub longitude: f64,
    /// Metres above sea level (negative below).
    pub altitude: Option<f64>,
}

impl GpsPosition {
    /// `北纬 39.9042°, 东经 116.4074°` (and `, 海拔 50 米`).
    pub fn to_zh(&self) -> String {
        let ns = if self.latitude < 0.0 {
            "南纬"
        } else {
            "北纬"
        };
        let ew = if self.longitude < 0.0 {
            "西经"
        } else {
            "东经"
        };
        let mut s = format!(
            "{ns} {:.4}°, {ew} {:.4}°",
            self.latitude.abs(),
            self.longitude.abs()
        );
        if let Some(alt) = self.altitude {
            s.push_str(&format!(", 海拔 {alt:.0} 米"));
        }
        s
    }
}

/// Degrees, minutes and seconds to decimal degrees, negative for the
/// southern or western hemisphere (`reference` is `S` or `W`).
pub(crate) fn from_dms(dms: [f64; 3], reference: &str) -> f64 {
    let value = dms[0] + dms[1] / 60.0 + dms[2] / 3600.0;
    if reference.eq_ignore_ascii_case("S") || reference.eq_ignore_ascii_case("W") {
        -value
    } else {
        value
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_in_chinese() {
        let p = GpsPosition {
            latitude: from_dms([39.0, 54.0, 15.12], "N"),
            longitude: from_dms([116.0, 24.0, 26.64], "E"),
            altitude: None,
        };
        assert_eq!(p.to_zh(), "北纬 39.9042°, 东经 116.4074°");
        let south = GpsPosition {
            latitude: -33.8688,
            longitude: -70.5,
            altitude: Some(12.4),
        };
        assert_eq!(south.to_zh(), "南纬 33.8688°, 西经 70.5000°, 海拔 12 米");
    }
}
