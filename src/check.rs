//! `synmap check`: everything an author must know before publishing a map — errors, warnings,
//! each area's binding status and the category values no area binds to.

use std::collections::HashMap;

use serde::Serialize;

use crate::binding::suggest::{Candidate, Suggestion, suggest};
use crate::binding::{AreaStatus, Statuses};
use crate::categories::CategoryTable;
use crate::findings::{Finding, Severity};
use crate::model::{AreaType, Binding, Map, NodeKind};
use crate::svg::export::export_measured;
use crate::svg::sanitize::is_https_url;
use crate::svg::{ExportOptions, Imported};

/// One mebibyte: the unit synmap counts the vendor's "MB" budgets in.
pub const MIB: u64 = 1024 * 1024;
/// Largest map embedded locally in a report.
pub const LOCAL_BUDGET: u64 = 10 * MIB;
/// Largest map stored in My Storage.
pub const STORAGE_BUDGET: u64 = 20 * MIB;
/// Warn from this fraction of a budget on.
const WARN_FRACTION: f64 = 0.9;
/// Beyond this many areas the visual gets slow.
const MANY_AREAS: usize = 30_000;
/// The visual shows at most this many labels by default.
const MAX_LABELS: usize = 1_000;
/// Embedded bitmaps heavier than this get a warning.
const HEAVY_BITMAPS: u64 = MIB;

/// An area and its binding status.
#[derive(Debug, Clone, Serialize, PartialEq)]
pub struct AreaReport {
    /// The id as exported.
    pub id: Box<str>,
    /// The author's name for it (decoded id).
    pub name: Box<str>,
    /// Its title, if any.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub title: Option<Box<str>>,
    /// Its status.
    pub status: AreaStatus,
    /// The category value it binds to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub value: Option<Box<str>>,
    /// The id of the group it follows, when it inherits the group's binding.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub follows: Option<Box<str>>,
    /// The node (for the editor).
    #[serde(skip)]
    pub key: crate::model::NodeKey,
}

/// Counts that describe the map.
#[derive(Debug, Clone, Default, Serialize, PartialEq, Eq)]
pub struct Stats {
    /// Elements in the map (groups, shapes, decorations).
    pub elements: usize,
    /// Areas that bind (or would bind) on their own.
    pub areas: usize,
    /// Count of areas per status.
    pub by_status: std::collections::BTreeMap<&'static str, usize>,
    /// Shapes without an id that will get automatic ids.
    pub shapes_without_id: usize,
    /// Embedded bitmaps.
    pub embedded_images: usize,
    /// Bytes of embedded bitmap data URLs.
    pub embedded_image_bytes: u64,
    /// Size of the exported SVG in bytes.
    pub export_bytes: u64,
}

/// The result of a check.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    /// Errors first, then warnings, then information.
    pub findings: Vec<Finding>,
    /// Counts.
    pub stats: Stats,
    /// Every element that is an area, with its status (document order).
    pub areas: Vec<AreaReport>,
    /// Category values no area binds to (only with categories).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unmatched_values: Option<Vec<String>>,
    /// For unmatched values, the area each was almost certainly meant for (only with
    /// categories).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub suggestions: Option<Vec<Suggestion>>,
    /// How a data hierarchy matches, level by level (only with a parent column).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub hierarchy: Option<crate::binding::hierarchy::HierarchyReport>,
}

impl CheckReport {
    /// Number of findings of a severity.
    pub fn count(&self, severity: Severity) -> usize {
        self.findings.iter().filter(|f| f.severity == severity).count()
    }

    /// True when the map has errors.
    pub fn has_errors(&self) -> bool {
        self.count(Severity::Error) > 0
    }
}

/// A warning for an area drawn wholly or partly outside the artboard (the visual shows only
/// the artboard).
fn outside_artboard(map: &Map, key: crate::model::NodeKey, node: &crate::model::Node) -> Option<Finding> {
    let artboard = map.view_box.rect();
    let b = map.bbox_in_doc(key)?;
    let tolerance = 1e-6 * artboard.width().max(artboard.height());
    let inside = artboard.inflate(tolerance, tolerance);
    if inside.contains_rect(b) {
        return None;
    }
    let message = if b.overlaps(artboard) {
        "is partly outside the artboard: the visual cuts it off (the editor's View menu: Fit artboard to content)"
    } else {
        "is outside the artboard: the visual never shows it (the editor's View menu: Fit artboard to content)"
    };
    Some(
        Finding::new(Severity::Warning, "outside-artboard", format!("\"{}\" {message}", label(node)))
            .at(label(node)),
    )
}

/// Pairs of boxes looked at, exact comparisons made and overlaps reported, at most: a map of
/// thousands of copies stacked on one another (hostile or broken) is checked in bounded time
/// and memory, and says that it was not checked through. (A large GIS map, whose neighbours'
/// wiggly borders make their boxes overlap, is compared in part and says so.)
const OVERLAP_BUDGET: (usize, usize, usize) = (4_000_000, 5_000, 200);

/// Warns of areas (shapes binding on their own) that overlap by more than a thousandth of the
/// smaller: the visual then binds a click there to whichever it finds first. Boxes are swept
/// along x, so only areas whose boxes overlap with some area are compared exactly; rooms that
/// only share a wall never are.
fn overlaps(map: &Map, areas: &[AreaReport], findings: &mut Vec<Finding>) {
    let (mut looked, mut compared, mut found) = (0, 0, 0);
    let mut boxes: Vec<(kurbo::Rect, &AreaReport)> = Vec::with_capacity(areas.len());
    boxes.extend(
        areas
            .iter()
            .filter(|a| a.follows.is_none())
            .filter(|a| map.get(a.key).is_some_and(|n| matches!(n.kind, crate::model::NodeKind::Shape(_))))
            .filter_map(|a| Some((map.bbox_in_doc(a.key)?, a))),
    );
    // Unstable, ties in list order (their addresses in `areas`): a stable sort of a large
    // plan's boxes took another 2 MB.
    boxes.sort_unstable_by(|a, b| {
        a.0.x0.total_cmp(&b.0.x0).then(std::ptr::from_ref(a.1).cmp(&std::ptr::from_ref(b.1)))
    });
    for (i, (a, first)) in boxes.iter().enumerate() {
        for (b, second) in boxes[i + 1..].iter().take_while(|(b, _)| b.x0 < a.x1) {
            looked += 1;
            if found >= OVERLAP_BUDGET.2 {
                findings.push(Finding::new(
                    Severity::Warning,
                    "overlapping-areas",
                    format!("so many areas overlap that the check stopped after {found} overlaps: look for stacked copies"),
                ));
                return;
            }
            if looked > OVERLAP_BUDGET.0 || compared > OVERLAP_BUDGET.1 {
                findings.push(Finding::new(
                    Severity::Info,
                    "overlap-check-partial",
                    format!(
                        "overlaps were looked for between the first {compared} pairs of neighbouring areas only ({found} found): the rest of this map was not compared"
                    ),
                ));
                return;
            }
            let common = a.intersect(*b);
            let smaller = a.area().min(b.area());
            if common.width() <= 0.0 || common.height() <= 0.0 || common.area() <= smaller * 1e-3 {
                continue;
            }
            compared += 1;
            let shared = crate::polygons::overlap_area(map, first.key, second.key);
            if shared > smaller * 1e-3 {
                found += 1;
                findings.push(
                    Finding::new(
                        Severity::Warning,
                        "overlapping-areas",
                        format!(
                            "\"{}\" and \"{}\" overlap ({:.0} % of the smaller): the visual binds a click there to either (Shape menu: Resolve overlap)",
                            first.name,
                            second.name,
                            100.0 * shared / smaller
                        ),
                    )
                    .at(first.id.clone()),
                );
            }
        }
    }
}

/// Checks an imported map, optionally against the report's category values.
pub fn check(imported: &Imported, categories: Option<&CategoryTable>) -> CheckReport {
    check_map(&imported.map, imported.findings.clone(), categories)
}

/// Checks a map, adding to `findings` (what importing it found).
pub fn check_map(map: &Map, mut findings: Vec<Finding>, categories: Option<&CategoryTable>) -> CheckReport {
    let cats = categories.map(|c| &c.categories);
    let (export_bytes, exported) = export_measured(map, &ExportOptions::default());
    let mut stats = Stats { export_bytes, ..Stats::default() };
    // Found before the areas are listed, the list of ids let go by then.
    let duplicate_ids = duplicate_ids(map, &exported.renames);
    let statuses = Statuses::compute(map, cats);

    // One report per area, the list made at its size: grown by doubling, the 50,000 areas of a
    // large plan held 8 MB at the peak of a check, and 12 MB while it moved.
    let listed = map.iter().filter(|&(key, _)| statuses.get(key).is_some_and(|r| r.status.is_area())).count();
    let mut areas = Vec::with_capacity(listed);
    let mut nested: HashMap<String, usize> = HashMap::new();
    let mut bound_values = vec![false; cats.map_or(0, |c| c.len())];
    for (key, node) in map.iter() {
        stats.elements += 1;
        if let Some(id) = &node.id
            && let Err(e) = crate::ids::validate(id.as_str())
        {
            let written = exported.written_ids.get(key).unwrap_or_default();
            findings.push(
                Finding::new(
                    Severity::Error,
                    "invalid-id",
                    format!("invalid id \"{id}\" ({e}); export writes \"{written}\""),
                )
                .at(id.as_str()),
            );
        }
        if let NodeKind::Decor(el) = &node.kind
            && let Some(h) = el.attr("href")
        {
            stats.embedded_images += 1;
            stats.embedded_image_bytes += h.len() as u64;
        }
        let resolved = statuses.get(key).expect("every node has a status");
        if let Some(i) = resolved.category {
            bound_values[i as usize] = true;
        }
        let explicit_decoration = node.area_type == Some(AreaType::Decoration);
        if matches!(node.kind, NodeKind::Shape(_))
            && node.can_be_area()
            && node.id.is_none()
            && resolved.status == AreaStatus::Decoration
            && !explicit_decoration
            && !in_decoration_group(map, key)
        {
            stats.shapes_without_id += 1;
        }
        url_findings(node, &mut findings);
        deceptive_text_findings(node, &mut findings);
        if let (Some(parent), Some(_), Binding::Auto) = (resolved.follows, &node.id, node.binding()) {
            let parent_id = exported.written_ids.get(parent).map(str::to_owned).unwrap_or_default();
            *nested.entry(parent_id).or_default() += 1;
        }
        if let (Binding::Strong(v), Some(c)) = (node.binding(), cats)
            && c.find(v).is_none()
        {
            findings.push(
                Finding::new(
                    Severity::Warning,
                    "strong-value-unmatched",
                    format!("the strong value \"{v}\" matches no category value"),
                )
                .at(label(node)),
            );
        }
        if !resolved.status.is_area() {
            continue;
        }
        *stats.by_status.entry(resolved.status.as_str()).or_default() += 1;
        if resolved.follows.is_none() {
            stats.areas += 1;
            if let Some(finding) = outside_artboard(map, key, node) {
                findings.push(finding);
            }
        }
        if let Some(id) = exported.written_ids.get(key) {
            areas.push(AreaReport {
                name: node.id.as_ref().map(|i| i.to_name().into()).unwrap_or_default(),
                id: id.into(),
                title: node.title.clone(),
                status: resolved.status,
                value: resolved.category.and_then(|i| cats.map(|c| c.values()[i as usize].as_str().into())),
                follows: resolved.follows.and_then(|p| exported.written_ids.get(p).map(Box::from)),
                key,
            });
        }
    }
    if let Some(t) = &map.tracing {
        stats.embedded_image_bytes += t.data_url.len() as u64;
    }

    for (what, n) in exported.unsafe_removed.iter() {
        findings.push(Finding::new(
            Severity::Error,
            "unsafe-content",
            format!("export removes {what} ({n}×): it reaches outside the map or runs script"),
        ));
    }
    for (what, n) in exported.removed.iter() {
        findings.push(Finding::new(
            Severity::Warning,
            "unsupported-content",
            format!("export removes unsupported {what} ({n}×)"),
        ));
    }
    findings.extend(duplicate_ids);
    // What the export measured, the statuses and the ids are done with: let go before the
    // overlaps are looked for, the check's largest moment.
    drop((exported, statuses));
    let mut nested: Vec<_> = nested.into_iter().collect();
    nested.sort();
    for (parent, n) in nested {
        findings.push(
            Finding::new(
                Severity::Warning,
                "nested-area",
                format!("{n} area(s) inside \"{parent}\" follow its binding and never bind on their own"),
            )
            .at(parent),
        );
    }
    if stats.shapes_without_id > 0 {
        findings.push(Finding::new(
            Severity::Warning,
            "automatic-ids",
            format!(
                "{} shape(s) have no id: the visual gives them automatic ids (rect1, path2…) that change when shapes are reordered; name them or mark them decoration",
                stats.shapes_without_id
            ),
        ));
    }
    size_findings(&stats, &mut findings);
    if stats.areas == 0 {
        findings.push(Finding::new(
            Severity::Warning,
            "no-areas",
            "the map has no areas: no element has an id or a binding",
        ));
    }
    if stats.areas > MANY_AREAS {
        findings.push(Finding::new(
            Severity::Warning,
            "many-areas",
            format!("{} areas: the visual gets slow beyond about {MANY_AREAS} data rows", stats.areas),
        ));
    } else if stats.areas > MAX_LABELS {
        findings.push(Finding::new(
            Severity::Info,
            "many-labels",
            format!("{} areas: the visual shows at most {MAX_LABELS} labels by default", stats.areas),
        ));
    }
    overlaps(map, &areas, &mut findings);
    let unmatched_values = cats.map(|c| {
        let values: Vec<String> =
            c.values().iter().zip(&bound_values).filter(|(_, b)| !**b).map(|(v, _)| v.clone()).collect();
        if !values.is_empty() {
            findings.push(Finding::new(
                Severity::Warning,
                "unmatched-values",
                format!("{} of {} category values match no area", values.len(), c.len()),
            ));
        }
        values
    });
    let suggestions = unmatched_values.as_ref().map(|values| {
        let candidates: Vec<Candidate> = areas
            .iter()
            .filter(|a| a.status == AreaStatus::Unmatched)
            .map(|a| Candidate { id: &a.id, title: a.title.as_deref() })
            .collect();
        let found = suggest(values, &candidates);
        if !found.is_empty() {
            findings.push(Finding::new(
                Severity::Info,
                "near-misses",
                format!("{} unmatched value(s) look meant for an area that matches nothing", found.len()),
            ));
        }
        found
    });
    let hierarchy = categories.and_then(|c| c.hierarchy.as_deref()).map(|pairs| {
        let report = crate::binding::hierarchy::check(map, pairs);
        for parent in &report.unmatched_parents {
            findings.push(Finding::new(
                Severity::Warning,
                "hierarchy-parent-unmatched",
                format!("no group matches \"{parent}\" of the hierarchy's upper level"),
            ));
        }
        if !report.unmatched_values.is_empty() {
            findings.push(Finding::new(
                Severity::Warning,
                "hierarchy-value-unmatched",
                format!(
                    "{} value(s) match no area inside their parent's group",
                    report.unmatched_values.len()
                ),
            ));
        }
        for m in &report.misplaced {
            let group = m.group.as_deref().unwrap_or("no group");
            findings.push(
                Finding::new(
                    Severity::Warning,
                    "hierarchy-misplaced",
                    format!(
                        "\"{}\" belongs under \"{}\" in the data but its area is in {group}",
                        m.value, m.parent
                    ),
                )
                .at(m.area.clone()),
            );
        }
        report
    });
    findings.sort_by_key(|f| std::cmp::Reverse(f.severity));
    CheckReport { findings, stats, areas, unmatched_values, suggestions, hierarchy }
}

/// An error for each id used by several elements, in the order of the ids. The ids are sorted
/// to find them: a hash map of counts sized for every node held 3.3 MB of a large plan's check
/// at its peak, this list a quarter, and only while it is looked through. The renames are
/// sorted by the id they replace (in export order within one), so each id finds its own
/// without a pass over all of them (10,000 duplicated ids took half a second that way).
fn duplicate_ids(map: &Map, renames: &[crate::svg::export::Rename]) -> Vec<Finding> {
    let mut ids: Vec<&str> = Vec::with_capacity(map.iter().filter(|(_, n)| n.id.is_some()).count());
    ids.extend(map.iter().filter_map(|(_, n)| n.id.as_ref().map(|id| id.as_str())));
    ids.sort_unstable();
    let mut by_id: Vec<(&str, &str)> = renames.iter().map(|r| (r.from.as_str(), r.to.as_str())).collect();
    by_id.sort_by_key(|&(from, _)| from);
    ids.chunk_by(|a, b| a == b)
        .filter(|same| same.len() > 1)
        .map(|same| {
            let (id, n) = (same[0], same.len());
            let first = by_id.partition_point(|&(from, _)| from < id);
            let renamed: Vec<&str> =
                by_id[first..].iter().take_while(|&&(from, _)| from == id).map(|&(_, to)| to).collect();
            Finding::new(
                Severity::Error,
                "duplicate-id",
                format!(
                    "the id \"{id}\" is used by {n} elements; export renames the others to {}",
                    renamed.join(", ")
                ),
            )
            .at(id)
        })
        .collect()
}

fn in_decoration_group(map: &Map, key: crate::model::NodeKey) -> bool {
    map.ancestors(key).any(|a| map.node(a).area_type == Some(AreaType::Decoration))
}

fn label(node: &crate::model::Node) -> String {
    node.id.as_ref().map_or_else(|| format!("<{}>", node.element_name()), ToString::to_string)
}

fn url_findings(node: &crate::model::Node, findings: &mut Vec<Finding>) {
    for (name, url) in [("data-okviz-drill-url", node.drill_url()), ("data-okviz-link-url", node.link_url())]
    {
        if let Some(u) = url.filter(|u| !is_https_url(u)) {
            let shown: String = u.chars().take(40).collect();
            findings.push(
                Finding::new(
                    Severity::Error,
                    "unsafe-url",
                    format!("{name} \"{shown}\" is not an https: URL; export removes it"),
                )
                .at(label(node)),
            );
        }
    }
    if node.area_type == Some(AreaType::Link) && node.link_url().is_none() {
        findings.push(
            Finding::new(Severity::Warning, "link-without-url", "a link area has no data-okviz-link-url")
                .at(label(node)),
        );
    }
}

/// True for a character that is invisible or changes the direction of the text around it:
/// an id or title holding one can look like another (`victim` and `vic\u{200B}tim`).
fn is_deceptive(c: char) -> bool {
    matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2060}'..='\u{2069}' | '\u{061C}' | '\u{FEFF}' | '\u{00AD}')
}

fn deceptive_text_findings(node: &crate::model::Node, findings: &mut Vec<Finding>) {
    for (what, text) in [("id", node.id.as_ref().map(|i| i.as_str())), ("title", node.title.as_deref())] {
        if let Some(c) = text.and_then(|t| t.chars().find(|c| is_deceptive(*c))) {
            findings.push(
                Finding::new(
                    Severity::Warning,
                    "deceptive-text",
                    format!(
                        "the {what} holds the invisible or direction-changing character U+{:04X}",
                        c as u32
                    ),
                )
                .at(label(node)),
            );
        }
    }
}

fn size_findings(stats: &Stats, findings: &mut Vec<Finding>) {
    let size = stats.export_bytes;
    let mib = |b: u64| b as f64 / MIB as f64;
    if size > STORAGE_BUDGET {
        findings.push(Finding::new(
            Severity::Error,
            "too-large",
            format!("the exported map is {:.1} MiB, over the 20 MiB My Storage limit", mib(size)),
        ));
    } else if size as f64 >= WARN_FRACTION * STORAGE_BUDGET as f64 {
        findings.push(Finding::new(
            Severity::Warning,
            "near-size-limit",
            format!("the exported map is {:.1} MiB, close to the 20 MiB My Storage limit", mib(size)),
        ));
    }
    if size > LOCAL_BUDGET {
        findings.push(Finding::new(
            Severity::Warning,
            "too-large-local",
            format!(
                "the exported map is {:.1} MiB, over the 10 MiB limit for maps embedded in a report",
                mib(size)
            ),
        ));
    } else if size as f64 >= WARN_FRACTION * LOCAL_BUDGET as f64 {
        findings.push(Finding::new(
            Severity::Warning,
            "near-size-limit-local",
            format!("the exported map is {:.1} MiB, close to the 10 MiB local limit", mib(size)),
        ));
    }
    if stats.embedded_images > 0 {
        let severity =
            if stats.embedded_image_bytes > HEAVY_BITMAPS { Severity::Warning } else { Severity::Info };
        findings.push(Finding::new(
            severity,
            "embedded-bitmaps",
            format!("{} embedded bitmap(s), {:.2} MiB: the visual recompresses them; prefer WebP and small images", stats.embedded_images, mib(stats.embedded_image_bytes)),
        ));
    }
}

#[cfg(test)]
mod tests {
    /// Each duplicated id is reported once, in the order of the ids, naming only its own
    /// renames in the order export writes them.
    #[test]
    fn each_duplicate_id_names_its_own_renames() {
        let svg = r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10">
            <rect id="b" width="1" height="1"/><rect id="a" width="1" height="1"/>
            <rect id="b" width="1" height="1"/><rect id="a" width="1" height="1"/>
            <rect id="a" width="1" height="1"/><rect id="c" width="1" height="1"/></svg>"#;
        let report = super::check(&crate::svg::import_bytes(svg.as_bytes()).unwrap(), None);
        let duplicates: Vec<&str> =
            report.findings.iter().filter(|f| f.code == "duplicate-id").map(|f| f.message.as_str()).collect();
        assert_eq!(
            duplicates,
            [
                "the id \"a\" is used by 3 elements; export renames the others to a_2, a_3",
                "the id \"b\" is used by 2 elements; export renames the others to b_2",
            ]
        );
    }
}
