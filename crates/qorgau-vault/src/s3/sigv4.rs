//! AWS Signature Version 4 for S3 requests, by hand.
//!
//! Why by hand: the blob store needs a handful of S3 calls (PUT with
//! object-lock headers, GET of a version, `?retention`, `?versions`,
//! `?object-lock`), each signed with the real payload hash so the server
//! checks the bytes against the blob's address. `aws-sdk-s3` would double
//! the workspace's build on two cores; `rusty-s3` presigns URLs with an
//! unsigned payload and has no retention or versions calls; `object_store`
//! cannot send the object-lock headers. This is ~150 lines over `hmac` and
//! `sha2`, which the workspace already builds, and it is checked against
//! the four examples AWS publishes for S3 (tests below).

use hmac::{Hmac, KeyInit, Mac};
use sha2::{Digest, Sha256};

type HmacSha256 = Hmac<Sha256>;

/// SHA-256 of the empty payload (GET, HEAD, DELETE).
pub const EMPTY_SHA256: &str = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// What a request is signed with. `Debug` leaves the secret out.
#[derive(Clone)]
pub struct Credentials {
    /// The access key id (not secret; it names the key in logs).
    pub access_key: String,
    /// The secret access key: never printed, never logged.
    pub secret_key: String,
}

impl std::fmt::Debug for Credentials {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Credentials")
            .field("access_key", &self.access_key)
            .field("secret_key", &"<redacted>")
            .finish()
    }
}

/// One request to sign: method, path (already URI-encoded), query pairs
/// (raw, encoded here), headers (lower-case names; `host`,
/// `x-amz-date` and `x-amz-content-sha256` must be among them), payload
/// hash in hex.
#[derive(Debug)]
pub struct Request<'a> {
    /// `GET`, `PUT`, …
    pub method: &'a str,
    /// The URI-encoded path, `/bucket/key`.
    pub path: &'a str,
    /// Query parameters, unencoded; a parameter without value has "".
    pub query: &'a [(String, String)],
    /// Headers to sign, lower-case names.
    pub headers: &'a [(String, String)],
    /// Hex SHA-256 of the body.
    pub payload_sha256: &'a str,
}

/// The `Authorization` header value for `request` at `amz_date`
/// (`YYYYMMDDTHHMMSSZ`) in `region`, for service `s3`.
pub fn authorization(
    request: &Request<'_>,
    credentials: &Credentials,
    region: &str,
    amz_date: &str,
) -> String {
    let date = amz_date.get(..8).unwrap_or(amz_date);
    let scope = format!("{date}/{region}/s3/aws4_request");
    let (canonical, signed_headers) = canonical_request(request);
    let string_to_sign = format!(
        "AWS4-HMAC-SHA256\n{amz_date}\n{scope}\n{}",
        hex::encode(Sha256::digest(canonical.as_bytes()))
    );
    let mut key = hmac(
        format!("AWS4{}", credentials.secret_key).as_bytes(),
        date.as_bytes(),
    );
    for part in [region, "s3", "aws4_request"] {
        key = hmac(&key, part.as_bytes());
    }
    let signature = hex::encode(hmac(&key, string_to_sign.as_bytes()));
    format!(
        "AWS4-HMAC-SHA256 Credential={}/{scope}, SignedHeaders={signed_headers}, Signature={signature}",
        credentials.access_key
    )
}

fn hmac(key: &[u8], data: &[u8]) -> Vec<u8> {
    // HMAC takes keys of any length: new_from_slice cannot fail.
    match HmacSha256::new_from_slice(key) {
        Ok(mut mac) => {
            mac.update(data);
            mac.finalize().into_bytes().to_vec()
        }
        Err(_) => Vec::new(),
    }
}

/// The canonical request and the signed-headers list.
fn canonical_request(request: &Request<'_>) -> (String, String) {
    let mut query: Vec<(String, String)> = request
        .query
        .iter()
        .map(|(k, v)| (uri_encode(k, true), uri_encode(v, true)))
        .collect();
    query.sort();
    let query = query
        .iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join("&");
    let mut headers: Vec<(String, String)> = request
        .headers
        .iter()
        .map(|(k, v)| (k.to_ascii_lowercase(), collapse_spaces(v)))
        .collect();
    headers.sort();
    let canonical_headers: String = headers.iter().map(|(k, v)| format!("{k}:{v}\n")).collect();
    let signed_headers = headers
        .iter()
        .map(|(k, _)| k.as_str())
        .collect::<Vec<_>>()
        .join(";");
    (
        format!(
            "{}\n{}\n{query}\n{canonical_headers}\n{signed_headers}\n{}",
            request.method, request.path, request.payload_sha256
        ),
        signed_headers,
    )
}

fn collapse_spaces(value: &str) -> String {
    value.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// URI-encodes as SigV4 wants: every byte but the unreserved characters
/// `A-Z a-z 0-9 - . _ ~`; `/` too when `encode_slash` is true (query values), kept in paths.
pub fn uri_encode(text: &str, encode_slash: bool) -> String {
    let mut out = String::with_capacity(text.len());
    for &b in text.as_bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => {
                out.push(char::from(b));
            }
            b'/' if !encode_slash => out.push('/'),
            _ => out.push_str(&format!("%{b:02X}")),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    //! The examples of AWS's "Signature Calculations for the Authorization
    //! Header" page for S3 (examplebucket, 24 May 2013): the same
    //! credentials, requests and signatures as published.
    use super::*;

    fn aws() -> Credentials {
        Credentials {
            access_key: "AKIAIOSFODNN7EXAMPLE".into(),
            secret_key: "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY".into(),
        }
    }

    fn headers(extra: &[(&str, &str)], payload: &str) -> Vec<(String, String)> {
        let mut h: Vec<(String, String)> = vec![
            ("host".into(), "examplebucket.s3.amazonaws.com".into()),
            ("x-amz-date".into(), "20130524T000000Z".into()),
            ("x-amz-content-sha256".into(), payload.into()),
        ];
        h.extend(
            extra
                .iter()
                .map(|(k, v)| ((*k).to_owned(), (*v).to_owned())),
        );
        h
    }

    fn signature(auth: &str) -> &str {
        auth.rsplit("Signature=").next().unwrap()
    }

    #[test]
    fn get_object_example() {
        let h = headers(&[("range", "bytes=0-9")], EMPTY_SHA256);
        let auth = authorization(
            &Request {
                method: "GET",
                path: "/test.txt",
                query: &[],
                headers: &h,
                payload_sha256: EMPTY_SHA256,
            },
            &aws(),
            "us-east-1",
            "20130524T000000Z",
        );
        assert!(auth.contains("SignedHeaders=host;range;x-amz-content-sha256;x-amz-date,"));
        assert_eq!(
            signature(&auth),
            "f0e8bdb87c964420e857bd35b5d6ed310bd44f0170aba48dd91039c6036bdb41"
        );
    }

    #[test]
    fn put_object_example() {
        let payload = hex::encode(Sha256::digest(b"Welcome to Amazon S3."));
        assert_eq!(
            payload,
            "44ce7dd67c959e0d3524ffac1771dfbba87d2b6b4b4e99e42034a8b803f8b072"
        );
        let h = headers(
            &[
                ("date", "Fri, 24 May 2013 00:00:00 GMT"),
                ("x-amz-storage-class", "REDUCED_REDUNDANCY"),
            ],
            &payload,
        );
        let path = format!("/{}", uri_encode("test$file.text", false));
        assert_eq!(path, "/test%24file.text");
        let auth = authorization(
            &Request {
                method: "PUT",
                path: &path,
                query: &[],
                headers: &h,
                payload_sha256: &payload,
            },
            &aws(),
            "us-east-1",
            "20130524T000000Z",
        );
        assert_eq!(
            signature(&auth),
            "98ad721746da40c64f1a55b78f14c238d841ea1380cd77a1b5971af0ece108bd"
        );
    }

    #[test]
    fn get_bucket_lifecycle_example() {
        let h = headers(&[], EMPTY_SHA256);
        let auth = authorization(
            &Request {
                method: "GET",
                path: "/",
                query: &[("lifecycle".into(), String::new())],
                headers: &h,
                payload_sha256: EMPTY_SHA256,
            },
            &aws(),
            "us-east-1",
            "20130524T000000Z",
        );
        assert_eq!(
            signature(&auth),
            "fea454ca298b7da1c68078a5d1bdbfbbe0d65c699e0f91ac7a200a0136783543"
        );
    }

    #[test]
    fn list_objects_example_sorts_the_query() {
        let h = headers(&[], EMPTY_SHA256);
        let auth = authorization(
            &Request {
                method: "GET",
                path: "/",
                query: &[
                    ("prefix".into(), "J".into()),
                    ("max-keys".into(), "2".into()),
                ],
                headers: &h,
                payload_sha256: EMPTY_SHA256,
            },
            &aws(),
            "us-east-1",
            "20130524T000000Z",
        );
        assert_eq!(
            signature(&auth),
            "34b48302e7b5fa45bde8084f4b7868a86f0a534bc59db6670ed5711ef69dc6f7"
        );
    }

    #[test]
    fn encoding_keeps_unreserved_and_slashes_only_where_asked() {
        assert_eq!(uri_encode("sha256/ab c+", false), "sha256/ab%20c%2B");
        assert_eq!(uri_encode("sha256/ab", true), "sha256%2Fab");
        assert_eq!(uri_encode("A-z_0.9~", true), "A-z_0.9~");
    }

    #[test]
    fn debug_hides_the_secret() {
        let shown = format!("{:?}", aws());
        assert!(shown.contains("AKIAIOSFODNN7EXAMPLE"));
        assert!(!shown.contains("wJalr"));
    }
}
