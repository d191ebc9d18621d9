//! Where a quote went wrong, and on which line each record starts.
//!
//! The csv reader does not report a quote left open: it reads on, across
//! line ends, until the next quote closes the field (Strong quotes every
//! name, so that is usually the next row's), or to the end of the file when
//! none comes. Either way it hands back a record that looks whole. So the
//! importer asks this scan about records that cannot be right: one that
//! spans lines yet has the wrong number of fields, or the last one (an open
//! quote at the end of the file). The scan follows the reader's own rules:
//! a quote opens a field only as its first character, `""` inside is a
//! quote, and characters after a closing quote are kept as they come.
//!
//! Line numbers are counted here from byte offsets too: the reader's own
//! count is off by one per CRLF record until a quoted line break resyncs it.

/// What the scan of one record found, as line breaks from the record's
/// first line (0: on that line).
#[derive(Debug, Default, PartialEq, Eq)]
pub(super) struct Quotes {
    /// The quote of the first field that holds a line break.
    pub(super) spanning: Option<u64>,
    /// The quote still open at the end of the text.
    pub(super) open_at_end: Option<u64>,
}

/// Scans the record at the start of `text`.
pub(super) fn scan(text: &str, delimiter: u8) -> Quotes {
    #[derive(Clone, Copy)]
    enum State {
        FieldStart,
        Unquoted,
        Quoted,
        QuoteInQuoted,
    }
    let mut state = State::FieldStart;
    let mut found = Quotes::default();
    let mut breaks = 0;
    let mut opened_at = 0;
    let bytes = text.as_bytes();
    for (index, &byte) in bytes.iter().enumerate() {
        state = match (state, byte) {
            (State::Quoted, b'"') => State::QuoteInQuoted,
            (State::Quoted, b'\n' | b'\r') => {
                if byte == b'\n' || bytes.get(index + 1) != Some(&b'\n') {
                    breaks += 1;
                }
                found.spanning.get_or_insert(opened_at);
                State::Quoted
            }
            (State::Quoted, _) => State::Quoted,
            (State::FieldStart, b'"') => {
                opened_at = breaks;
                State::Quoted
            }
            (State::QuoteInQuoted, b'"') => State::Quoted,
            (_, b'\n' | b'\r') => return found,
            (_, byte) if byte == delimiter => State::FieldStart,
            _ => State::Unquoted,
        };
    }
    if matches!(state, State::Quoted) {
        found.open_at_end = Some(opened_at);
    }
    found
}

/// The 1-based line of each record, from the byte where it starts, counted
/// forward through the text once.
pub(super) struct Lines<'t> {
    text: &'t str,
    counted_to: usize,
    line: u64,
}

impl<'t> Lines<'t> {
    pub(super) fn new(text: &'t str) -> Self {
        Lines { text, counted_to: 0, line: 1 }
    }

    /// Where the record the reader placed at `byte` really starts (with CRLF
    /// it places a record on the `\n` before it), and its line. `byte` must
    /// not go back.
    pub(super) fn at(&mut self, byte: usize) -> (usize, u64) {
        let bytes = self.text.as_bytes();
        let mut start = byte.min(bytes.len());
        while start < bytes.len() && matches!(bytes[start], b'\r' | b'\n') {
            start += 1;
        }
        if start > self.counted_to {
            self.line += line_breaks(&bytes[self.counted_to..start]);
            self.counted_to = start;
        }
        (start, self.line)
    }
}

/// Line breaks in bytes: `\n`, and a `\r` not followed by `\n`.
fn line_breaks(bytes: &[u8]) -> u64 {
    let mut breaks = 0;
    for (index, &byte) in bytes.iter().enumerate() {
        if byte == b'\n' || (byte == b'\r' && bytes.get(index + 1) != Some(&b'\n')) {
            breaks += 1;
        }
    }
    breaks
}

#[cfg(test)]
mod tests {
    use super::*;

    fn open_at_end(text: &str, delimiter: u8) -> Option<u64> {
        scan(text, delimiter).open_at_end
    }

    #[test]
    fn closed_quotes_are_not_open() {
        assert_eq!(open_at_end("a,\"b\",c\nd", b','), None);
        assert_eq!(open_at_end("a,\"say \"\"hi\"\"\"", b','), None);
        assert_eq!(open_at_end("a,b\"c,d", b','), None, "a quote inside a field is a character");
        assert_eq!(open_at_end("a,\"b\"x\"", b','), None, "after the closing quote characters are kept");
        assert_eq!(open_at_end("", b','), None);
        assert_eq!(scan("a,\"b\nstill b\",c", b','), Quotes { spanning: Some(0), open_at_end: None });
    }

    #[test]
    fn an_open_quote_is_found_with_its_line() {
        assert_eq!(open_at_end("a,\"b,c\nd,e\nf", b','), Some(0));
        assert_eq!(scan("a;\"b\nc\";\"d\ne;f", b';'), Quotes { spanning: Some(0), open_at_end: Some(1) });
        assert_eq!(open_at_end("\"", b','), Some(0));
        assert_eq!(open_at_end("a,\"b\"\"", b','), Some(0), "an escaped quote does not close");
        // Closed by the next row's quote: the field spans the line end.
        assert_eq!(scan("a,\"oops,1\nb,\"x\",2\n", b','), Quotes { spanning: Some(0), open_at_end: None });
    }

    #[test]
    fn lines_are_counted_from_bytes() {
        let text = "h\r\na,\"1\r\n2\"\r\n\r\nb\nc\rd";
        let mut lines = Lines::new(text);
        assert_eq!(lines.at(0), (0, 1));
        assert_eq!(lines.at(2), (3, 2), "on the \\n before the record");
        assert_eq!(lines.at(text.find('b').unwrap()), (text.find('b').unwrap(), 5));
        assert_eq!(lines.at(text.find('c').unwrap()), (text.find('c').unwrap(), 6));
        assert_eq!(lines.at(text.find('d').unwrap()), (text.find('d').unwrap(), 7), "a lone \\r is a line end");
    }
}
