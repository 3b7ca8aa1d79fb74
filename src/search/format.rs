//! Byte-level pieces of the index format: LEB128 varints and the dictionary shard hash.
//! `search.js` has the mirror image of each function.

/// Appends `v` as an unsigned LEB128 varint (7 bits a byte, low bits first).
pub(crate) fn put_varint(out: &mut Vec<u8>, mut v: u64) {
    while v >= 0x80 {
        out.push((v as u8 & 0x7f) | 0x80);
        v >>= 7;
    }
    out.push(v as u8);
}

/// Reads a varint at `*pos`, advancing it; None on truncated or overlong input. (The
/// site reads the index in `search.js`; this is for the tests' reader.)
#[cfg(test)]
pub(crate) fn get_varint(bytes: &[u8], pos: &mut usize) -> Option<u64> {
    let mut v: u64 = 0;
    let mut shift = 0u32;
    loop {
        let b = *bytes.get(*pos)?;
        *pos += 1;
        if shift > 56 {
            return None;
        }
        v |= u64::from(b & 0x7f) << shift;
        if b < 0x80 {
            return Some(v);
        }
        shift += 7;
    }
}

/// FNV-1a (32 bits) over the UTF-16 code units of `key`: picks a dictionary shard. UTF-16
/// because that is what JavaScript strings give cheaply.
pub(crate) fn shard_hash(key: &str) -> u32 {
    let mut h: u32 = 0x811c_9dc5;
    for u in key.encode_utf16() {
        h ^= u32::from(u);
        h = h.wrapping_mul(16_777_619);
    }
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn varint_round_trip() {
        let values = [
            0u64,
            1,
            127,
            128,
            300,
            16_383,
            16_384,
            u32::MAX as u64,
            1 << 50,
        ];
        let mut buf = Vec::new();
        for v in values {
            put_varint(&mut buf, v);
        }
        let mut pos = 0;
        for v in values {
            assert_eq!(get_varint(&buf, &mut pos), Some(v));
        }
        assert_eq!(pos, buf.len());
        assert_eq!(get_varint(&[0x80], &mut 0), None);
    }

    #[test]
    fn varint_sizes() {
        let mut buf = Vec::new();
        put_varint(&mut buf, 127);
        assert_eq!(buf.len(), 1);
        buf.clear();
        put_varint(&mut buf, 128);
        assert_eq!(buf, [0x80, 0x01]);
    }

    #[test]
    fn hash_matches_reference_values() {
        // Same values as search.js computes (FNV-1a over UTF-16 units).
        assert_eq!(shard_hash(""), 0x811c_9dc5);
        assert_eq!(shard_hash("a"), 0xe40c_292c);
    }
}
