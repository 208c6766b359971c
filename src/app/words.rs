//! How the window writes numbers and messages: a count with its noun in the right number, a
//! file size in bytes, KB or MB, how long ago something happened, and an engine message (written
//! in lower case for the command line) as a sentence.

/// An engine message as a sentence of its own: capital first letter, full stop at the end.
pub fn sentence(message: &str) -> String {
    let mut chars = message.trim().chars();
    let Some(first) = chars.next() else { return String::new() };
    let mut out: String = first.to_uppercase().chain(chars).collect();
    if !out.ends_with(['.', '!', '?']) {
        out.push('.');
    }
    out
}

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

/// An elapsed time as people say it: `just now`, `5 minutes ago`, `2 hours ago`,
/// `3 days ago`.
pub fn ago(elapsed: std::time::Duration) -> String {
    let minutes = elapsed.as_secs() / 60;
    match minutes {
        0 => "just now".to_owned(),
        1..60 => format!("{} ago", count(minutes as usize, "minute", "minutes")),
        60..2880 => format!("{} ago", count((minutes / 60) as usize, "hour", "hours")),
        _ => format!("{} ago", count((minutes / 1440) as usize, "day", "days")),
    }
}

/// A time written as RFC 3339 (`2026-12-01T13:53:08Z`) as its age and the local time of day:
/// `5 minutes ago (14:53 CET, 2026-12-01)`; the text as it is when it is not such a time.
pub fn when(rfc3339: &str) -> String {
    when_in(rfc3339, &jiff::tz::TimeZone::system())
}

fn when_in(rfc3339: &str, zone: &jiff::tz::TimeZone) -> String {
    let Ok(then) = rfc3339.parse::<jiff::Timestamp>() else { return rfc3339.to_owned() };
    let elapsed = jiff::Timestamp::now().duration_since(then).unsigned_abs();
    let local = then.to_zoned(zone.clone());
    format!("{} ({})", ago(elapsed), local.strftime("%H:%M %Z, %Y-%m-%d"))
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

    #[test]
    fn messages_become_sentences() {
        assert_eq!(sentence("no OS keyring is available"), "No OS keyring is available.");
        assert_eq!(sentence("the two entries differ."), "The two entries differ.");
        assert_eq!(sentence(""), "");
    }

    #[test]
    fn ages_read_naturally() {
        use std::time::Duration;
        assert_eq!(ago(Duration::from_secs(20)), "just now");
        assert_eq!(ago(Duration::from_secs(60)), "1 minute ago");
        assert_eq!(ago(Duration::from_secs(3 * 3600 + 5)), "3 hours ago");
        assert_eq!(ago(Duration::from_secs(3 * 86_400)), "3 days ago");
        let ten_minutes_ago =
            humantime::format_rfc3339_seconds(std::time::SystemTime::now() - Duration::from_secs(600));
        let text = when(&ten_minutes_ago.to_string());
        assert!(text.starts_with("10 minutes ago ("), "{text}");
        assert_eq!(when("not a time"), "not a time");
        let rome_in_winter = jiff::tz::TimeZone::fixed(jiff::tz::offset(1));
        let text = when_in("2026-12-01T13:53:08Z", &rome_in_winter);
        assert!(text.ends_with("(14:53 +01, 2026-12-01)"), "written in local time: {text}");
    }
}
