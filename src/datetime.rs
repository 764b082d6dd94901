//! `format: date-time` values, kept as sent.

use std::fmt;
use std::str::FromStr;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// An RFC 3339 date-time (`2024-05-01T12:30:00.5+02:00`), or one without
/// its offset (`2022-11-15T17:04:05.123456`, as the Python service sent a
/// task's `end_time`), validated and kept verbatim: it serializes back
/// exactly as received, offset and fractional digits included. Parse it with
/// a date library via [`as_str`](Self::as_str); [`is_naive`](Self::is_naive)
/// tells whether it has an offset.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct DateTime(String);

/// A string that is not an RFC 3339 date-time.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error(
    "invalid date-time `{0}`: expected RFC 3339, YYYY-MM-DDTHH:MM:SS[.fraction][Z|+HH:MM|-HH:MM]"
)]
pub struct InvalidDateTime(String);

impl DateTime {
    /// The date-time as received.
    pub fn as_str(&self) -> &str {
        &self.0
    }

    /// True for a date-time without an offset (not RFC 3339, but sent): its
    /// time zone is the sender's, in practice UTC.
    pub fn is_naive(&self) -> bool {
        let time = self.0.get(19..).unwrap_or_default();
        !time.ends_with(['Z', 'z']) && !time.contains(['+', '-'])
    }
}

impl TryFrom<String> for DateTime {
    type Error = InvalidDateTime;
    fn try_from(text: String) -> Result<Self, Self::Error> {
        if is_rfc3339(text.as_bytes()) {
            Ok(Self(text))
        } else {
            Err(InvalidDateTime(text))
        }
    }
}

impl FromStr for DateTime {
    type Err = InvalidDateTime;
    fn from_str(text: &str) -> Result<Self, Self::Err> {
        text.to_owned().try_into()
    }
}

impl fmt::Display for DateTime {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl Serialize for DateTime {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.0)
    }
}

impl<'de> Deserialize<'de> for DateTime {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        // One allocation: the string read is the one kept.
        String::deserialize(deserializer)?
            .try_into()
            .map_err(serde::de::Error::custom)
    }
}

/// `date-time` of RFC 3339 section 5.6, the offset optional.
fn is_rfc3339(s: &[u8]) -> bool {
    let number = |range: std::ops::Range<usize>, max: u32| -> bool {
        s.get(range).is_some_and(|digits| {
            digits.iter().all(u8::is_ascii_digit)
                && digits.iter().fold(0, |n, d| n * 10 + u32::from(d - b'0')) <= max
        })
    };
    let at = |i: usize, options: &[u8]| s.get(i).is_some_and(|c| options.contains(c));
    let date = number(0..4, 9999)
        && at(4, b"-")
        && number(5..7, 12)
        && at(7, b"-")
        && number(8..10, 31)
        && s.get(5..7) != Some(b"00")
        && s.get(8..10) != Some(b"00");
    let time = at(10, b"Tt ")
        && number(11..13, 23)
        && at(13, b":")
        && number(14..16, 59)
        && at(16, b":")
        && number(17..19, 60);
    if !(date && time) {
        return false;
    }
    let mut rest = &s[19..];
    if let Some(fraction) = rest.strip_prefix(b".") {
        let digits = fraction.iter().take_while(|c| c.is_ascii_digit()).count();
        if digits == 0 {
            return false;
        }
        rest = &fraction[digits..];
    }
    match rest {
        b"Z" | b"z" | b"" => true,
        [b'+' | b'-', ..] if rest.len() == 6 => {
            let offset = &rest[1..];
            is_offset(offset)
        }
        _ => false,
    }
}

fn is_offset(s: &[u8]) -> bool {
    let two = |i: usize, max: u8| {
        s.get(i..i + 2).is_some_and(|d| {
            d.iter().all(u8::is_ascii_digit) && (d[0] - b'0') * 10 + (d[1] - b'0') <= max
        })
    };
    two(0, 23) && s.get(2) == Some(&b':') && two(3, 59)
}

#[cfg(test)]
mod tests {
    use super::DateTime;

    #[test]
    fn accepts_rfc3339_and_keeps_it_verbatim() {
        for text in [
            "2024-05-01T12:30:00Z",
            "2024-05-01t12:30:00z",
            "2024-05-01T12:30:00.5+02:00",
            "2024-12-31T23:59:60.123456789-11:30",
            "2022-11-15T17:04:05.123456",
            "2022-11-15T17:04:05",
        ] {
            let parsed: DateTime = text.parse().unwrap();
            assert_eq!(
                parsed.is_naive(),
                !text.contains(['Z', 'z', '+']) && !text[10..].contains('-')
            );
            assert_eq!(parsed.as_str(), text);
            let json = format!("\"{text}\"");
            assert_eq!(serde_json::to_string(&parsed).unwrap(), json);
            assert_eq!(serde_json::from_str::<DateTime>(&json).unwrap(), parsed);
        }
    }

    #[test]
    fn rejects_what_rfc3339_does_not_allow() {
        for text in [
            "",
            "2024-05-01",
            "2024-05-01T12:30",
            "2024-05-01T12:30:00.",
            "2024-13-01T12:30:00Z",
            "2024-00-01T12:30:00Z",
            "2024-05-00T12:30:00Z",
            "2024-05-01T24:00:00Z",
            "2024-05-01T12:30:00.Z",
            "2024-05-01T12:30:00+2:00",
            "2024-05-01T12:30:00+02:60",
            "2024-05-01T12:30:00Zjunk",
            "２024-05-01T12:30:00Z",
        ] {
            let error = text.parse::<DateTime>().unwrap_err().to_string();
            assert!(error.contains(&format!("`{text}`")), "{error}");
            let error = serde_json::from_str::<DateTime>(&format!("\"{text}\""))
                .unwrap_err()
                .to_string();
            assert!(error.contains(&format!("`{text}`")), "{error}");
        }
    }
}
