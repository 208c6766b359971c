//! Reading GeoJSON lean: one pass of `serde_json` straight into positions (16 bytes each, one
//! allocation per ring) and the scalar properties, never through a generic JSON tree, so a
//! 50 MB file is read in a fraction of a second and in little more memory than its
//! coordinates. TopoJSON is decoded by the `topojson` crate and brought to the same form.

use std::fmt;

use serde::Deserialize;
use serde::de::{self, DeserializeSeed, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};

use super::super::ImportOptions;
use crate::svg::ImportError;

/// A position: longitude and latitude, or x and y (further dimensions dropped).
pub type Position = [f64; 2];

/// A feature as read: its id, its properties with a text or number value, and its geometry.
#[derive(Debug, Default)]
pub struct Feature {
    /// The feature's `id`, as text.
    pub id: Option<String>,
    /// Properties whose value is text or a number, as text.
    pub properties: Vec<(String, String)>,
    /// What the feature draws.
    pub geometry: Geometry,
}

/// What a feature draws.
#[derive(Debug, Default)]
pub enum Geometry {
    /// Polygons, each its outer ring then its holes.
    Polygons(Vec<Vec<Vec<Position>>>),
    /// Lines.
    Lines(Vec<Vec<Position>>),
    /// Points.
    Points(Vec<Position>),
    /// Geometry collections (not drawn).
    Other,
    /// No geometry.
    #[default]
    None,
}

/// A TopoJSON object's name (none for GeoJSON) and its features.
pub type Layer = (Option<String>, Vec<Feature>);

/// The features of GeoJSON, or of each object of a TopoJSON topology (with the object's name);
/// `None` when the JSON is neither (a JSVG document, say).
pub fn layers(text: &str, options: &ImportOptions) -> Result<Option<Vec<Layer>>, ImportError> {
    let top = match serde_json::from_str::<Top>(text) {
        Ok(top) => top,
        // Only GeoJSON that cannot be read is a GeoJSON error; other JSON is someone else's.
        Err(e) => match kind(text) {
            Some(kind) if is_geojson_type(&kind) || kind == "Topology" => {
                return Err(ImportError::NotSvg(format!("not usable GeoJSON: {e}")));
            }
            _ => return Ok(None),
        },
    };
    let layer = |features| Ok(Some(vec![(None, features)]));
    match top.kind.as_deref() {
        Some("FeatureCollection") => layer(top.features),
        Some("Feature") => {
            layer(vec![Feature { id: top.id, properties: top.properties, geometry: top.geometry }])
        }
        Some("Topology") => topology(text, options).map(Some),
        Some(kind) if is_geojson_type(kind) => {
            let geometry = geometry(kind, top.coordinates)
                .map_err(|e| ImportError::NotSvg(format!("not usable GeoJSON: {e}")))?;
            layer(vec![Feature { geometry, ..Feature::default() }])
        }
        _ => Ok(None),
    }
}

/// True for the `type` of a GeoJSON object.
fn is_geojson_type(kind: &str) -> bool {
    matches!(
        kind,
        "FeatureCollection"
            | "Feature"
            | "Point"
            | "MultiPoint"
            | "LineString"
            | "MultiLineString"
            | "Polygon"
            | "MultiPolygon"
            | "GeometryCollection"
    )
}

/// The features of each object of a TopoJSON topology, as the `topojson` crate decodes them.
fn topology(text: &str, options: &ImportOptions) -> Result<Vec<Layer>, ImportError> {
    let unusable = |e: &dyn fmt::Display| ImportError::NotSvg(format!("the TopoJSON cannot be decoded: {e}"));
    let topo = match text.parse::<topojson::TopoJson>() {
        Ok(topojson::TopoJson::Topology(topo)) => topo,
        Ok(_) => return Err(unusable(&"it is not a topology")),
        Err(e) => return Err(unusable(&e)),
    };
    let names: Vec<String> = match &options.object {
        Some(name) if topo.objects.iter().any(|o| o.name == *name) => vec![name.clone()],
        Some(name) => {
            let all: Vec<&str> = topo.objects.iter().map(|o| o.name.as_str()).collect();
            return Err(ImportError::NotSvg(format!(
                "the TopoJSON has no object \"{name}\" (it has: {})",
                all.join(", ")
            )));
        }
        None => topo.objects.iter().map(|o| o.name.clone()).collect(),
    };
    names
        .into_iter()
        .map(|name| {
            let collection = topojson::to_geojson(&topo, &name).map_err(|e| unusable(&e))?;
            Ok((Some(name), collection.features.into_iter().map(from_crate).collect()))
        })
        .collect()
}

/// A feature of the `geojson` crate (as TopoJSON decodes to) in the lean form.
fn from_crate(feature: geojson::Feature) -> Feature {
    use geojson::Value;
    let ring = |r: Vec<Vec<f64>>| -> Vec<Position> {
        r.into_iter().filter_map(|p| Some([*p.first()?, *p.get(1)?])).collect()
    };
    let polygon = |p: Vec<Vec<Vec<f64>>>| p.into_iter().map(ring).collect::<Vec<_>>();
    let geometry = match feature.geometry.map(|g| g.value) {
        Some(Value::Polygon(p)) => Geometry::Polygons(vec![polygon(p)]),
        Some(Value::MultiPolygon(ps)) => Geometry::Polygons(ps.into_iter().map(polygon).collect()),
        Some(Value::LineString(l)) => Geometry::Lines(vec![ring(l)]),
        Some(Value::MultiLineString(ls)) => Geometry::Lines(ls.into_iter().map(ring).collect()),
        Some(Value::Point(p)) => Geometry::Points(ring(vec![p])),
        Some(Value::MultiPoint(ps)) => Geometry::Points(ring(ps)),
        Some(_) => Geometry::Other,
        None => Geometry::None,
    };
    let id = feature.id.map(|id| match id {
        geojson::feature::Id::String(s) => s,
        geojson::feature::Id::Number(n) => n.to_string(),
    });
    let properties = feature
        .properties
        .unwrap_or_default()
        .into_iter()
        .filter_map(|(k, v)| Some((k, scalar_text(&v)?)))
        .collect();
    Feature { id, properties, geometry }
}

/// A JSON text or number as text.
fn scalar_text(value: &serde_json::Value) -> Option<String> {
    match value {
        serde_json::Value::String(s) => Some(s.clone()),
        serde_json::Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// A geometry from its `type` and its coordinates (as read, of any depth).
fn geometry(kind: &str, coordinates: Option<Nested>) -> Result<Geometry, String> {
    let shape = |what: &str| format!("a {kind}'s coordinates are not {what}");
    let Some(coordinates) = coordinates else {
        return match kind {
            "GeometryCollection" => Ok(Geometry::Other),
            _ => Err(shape("there")),
        };
    };
    Ok(match kind {
        "Polygon" => Geometry::Polygons(vec![coordinates.lines().ok_or_else(|| shape("a list of rings"))?]),
        "MultiPolygon" => Geometry::Polygons(
            coordinates
                .list()
                .and_then(|ps| ps.into_iter().map(Nested::lines).collect())
                .ok_or_else(|| shape("a list of polygons"))?,
        ),
        "LineString" => {
            Geometry::Lines(vec![coordinates.line().ok_or_else(|| shape("a list of positions"))?])
        }
        "MultiLineString" => Geometry::Lines(coordinates.lines().ok_or_else(|| shape("a list of lines"))?),
        "Point" => match coordinates {
            Nested::Position(p) => Geometry::Points(vec![p]),
            _ => return Err(shape("a position")),
        },
        "MultiPoint" => Geometry::Points(coordinates.line().ok_or_else(|| shape("a list of positions"))?),
        _ => Geometry::Other,
    })
}

/// Coordinates as read, before their geometry's type says what they are.
#[derive(Debug)]
enum Nested {
    /// A number (only inside a position).
    Number(f64),
    /// A position.
    Position(Position),
    /// A list of positions.
    Line(Vec<Position>),
    /// A list of anything else (or an empty list).
    List(Vec<Nested>),
}

impl Nested {
    /// A list of positions (an empty list is an empty line).
    fn line(self) -> Option<Vec<Position>> {
        match self {
            Nested::Line(line) => Some(line),
            Nested::List(list) if list.is_empty() => Some(Vec::new()),
            _ => None,
        }
    }

    /// A list of lists of positions.
    fn lines(self) -> Option<Vec<Vec<Position>>> {
        self.list()?.into_iter().map(Nested::line).collect()
    }

    /// A list of anything.
    fn list(self) -> Option<Vec<Nested>> {
        match self {
            Nested::List(list) => Some(list),
            _ => None,
        }
    }
}

impl<'de> Deserialize<'de> for Nested {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(NestedVisitor)
    }
}

/// Reads numbers and arrays of coordinates, gathering positions into flat lists.
struct NestedVisitor;

impl<'de> Visitor<'de> for NestedVisitor {
    type Value = Nested;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("coordinates (numbers in arrays)")
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Nested, E> {
        Ok(Nested::Number(v))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Nested, E> {
        Ok(Nested::Number(v as f64))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Nested, E> {
        Ok(Nested::Number(v as f64))
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Nested, A::Error> {
        let mixed = || de::Error::custom("a coordinate array mixes numbers, positions and lists");
        match seq.next_element::<Nested>()? {
            None => Ok(Nested::List(Vec::new())),
            Some(Nested::Number(x)) => {
                let mut position = [x, f64::NAN];
                let mut count = 1;
                while let Some(next) = seq.next_element::<Nested>()? {
                    let Nested::Number(v) = next else { return Err(mixed()) };
                    if count == 1 {
                        position[1] = v;
                    }
                    count += 1;
                }
                if count < 2 {
                    return Err(de::Error::custom("a position has fewer than two numbers"));
                }
                Ok(Nested::Position(position))
            }
            Some(Nested::Position(first)) => {
                let mut line = vec![first];
                while let Some(next) = seq.next_element::<Nested>()? {
                    let Nested::Position(p) = next else { return Err(mixed()) };
                    line.push(p);
                }
                line.shrink_to_fit();
                Ok(Nested::Line(line))
            }
            Some(first) => {
                let mut list = vec![first];
                while let Some(next) = seq.next_element::<Nested>()? {
                    if matches!(next, Nested::Number(_) | Nested::Position(_)) {
                        return Err(mixed());
                    }
                    list.push(next);
                }
                Ok(Nested::List(list))
            }
        }
    }
}

/// The `type` of a JSON object, if it is read before the text ends or goes wrong (a truncated
/// GeoJSON file is still GeoJSON).
fn kind(text: &str) -> Option<String> {
    let mut kind = None;
    let _ = KindSeed(&mut kind).deserialize(&mut serde_json::Deserializer::from_str(text));
    kind
}

/// Reads an object's members, keeping its `type` where the caller sees it even when reading
/// fails further on.
struct KindSeed<'k>(&'k mut Option<String>);

impl<'de> DeserializeSeed<'de> for KindSeed<'_> {
    type Value = ();

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<(), D::Error> {
        deserializer.deserialize_map(self)
    }
}

impl<'de> Visitor<'de> for KindSeed<'_> {
    type Value = ();

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a JSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            if key == "type" {
                *self.0 = Some(map.next_value()?);
            } else {
                map.next_value::<IgnoredAny>()?;
            }
        }
        Ok(())
    }
}

/// A top-level GeoJSON object of any type, with the members each type has; members of other
/// JSON documents (and TopoJSON's) are skipped unread.
#[derive(Default)]
struct Top {
    kind: Option<String>,
    features: Vec<Feature>,
    id: Option<String>,
    properties: Vec<(String, String)>,
    geometry: Geometry,
    coordinates: Option<Nested>,
}

impl<'de> Deserialize<'de> for Top {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_map(ObjectVisitor)
    }
}

impl<'de> Deserialize<'de> for Feature {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let top = deserializer.deserialize_map(ObjectVisitor)?;
        Ok(Feature { id: top.id, properties: top.properties, geometry: top.geometry })
    }
}

/// Reads the members of a GeoJSON object (top level, feature or geometry).
struct ObjectVisitor;

impl<'de> Visitor<'de> for ObjectVisitor {
    type Value = Top;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a GeoJSON object")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Top, A::Error> {
        let mut top = Top::default();
        let mut geometries = false;
        while let Some(key) = map.next_key::<std::borrow::Cow<'de, str>>()? {
            match key.as_ref() {
                "type" => top.kind = Some(map.next_value()?),
                "features" => top.features = map.next_value()?,
                "id" => top.id = map.next_value::<Scalar>()?.0,
                "properties" => top.properties = map.next_value::<Properties>()?.0,
                "geometry" => {
                    top.geometry = match map.next_value::<Option<Top>>()? {
                        Some(g) => {
                            let kind = g.kind.as_deref().ok_or_else(|| de::Error::missing_field("type"))?;
                            geometry(kind, g.coordinates).map_err(de::Error::custom)?
                        }
                        None => Geometry::None,
                    }
                }
                "coordinates" => top.coordinates = map.next_value()?,
                "geometries" => {
                    map.next_value::<IgnoredAny>()?;
                    geometries = true;
                }
                _ => {
                    map.next_value::<IgnoredAny>()?;
                }
            }
        }
        if geometries && top.kind.is_none() {
            top.kind = Some("GeometryCollection".into());
        }
        Ok(top)
    }
}

/// A text or number as text; anything else as nothing.
struct Scalar(Option<String>);

impl<'de> Deserialize<'de> for Scalar {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ScalarVisitor).map(Scalar)
    }
}

/// Keeps texts and numbers, skips the rest.
struct ScalarVisitor;

impl<'de> Visitor<'de> for ScalarVisitor {
    type Value = Option<String>;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }

    fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
        Ok(Some(v.to_owned()))
    }

    fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
        Ok(Some(v))
    }

    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Self::Value, E> {
        Ok(serde_json::Number::from_f64(v).map(|n| n.to_string()))
    }

    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }

    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Self::Value, E> {
        Ok(Some(v.to_string()))
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(None)
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(None)
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(None)
    }
}

/// A feature's properties that are texts or numbers (`null` is no properties).
struct Properties(Vec<(String, String)>);

impl<'de> Deserialize<'de> for Properties {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        Option::<PropertyMap>::deserialize(deserializer)
            .map(|m| Properties(m.map(|m| m.0).unwrap_or_default()))
    }
}

/// The scalar members of a properties object.
struct PropertyMap(Vec<(String, String)>);

impl<'de> Deserialize<'de> for PropertyMap {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Members;
        impl<'de> Visitor<'de> for Members {
            type Value = Vec<(String, String)>;
            fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
                f.write_str("a properties object")
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                let mut out = Vec::new();
                while let Some((key, Scalar(value))) = map.next_entry::<String, Scalar>()? {
                    out.extend(value.map(|v| (key, v)));
                }
                Ok(out)
            }
        }
        deserializer.deserialize_map(Members).map(PropertyMap)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Option<Vec<Layer>>, ImportError> {
        layers(text, &ImportOptions::default())
    }

    fn features(text: &str) -> Vec<Feature> {
        read(text).unwrap().expect("GeoJSON").remove(0).1
    }

    #[test]
    fn positions_properties_and_ids_are_read_lean_in_any_member_order() {
        let fs = features(
            r#"{"features": [{"geometry": {"coordinates": [[[0, 0, 9], [1, 0, 9], [1, 1, 9], [0, 0, 9]]],
                "type": "Polygon", "bbox": [0, 0, 1, 1]}, "id": 7, "type": "Feature",
                "properties": {"name": "A", "area": 1.5, "tags": ["x"], "meta": {"k": 1}, "open": true, "none": null}},
              {"type": "Feature", "geometry": null, "properties": null}],
             "type": "FeatureCollection"}"#,
        );
        assert_eq!(fs.len(), 2);
        assert_eq!(fs[0].id.as_deref(), Some("7"));
        assert_eq!(
            fs[0].properties,
            [("name".to_owned(), "A".to_owned()), ("area".to_owned(), "1.5".to_owned())]
        );
        let Geometry::Polygons(ps) = &fs[0].geometry else { panic!("{:?}", fs[0].geometry) };
        assert_eq!(ps[0][0], [[0.0, 0.0], [1.0, 0.0], [1.0, 1.0], [0.0, 0.0]], "the third dimension dropped");
        assert!(matches!(fs[1].geometry, Geometry::None) && fs[1].properties.is_empty());
    }

    #[test]
    fn every_top_level_object_is_read_and_other_json_is_left_alone() {
        let line = features(r#"{"type": "MultiLineString", "coordinates": [[[0, 0], [1, 1]], []]}"#);
        assert!(matches!(&line[0].geometry, Geometry::Lines(ls) if ls.len() == 2 && ls[1].is_empty()));
        let feature = features(
            r#"{"type": "Feature", "id": "F", "geometry": {"type": "Point", "coordinates": [1, 2]}}"#,
        );
        assert!(matches!(&feature[0].geometry, Geometry::Points(p) if p == &[[1.0, 2.0]]));
        assert_eq!(feature[0].id.as_deref(), Some("F"));
        let many = features(r#"{"type": "MultiPoint", "coordinates": [[1, 2], [3, 4, 5]]}"#);
        assert!(matches!(&many[0].geometry, Geometry::Points(p) if p == &[[1.0, 2.0], [3.0, 4.0]]));
        let collection = features(r#"{"type": "GeometryCollection", "geometries": []}"#);
        assert!(matches!(collection[0].geometry, Geometry::Other));
        // JSVG, and JSON with a "type" that is not GeoJSON's, are someone else's.
        assert!(read(r#"{"id": "_1", "name": "m", "map": "<svg/>", "mapRects": {}}"#).unwrap().is_none());
        assert!(read(r#"{"type": "Map", "features": 3}"#).unwrap().is_none());
    }

    #[test]
    fn malformed_geojson_is_a_one_line_error_never_a_crash() {
        for (text, expected) in [
            (
                r#"{"type": "Polygon", "coordinates": [[0, 0], [1, 1]]}"#,
                "a Polygon's coordinates are not a list of rings",
            ),
            (r#"{"type": "LineString", "coordinates": [[0, [1, 2]], [1, 1]]}"#, "mixes numbers"),
            (r#"{"type": "LineString", "coordinates": [[0], [1, 1]]}"#, "fewer than two numbers"),
            (
                r#"{"type": "FeatureCollection", "features": [{"geometry": {"coordinates": [1, 2]}}]}"#,
                "missing field `type`",
            ),
            (r#"{"type": "MultiPolygon", "coordinates": "x"}"#, "coordinates (numbers in arrays)"),
            (r#"{"type": "FeatureCollection", "features": [{"type": "Feature""#, "EOF"),
        ] {
            let Err(ImportError::NotSvg(message)) = read(text) else { panic!("{text} was read") };
            assert!(message.starts_with("not usable GeoJSON: ") && message.contains(expected), "{message}");
            assert!(!message.contains('\n'), "{message}");
        }
        // Hostile nesting stops at the JSON reader's depth limit.
        let deep = format!(
            r#"{{"type": "Polygon", "coordinates": {}{}}}"#,
            "[".repeat(100_000),
            "]".repeat(100_000)
        );
        assert!(matches!(read(&deep), Err(ImportError::NotSvg(m)) if m.contains("recursion limit")));
    }
}
