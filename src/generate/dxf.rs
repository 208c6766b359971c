//! Deterministic generator of floor plans as AutoCAD writes DXF (R2000, millimetres, far
//! from the origin as site coordinates are): rooms as closed LWPOLYLINEs on `A-AREA`, their
//! number (TEXT, centred) and name (MTEXT with formatting) on `A-AREA-IDEN`, walls as LINEs on
//! `A-WALL`, a door block inserted per room on `A-DOOR`, and a frozen furniture layer.

use std::fmt::Write as _;

/// Where the plan lies, in millimetres (site coordinates).
const ORIGIN: (f64, f64) = (2_500_000.0, 1_200_000.0);
/// A room's size, in millimetres.
const ROOM: (f64, f64) = (4000.0, 3000.0);
/// The names rooms take in turn.
const NAMES: [&str; 5] = ["Office", "Meeting", "Storage", "Lab", "Kitchen"];

/// A plan of `rooms` rooms as ASCII DXF.
pub fn dxf_plan(rooms: usize) -> String {
    let mut out = String::with_capacity(rooms * 1200 + 4000);
    let pair = |out: &mut String, code: i32, value: &str| {
        let _ = write!(out, "{code:>3}\r\n{value}\r\n");
    };
    for (code, value) in [
        (0, "SECTION"),
        (2, "HEADER"),
        (9, "$ACADVER"),
        (1, "AC1015"),
        (9, "$INSUNITS"),
        (70, "4"),
        (0, "ENDSEC"),
    ] {
        pair(&mut out, code, value);
    }
    pair(&mut out, 0, "SECTION");
    pair(&mut out, 2, "TABLES");
    pair(&mut out, 0, "TABLE");
    pair(&mut out, 2, "LAYER");
    for (name, flags) in
        [("0", "0"), ("A-AREA", "0"), ("A-AREA-IDEN", "0"), ("A-WALL", "0"), ("A-DOOR", "0"), ("A-FURN", "1")]
    {
        for (code, value) in [
            (0, "LAYER"),
            (100, "AcDbSymbolTableRecord"),
            (100, "AcDbLayerTableRecord"),
            (2, name),
            (70, flags),
            (62, "7"),
            (6, "CONTINUOUS"),
        ] {
            pair(&mut out, code, value);
        }
    }
    pair(&mut out, 0, "ENDTAB");
    pair(&mut out, 0, "ENDSEC");
    // A door: its leaf and its swing.
    for (code, value) in [
        (0, "SECTION"),
        (2, "BLOCKS"),
        (0, "BLOCK"),
        (8, "0"),
        (2, "DOOR"),
        (70, "0"),
        (10, "0"),
        (20, "0"),
        (30, "0"),
        (0, "LINE"),
        (8, "0"),
        (10, "0"),
        (20, "0"),
        (11, "0"),
        (21, "900"),
        (0, "ARC"),
        (8, "0"),
        (10, "0"),
        (20, "0"),
        (40, "900"),
        (50, "0"),
        (51, "90"),
        (0, "ENDBLK"),
        (0, "ENDSEC"),
    ] {
        pair(&mut out, code, value);
    }
    pair(&mut out, 0, "SECTION");
    pair(&mut out, 2, "ENTITIES");
    let columns = (rooms as f64).sqrt().ceil().max(1.0) as usize;
    for r in 0..rooms {
        let (x, y) = (ORIGIN.0 + (r % columns) as f64 * ROOM.0, ORIGIN.1 + (r / columns) as f64 * ROOM.1);
        let (x1, y1) = (x + ROOM.0, y + ROOM.1);
        pair(&mut out, 0, "LWPOLYLINE");
        pair(&mut out, 8, "A-AREA");
        pair(&mut out, 90, "4");
        pair(&mut out, 70, "1");
        for (px, py) in [
            (x + 100.0, y + 100.0),
            (x1 - 100.0, y + 100.0),
            (x1 - 100.0, y1 - 100.0),
            (x + 100.0, y1 - 100.0),
        ] {
            pair(&mut out, 10, &px.to_string());
            pair(&mut out, 20, &py.to_string());
        }
        let (cx, cy) = (x + ROOM.0 / 2.0, y + ROOM.1 / 2.0);
        for (code, value) in [
            (0, "TEXT".to_owned()),
            (8, "A-AREA-IDEN".into()),
            (10, cx.to_string()),
            (20, (cy + 200.0).to_string()),
            (40, "250".into()),
            (1, format!("{}-{:04}", 1 + r / 1000, r % 1000)),
            (72, "1".into()),
            (11, cx.to_string()),
            (21, (cy + 200.0).to_string()),
            (0, "MTEXT".into()),
            (8, "A-AREA-IDEN".into()),
            (10, (cx - 600.0).to_string()),
            (20, (cy - 300.0).to_string()),
            (40, "180".into()),
            (1, format!("{{\\fArial|b0|i0;{}}}\\P{}", NAMES[r % NAMES.len()], 10 + r % 90)),
            (0, "INSERT".into()),
            (8, "A-DOOR".into()),
            (2, "DOOR".into()),
            (10, (x + 300.0).to_string()),
            (20, (y + 100.0).to_string()),
            (0, "LINE".into()),
            (8, "A-WALL".into()),
            (10, x.to_string()),
            (20, y.to_string()),
            (11, x1.to_string()),
            (21, y.to_string()),
            (0, "LINE".into()),
            (8, "A-WALL".into()),
            (10, x.to_string()),
            (20, y.to_string()),
            (11, x.to_string()),
            (21, y1.to_string()),
            (0, "CIRCLE".into()),
            (8, "A-FURN".into()),
            (10, (x1 - 700.0).to_string()),
            (20, (y1 - 700.0).to_string()),
            (40, "400".into()),
        ] {
            pair(&mut out, code, &value);
        }
    }
    pair(&mut out, 0, "ENDSEC");
    pair(&mut out, 0, "EOF");
    out
}
