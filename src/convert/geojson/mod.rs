//! Maps from GeoJSON (read with the `geojson` crate) and TopoJSON (its arcs decoded by the
//! `topojson` crate; one group per object): each feature with a polygon becomes an area (one
//! per feature, holes kept), named from its id or a name property, its title from a title
//! property; lines are decoration. Longitude and latitude are projected (see `projection`);
//! data that is already planar (coordinates outside longitude and latitude ranges) is drawn as
//! it is. Shared borders may be simplified together. The map is scaled to an artboard 1,000
//! units wide.

pub mod read;

use kurbo::{Affine, BezPath, Point, Rect, Shape};

use super::{ImportOptions, Projection, simplify};
use crate::findings::{Finding, Severity};
use crate::ids::{AreaId, UniqueIds};
use crate::model::{AreaType, Geometry, Map, Node, NodeKind, Style, ViewBox};
use crate::svg::{ImportError, Imported};
use read::{Feature, Layer, Position};

/// Width of the artboard a geographic map is drawn on.
const WIDTH: f64 = 1000.0;

/// The properties a feature's name is looked for in, after `id`.
const NAME_PROPERTIES: [&str; 5] = ["name", "NAME", "name_en", "title", "label"];

/// Marker radius of a point feature, in artboard units.
const MARKER_RADIUS: f64 = 3.0;

/// A feature as drawn: its layer, name, title, its rings or lines (`first..first + count` of
/// the map's) and what it is.
struct Drawn {
    layer: usize,
    name: Option<String>,
    title: Option<String>,
    first: usize,
    count: usize,
    kind: Kind,
}

/// What a feature becomes.
enum Kind {
    /// An area (its rings).
    Area,
    /// Decoration lines.
    Lines,
    /// Decoration markers at these projected points.
    Points(Vec<Point>),
}

/// Builds a map from the layers of GeoJSON or TopoJSON (see [`read::layers`]), consuming them
/// as it goes so the coordinates are held once.
pub fn import_geojson(layers: Vec<Layer>, options: &ImportOptions) -> Result<Imported, ImportError> {
    let planar = layers
        .iter()
        .flat_map(|(_, features)| features)
        .any(|f| positions(f).any(|[x, y]| x.abs() > 180.0 || y.abs() > 90.0));
    let projection =
        options.projection.unwrap_or(if planar { Projection::None } else { Projection::Mercator });
    let mut findings = Vec::new();
    let mut shapes: Vec<Drawn> = Vec::new();
    // Every ring and line of the map (points, closed), and for rings whether it is outer.
    let mut rings: Vec<(Vec<Point>, bool)> = Vec::new();
    let mut outer: Vec<bool> = Vec::new();
    let (mut skipped, mut outside) = (0, 0);
    let mut layer_names = Vec::with_capacity(layers.len());
    for (layer, (layer_name, features)) in layers.into_iter().enumerate() {
        layer_names.push(layer_name);
        for Feature { id, properties, geometry } in features {
            let first = rings.len();
            let kind = match geometry {
                read::Geometry::Polygons(polygons) => {
                    add_polygons(&polygons, projection, &mut rings, &mut outer);
                    Kind::Area
                }
                read::Geometry::Lines(lines) => {
                    add_lines(&lines, projection, &mut rings, &mut outer);
                    Kind::Lines
                }
                read::Geometry::Points(points) => Kind::Points(
                    points
                        .iter()
                        .flat_map(|p| projection.line(std::slice::from_ref(p)))
                        .flatten()
                        .filter(|p| p.is_finite())
                        .collect(),
                ),
                read::Geometry::Other => {
                    skipped += 1;
                    continue;
                }
                read::Geometry::None => continue,
            };
            let count = rings.len() - first;
            if count == 0 && !matches!(&kind, Kind::Points(p) if !p.is_empty()) {
                outside += 1;
                continue;
            }
            let name = name(id, &properties, options.id_property.as_deref());
            let title = match options.title_property.as_deref() {
                Some(p) => property(&properties, p),
                None => name.clone(),
            };
            shapes.push(Drawn { layer, name, title, first, count, kind });
        }
    }
    if skipped > 0 {
        findings.push(Finding::new(
            Severity::Info,
            "geojson-skipped",
            format!("{skipped} feature(s) that are geometry collections were left out"),
        ));
    }
    if outside > 0 {
        findings.push(Finding::new(
            Severity::Info,
            "geojson-outside",
            format!("{outside} feature(s) with nothing to draw (empty, or outside the projection's area) were left out"),
        ));
    }
    if let Some(percent) = options.simplify {
        let before: usize = rings.iter().map(|r| r.0.len()).sum();
        simplify::simplify(&mut rings, percent);
        let after: usize = rings.iter().map(|r| r.0.len()).sum();
        findings.push(Finding::new(
            Severity::Info,
            "geojson-simplified",
            format!("simplified to {percent}% of the removable points: {before} points down to {after}"),
        ));
    }
    let markers = shapes.iter().flat_map(|d| match &d.kind {
        Kind::Points(points) => points.as_slice(),
        Kind::Area | Kind::Lines => &[],
    });
    let bounds = rings
        .iter()
        .flat_map(|(points, _)| points)
        .chain(markers)
        .fold(None, |b: Option<Rect>, &p| Some(b.map_or(Rect::from_points(p, p), |b| b.union_pt(p))));
    let Some(bounds) = bounds.filter(|b| b.width() > 0.0 && b.height() > 0.0 && b.width().is_finite()) else {
        return Err(ImportError::NotSvg(
            "the GeoJSON has no polygons, lines or spread points to draw".into(),
        ));
    };
    let scale = WIDTH / bounds.width();
    let fit = Affine::scale(scale) * Affine::translate(-bounds.origin().to_vec2());
    let height = (bounds.height() * scale).max(1.0);
    let mut map = Map::new(ViewBox { x: 0.0, y: 0.0, width: WIDTH, height });
    // One group per TopoJSON object, labelled with its name (a title, not an id: a group with an
    // id would be an area).
    let groups: Vec<Option<crate::model::NodeKey>> = layer_names
        .into_iter()
        .map(|name| {
            name.map(|n| {
                let mut group = Node::new(NodeKind::Group(Vec::new()));
                group.title = Some(n.into());
                map.push(None, group)
            })
        })
        .collect();
    let mut ids = UniqueIds::default();
    let mut renamed = 0;
    for Drawn { layer, name, title, first, count, kind } in shapes {
        let path = match &kind {
            Kind::Points(points) => {
                let mut path = BezPath::new();
                for &p in points {
                    path.extend(kurbo::Circle::new(fit * p, MARKER_RADIUS).path_elements(0.1));
                }
                path
            }
            // Each ring is freed as its path is built, so the points are held once.
            Kind::Area | Kind::Lines => {
                path(&mut rings[first..first + count], &outer[first..first + count], fit)
            }
        };
        let mut node = Node::new(NodeKind::Shape(Geometry::Path(path.into(), None)));
        let mut style = Style::default();
        if let Kind::Points(_) = kind {
            style.set("fill", "#5A6B7D");
            node.area_type = Some(AreaType::Decoration);
            node.title = title.map(Into::into);
        } else if let Kind::Area = kind {
            style.set("fill", "#E8EEF5");
            style.set("stroke", "#5A6B7D");
            style.set("stroke-width", "0.5");
            if let Some(wanted) = name.as_deref().and_then(|n| AreaId::from_name(n).ok()) {
                let id = ids.claim(&wanted);
                renamed += usize::from(id != wanted);
                node.id = Some(id.into());
            }
            node.title = title.map(Into::into);
        } else {
            style.set("fill", "none");
            style.set("stroke", "#5A6B7D");
            node.area_type = Some(AreaType::Decoration);
        }
        node.style = style;
        map.push(groups[layer], node);
    }
    if renamed > 0 {
        findings.push(Finding::new(
            Severity::Warning,
            "geojson-duplicate-names",
            format!("{renamed} feature(s) share a name with another and were given a numbered id"),
        ));
    }
    Ok(Imported { map, findings, css_class_elements: 0 })
}

/// Every position of a feature.
fn positions(feature: &Feature) -> Box<dyn Iterator<Item = Position> + '_> {
    match &feature.geometry {
        read::Geometry::Polygons(ps) => Box::new(ps.iter().flatten().flatten().copied()),
        read::Geometry::Lines(ls) => Box::new(ls.iter().flatten().copied()),
        read::Geometry::Points(ps) => Box::new(ps.iter().copied()),
        read::Geometry::Other | read::Geometry::None => Box::new(std::iter::empty()),
    }
}

/// Adds the rings of polygons (cut at the antimeridian, projected) to `rings`, the first ring
/// of each polygon marked outer.
fn add_polygons(
    polygons: &[Vec<Vec<Position>>],
    projection: Projection,
    rings: &mut Vec<(Vec<Point>, bool)>,
    outer: &mut Vec<bool>,
) {
    for polygon in polygons {
        for part in projection.polygon(polygon) {
            let usable = part.into_iter().filter(|r| r.len() >= 3 && r.iter().all(|p| p.is_finite()));
            for (index, ring) in usable.enumerate() {
                rings.push((ring, true));
                outer.push(index == 0);
            }
        }
    }
}

/// Adds lines (cut at the antimeridian, projected) to `rings`.
fn add_lines(
    lines: &[Vec<Position>],
    projection: Projection,
    rings: &mut Vec<(Vec<Point>, bool)>,
    outer: &mut Vec<bool>,
) {
    for line in lines {
        for part in projection.line(line) {
            if part.len() >= 2 && part.iter().all(|p| p.is_finite()) {
                rings.push((part, false));
                outer.push(false);
            }
        }
    }
}

/// A path of rings and lines moved by `fit` (the rings are taken): each polygon's outer ring
/// one way round and its holes the other, whatever the file's winding (many files ignore the
/// rule), so the nonzero rule SVG fills by leaves the holes empty.
fn path(rings: &mut [(Vec<Point>, bool)], outer: &[bool], fit: Affine) -> BezPath {
    // Sized exactly: a map's paths are most of its memory.
    let elements: usize = rings.iter().map(|(points, closed)| points.len() + usize::from(*closed)).sum();
    let mut path = BezPath::with_capacity(elements);
    for ((points, closed), &is_outer) in rings.iter_mut().zip(outer) {
        let mut points = std::mem::take(points);
        if points.is_empty() {
            continue;
        }
        let twice_area: f64 =
            points.iter().zip(points.iter().cycle().skip(1)).map(|(a, b)| a.x * b.y - b.x * a.y).sum();
        if *closed && (twice_area > 0.0) != is_outer {
            points.reverse();
        }
        path.move_to(fit * points[0]);
        for &p in &points[1..] {
            path.line_to(fit * p);
        }
        if *closed {
            path.close_path();
        }
    }
    path
}

/// A property as text (none when empty).
fn property(properties: &[(String, String)], name: &str) -> Option<String> {
    let (_, value) = properties.iter().find(|(k, _)| k == name)?;
    Some(value.trim().to_owned()).filter(|s| !s.is_empty())
}

/// The feature's name: the chosen property, else its id, else the first name property.
fn name(id: Option<String>, properties: &[(String, String)], chosen: Option<&str>) -> Option<String> {
    if let Some(p) = chosen {
        return property(properties, p);
    }
    id.or_else(|| NAME_PROPERTIES.iter().find_map(|p| property(properties, p)))
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Reads and imports GeoJSON or TopoJSON text.
    fn import_geojson(text: &str, options: &ImportOptions) -> Result<Imported, ImportError> {
        let layers = read::layers(text, options)?.ok_or(ImportError::NotSvg("not GeoJSON".into()))?;
        super::import_geojson(layers, options)
    }

    fn is_geojson(text: &str) -> bool {
        matches!(read::layers(text, &ImportOptions::default()), Ok(Some(_)))
    }

    fn bbox(map: &Map, id: &str) -> kurbo::Rect {
        map.bbox_in_doc(map.find_id(id).unwrap()).unwrap()
    }

    const TWO: &str = r#"{"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"name": "West", "code": "W"}, "geometry": {"type": "Polygon",
         "coordinates": [[[0, 0], [10, 0], [10, 10], [0, 10], [0, 0]], [[2, 2], [4, 2], [4, 4], [2, 4], [2, 2]]]}},
        {"type": "Feature", "id": "E", "properties": {"name": "East"}, "geometry": {"type": "MultiPolygon",
         "coordinates": [[[[10, 0], [20, 0], [20, 10], [10, 10], [10, 0]]], [[[30, 0], [31, 0], [31, 1], [30, 0]]]]}},
        {"type": "Feature", "properties": {"name": "West"}, "geometry": {"type": "Polygon",
         "coordinates": [[[0, 20], [5, 20], [5, 25], [0, 20]]]}},
        {"type": "Feature", "properties": {}, "geometry": {"type": "LineString", "coordinates": [[0, -5], [30, -5]]}},
        {"type": "Feature", "properties": {"name": "Well"}, "geometry": {"type": "Point", "coordinates": [1, 1]}},
        {"type": "Feature", "properties": {}, "geometry": {"type": "GeometryCollection", "geometries": []}}
    ]}"#;

    #[test]
    fn features_become_areas_named_by_id_or_name_with_holes_and_north_up() {
        assert!(is_geojson(TWO) && !is_geojson(r#"{"name": "x", "map": "<svg/>"}"#));
        let imported = import_geojson(TWO, &ImportOptions::default()).unwrap();
        let map = &imported.map;
        assert_eq!(map.view_box.width, WIDTH);
        let ids: Vec<&str> = map.iter().filter_map(|(_, n)| n.id.as_ref().map(|i| i.as_str())).collect();
        assert_eq!(ids, ["West", "E", "West_2"], "the id first, then the name; a repeated name numbered");
        let codes: Vec<&str> = imported.findings.iter().map(|f| f.code).collect();
        assert!(
            codes.contains(&"geojson-duplicate-names") && codes.contains(&"geojson-skipped"),
            "{codes:?}"
        );
        // The point is a decoration marker where it lies, titled with its name.
        let (_, well) = map.iter().find(|(_, n)| n.title.as_deref() == Some("Well")).unwrap();
        assert!(well.id.is_none() && well.area_type == Some(AreaType::Decoration));
        let NodeKind::Shape(g) = &well.kind else { panic!() };
        let (west, marker) = (bbox(map, "West"), g.to_path().bounding_box());
        let at = |lon: f64| west.x0 + west.width() * lon / 10.0;
        assert!(
            (marker.center().x - at(1.0)).abs() < 0.01 && (marker.width() - 2.0 * MARKER_RADIUS).abs() < 0.01
        );
        // North up: the feature at latitude 20..25 is above (smaller y) the one at 0..10.
        assert!(bbox(map, "West_2").y1 < bbox(map, "West").y0);
        // The hole of West is empty.
        let west = map.find_id("West").unwrap();
        let NodeKind::Shape(g) = &map.node(west).kind else { panic!() };
        let outline = g.to_path();
        let b = outline.bounding_box();
        assert!(!outline.contains(Point::new(b.x0 + b.width() * 0.3, b.y0 + b.height() * 0.7)), "the hole");
        assert!(outline.contains(Point::new(b.x0 + b.width() * 0.8, b.y0 + b.height() * 0.5)));
        let by_code = import_geojson(
            TWO,
            &ImportOptions { id_property: Some("code".into()), ..ImportOptions::default() },
        )
        .unwrap();
        let titled = by_code.map.find_id("W").expect("named by the chosen property");
        assert_eq!(by_code.map.node(titled).title.as_deref(), Some("W"));
    }

    #[test]
    fn topojson_arcs_are_decoded_one_group_per_object() {
        // Two squares sharing the arc between them, quantized.
        let topo = r#"{"type": "Topology", "transform": {"scale": [1, 1], "translate": [0, 0]},
            "objects": {"zones": {"type": "GeometryCollection", "geometries": [
                {"type": "Polygon", "arcs": [[0, 1]], "properties": {"name": "A"}},
                {"type": "Polygon", "arcs": [[2, -1]], "properties": {"name": "B"}}]}},
            "arcs": [[[10, 0], [0, 10]], [[10, 10], [-10, 0], [0, -10], [10, 0]], [[10, 0], [10, 0], [0, 10], [-10, 0]]]}"#;
        assert!(is_geojson(topo));
        let map = import_geojson(topo, &ImportOptions::default()).unwrap().map;
        let (a, b) = (bbox(&map, "A"), bbox(&map, "B"));
        assert!((a.x1 - b.x0).abs() < 1e-6, "the shared arc is one border: {a:?} {b:?}");
        let group = map.roots()[0];
        assert_eq!(map.node(group).title.as_deref(), Some("zones"));
        assert!(map.node(group).id.is_none(), "the object's group is not an area");
        let missing =
            import_geojson(topo, &ImportOptions { object: Some("roads".into()), ..ImportOptions::default() });
        assert!(
            matches!(missing, Err(ImportError::NotSvg(m)) if m.contains("no object \"roads\" (it has: zones)"))
        );
    }

    #[test]
    fn planar_data_is_drawn_as_it_is_and_junk_is_refused() {
        let planar = r#"{"type": "Feature", "properties": {"name": "Lot"}, "geometry": {"type": "Polygon",
            "coordinates": [[[500000, 4000000], [500100, 4000000], [500100, 4000050], [500000, 4000000]]]}}"#;
        let map = import_geojson(planar, &ImportOptions::default()).unwrap().map;
        assert_eq!(map.view_box.height, 500.0, "2:1 as drawn, no projection");
        assert!(
            import_geojson(r#"{"type": "FeatureCollection", "features": []}"#, &ImportOptions::default())
                .is_err()
        );
        assert!(
            import_geojson("{\"type\": \"Polygon\", \"coordinates\": 7}", &ImportOptions::default()).is_err()
        );
    }
}
