//! The matcher as bytes, for the compiled-lexicon cache. Everything read is
//! checked so that a damaged file cannot make a lookup index out of range.

use super::Matcher;
use super::codes::Codes;
use super::pairs::Pairs;
use super::trie::{Edges, Trie};
use crate::lexicon::cache::Reader;

/// A count, then the values (the count is `len`, as the iterator may not know it).
fn put_u32s(out: &mut Vec<u8>, len: usize, values: impl Iterator<Item = u32>) {
    out.extend_from_slice(&(len as u32).to_le_bytes());
    for v in values {
        out.extend_from_slice(&v.to_le_bytes());
    }
}

fn put_pairs(out: &mut Vec<u8>, pairs: &Pairs) {
    out.extend_from_slice(&pairs.shift().to_le_bytes());
    let words = pairs.words();
    let halves = words.iter().flat_map(|w| [*w as u32, (w >> 32) as u32]);
    put_u32s(out, words.len() * 2, halves);
}

fn read_pairs(r: &mut Reader) -> Result<Pairs, ()> {
    let shift = r.u32().map_err(drop)?;
    let halves = r.u32s().map_err(drop)?;
    let words = halves
        .chunks_exact(2)
        .map(|h| u64::from(h[0]) | u64::from(h[1]) << 32)
        .collect();
    Pairs::from_words(shift, words)
}

pub fn write(m: &Matcher, out: &mut Vec<u8>) {
    let chars = m.codes.chars();
    put_u32s(out, chars.len(), chars.iter().map(|&c| c as u32));
    let aliases = m.codes.aliases();
    let flat = aliases.iter().flat_map(|&(c, code)| [c as u32, code]);
    put_u32s(out, aliases.len() * 2, flat);
    put_pairs(out, &m.pairs);
    put_pairs(out, &m.next_pairs);
    let t = &m.trie;
    put_u32s(out, t.root.len() * 2, t.root.iter().flatten().copied());
    out.extend_from_slice(&t.nodes.to_le_bytes());
    out.extend_from_slice(&t.edges.max_probe.to_le_bytes());
    let slots = &t.edges.slots;
    put_u32s(out, slots.len() * 4, slots.iter().flatten().copied());
}

/// What [`put_u32s`] wrote, read straight into groups of `N` (the edge
/// table is 8 MiB: no intermediate copy, so a cached lexicon loads fast).
fn read_groups<const N: usize>(r: &mut Reader) -> Result<Vec<[u32; N]>, ()> {
    let n = r.u32().map_err(drop)? as usize;
    if !n.is_multiple_of(N) {
        return Err(());
    }
    let bytes = r.take(n.checked_mul(4).ok_or(())?).map_err(drop)?;
    Ok(bytes
        .chunks_exact(4 * N)
        .map(|g| {
            std::array::from_fn(|k| {
                u32::from_le_bytes([g[4 * k], g[4 * k + 1], g[4 * k + 2], g[4 * k + 3]])
            })
        })
        .collect())
}

pub fn read(r: &mut Reader) -> Result<Matcher, ()> {
    let chars: Vec<char> = r
        .u32s()
        .map_err(drop)?
        .into_iter()
        .map(char::from_u32)
        .collect::<Option<_>>()
        .ok_or(())?;
    let aliases: Vec<(char, u32)> = read_groups::<2>(r)?
        .into_iter()
        .map(|[c, code]| Some((char::from_u32(c)?, code)))
        .collect::<Option<_>>()
        .ok_or(())?;
    let codes = Codes::from_chars(chars)?.with_aliases(&aliases)?;
    let pairs = read_pairs(r)?;
    let next_pairs = read_pairs(r)?;
    let root: Box<[[u32; 2]]> = read_groups::<2>(r)?.into_boxed_slice();
    let nodes = r.u32().map_err(drop)?;
    let max_probe = r.u32().map_err(drop)?;
    let slots = read_groups::<4>(r)?;
    if root.len() != codes.len() || root.iter().any(|&[n, _]| n > nodes) {
        return Err(());
    }
    let edges = Edges::from_slots(slots, max_probe, nodes)?;
    let trie = Trie { root, edges, nodes };
    Ok(Matcher::assemble(codes, pairs, next_pairs, trie))
}
