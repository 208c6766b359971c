//! A seeded mutation fuzz of real maps through the real binary: byte flips, truncation,
//! duplicated and deeply nested elements, huge, negative and NaN numbers, and random Unicode.
//! Every input must finish within the watchdog, in bounded memory, with exit status 0 or 1 and
//! one-line errors; every export is well-formed, with unique valid ids and nothing unsafe.
//!
//! CI runs a bounded number of cases every time; a longer run is one command:
//! `SYNMAP_FUZZ_CASES=5000 SYNMAP_FUZZ_SEED=7 cargo test --release --test fuzz_maps -- --nocapture`

mod support;

use std::ffi::OsStr;
use std::time::Duration;

use support::{assert_export_inert, assert_well_behaved, run_measured};

const DEFAULT_CASES: usize = 90;
const SOURCES: &[&str] =
    &["illustrator.svg", "inkscape.svg", "figma.svg", "powerpoint.svg", "web.svg", "hostile.svg"];

/// xorshift64*: small, seeded and the same on every machine.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
}

const NUMBERS: &[&str] =
    &["1e308", "-1e308", "NaN", "Infinity", "-0", "1e-320", "99999999999", "-4294967296", "1e39", "0"];
const UNICODE: &[&str] =
    &["\u{202E}", "\u{200B}", "\u{FEFF}", "é", "漢", "\u{1F600}", "\u{7F}", "\u{FFFD}", "]]>", "&amp;"];

/// One mutation of `doc`, chosen by `rng`.
fn mutate(doc: &[u8], rng: &mut Rng) -> (Vec<u8>, &'static str) {
    let mut out = doc.to_vec();
    // Weighted towards mutations that keep the document well-formed, which reach further in.
    match rng.below(11) {
        0 => {
            for _ in 0..=rng.below(20) {
                let i = rng.below(out.len());
                out[i] ^= 1 << rng.below(8);
            }
            (out, "byte flips")
        }
        1 => {
            out.truncate(rng.below(out.len()));
            (out, "truncation")
        }
        2 | 3 => {
            // Duplicate one empty element (`<…/>`) many times: the copies keep it well-formed.
            let ends: Vec<usize> =
                (1..out.len()).filter(|&i| out[i - 1] == b'/' && out[i] == b'>').map(|i| i + 1).collect();
            if ends.is_empty() {
                return (out, "duplication (no empty element)");
            }
            let end = ends[rng.below(ends.len())];
            let start = out[..end].iter().rposition(|b| *b == b'<').unwrap_or(0);
            if out[start..end - 1].contains(&b'>') || out.get(start + 1) == Some(&b'/') {
                return (out, "duplication (not an element)");
            }
            let piece = out[start..end].to_vec();
            let copies = 1 + rng.below(2000);
            let tail = out.split_off(end);
            for _ in 0..copies {
                out.extend_from_slice(&piece);
            }
            out.extend(tail);
            (out, "duplicated element")
        }
        4 | 5 => {
            // Nest the content of the root deeply.
            let text = String::from_utf8_lossy(&out).into_owned();
            let depth = 1 + rng.below(700);
            let Some(open_end) = text.find("<svg").and_then(|s| text[s..].find('>').map(|e| s + e + 1))
            else {
                return (out, "nesting (no root)");
            };
            let close = text.rfind("</svg>").unwrap_or(text.len());
            let nested = format!(
                "{}{}{}{}{}",
                &text[..open_end],
                "<g>".repeat(depth),
                &text[open_end..close.max(open_end)],
                "</g>".repeat(depth),
                &text[close.max(open_end)..]
            );
            (nested.into_bytes(), "deep nesting")
        }
        6..=8 => {
            // Replace numbers with absurd ones (in the document, not the XML declaration).
            let text = String::from_utf8_lossy(&out).into_owned();
            let body = text.find("<svg").unwrap_or(0);
            let mut result = String::with_capacity(text.len());
            result.push_str(&text[..body]);
            let mut chars = text[body..].char_indices().peekable();
            let mut prev = ' ';
            while let Some((_, c)) = chars.next() {
                // Numbers, not digits inside names, URIs and colours.
                let starts_number = !prev.is_alphanumeric() && !matches!(prev, '/' | '.' | '_' | '#' | ':');
                prev = c;
                if c.is_ascii_digit() && starts_number && rng.below(8) == 0 {
                    while chars.peek().is_some_and(|(_, d)| d.is_ascii_digit() || *d == '.') {
                        chars.next();
                    }
                    result.push_str(NUMBERS[rng.below(NUMBERS.len())]);
                } else {
                    result.push(c);
                }
            }
            (result.into_bytes(), "absurd numbers")
        }
        _ => {
            // Random Unicode inside attribute values (ids and titles among them).
            // Just after the opening quote of a value, past the XML declaration.
            let body = out.windows(4).position(|w| w == b"<svg").unwrap_or(0).max(1);
            let quotes: Vec<usize> =
                (body..out.len()).filter(|&i| out[i - 1] == b'=' && out[i] == b'"').map(|i| i + 1).collect();
            if quotes.is_empty() {
                return (out, "random Unicode (no attribute)");
            }
            let mut at: Vec<usize> = (0..=rng.below(30)).map(|_| quotes[rng.below(quotes.len())]).collect();
            // From the end, so earlier insertions do not shift the later places.
            at.sort_unstable_by(|a, b| b.cmp(a));
            for at in at {
                let s = UNICODE[rng.below(UNICODE.len())].as_bytes();
                out.splice(at..at, s.iter().copied());
            }
            (out, "random Unicode")
        }
    }
}

#[test]
fn mutated_maps_never_break_the_promises() {
    let cases: usize =
        std::env::var("SYNMAP_FUZZ_CASES").ok().and_then(|v| v.parse().ok()).unwrap_or(DEFAULT_CASES);
    let seed: u64 = std::env::var("SYNMAP_FUZZ_SEED").ok().and_then(|v| v.parse().ok()).unwrap_or(1);
    let sources: Vec<Vec<u8>> = SOURCES
        .iter()
        .map(|n| std::fs::read(support::fixture(n)).unwrap())
        .chain(std::iter::once(std::fs::read(support::sample()).unwrap()))
        .collect();
    let mut rng = Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1);
    let dir = tempfile::tempdir().unwrap();
    let (mut failures, mut worst) = (Vec::new(), 0u64);
    let mut tally: std::collections::BTreeMap<&str, (usize, usize)> = Default::default();
    for case in 0..cases {
        let (input, how) = mutate(&sources[rng.below(sources.len())], &mut rng);
        let path = dir.path().join(format!("case-{case}.svg"));
        std::fs::write(&path, &input).unwrap();
        let out = dir.path().join(format!("case-{case}.out.svg"));
        let png = dir.path().join(format!("case-{case}.png"));
        let what = format!("case {case} ({how}, seed {seed}, kept at {})", path.display());
        let size = input.len() as u64;
        let result = std::panic::catch_unwind(|| {
            let export = run_measured(
                &[OsStr::new("export"), path.as_os_str(), OsStr::new("-o"), out.as_os_str()],
                Duration::from_secs(30),
            );
            assert_well_behaved(&format!("export {what}"), &export, size, 0);
            let mut peak = export.peak_kib;
            if export.output.status.success() {
                assert_export_inert(&what, &std::fs::read_to_string(&out).unwrap());
                let check = run_measured(&[OsStr::new("check"), path.as_os_str()], Duration::from_secs(30));
                assert_well_behaved(&format!("check {what}"), &check, size, 0);
                let render = run_measured(
                    &[
                        OsStr::new("render"),
                        path.as_os_str(),
                        OsStr::new("-o"),
                        png.as_os_str(),
                        OsStr::new("--width"),
                        OsStr::new("256"),
                    ],
                    Duration::from_secs(30),
                );
                assert_well_behaved(&format!("render {what}"), &render, size, 256 * 256 * 4);
                peak = peak.max(check.peak_kib).max(render.peak_kib);
            }
            if !export.output.status.success() && std::env::var_os("SYNMAP_FUZZ_DEBUG").is_some() {
                eprintln!("{how}: {}", String::from_utf8_lossy(&export.output.stderr).trim());
            }
            (export.output.status.success(), peak)
        });
        match result {
            Ok((ok, peak)) => {
                let entry = tally.entry(how).or_default();
                entry.0 += 1;
                entry.1 += usize::from(!ok);
                worst = worst.max(peak);
                // Passing cases need not be kept.
                let _ = std::fs::remove_file(&path);
            }
            Err(e) => failures.push(e.downcast_ref::<String>().cloned().unwrap_or(what)),
        }
    }
    eprintln!(
        "{cases} mutated maps (seed {seed}), worst peak memory {worst} KiB; by mutation (cases, refused):"
    );
    for (how, (n, refused)) in &tally {
        eprintln!("  {how}: {n}, {refused}");
    }
    if !failures.is_empty() {
        // Keep the failing inputs for a person to look at.
        let kept = dir.keep();
        panic!(
            "{} of {cases} cases failed (inputs kept in {}):\n{}",
            failures.len(),
            kept.display(),
            failures.join("\n")
        );
    }
}
