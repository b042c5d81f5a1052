//! Checkpoint files: a sequence of binary blocks (the MD state, the run's position, one block
//! per rank), written atomically and checked when read back.
//!
//! Layout (little-endian): the magic `NCCKPT01`, the number of blocks (u64), each block as its
//! length in bytes (u64) and its bytes, then the FNV-1a 64-bit hash of everything before it.
//! [`write_atomic`] writes `FILE.tmp` beside `FILE`, syncs it to disk and renames it over
//! `FILE`: a run killed while writing leaves the previous checkpoint whole (rename is atomic
//! on POSIX file systems), and a torn or foreign file fails the hash or the magic on reading.
//!
//! [`Encoder`] and [`Decoder`] put numbers, arrays and byte strings into blocks and take them
//! out again bit for bit; a decoder that runs past its block's end is an error, not a panic.

use std::io::Write;
use std::path::{Path, PathBuf};

use crate::error::{Error, Result};

const MAGIC: &[u8; 8] = b"NCCKPT01";

/// Builds one block.
#[derive(Clone, Debug, Default)]
pub struct Encoder {
    buf: Vec<u8>,
}

impl Encoder {
    /// An empty block.
    pub fn new() -> Self {
        Self::default()
    }

    /// Append a u64.
    pub fn u64(&mut self, v: u64) -> &mut Self {
        self.buf.extend_from_slice(&v.to_le_bytes());
        self
    }

    /// Append an f64, bit for bit.
    pub fn f64(&mut self, v: f64) -> &mut Self {
        self.buf.extend_from_slice(&v.to_le_bytes());
        self
    }

    /// Append a length-prefixed array of f64.
    pub fn f64s(&mut self, v: &[f64]) -> &mut Self {
        self.u64(v.len() as u64);
        for x in v {
            self.f64(*x);
        }
        self
    }

    /// Append a length-prefixed byte string.
    pub fn bytes(&mut self, v: &[u8]) -> &mut Self {
        self.u64(v.len() as u64);
        self.buf.extend_from_slice(v);
        self
    }

    /// Append a length-prefixed UTF-8 string.
    pub fn str(&mut self, v: &str) -> &mut Self {
        self.bytes(v.as_bytes())
    }

    /// The block.
    pub fn finish(self) -> Vec<u8> {
        self.buf
    }
}

/// Reads one block in the order it was written; every read past the end is an error.
#[derive(Clone, Debug)]
pub struct Decoder<'a> {
    buf: &'a [u8],
    pos: usize,
    what: &'a str,
}

impl<'a> Decoder<'a> {
    /// A decoder of `buf`; `what` names the block in errors.
    pub fn new(buf: &'a [u8], what: &'a str) -> Self {
        Decoder { buf, pos: 0, what }
    }

    fn take(&mut self, n: usize) -> Result<&'a [u8]> {
        let end = self.pos.checked_add(n).filter(|&e| e <= self.buf.len());
        let Some(end) = end else {
            return Err(Error::run(format!(
                "checkpoint block '{}' ends at byte {} where {n} more were expected",
                self.what,
                self.buf.len()
            )));
        };
        let s = &self.buf[self.pos..end];
        self.pos = end;
        Ok(s)
    }

    /// The next u64.
    pub fn u64(&mut self) -> Result<u64> {
        let b = self.take(8)?;
        Ok(u64::from_le_bytes(b.try_into().unwrap_or([0; 8])))
    }

    /// The next u64 as a count or index, checked against `limit` (what the block can hold).
    pub fn count(&mut self, limit: usize) -> Result<usize> {
        let n = self.u64()?;
        usize::try_from(n)
            .ok()
            .filter(|&n| n <= limit)
            .ok_or_else(|| {
                Error::run(format!(
                    "checkpoint block '{}': length {n} where at most {limit} fit",
                    self.what
                ))
            })
    }

    /// The next f64.
    pub fn f64(&mut self) -> Result<f64> {
        let b = self.take(8)?;
        Ok(f64::from_le_bytes(b.try_into().unwrap_or([0; 8])))
    }

    /// The next array of f64.
    pub fn f64s(&mut self) -> Result<Vec<f64>> {
        let n = self.count(self.remaining() / 8)?;
        (0..n).map(|_| self.f64()).collect()
    }

    /// The next byte string.
    pub fn bytes(&mut self) -> Result<&'a [u8]> {
        let n = self.count(self.remaining())?;
        self.take(n)
    }

    /// The next string.
    pub fn str(&mut self) -> Result<String> {
        let what = self.what;
        let b = self.bytes()?;
        String::from_utf8(b.to_vec())
            .map_err(|_| Error::run(format!("checkpoint block '{what}': a name is not UTF-8")))
    }

    /// Bytes left.
    pub fn remaining(&self) -> usize {
        self.buf.len() - self.pos
    }
}

/// FNV-1a, 64 bit: detects a torn or altered file (not an adversary).
fn fnv1a(data: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in data {
        h ^= b as u64;
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// The temporary file a checkpoint is written to before it replaces `path`.
pub fn temporary_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".tmp");
    path.with_file_name(name)
}

/// The bytes of a checkpoint file of `blocks`.
pub fn encode_file(blocks: &[Vec<u8>]) -> Vec<u8> {
    let mut out = Vec::with_capacity(16 + blocks.iter().map(|b| b.len() + 8).sum::<usize>());
    out.extend_from_slice(MAGIC);
    out.extend_from_slice(&(blocks.len() as u64).to_le_bytes());
    for b in blocks {
        out.extend_from_slice(&(b.len() as u64).to_le_bytes());
        out.extend_from_slice(b);
    }
    let h = fnv1a(&out);
    out.extend_from_slice(&h.to_le_bytes());
    out
}

/// Write `blocks` to `path` atomically: `path.tmp`, synced, then renamed over `path`.
pub fn write_atomic(path: &Path, blocks: &[Vec<u8>]) -> Result<()> {
    let tmp = temporary_path(path);
    let data = encode_file(blocks);
    let write = || -> std::io::Result<()> {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(&data)?;
        f.sync_all()?;
        Ok(())
    };
    write().map_err(|e| Error::io(&tmp, e))?;
    std::fs::rename(&tmp, path).map_err(|e| Error::io(path, e))?;
    // The rename itself reaches the disk with the folder's metadata (best effort: not every
    // file system lets a folder be synced).
    if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
        if let Ok(d) = std::fs::File::open(dir) {
            let _ = d.sync_all();
        }
    }
    Ok(())
}

/// The blocks of the checkpoint file at `path`, after checking its magic, lengths and hash.
pub fn read(path: &Path) -> Result<Vec<Vec<u8>>> {
    let data = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    decode_file(&data).map_err(|msg| Error::input(path, None, msg))
}

/// The blocks of a checkpoint file's bytes, or what is wrong with them.
pub fn decode_file(data: &[u8]) -> std::result::Result<Vec<Vec<u8>>, String> {
    if data.len() < 24 || &data[..8] != MAGIC {
        return Err("not a nanocontact checkpoint (no NCCKPT01 header)".into());
    }
    let (body, tail) = data.split_at(data.len() - 8);
    let stored = u64::from_le_bytes(tail.try_into().unwrap_or([0; 8]));
    if fnv1a(body) != stored {
        return Err(format!(
            "checkpoint damaged: its {} bytes do not match their hash (a write cut short?)",
            data.len()
        ));
    }
    let mut d = Decoder::new(&body[8..], "file");
    let n = d.count(body.len() / 8).map_err(|e| e.to_string())?;
    let mut blocks = Vec::with_capacity(n);
    for _ in 0..n {
        blocks.push(d.bytes().map_err(|e| e.to_string())?.to_vec());
    }
    if d.remaining() != 0 {
        return Err(format!(
            "{} stray bytes after the last block",
            d.remaining()
        ));
    }
    Ok(blocks)
}

/// Bytes as f64 words for the MPI gather (bit copies; the last word zero-padded), with the
/// byte count in front.
pub fn bytes_to_words(b: &[u8]) -> Vec<f64> {
    let mut w = Vec::with_capacity(1 + b.len().div_ceil(8));
    w.push(f64::from_bits(b.len() as u64));
    for c in b.chunks(8) {
        let mut a = [0u8; 8];
        a[..c.len()].copy_from_slice(c);
        w.push(f64::from_le_bytes(a));
    }
    w
}

/// The byte strings of concatenated [`bytes_to_words`] outputs, in order.
pub fn words_to_blocks(words: &[f64]) -> Result<Vec<Vec<u8>>> {
    let mut out = Vec::new();
    let mut k = 0;
    while k < words.len() {
        let n = words[k].to_bits() as usize;
        let nw = n.div_ceil(8);
        let Some(chunk) = words.get(k + 1..k + 1 + nw) else {
            return Err(Error::run("checkpoint gather: a rank's block is cut short"));
        };
        let mut b: Vec<u8> = chunk.iter().flat_map(|w| w.to_le_bytes()).collect();
        b.truncate(n);
        out.push(b);
        k += 1 + nw;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn scratch(name: &str) -> PathBuf {
        let d = std::env::temp_dir().join(format!("nc-ckpt-{}-{name}", std::process::id()));
        let _ = std::fs::remove_dir_all(&d);
        std::fs::create_dir_all(&d).unwrap();
        d
    }

    #[test]
    fn blocks_round_trip_bit_for_bit() {
        let mut e = Encoder::new();
        e.u64(7)
            .f64(-0.0)
            .f64s(&[1.5, f64::INFINITY, f64::MIN_POSITIVE]);
        e.str("thermostat").bytes(&[1, 2, 3]);
        let block = e.finish();
        let file = encode_file(&[block.clone(), Vec::new()]);
        let blocks = decode_file(&file).unwrap();
        assert_eq!(blocks, [block, Vec::new()]);
        let mut d = Decoder::new(&blocks[0], "test");
        assert_eq!(d.u64().unwrap(), 7);
        assert_eq!(d.f64().unwrap().to_bits(), (-0.0f64).to_bits());
        assert_eq!(d.f64s().unwrap(), [1.5, f64::INFINITY, f64::MIN_POSITIVE]);
        assert_eq!(d.str().unwrap(), "thermostat");
        assert_eq!(d.bytes().unwrap(), [1, 2, 3]);
        let e = d.u64().unwrap_err().to_string();
        assert!(e.contains("'test'") && e.contains("8 more"), "{e}");
        let words: Vec<f64> = [vec![1u8; 13], vec![], vec![9u8; 8]]
            .iter()
            .flat_map(|b| bytes_to_words(b))
            .collect();
        assert_eq!(
            words_to_blocks(&words).unwrap(),
            [vec![1u8; 13], vec![], vec![9u8; 8]]
        );
    }

    #[test]
    fn a_damaged_or_foreign_file_is_an_error_naming_it() {
        let file = encode_file(&[vec![5u8; 40]]);
        for (k, bad) in [
            file[..file.len() - 3].to_vec(),
            {
                let mut f = file.clone();
                f[20] ^= 1;
                f
            },
            b"hello world, not a checkpoint at all".to_vec(),
        ]
        .into_iter()
        .enumerate()
        {
            let dir = scratch(&format!("bad{k}"));
            let p = dir.join("checkpoint");
            std::fs::write(&p, bad).unwrap();
            let e = read(&p).unwrap_err().to_string();
            assert!(e.contains("checkpoint"), "{e}");
            assert!(e.starts_with(&p.display().to_string()), "{e}");
        }
    }

    #[test]
    fn an_interrupted_write_leaves_the_last_good_checkpoint() {
        let dir = scratch("atomic");
        let p = dir.join("checkpoint");
        write_atomic(&p, &[vec![1u8; 100]]).unwrap();
        // A run killed while writing the next one leaves a torn temporary file beside it.
        let next = encode_file(&[vec![2u8; 100]]);
        std::fs::write(temporary_path(&p), &next[..60]).unwrap();
        assert_eq!(read(&p).unwrap(), [vec![1u8; 100]]);
        // A write that fails (here: the temporary path is a folder) leaves it as well.
        std::fs::remove_file(temporary_path(&p)).unwrap();
        std::fs::create_dir(temporary_path(&p)).unwrap();
        assert!(write_atomic(&p, &[vec![3u8; 100]]).is_err());
        assert_eq!(read(&p).unwrap(), [vec![1u8; 100]]);
        std::fs::remove_dir(temporary_path(&p)).unwrap();
        write_atomic(&p, &[vec![4u8; 10]]).unwrap();
        assert_eq!(read(&p).unwrap(), [vec![4u8; 10]]);
        assert!(!temporary_path(&p).exists());
    }
}
