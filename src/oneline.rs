//! One-line messages: text from the input (ids, file names, parser errors) never breaks an
//! error or report line in two.

/// `s` with every control or line-breaking character replaced by a space and runs of spaces
/// collapsed.
pub fn one_line(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut space = false;
    for c in s.chars() {
        let c = if c.is_control() || matches!(c, '\u{2028}' | '\u{2029}') { ' ' } else { c };
        if c == ' ' {
            if !space {
                out.push(' ');
            }
            space = true;
        } else {
            out.push(c);
            space = false;
        }
    }
    out.trim().to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn breaks_become_spaces() {
        assert_eq!(one_line("a\nb\r\n\tc\u{2028}d\u{85}e"), "a b c d e");
        assert_eq!(one_line("  plain  "), "plain");
    }
}
