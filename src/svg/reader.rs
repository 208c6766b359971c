//! XML read from untrusted text as a stream of events, without building a tree: namespaces
//! resolved, character and entity references expanded, nesting and names checked.
//!
//! Read after [`super::prologue::read`] has refused documents whose entities would expand
//! beyond a bound, so expansion here is bounded too.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet, VecDeque};
use std::ops::Range;

use xmlparser::{ElementEnd, EntityDefinition, Reference, StrSpan, Stream, Token, Tokenizer};

use super::{INKSCAPE_NS, ImportError, SODIPODI_NS, SVG_NS, SYNMAP_NS, XLINK_NS, XML_NS};

/// Deepest nesting of entity references inside entity values.
const MAX_ENTITY_DEPTH: usize = 16;

/// The namespaces the importer tells apart.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ns {
    /// SVG.
    Svg,
    /// XLink (`xlink:href`).
    Xlink,
    /// XML (`xml:space`, `xml:lang`).
    Xml,
    /// Inkscape's editor state.
    Inkscape,
    /// Sodipodi's editor state.
    Sodipodi,
    /// synmap's editor state.
    Synmap,
    /// Any other namespace.
    Other,
}

impl Ns {
    fn of(uri: &str) -> Ns {
        match uri {
            SVG_NS => Ns::Svg,
            XLINK_NS => Ns::Xlink,
            XML_NS => Ns::Xml,
            INKSCAPE_NS => Ns::Inkscape,
            SODIPODI_NS => Ns::Sodipodi,
            SYNMAP_NS => Ns::Synmap,
            _ => Ns::Other,
        }
    }
}

/// An attribute: its namespace (`None` without a prefix), local name and normalised value.
#[derive(Debug, Clone, PartialEq)]
pub struct Attr<'a> {
    /// The namespace of its prefix.
    pub ns: Option<Ns>,
    /// The name without its prefix.
    pub local: &'a str,
    /// The value with references expanded and white space normalised.
    pub value: Cow<'a, str>,
}

/// One event of the document, in order.
#[derive(Debug)]
pub enum Event<'a> {
    /// An element's start tag (`xmlns` declarations are not among its attributes).
    Start {
        /// Its namespace.
        ns: Option<Ns>,
        /// Its name without prefix.
        local: &'a str,
        /// Its attributes.
        attrs: Vec<Attr<'a>>,
    },
    /// The end of the element last started and not yet ended.
    End,
    /// Character data (consecutive pieces may come as several events).
    Text(Cow<'a, str>),
    /// A processing instruction, by target.
    Instruction(&'a str),
}

/// What [`Reader::expand`] reads: an attribute value, or text (where an entity's markup may be
/// read as markup, or not: inside another entity's text).
#[derive(Debug, Clone, Copy, PartialEq)]
enum Content {
    Attr,
    Text { markup: bool },
}

/// Where tokens come from: the document, an entity's markup, or text left after an entity.
enum Source<'a> {
    /// Tokens, with the number of elements open when they began.
    Tokens { tokens: Tokenizer<'a>, open: usize },
    /// Text left to read, as a range of the document.
    Text(Range<usize>),
}

/// A namespace declaration.
struct Namespace<'a> {
    /// Its prefix; `""` for the default namespace.
    prefix: &'a str,
    /// Its URI; empty when it undeclares the default namespace.
    uri: Cow<'a, str>,
    /// What the URI is to the importer.
    ns: Ns,
}

struct Open<'a> {
    prefix: &'a str,
    local: &'a str,
    /// The length of the namespace list before this element's declarations.
    scope: usize,
    /// How many sources were stacked when it started: it must end in the same one.
    sources: usize,
}

/// Events a reading thread hands over at a time.
const READ_AHEAD_BATCH: usize = 256;
/// Batches read ahead of the importer at most (a bound on the memory they hold).
const READ_AHEAD_BATCHES: usize = 2;

/// The event reader run on another thread of `scope`, in batches read ahead, so that reading
/// the XML and making the map share two cores. Dropping it stops the reading thread.
pub struct ReadAhead<'a> {
    batches: std::sync::mpsc::Receiver<Vec<Result<Option<Event<'a>>, ImportError>>>,
    batch: std::vec::IntoIter<Result<Option<Event<'a>>, ImportError>>,
}

impl<'a> ReadAhead<'a> {
    /// Starts reading `text` (refusing more than `node_limit` elements and texts) on a thread
    /// of `scope`.
    pub fn spawn<'scope>(
        scope: &'scope std::thread::Scope<'scope, '_>,
        text: &'a str,
        node_limit: u32,
    ) -> Self
    where
        'a: 'scope,
    {
        let (sender, batches) = std::sync::mpsc::sync_channel(READ_AHEAD_BATCHES);
        scope.spawn(move || {
            let mut reader = Reader::new(text, node_limit);
            let mut batch = Vec::with_capacity(READ_AHEAD_BATCH);
            loop {
                let event = reader.next_event();
                let last = !matches!(event, Ok(Some(_)));
                batch.push(event);
                if last || batch.len() == READ_AHEAD_BATCH {
                    let full = std::mem::replace(&mut batch, Vec::with_capacity(READ_AHEAD_BATCH));
                    // The importer stopped early (an error, or a survey needed first).
                    if sender.send(full).is_err() || last {
                        return;
                    }
                }
            }
        });
        ReadAhead { batches, batch: Vec::new().into_iter() }
    }

    /// The next event; `None` at the end of a well-formed document.
    pub fn next_event(&mut self) -> Result<Option<Event<'a>>, ImportError> {
        loop {
            if let Some(event) = self.batch.next() {
                return event;
            }
            // The thread sends the end or an error last: stopping before is a panic there.
            let batch =
                self.batches.recv().map_err(|_| ImportError::Internal("reading the XML failed".into()))?;
            self.batch = batch.into_iter();
        }
    }
}

/// The event reader. [`Reader::next_event`] returns events until the document ends.
pub struct Reader<'a> {
    text: &'a str,
    sources: Vec<Source<'a>>,
    entities: HashMap<&'a str, StrSpan<'a>>,
    /// In-scope namespace declarations, innermost last.
    namespaces: Vec<Namespace<'a>>,
    open: Vec<Open<'a>>,
    pending: VecDeque<Event<'a>>,
    start: Option<(&'a str, &'a str, usize)>,
    raw_attrs: Vec<(&'a str, &'a str, StrSpan<'a>, usize)>,
    nodes: u32,
    node_limit: u32,
    root_seen: bool,
}

impl<'a> Reader<'a> {
    /// A reader of `text` refusing documents of more than `node_limit` elements and texts.
    pub fn new(text: &'a str, node_limit: u32) -> Self {
        Self {
            text,
            sources: vec![Source::Tokens { tokens: Tokenizer::from(text), open: 0 }],
            entities: HashMap::new(),
            namespaces: Vec::new(),
            open: Vec::new(),
            pending: VecDeque::new(),
            start: None,
            raw_attrs: Vec::new(),
            nodes: 0,
            node_limit,
            root_seen: false,
        }
    }

    /// The next event; `None` at the end of a well-formed document.
    pub fn next_event(&mut self) -> Result<Option<Event<'a>>, ImportError> {
        loop {
            if let Some(event) = self.pending.pop_front() {
                return Ok(Some(event));
            }
            match self.sources.last_mut() {
                None => {
                    return match self.open.last() {
                        Some(open) => Err(self.malformed(
                            self.text.len(),
                            &format!("the document ends inside <{}>", qname(open.prefix, open.local)),
                        )),
                        None if !self.root_seen => {
                            Err(ImportError::NotXml("the document has no root element".into()))
                        }
                        None => Ok(None),
                    };
                }
                Some(Source::Text(range)) => {
                    let range = range.clone();
                    self.sources.pop();
                    self.text_span(range)?;
                }
                Some(Source::Tokens { tokens, open }) => match tokens.next() {
                    Some(Ok(token)) => self.token(token)?,
                    Some(Err(e)) => return Err(ImportError::NotXml(e.to_string())),
                    None => {
                        let open = *open;
                        self.sources.pop();
                        // The document's own end is checked above, with what is left open.
                        if !self.sources.is_empty() && self.open.len() != open {
                            return Err(ImportError::NotXml("an entity's markup is not balanced".into()));
                        }
                    }
                },
            }
        }
    }

    fn token(&mut self, token: Token<'a>) -> Result<(), ImportError> {
        match token {
            Token::ElementStart { prefix, local, span } => {
                self.start = Some((prefix.as_str(), local.as_str(), span.start()));
                self.raw_attrs.clear();
            }
            Token::Attribute { prefix, local, value, span } => {
                self.raw_attrs.push((prefix.as_str(), local.as_str(), value, span.start()));
            }
            Token::ElementEnd { end: ElementEnd::Open, .. } => self.start_element(false)?,
            Token::ElementEnd { end: ElementEnd::Empty, .. } => self.start_element(true)?,
            Token::ElementEnd { end: ElementEnd::Close(prefix, local), span } => {
                let top = match self.open.pop() {
                    Some(top) if top.prefix == prefix.as_str() && top.local == local.as_str() => top,
                    Some(top) => {
                        let found = qname(prefix.as_str(), local.as_str());
                        let expected = qname(top.prefix, top.local);
                        return Err(self
                            .malformed(span.start(), &format!("expected </{expected}>, found </{found}>")));
                    }
                    None => return Err(self.malformed(span.start(), "a close tag without an open one")),
                };
                if top.sources != self.sources.len() {
                    return Err(self.malformed(span.start(), "an element crosses an entity's boundary"));
                }
                self.namespaces.truncate(top.scope);
                self.pending.push_back(Event::End);
            }
            Token::Text { text } if !self.open.is_empty() => self.text_span(text.range())?,
            Token::Cdata { text, .. } if !self.open.is_empty() => {
                self.count()?;
                let t = text.as_str();
                let t = if t.contains('\r') {
                    Cow::Owned(t.replace("\r\n", "\n").replace('\r', "\n"))
                } else {
                    Cow::Borrowed(t)
                };
                self.pending.push_back(Event::Text(t));
            }
            Token::EntityDeclaration { name, definition: EntityDefinition::EntityValue(value), .. } => {
                // The first declaration of an entity binds it.
                self.entities.entry(name.as_str()).or_insert(value);
            }
            Token::ProcessingInstruction { target, .. } => {
                self.pending.push_back(Event::Instruction(target.as_str()));
            }
            _ => {}
        }
        Ok(())
    }

    fn count(&mut self) -> Result<(), ImportError> {
        self.nodes += 1;
        if self.nodes > self.node_limit {
            return Err(ImportError::TooManyElements { limit: self.node_limit as usize });
        }
        Ok(())
    }

    fn start_element(&mut self, empty: bool) -> Result<(), ImportError> {
        let Some((prefix, local, pos)) = self.start.take() else {
            return Err(self.malformed(0, "an element end without a start"));
        };
        self.count()?;
        if self.open.is_empty() {
            if self.root_seen {
                return Err(self.malformed(pos, "a second root element"));
            }
            self.root_seen = true;
        }
        let scope = self.namespaces.len();
        let raw = std::mem::take(&mut self.raw_attrs);
        // Declarations first: the element's own prefixes may be declared after their use.
        let mut declarations = 0;
        for &(p, l, value, at) in &raw {
            let default = p.is_empty() && l == "xmlns";
            if p != "xmlns" && !default {
                continue;
            }
            declarations += 1;
            let uri = self.attr_value(value, 0)?;
            match (p, l) {
                ("xmlns", "xml") => {}
                ("xmlns", _) if uri.is_empty() => {
                    return Err(self.malformed(at, &format!("the prefix \"{l}\" is bound to nothing")));
                }
                _ => {
                    let ns = Ns::of(&uri);
                    self.namespaces.push(Namespace { prefix: if default { "" } else { l }, uri, ns });
                }
            }
        }
        let ns = self.element_ns(prefix, pos)?;
        let mut attrs: Vec<Attr<'a>> = Vec::with_capacity(raw.len() - declarations);
        // Hostile elements carry 100,000 attributes: past a few, repeats are found by hashing.
        let many = attrs.capacity() > 16;
        let mut seen: HashSet<(Option<&str>, &str)> = HashSet::new();
        // Each attribute's namespace URI, kept once one has a prefix (most have none).
        let mut uris: Vec<Option<&str>> = Vec::new();
        let mut prefixed = false;
        for &(p, l, value, at) in &raw {
            if p == "xmlns" || (p.is_empty() && l == "xmlns") {
                continue;
            }
            let (ns, uri) = match p {
                "" => (None, None),
                "xml" => (Some(Ns::Xml), Some(XML_NS)),
                p => {
                    let i = self
                        .declaration(p)
                        .ok_or_else(|| self.malformed(at, &format!("unknown prefix \"{p}\"")))?;
                    (Some(self.namespaces[i].ns), Some(self.namespaces[i].uri.as_ref()))
                }
            };
            if uri.is_some() && !prefixed {
                prefixed = true;
                uris.resize(attrs.len(), None);
            }
            let duplicate = if many {
                !seen.insert((uri, l))
            } else {
                attrs.iter().enumerate().any(|(i, a)| a.local == l && uris.get(i).copied().flatten() == uri)
            };
            if duplicate {
                return Err(self.malformed(at, &format!("the attribute \"{}\" is repeated", qname(p, l))));
            }
            if prefixed {
                uris.push(uri);
            }
            attrs.push(Attr { ns, local: l, value: self.attr_value(value, 0)? });
        }
        self.raw_attrs = raw;
        self.open.push(Open { prefix, local, scope, sources: self.sources.len() });
        self.pending.push_back(Event::Start { ns, local, attrs });
        if empty {
            self.open.pop();
            self.namespaces.truncate(scope);
            self.pending.push_back(Event::End);
        }
        Ok(())
    }

    /// The innermost declaration of a prefix (`""`: the default namespace), if it binds one.
    fn declaration(&self, prefix: &str) -> Option<usize> {
        let i = self.namespaces.iter().rposition(|n| n.prefix == prefix)?;
        // `xmlns=""` undeclares the default namespace.
        (!self.namespaces[i].uri.is_empty()).then_some(i)
    }

    fn element_ns(&self, prefix: &str, pos: usize) -> Result<Option<Ns>, ImportError> {
        match prefix {
            "" => Ok(self.declaration("").map(|i| self.namespaces[i].ns)),
            "xml" => Ok(Some(Ns::Xml)),
            p => match self.declaration(p) {
                Some(i) => Ok(Some(self.namespaces[i].ns)),
                None => Err(self.malformed(pos, &format!("unknown prefix \"{p}\""))),
            },
        }
    }

    /// An attribute value with references expanded and white space normalised (XML 1.0 §3.3.3).
    fn attr_value(&self, span: StrSpan<'a>, depth: usize) -> Result<Cow<'a, str>, ImportError> {
        let raw = span.as_str();
        if memchr::memchr3(b'&', b'\t', b'\n', raw.as_bytes()).is_none()
            && memchr::memchr(b'\r', raw.as_bytes()).is_none()
        {
            return Ok(Cow::Borrowed(raw));
        }
        let mut out = String::with_capacity(raw.len());
        self.expand(span.range(), depth, &mut out, Content::Attr)?;
        Ok(Cow::Owned(out))
    }

    fn entity(&self, name: &str, at: usize, depth: usize) -> Result<StrSpan<'a>, ImportError> {
        if depth >= MAX_ENTITY_DEPTH {
            return Err(self.malformed(at, "entities nested too deeply"));
        }
        self.entities
            .get(name)
            .copied()
            .ok_or_else(|| self.malformed(at, &format!("unknown entity \"&{name};\"")))
    }

    /// Character data: line ends normalised and references expanded; an entity holding markup
    /// is read as markup, then the text after it.
    fn text_span(&mut self, span: Range<usize>) -> Result<(), ImportError> {
        self.count()?;
        let raw = &self.text[span.clone()];
        if memchr::memchr2(b'&', b'\r', raw.as_bytes()).is_none() {
            self.pending.push_back(Event::Text(Cow::Borrowed(raw)));
            return Ok(());
        }
        let mut out = String::with_capacity(raw.len());
        let markup = self.expand(span, self.entity_depth(), &mut out, Content::Text { markup: true })?;
        if !out.is_empty() {
            self.pending.push_back(Event::Text(Cow::Owned(out)));
        }
        if let Some((value, rest)) = markup {
            // Read after the entity's markup: sources are a stack.
            if !rest.is_empty() {
                self.sources.push(Source::Text(rest));
            }
            let tokens = Tokenizer::from_fragment(self.text, value.range());
            self.sources.push(Source::Tokens { tokens, open: self.open.len() });
        }
        Ok(())
    }

    /// Expands references into `out`, with line ends and (in attribute values) white space
    /// normalised. Text stops at the first entity holding markup where markup may be read,
    /// returned with the range after its reference; inside an entity's text it is an error.
    fn expand(
        &self,
        span: Range<usize>,
        depth: usize,
        out: &mut String,
        content: Content,
    ) -> Result<Option<(StrSpan<'a>, Range<usize>)>, ImportError> {
        let end = span.end;
        let attr = content == Content::Attr;
        let stops: &[char] = if attr { &['&', '\t', '\n', '\r'] } else { &['&', '\r'] };
        let mut s = Stream::from_substr(self.text, span);
        while !s.at_end() {
            let at = s.pos();
            match s.curr_byte_unchecked() {
                b'&' => match s.consume_reference() {
                    Ok(Reference::Char(c)) => out.push(c),
                    Ok(Reference::Entity(name)) => {
                        let value = self.entity(name, at, depth)?;
                        let markup = !attr && value.as_str().contains('<');
                        match content {
                            Content::Text { markup: true } if markup => {
                                return Ok(Some((value, s.pos()..end)));
                            }
                            Content::Text { markup: false } if markup => {
                                return Err(self.malformed(at, "markup in an entity inside another entity"));
                            }
                            Content::Attr => self.expand(value.range(), depth + 1, out, content)?,
                            Content::Text { .. } => {
                                self.expand(value.range(), depth + 1, out, Content::Text { markup: false })?
                            }
                        };
                    }
                    Err(_) => return Err(self.malformed(at, "a malformed reference")),
                },
                // \r\n is one line end; in attribute values every white space is a space.
                b'\r' if attr && s.next_byte().ok() == Some(b'\n') => s.advance(1),
                b'\t' | b'\n' | b'\r' if attr => {
                    out.push(' ');
                    s.advance(1);
                }
                b'\r' => {
                    out.push('\n');
                    s.advance(1);
                    if !s.at_end() && s.curr_byte_unchecked() == b'\n' {
                        s.advance(1);
                    }
                }
                _ => {
                    let rest = &self.text[at..end];
                    let n = rest.find(stops).unwrap_or(rest.len());
                    out.push_str(&rest[..n]);
                    s.advance(n);
                }
            }
        }
        Ok(None)
    }

    /// How many entities' markup is being read (the first tokens are the document's).
    fn entity_depth(&self) -> usize {
        self.sources.iter().filter(|s| matches!(s, Source::Tokens { .. })).count().saturating_sub(1)
    }

    fn malformed(&self, at: usize, what: &str) -> ImportError {
        let before = &self.text[..at.min(self.text.len())];
        let line = before.bytes().filter(|&b| b == b'\n').count() + 1;
        let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
        ImportError::NotXml(format!("{what} at {line}:{column}"))
    }
}

fn qname(prefix: &str, local: &str) -> String {
    if prefix.is_empty() { local.to_owned() } else { format!("{prefix}:{local}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn events(text: &str) -> Result<Vec<String>, ImportError> {
        let mut reader = Reader::new(text, 1000);
        described(|| reader.next_event())
    }

    fn described<'a>(
        mut next: impl FnMut() -> Result<Option<Event<'a>>, ImportError>,
    ) -> Result<Vec<String>, ImportError> {
        let mut out = Vec::new();
        while let Some(event) = next()? {
            out.push(match event {
                Event::Start { ns, local, attrs } => {
                    let attrs: Vec<String> =
                        attrs.iter().map(|a| format!("{:?}:{}={}", a.ns, a.local, a.value)).collect();
                    format!("<{ns:?}:{local} {}>", attrs.join(" "))
                }
                Event::End => "/".into(),
                Event::Text(t) => format!("'{t}'"),
                Event::Instruction(t) => format!("?{t}"),
            });
        }
        Ok(out)
    }

    #[test]
    fn resolves_namespaces_and_expands_references() {
        let doc = "<!DOCTYPE svg [<!ENTITY ns \"http://www.w3.org/2000/svg\"><!ENTITY f \"fill:&#114;ed\">]>\
                   <svg xmlns=\"&ns;\" xmlns:x=\"http://www.w3.org/1999/xlink\">\
                   <use x:href=\"#a\" style=\"&f;\" title=\"a\tb\r\nc\"/>a&amp;b&#x41;\r\n</svg>";
        let got = events(doc).unwrap();
        assert_eq!(got[0], "<Some(Svg):svg >");
        assert_eq!(got[1], "<Some(Svg):use Some(Xlink):href=#a None:style=fill:red None:title=a b c>");
        assert_eq!(got[2..], ["/", "'a&bA\n'", "/"]);
    }

    #[test]
    fn reads_markup_from_an_entity_then_the_text_after_it() {
        let doc = "<!DOCTYPE svg [<!ENTITY s \"<script>x</script>\">]><svg>a&s;b</svg>";
        assert_eq!(events(doc).unwrap(), ["<None:svg >", "'a'", "<None:script >", "'x'", "/", "'b'", "/"]);
    }

    #[test]
    fn refuses_malformed_documents() {
        for bad in [
            "<svg><g></svg>",
            "<svg>",
            "<svg a=\"1\" a=\"2\"/>",
            "<x:svg/>",
            "<svg>&nope;</svg>",
            "<svg/><svg/>",
            "<!DOCTYPE svg [<!ENTITY p \"</g>\">]><svg><g>&p;</svg>",
        ] {
            assert!(matches!(events(bad), Err(ImportError::NotXml(_))), "{bad}");
        }
        let attrs: String = (0..40).map(|i| format!(" a{i}=\"1\"")).collect();
        assert!(events(&format!("<svg{attrs}/>")).is_ok());
        assert!(
            matches!(events(&format!("<svg{attrs} a7=\"2\"/>")), Err(ImportError::NotXml(_))),
            "many attributes"
        );
        let many = format!("<svg>{}</svg>", "<g/>".repeat(2000));
        assert!(matches!(events(&many), Err(ImportError::TooManyElements { .. })));
    }

    #[test]
    fn tells_same_names_in_different_namespaces_apart() {
        let doc = "<svg xmlns:a=\"urn:a\" xmlns:b=\"urn:b\" a:x=\"1\" b:x=\"2\" x=\"3\"/>";
        assert_eq!(events(doc).unwrap()[0], "<None:svg Some(Other):x=1 Some(Other):x=2 None:x=3>");
    }

    #[test]
    fn reading_ahead_on_another_thread_gives_the_same_events_and_errors() {
        let attrs: String = (0..40).map(|i| format!(" a{i}=\"1\"")).collect();
        let long = format!("<svg>{}</svg>", "<g a=\"1\">t</g>".repeat(3000));
        for doc in [
            "<!DOCTYPE svg [<!ENTITY s \"<script>x</script>\">]><svg>a&s;b</svg>",
            "<svg><g></svg>",
            "<svg>&nope;</svg>",
            &format!("<svg{attrs} a7=\"2\"/>"),
            &format!("<svg>{}</svg>", "<g/>".repeat(2000)),
            &long,
        ] {
            let ahead = std::thread::scope(|scope| {
                let mut reader = ReadAhead::spawn(scope, doc, 1000);
                described(|| reader.next_event())
            });
            let mut reader = Reader::new(doc, 1000);
            let here = described(|| reader.next_event());
            assert_eq!(format!("{ahead:?}"), format!("{here:?}"), "{}", &doc[..doc.len().min(60)]);
        }
        // A reader dropped early (the importer stopped) ends its thread: the scope returns.
        let first = std::thread::scope(|scope| ReadAhead::spawn(scope, &long, 100_000).next_event().is_ok());
        assert!(first);
    }
}
