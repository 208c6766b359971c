//! How the window writes numbers: a count with its noun in the right number, and a file size
//! in bytes, KB or MB.

/// `1 area`, `2 areas`.
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// A size as people read it: `312 bytes`, `26 KB`, `4.2 MB` (1 KB = 1,000 bytes, as the
/// visual's budgets are written).
pub fn size(bytes: u64) -> String {
    match bytes {
        0..1_000 => count(bytes as usize, "byte", "bytes"),
        1_000..1_000_000 => format!("{} KB", (bytes as f64 / 1e3).round()),
        _ => format!("{:.1} MB", bytes as f64 / 1e6),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn counts_and_sizes_read_naturally() {
        assert_eq!(count(1, "area", "areas"), "1 area");
        assert_eq!(count(0, "area", "areas"), "0 areas");
        assert_eq!(size(1), "1 byte");
        assert_eq!(size(26_400), "26 KB");
        assert_eq!(size(999_400), "999 KB");
        assert_eq!(size(4_240_000), "4.2 MB");
    }
}
