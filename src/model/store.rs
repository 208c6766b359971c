//! The map's node slots, kept in shared chunks: a copy of the map (the editor's snapshot of
//! each revision) shares the chunks, and a change copies only the chunk its node is in.

use std::sync::Arc;

use super::node::Node;

/// Slots per chunk, as a power of two. A copy of the 50k plan's 100,000 slots costs about a
/// hundred reference counts instead of 100,000 (each a cache miss at the node it counts: 1 to
/// 8 ms a revision); the first change in a chunk after a copy copies its 1,024 slots.
const CHUNK_BITS: usize = 10;
const CHUNK: usize = 1 << CHUNK_BITS;

/// A node, shared with the map's copies until one of them changes it; `None` for a slot
/// whose node was taken out or not put in yet.
pub(super) type Slot = Option<Arc<Node>>;

/// Node slots by index, in chunks shared between copies.
#[derive(Debug, Clone, Default)]
pub(super) struct NodeStore {
    chunks: Vec<Arc<Vec<Slot>>>,
    len: usize,
}

impl NodeStore {
    /// Room for `slots` slots before more chunks are allocated.
    pub(super) fn reserve(&mut self, slots: usize) {
        self.chunks.reserve((self.len + slots).div_ceil(CHUNK).saturating_sub(self.chunks.len()));
    }

    /// Number of slots (filled or not).
    pub(super) fn len(&self) -> usize {
        self.len
    }

    /// Adds a slot at the end.
    pub(super) fn push(&mut self, slot: Slot) {
        if self.len.is_multiple_of(CHUNK) {
            self.chunks.push(Arc::new(Vec::with_capacity(CHUNK)));
        }
        let last = self.chunks.last_mut().expect("a chunk was just made when none had room");
        Arc::make_mut(last).push(slot);
        self.len += 1;
    }

    /// The slot at `index`, if there is one.
    pub(super) fn get(&self, index: usize) -> Option<&Slot> {
        self.chunks.get(index >> CHUNK_BITS)?.get(index & (CHUNK - 1))
    }

    /// The slot at `index` to change, its chunk made this map's own first.
    pub(super) fn get_mut(&mut self, index: usize) -> Option<&mut Slot> {
        Arc::make_mut(self.chunks.get_mut(index >> CHUNK_BITS)?).get_mut(index & (CHUNK - 1))
    }

    /// Every slot, by index.
    pub(super) fn iter(&self) -> impl Iterator<Item = &Slot> {
        self.chunks.iter().flat_map(|chunk| chunk.iter())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::NodeKind;

    fn node(name: &str) -> Slot {
        let mut n = Node::new(NodeKind::Group(Vec::new()));
        n.id = crate::ids::RawId::new(name);
        Some(Arc::new(n))
    }

    fn id(slot: Option<&Slot>) -> Option<String> {
        Some(slot?.as_ref()?.id.as_ref()?.to_string())
    }

    /// Slots across chunk boundaries are found by index, and a change to a copy leaves the
    /// original as it was while the copy shares every chunk it did not change.
    #[test]
    fn a_copy_shares_chunks_until_one_is_changed() {
        let mut store = NodeStore::default();
        store.reserve(3 * CHUNK);
        for i in 0..2 * CHUNK + 5 {
            store.push(if i == 7 { None } else { node(&format!("n{i}")) });
        }
        assert_eq!(store.len(), 2 * CHUNK + 5);
        assert_eq!(id(store.get(CHUNK)), Some(format!("n{CHUNK}")));
        assert_eq!(id(store.get(2 * CHUNK + 4)), Some(format!("n{}", 2 * CHUNK + 4)));
        assert!(store.get(2 * CHUNK + 5).is_none() && store.get(7).is_some_and(Option::is_none));
        assert_eq!(store.iter().filter(|s| s.is_some()).count(), 2 * CHUNK + 4);

        let mut copy = store.clone();
        *copy.get_mut(CHUNK + 1).unwrap() = node("changed");
        copy.push(node("added"));
        assert_eq!(id(copy.get(CHUNK + 1)).as_deref(), Some("changed"));
        assert_eq!(id(store.get(CHUNK + 1)), Some(format!("n{}", CHUNK + 1)), "the original is as it was");
        assert_eq!((store.len(), copy.len()), (2 * CHUNK + 5, 2 * CHUNK + 6));
        assert!(Arc::ptr_eq(&store.chunks[0], &copy.chunks[0]), "an unchanged chunk is shared");
        assert!(!Arc::ptr_eq(&store.chunks[1], &copy.chunks[1]), "a changed chunk is the copy's own");
        assert!(!Arc::ptr_eq(&store.chunks[2], &copy.chunks[2]), "so is the one a slot was added to");
    }
}
