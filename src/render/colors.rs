//! The preview palette: one colour per binding status, and a sequential scale for measures.

use crate::binding::AreaStatus;

/// Fill for an area of this status (decorations keep their own style).
pub fn status_fill(status: AreaStatus) -> Option<&'static str> {
    match status {
        AreaStatus::Decoration => None,
        AreaStatus::Matched => Some("#3CB371"),
        AreaStatus::Strong => Some("#3B7DD8"),
        AreaStatus::Unmatched => Some("#F2B134"),
        AreaStatus::Unbound => Some("#C8C8C8"),
        AreaStatus::Link => Some("#8E5BD0"),
    }
}

/// Statuses shown in the legend, in order.
pub const LEGEND: [AreaStatus; 5] =
    [AreaStatus::Matched, AreaStatus::Strong, AreaStatus::Unmatched, AreaStatus::Unbound, AreaStatus::Link];

/// Fill for an area with no value on a measure scale.
pub const NO_VALUE: &str = "#E0E0E0";

const LOW: [f64; 3] = [255.0, 243.0, 176.0];
const HIGH: [f64; 3] = [192.0, 57.0, 43.0];

/// A colour on the sequential scale, `t` from 0 (low) to 1 (high).
pub fn scale(t: f64) -> String {
    let t = if t.is_finite() { t.clamp(0.0, 1.0) } else { 0.0 };
    let c: Vec<u8> = LOW.iter().zip(HIGH).map(|(a, b)| (a + (b - a) * t).round() as u8).collect();
    format!("#{:02X}{:02X}{:02X}", c[0], c[1], c[2])
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn scale_ends() {
        assert_eq!(scale(0.0), "#FFF3B0");
        assert_eq!(scale(1.0), "#C0392B");
        assert_eq!(scale(f64::NAN), "#FFF3B0");
    }
}
