//! What a document's XML prologue declares, read before the document is parsed into a tree:
//! external DTDs and entities, stylesheet processing instructions, and how large the text
//! would grow once its internal entities are expanded (an "entity bomb" is refused here).

use std::collections::HashMap;

use xmlparser::{EntityDefinition, Token, Tokenizer};

use super::ImportError;

/// Most bytes entity expansion may add to a document, beyond its own size. (Authoring tools
/// declare a few namespace entities; the parser holds expanded text many times over.)
pub const MAX_ENTITY_GROWTH: u64 = 1024 * 1024;

/// What the prologue declares that a map must not use.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Prologue {
    /// The document type names an external DTD (`<!DOCTYPE svg SYSTEM "…">`), never read.
    pub external_dtd: bool,
    /// Entities declared with `SYSTEM` or `PUBLIC` (external files), never read.
    pub external_entities: usize,
    /// Processing instructions such as `<?xml-stylesheet …?>`.
    pub instructions: Vec<String>,
}

/// Reads the prologue; refuses a document whose entity references would expand beyond
/// `its size + MAX_ENTITY_GROWTH` bytes.
pub fn read(text: &str) -> Result<Prologue, ImportError> {
    let mut prologue = Prologue::default();
    let mut entities: HashMap<&str, &str> = HashMap::new();
    let mut tokens = Tokenizer::from(text);
    for token in tokens.by_ref() {
        // Malformed XML is reported by the parser proper, with its position.
        let Ok(token) = token else { return Ok(prologue) };
        match token {
            Token::DtdStart { external_id: Some(_), .. } | Token::EmptyDtd { external_id: Some(_), .. } => {
                prologue.external_dtd = true;
            }
            Token::EntityDeclaration { name, definition, .. } => match definition {
                EntityDefinition::EntityValue(v) => {
                    entities.insert(name.as_str(), v.as_str());
                }
                EntityDefinition::ExternalId(_) => prologue.external_entities += 1,
            },
            Token::ProcessingInstruction { target, .. } => {
                prologue.instructions.push(target.as_str().to_owned())
            }
            Token::ElementStart { .. } => break,
            _ => {}
        }
    }
    if entities.is_empty() {
        return Ok(prologue);
    }
    let limit = text.len() as u64 + MAX_ENTITY_GROWTH;
    let mut sizes = HashMap::new();
    let mut growth = 0u64;
    // The body's references: in text and in attribute values.
    for token in tokens {
        let Ok(token) = token else { break };
        let span = match token {
            Token::Text { text } => text.as_str(),
            Token::Attribute { value, .. } => value.as_str(),
            _ => continue,
        };
        for name in references(span) {
            growth = growth.saturating_add(expanded_size(name, &entities, &mut sizes, 0, limit)?);
            if growth > limit {
                return Err(too_large(limit));
            }
        }
    }
    Ok(prologue)
}

fn too_large(limit: u64) -> ImportError {
    ImportError::EntityExpansion { limit }
}

/// The names of the entity references (`&name;`) in raw text; character references are not
/// entities and are skipped.
fn references(text: &str) -> impl Iterator<Item = &str> {
    text.split('&').skip(1).filter_map(|rest| {
        let name = &rest[..rest.find(';')?];
        (!name.is_empty() && !name.starts_with('#')).then_some(name)
    })
}

/// The size of an entity's value with its own references expanded (memoised).
fn expanded_size<'a>(
    name: &'a str,
    entities: &HashMap<&'a str, &'a str>,
    sizes: &mut HashMap<&'a str, u64>,
    depth: usize,
    limit: u64,
) -> Result<u64, ImportError> {
    if let Some(&n) = sizes.get(name) {
        return Ok(n);
    }
    let Some(&value) = entities.get(name) else { return Ok(name.len() as u64 + 2) };
    if depth > 16 {
        return Err(too_large(limit));
    }
    let mut size = value.len() as u64;
    for inner in references(value) {
        size = size.saturating_add(expanded_size(inner, entities, sizes, depth + 1, limit)?);
        if size > limit {
            return Err(too_large(limit));
        }
    }
    sizes.insert(name, size);
    Ok(size)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_external_declarations_and_instructions() {
        let p = read(
            "<?xml version=\"1.0\"?><?xml-stylesheet href=\"http://evil.example/s.css\"?>\
             <!DOCTYPE svg SYSTEM \"http://evil.example/x.dtd\"><svg/>",
        )
        .unwrap();
        assert!(p.external_dtd);
        assert_eq!(p.instructions, vec!["xml-stylesheet".to_owned()]);
    }

    #[test]
    fn refuses_a_billion_laughs() {
        let mut doc = String::from("<!DOCTYPE svg [<!ENTITY a0 \"AAAAAAAAAA\">");
        for i in 1..10 {
            let refs = format!("&a{};", i - 1).repeat(10);
            doc.push_str(&format!("<!ENTITY a{i} \"{refs}\">"));
        }
        doc.push_str("]><svg data-x=\"&a9;\"/>");
        assert!(matches!(read(&doc), Err(ImportError::EntityExpansion { .. })));
    }

    #[test]
    fn modest_entities_pass() {
        let doc = "<!DOCTYPE svg [<!ENTITY n \"Room\">]><svg><title>&n; 1 &amp; &#65;</title></svg>";
        assert_eq!(read(doc).unwrap(), Prologue::default());
    }
}
