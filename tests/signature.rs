//! Tests of `signature::{sign, verify}` against HMAC-SHA512 vectors computed
//! independently with CPython 3.11's `hmac` module. The command that produced
//! each vector is given above it.
#![cfg(feature = "signature")]

use onefuzz_webhook_types::signature::{sign, verify, MalformedDigest, SignatureError};

struct Vector {
    secret: &'static [u8],
    body: &'static [u8],
    digest: &'static str,
}

/// A key longer than SHA-512's 128-byte block: bytes 0, 1, ..., 199.
const LONG_KEY: [u8; 200] = {
    let mut key = [0u8; 200];
    let mut i = 0;
    while i < key.len() {
        key[i] = i as u8;
        i += 1;
    }
    key
};

const PING_BODY: &[u8] = br#"{"webhook_id":"00000000-0000-0000-0000-000000000000","event_id":"00000000-0000-0000-0000-000000000000","event_type":"ping","event":{"ping_id":"00000000-0000-0000-0000-000000000000"}}"#;

const VECTORS: &[Vector] = &[
    // python3 -c "import hmac,hashlib;print(hmac.new(b'secret', b'body', hashlib.sha512).hexdigest())"
    Vector {
        secret: b"secret",
        body: b"body",
        digest: "de4a671e8233987c46a9048b8041bda6296901960022836c15c28023d3f66c37\
                 20449af241bdfe2e592c5b2273730cd1df763073e018e60d7313077c5342fde9",
    },
    // Empty body:
    // python3 -c "import hmac,hashlib;print(hmac.new(b'secret', b'', hashlib.sha512).hexdigest())"
    Vector {
        secret: b"secret",
        body: b"",
        digest: "b0e9650c5faf9cd8ae02276671545424104589b3656731ec193b25d01b07561c\
                 27637c2d4d68389d6cf5007a8632c26ec89ba80a01c77a6cdd389ec28db43901",
    },
    // Empty key:
    // python3 -c "import hmac,hashlib;print(hmac.new(b'', b'body', hashlib.sha512).hexdigest())"
    Vector {
        secret: b"",
        body: b"body",
        digest: "267c72ee3b8297bbc29d9646394d156c17c0e94dd858225bc1af9c2b9513b044\
                 7b2eba6944568ce80b23deafd842df2be16301f6873079be0883774e18120e8c",
    },
    // Key longer than the block size (LONG_KEY):
    // python3 -c "import hmac,hashlib;print(hmac.new(bytes(range(200)), b'body', hashlib.sha512).hexdigest())"
    Vector {
        secret: &LONG_KEY,
        body: b"body",
        digest: "2d0bc17706bf714b8417a0e69a2aa9ee9f506e46409b13e120dbf5c2dfab8ab4\
                 67fb2098f3e77c7d1958c148e879c2c80dea67fe9d9c8e22bda2492675840a3f",
    },
    // A ping webhook body (PING_BODY):
    // python3 -c "import hmac,hashlib;print(hmac.new(b'my-webhook-token', b'{\"webhook_id\":\"00000000-0000-0000-0000-000000000000\",\"event_id\":\"00000000-0000-0000-0000-000000000000\",\"event_type\":\"ping\",\"event\":{\"ping_id\":\"00000000-0000-0000-0000-000000000000\"}}', hashlib.sha512).hexdigest())"
    Vector {
        secret: b"my-webhook-token",
        body: PING_BODY,
        digest: "7c2c0d4bfeead4d042b165cc79e739af2f7f28f2a557116344d6717f6e03a944\
                 b3b235cd61b603bdcae81208ef6e384f7db97eb57693d576f58a5537ca99d77e",
    },
    // Non-ASCII key and body, the body ending in bytes that are not UTF-8:
    // python3 -c "import hmac,hashlib;print(hmac.new('clé'.encode(), 'héllo wörld ✓'.encode() + bytes([0x00, 0xff, 0xfe]), hashlib.sha512).hexdigest())"
    Vector {
        secret: "clé".as_bytes(),
        body: b"h\xc3\xa9llo w\xc3\xb6rld \xe2\x9c\x93\x00\xff\xfe",
        digest: "d52470bbe5c8b9fe1cd1860a782b7fa795f4cd16d08d94d6e6f686944b78031e\
                 55ea3191547eee55bbd7a5c2e076ba1750e9068f2fcbfe9070d97802f50e5254",
    },
];

/// The first vector, for tests that need just one valid signature.
fn base() -> &'static Vector {
    &VECTORS[0]
}

fn malformed(reason: MalformedDigest) -> Result<(), SignatureError> {
    Err(SignatureError::Malformed(reason))
}

#[test]
fn vectors_encode_their_inputs() {
    // Guards the hand-written byte strings against drifting from the Python
    // commands above.
    assert_eq!(LONG_KEY.to_vec(), (0..200).collect::<Vec<u8>>());
    let non_ascii = &VECTORS[5];
    let mut body = "héllo wörld ✓".as_bytes().to_vec();
    body.extend([0x00, 0xff, 0xfe]);
    assert_eq!(non_ascii.body, body.as_slice());
}

#[test]
fn sign_matches_python_vectors() {
    for v in VECTORS {
        assert_eq!(sign(v.secret, v.body), v.digest, "secret {:?}", v.secret);
    }
}

#[test]
fn verify_accepts_lowercase() {
    for v in VECTORS {
        assert_eq!(verify(v.secret, v.body, Some(v.digest)), Ok(()));
    }
}

#[test]
fn verify_accepts_uppercase() {
    for v in VECTORS {
        let upper = v.digest.to_ascii_uppercase();
        assert_eq!(verify(v.secret, v.body, Some(&upper)), Ok(()));
    }
}

#[test]
fn verify_accepts_mixed_case() {
    let v = base();
    let mixed: String = v
        .digest
        .chars()
        .enumerate()
        .map(|(i, c)| {
            if i % 2 == 0 {
                c.to_ascii_uppercase()
            } else {
                c
            }
        })
        .collect();
    assert_ne!(mixed, v.digest);
    assert_ne!(mixed, v.digest.to_ascii_uppercase());
    assert_eq!(verify(v.secret, v.body, Some(&mixed)), Ok(()));
}

#[test]
fn verify_ignores_surrounding_whitespace() {
    let v = base();
    for padded in [
        format!(" {}", v.digest),
        format!("{}\r\n", v.digest),
        format!("\t {} \t", v.digest),
    ] {
        assert_eq!(
            verify(v.secret, v.body, Some(&padded)),
            Ok(()),
            "{padded:?}"
        );
    }
}

#[test]
fn verify_rejects_missing_header() {
    let v = base();
    assert_eq!(verify(v.secret, v.body, None), Err(SignatureError::Missing));
}

#[test]
fn verify_rejects_wrong_lengths() {
    let v = base();
    for (value, found) in [
        ("", 0),
        ("   ", 0),
        (&v.digest[..127], 127), // odd
        (&v.digest[..126], 126), // too short
        (&v.digest[..64], 64),   // a SHA-256-sized digest
    ] {
        assert_eq!(
            verify(v.secret, v.body, Some(value)),
            malformed(MalformedDigest::Length { found }),
            "{value:?}"
        );
    }
    let too_long = format!("{}00", v.digest);
    assert_eq!(
        verify(v.secret, v.body, Some(&too_long)),
        malformed(MalformedDigest::Length { found: 130 })
    );
}

#[test]
fn verify_rejects_non_hex() {
    let v = base();
    // Same length, one character replaced.
    let with = |position: usize, c: char| {
        let mut s: Vec<char> = v.digest.chars().collect();
        s[position] = c;
        s.into_iter().collect::<String>()
    };
    for (value, position) in [
        (with(0, 'g'), 0),
        (with(127, 'z'), 127),
        (with(64, ' '), 64), // inner whitespace is not trimmed
        (with(10, '-'), 10),
    ] {
        assert_eq!(
            verify(v.secret, v.body, Some(&value)),
            malformed(MalformedDigest::NotHex { position }),
            "{value:?}"
        );
    }
    // A scheme prefix such as `sha512=` is not part of the format.
    let prefixed = format!("sha512={}", v.digest);
    assert_eq!(
        verify(v.secret, v.body, Some(&prefixed)),
        malformed(MalformedDigest::Length { found: 135 })
    );
}

#[test]
fn verify_rejects_non_ascii_without_panicking() {
    let v = base();
    // 128 characters but more than 128 bytes: counted as characters, and
    // the multibyte one reported where it stands.
    let multibyte = format!("é{}", &v.digest[1..]);
    assert_eq!(multibyte.chars().count(), 128);
    assert_eq!(
        verify(v.secret, v.body, Some(&multibyte)),
        malformed(MalformedDigest::NotHex { position: 0 })
    );
    // 128 bytes but fewer characters.
    let short_in_chars = format!("{}✓", &v.digest[..125]);
    assert_eq!(short_in_chars.len(), 128);
    assert_eq!(
        verify(v.secret, v.body, Some(&short_in_chars)),
        malformed(MalformedDigest::Length { found: 126 })
    );
    // Full-width digits are Unicode digits but not hex.
    let full_width = "０".repeat(128);
    assert_eq!(
        verify(v.secret, v.body, Some(&full_width)),
        malformed(MalformedDigest::NotHex { position: 0 })
    );
}

#[test]
fn verify_rejects_one_bit_flips() {
    let v = base();
    // Flip each bit of the first and last digest byte in turn.
    let bytes: Vec<u8> = (0..64)
        .map(|i| u8::from_str_radix(&v.digest[2 * i..2 * i + 2], 16).unwrap())
        .collect();
    for index in [0, 63] {
        for bit in 0..8 {
            let mut flipped = bytes.clone();
            flipped[index] ^= 1 << bit;
            let hex: String = flipped.iter().map(|b| format!("{b:02x}")).collect();
            assert_eq!(
                verify(v.secret, v.body, Some(&hex)),
                Err(SignatureError::Mismatch),
                "byte {index} bit {bit}"
            );
        }
    }
}

#[test]
fn verify_rejects_digest_of_other_body_or_key() {
    let v = base();
    // Digest of another body under the same key.
    let other_body = &VECTORS[1];
    assert_eq!(other_body.secret, v.secret);
    assert_eq!(
        verify(v.secret, v.body, Some(other_body.digest)),
        Err(SignatureError::Mismatch)
    );
    // Digest of the same body under another key.
    let other_key = &VECTORS[2];
    assert_eq!(other_key.body, v.body);
    assert_eq!(
        verify(v.secret, v.body, Some(other_key.digest)),
        Err(SignatureError::Mismatch)
    );
    // The right digest checked with the wrong key, and over a tampered body.
    assert_eq!(
        verify(b"Secret", v.body, Some(v.digest)),
        Err(SignatureError::Mismatch)
    );
    assert_eq!(
        verify(v.secret, b"body ", Some(v.digest)),
        Err(SignatureError::Mismatch)
    );
}

#[test]
fn error_messages_describe_without_echoing() {
    let v = base();
    let value = "not-a-digest-but-maybe-a-token";
    let err = verify(v.secret, v.body, Some(value)).unwrap_err();
    let message = err.to_string();
    assert_eq!(
        message,
        "malformed X-Onefuzz-Digest header: expected 128 hex characters, found 30 characters"
    );
    assert!(!message.contains(value));

    let not_hex = format!("{}x", &v.digest[..127]);
    assert_eq!(
        verify(v.secret, v.body, Some(&not_hex))
            .unwrap_err()
            .to_string(),
        "malformed X-Onefuzz-Digest header: character 127 is not a hex digit (0-9, a-f, A-F)"
    );
    assert_eq!(
        SignatureError::Missing.to_string(),
        "the request has no X-Onefuzz-Digest header"
    );
    assert_eq!(
        SignatureError::Mismatch.to_string(),
        "the X-Onefuzz-Digest header does not match the request body"
    );
}
