//! Copy and paste through the system clipboard: the selection travels as a small SVG document
//! in the lossless format (ids, bindings, hidden and locked survive), and SVG text pasted from
//! synmap or another program is read back through the engine's importer (so it is sanitised
//! like any opened file).

use super::error::EditorError;
use super::operations;
use crate::model::{Map, Node, NodeKey};
use crate::svg::{ExportOptions, export_svg, import_bytes};

/// The selected shapes and decorations as an SVG document, or `None` when nothing is selected.
pub fn to_svg(map: &Map, selection: &[NodeKey]) -> Option<String> {
    let nodes = operations::copy(map, selection);
    if nodes.is_empty() {
        return None;
    }
    let mut out = Map::with_capacity(map.view_box, nodes.len());
    for node in nodes {
        out.push(None, node);
    }
    let opts = ExportOptions { lossless: true, precision: 6, ..ExportOptions::default() };
    Some(export_svg(&out, &opts).svg)
}

/// The shapes and decorations of SVG text from the clipboard, groups flattened into the
/// text's document space; an error saying why when the text is not an SVG with shapes.
pub fn from_svg(text: &str) -> Result<Vec<Node>, EditorError> {
    let head = text.trim_start();
    if !head.starts_with('<') || !head.contains("<svg") {
        return Err(EditorError::ClipboardNotSvg);
    }
    let map = import_bytes(text.as_bytes()).map_err(EditorError::ClipboardUnreadable)?.map;
    let nodes = operations::copy(&map, map.roots());
    if nodes.is_empty() {
        return Err(EditorError::ClipboardEmpty);
    }
    Ok(nodes)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::editor::Document;
    use crate::model::{Geometry, NodeKind};

    #[test]
    fn selection_round_trips_with_ids_and_flattened_groups() {
        let mut doc = Document::blank(200.0, 100.0);
        let mut node = Node::new(NodeKind::Shape(Geometry::Rect {
            rect: kurbo::Rect::new(10.0, 10.0, 50.0, 30.0),
            rx: None,
            ry: None,
        }));
        node.id = Some(doc.fresh_id("Room").into());
        node.title = Some("Room & <1>".into());
        let room = doc.add("Draw rectangle", None, node).unwrap();
        let g = operations::group(&mut doc, &[room]).unwrap().unwrap();
        let moved = vec![crate::edit::Change::Transform(g, kurbo::Affine::translate((5.0, 0.0)))];
        doc.edit("Move", moved).unwrap();

        let svg = to_svg(doc.map(), &[g]).expect("a selection");
        let nodes = from_svg(&svg).unwrap();
        assert_eq!(nodes.len(), 1, "the group's one shape, flattened");
        assert_eq!(nodes[0].id.as_ref().unwrap().as_str(), "Room_1");
        assert_eq!(nodes[0].title.as_deref(), Some("Room & <1>"));
        let NodeKind::Shape(geometry) = &nodes[0].kind else { panic!("a shape") };
        let bbox = geometry.bounding_box_with(nodes[0].transform());
        assert_eq!((bbox.x0, bbox.y0), (15.0, 10.0), "the group's move is carried into the shape");
        assert!(to_svg(doc.map(), &[]).is_none());
    }

    #[test]
    fn text_and_broken_svg_are_refused_with_a_reason() {
        assert!(from_svg("Office 101").unwrap_err().to_string().contains("not SVG"));
        assert!(
            from_svg("<svg xmlns='http://www.w3.org/2000/svg'><rect")
                .unwrap_err()
                .to_string()
                .contains("cannot be pasted")
        );
        let empty = "<svg xmlns='http://www.w3.org/2000/svg' viewBox='0 0 10 10'/>";
        assert!(from_svg(empty).unwrap_err().to_string().contains("no shapes"));
    }
}
