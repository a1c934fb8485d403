//! Changes to a file's bytes for the property tests over outside files: the same
//! mutations for every format, plus extreme numbers written as text (JSON) or as 32-bit
//! integers (the sizes in binary headers).

#![allow(dead_code)] // each test binary uses a part of it

use proptest::prelude::*;
use proptest::sample::Index;

/// One change to a file's bytes.
#[derive(Debug, Clone)]
pub enum Mutation {
    Set(Index, u8),
    Insert(Index, u8),
    Remove(Index),
    Truncate(Index),
    /// Replaces the number (digits) at a place with an extreme one.
    Number(Index, &'static str),
    /// Writes four bytes over a place (an extreme 32-bit number in either byte order).
    Overwrite(Index, [u8; 4]),
    /// Repeats a slice of the file at another place.
    Repeat(Index, Index, usize),
}

const EXTREME_TEXT: [&str; 8] = [
    "-9223372036854775808",
    "9223372036854775807",
    "18446744073709551616",
    "1e400",
    "-1e16",
    "0.5",
    "1e16",
    "-0",
];

const EXTREME_U32: [u32; 7] = [0, 1, 0xffff, 16_384, 16_385, 0x7fff_ffff, u32::MAX];

fn byte_mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Mutation::Set(i, b)),
        (any::<Index>(), any::<u8>()).prop_map(|(i, b)| Mutation::Insert(i, b)),
        any::<Index>().prop_map(Mutation::Remove),
        any::<Index>().prop_map(Mutation::Truncate),
        (any::<Index>(), any::<Index>(), 1usize..200)
            .prop_map(|(a, b, n)| Mutation::Repeat(a, b, n)),
    ]
}

/// Mutations of a text format: bytes, and numbers written as text.
pub fn text_mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        5 => byte_mutation(),
        1 => (any::<Index>(), prop::sample::select(EXTREME_TEXT.to_vec()))
            .prop_map(|(i, n)| Mutation::Number(i, n)),
    ]
}

/// Mutations of a binary format: bytes, and 32-bit numbers big- or little-endian.
pub fn binary_mutation() -> impl Strategy<Value = Mutation> {
    prop_oneof![
        5 => byte_mutation(),
        2 => (any::<Index>(), prop::sample::select(EXTREME_U32.to_vec()), any::<bool>())
            .prop_map(|(i, n, big)| Mutation::Overwrite(i, if big { n.to_be_bytes() } else { n.to_le_bytes() })),
    ]
}

pub fn mutate(base: &[u8], mutations: &[Mutation]) -> Vec<u8> {
    let mut bytes = base.to_vec();
    for mutation in mutations {
        if bytes.is_empty() {
            break;
        }
        match mutation {
            Mutation::Set(at, byte) => {
                let at = at.index(bytes.len());
                bytes[at] = *byte;
            }
            Mutation::Insert(at, byte) => bytes.insert(at.index(bytes.len() + 1), *byte),
            Mutation::Remove(at) => {
                bytes.remove(at.index(bytes.len()));
            }
            Mutation::Truncate(at) => bytes.truncate(at.index(bytes.len())),
            Mutation::Number(at, number) => {
                let start = at.index(bytes.len());
                if let Some(offset) = bytes[start..].iter().position(u8::is_ascii_digit) {
                    let from = start + offset;
                    let end = bytes[from..]
                        .iter()
                        .position(|b| !b.is_ascii_digit() && *b != b'.')
                        .map_or(bytes.len(), |n| from + n);
                    bytes.splice(from..end, number.bytes());
                }
            }
            Mutation::Overwrite(at, four) => {
                if bytes.len() >= 4 {
                    let at = at.index(bytes.len() - 3);
                    bytes[at..at + 4].copy_from_slice(four);
                }
            }
            Mutation::Repeat(from, to, len) => {
                let start = from.index(bytes.len());
                let end = (start + len).min(bytes.len());
                let slice = bytes[start..end].to_vec();
                let at = to.index(bytes.len() + 1);
                bytes.splice(at..at, slice);
            }
        }
    }
    bytes
}
