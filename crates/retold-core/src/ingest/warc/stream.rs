//! A byte stream that knows its offset and can take bytes back.
//!
//! The WARC reader needs the offset where every record starts, reads lines
//! of bounded length, and, when a record's `Content-Length` ran into the next
//! record, puts the swallowed bytes back so the next record is read from its
//! real start.

use std::io::{self, BufRead};

pub(super) struct Stream<'a> {
    inner: &'a mut dyn BufRead,
    /// Bytes given back, read before `inner`.
    back: Vec<u8>,
    back_at: usize,
    /// Offset of the next byte in the whole (decompressed) input.
    pos: u64,
}

impl<'a> Stream<'a> {
    pub fn new(inner: &'a mut dyn BufRead) -> Self {
        Self {
            inner,
            back: Vec::new(),
            back_at: 0,
            pos: 0,
        }
    }

    /// Offset of the next byte to be read.
    pub fn pos(&self) -> u64 {
        self.pos
    }

    fn fill(&mut self) -> io::Result<&[u8]> {
        if self.back_at < self.back.len() {
            return Ok(&self.back[self.back_at..]);
        }
        loop {
            match self.inner.fill_buf() {
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
                Ok(_) => break,
            }
        }
        self.inner.fill_buf()
    }

    fn consume(&mut self, n: usize) {
        if self.back_at < self.back.len() {
            self.back_at += n;
            if self.back_at >= self.back.len() {
                self.back.clear();
                self.back_at = 0;
            }
        } else {
            self.inner.consume(n);
        }
        self.pos += n as u64;
    }

    /// Puts `bytes`, just read, back in front of the stream.
    pub fn unread(&mut self, bytes: &[u8]) {
        if bytes.is_empty() {
            return;
        }
        let mut back = Vec::with_capacity(bytes.len() + self.back.len() - self.back_at);
        back.extend_from_slice(bytes);
        back.extend_from_slice(&self.back[self.back_at..]);
        self.back = back;
        self.back_at = 0;
        self.pos = self.pos.saturating_sub(bytes.len() as u64);
    }

    /// Reads one line (through its `\n`), appending at most `cap` bytes of it
    /// to `buf`. Returns the line's full length, `None` at the end of input.
    /// Never holds more than `cap` bytes, however long the line.
    pub fn read_line(&mut self, cap: usize, buf: &mut Vec<u8>) -> io::Result<Option<u64>> {
        let mut total: u64 = 0;
        loop {
            let available = self.fill()?;
            if available.is_empty() {
                return Ok((total > 0).then_some(total));
            }
            let (take, done) = match available.iter().position(|&b| b == b'\n') {
                Some(i) => (i + 1, true),
                None => (available.len(), false),
            };
            let room = cap.saturating_sub(buf.len()).min(take);
            buf.extend_from_slice(&available[..room]);
            self.consume(take);
            total += take as u64;
            if done {
                return Ok(Some(total));
            }
        }
    }

    /// Appends up to `n` bytes to `buf`; fewer only at the end of input.
    pub fn read_up_to(&mut self, n: u64, buf: &mut Vec<u8>) -> io::Result<u64> {
        let mut got: u64 = 0;
        while got < n {
            let available = self.fill()?;
            if available.is_empty() {
                break;
            }
            let take = available
                .len()
                .min((n - got).min(usize::MAX as u64) as usize);
            buf.extend_from_slice(&available[..take]);
            self.consume(take);
            got += take as u64;
        }
        Ok(got)
    }

    /// Skips up to `n` bytes; fewer only at the end of input.
    pub fn skip(&mut self, n: u64) -> io::Result<u64> {
        let mut got: u64 = 0;
        while got < n {
            let available = self.fill()?;
            if available.is_empty() {
                break;
            }
            let take = available
                .len()
                .min((n - got).min(usize::MAX as u64) as usize);
            self.consume(take);
            got += take as u64;
        }
        Ok(got)
    }

    /// The next `n` bytes (fewer at the end of input), left unread.
    pub fn peek(&mut self, n: usize) -> io::Result<Vec<u8>> {
        let mut buf = Vec::with_capacity(n);
        self.read_up_to(n as u64, &mut buf)?;
        self.unread(&buf);
        Ok(buf)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_offsets_and_unread() {
        // A tiny buffer so reads cross buffer boundaries.
        let data = b"first line\r\nsecond\nthird";
        let mut inner = io::BufReader::with_capacity(3, &data[..]);
        let mut s = Stream::new(&mut inner);
        let mut buf = Vec::new();
        assert_eq!(s.read_line(5, &mut buf).unwrap(), Some(12));
        assert_eq!(buf, b"first");
        assert_eq!(s.pos(), 12);
        buf.clear();
        assert_eq!(s.read_line(100, &mut buf).unwrap(), Some(7));
        s.unread(&buf);
        assert_eq!(s.pos(), 12);
        assert_eq!(s.peek(3).unwrap(), b"sec");
        let mut all = Vec::new();
        assert_eq!(s.read_up_to(100, &mut all).unwrap(), 12);
        assert_eq!(all, b"second\nthird");
        assert_eq!(s.pos(), data.len() as u64);
        assert_eq!(s.read_line(10, &mut Vec::new()).unwrap(), None);
        s.unread(b"xy");
        assert_eq!(s.skip(10).unwrap(), 2);
    }
}
