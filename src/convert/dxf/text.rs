//! DXF text as plain text: MTEXT formatting codes (fonts, heights, colours, stacking,
//! paragraphs) and the `%%` control codes of TEXT removed or turned into their characters.

/// The text a TEXT, ATTRIB or MTEXT value shows, on one line, trimmed.
pub fn plain(value: &str) -> String {
    let mut out = String::with_capacity(value.len());
    let mut chars = value.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '\\' => match chars.next() {
                // Paragraph, line break and non-breaking space.
                Some('P' | 'n' | '~') => out.push(' '),
                // Escaped characters.
                Some(e @ ('\\' | '{' | '}')) => out.push(e),
                // Unicode: \U+XXXX.
                Some('U') if chars.peek() == Some(&'+') => {
                    chars.next();
                    let hex: String = (0..4).filter_map(|_| chars.next_if(char::is_ascii_hexdigit)).collect();
                    out.extend(u32::from_str_radix(&hex, 16).ok().and_then(char::from_u32));
                }
                // Stacked fractions: \S1^2; or \S1/2; or \S1#2;
                Some('S') => {
                    let stacked: String = chars.by_ref().take_while(|&c| c != ';').collect();
                    out.push_str(&stacked.replace(['^', '#'], "/"));
                }
                // Switches without an argument: underline, overline, strike-through.
                Some('L' | 'l' | 'O' | 'o' | 'K' | 'k') => {}
                // Codes with an argument up to ';': font, height, width, colour, alignment,
                // tracking, oblique angle.
                Some(_) => {
                    for c in chars.by_ref() {
                        if c == ';' {
                            break;
                        }
                    }
                }
                None => {}
            },
            '{' | '}' => {}
            '%' if chars.peek() == Some(&'%') => {
                chars.next();
                match chars.next().map(|c| c.to_ascii_lowercase()) {
                    Some('c') => out.push('⌀'),
                    Some('d') => out.push('°'),
                    Some('p') => out.push('±'),
                    Some('%') => out.push('%'),
                    // %%u, %%o (underline, overline) and unknown codes show nothing.
                    _ => {}
                }
            }
            c if c.is_control() => out.push(' '),
            c => out.push(c),
        }
    }
    out.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[cfg(test)]
mod tests {
    use super::plain;

    #[test]
    fn formatting_codes_are_removed() {
        assert_eq!(plain(r"{\fArial|b1|i0|c0|p34;\H2.5x;Office}\P101"), "Office 101");
        assert_eq!(plain(r"\A1;{\C1;Room} \LB\l-12"), "Room B-12");
        assert_eq!(plain(r"Area \S1^2; m\U+00B2"), "Area 1/2 m²");
        assert_eq!(plain("%%c50 %%d %%p1 %%uX%%u 100%%%"), "⌀50 ° ±1 X 100%");
        assert_eq!(plain(r"Caf\U+00E9\~Nord\\1"), "Café Nord\\1");
        assert_eq!(plain("  \t "), "");
        assert_eq!(plain(r"{\fArial|b0|i0;Office}\P10"), "Office 10");
    }
}
