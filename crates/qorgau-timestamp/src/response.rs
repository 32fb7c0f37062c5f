//! Time-stamp responses (RFC 3161 §2.4.2 `TimeStampResp`): the TSA's status
//! and, when granted, the token; and the HTTP exchange that fetches one.

use serde::Serialize;

use crate::der_lite::{self, Reader, tag};
use crate::error::ObtainError;
use crate::request::TimeStampRequest;
use crate::token::Token;

/// Media type of a request body (RFC 3161 §3.4).
pub const QUERY_CONTENT_TYPE: &str = "application/timestamp-query";
/// Media type of a response body (RFC 3161 §3.4).
pub const REPLY_CONTENT_TYPE: &str = "application/timestamp-reply";
/// Largest response body read; real replies are a few kilobytes, and a
/// misbehaving server must not make the collector buffer without bound.
pub const MAX_RESPONSE_BYTES: usize = 1 << 20;

/// PKIStatus of a response.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum PkiStatus {
    /// 0: a token is included as requested.
    Granted,
    /// 1: a token is included with modifications.
    GrantedWithMods,
    /// 2: refused; see status text and failInfo.
    Rejection,
    /// 3: not ready yet (not supported by RFC 3161 TSAs in practice).
    Waiting,
    /// 4: a revocation is imminent.
    RevocationWarning,
    /// 5: a revocation has occurred.
    RevocationNotification,
    /// Any other value.
    Other(u64),
}

impl PkiStatus {
    fn from_code(code: u64) -> Self {
        match code {
            0 => Self::Granted,
            1 => Self::GrantedWithMods,
            2 => Self::Rejection,
            3 => Self::Waiting,
            4 => Self::RevocationWarning,
            5 => Self::RevocationNotification,
            other => Self::Other(other),
        }
    }

    /// Whether a token should accompany this status.
    pub fn is_granted(self) -> bool {
        matches!(self, Self::Granted | Self::GrantedWithMods)
    }
}

impl std::fmt::Display for PkiStatus {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Granted => f.write_str("granted"),
            Self::GrantedWithMods => f.write_str("grantedWithMods"),
            Self::Rejection => f.write_str("rejection"),
            Self::Waiting => f.write_str("waiting"),
            Self::RevocationWarning => f.write_str("revocationWarning"),
            Self::RevocationNotification => f.write_str("revocationNotification"),
            Self::Other(code) => write!(f, "unknown status {code}"),
        }
    }
}

/// PKIFailureInfo bits a TSA may set (RFC 3161 §2.4.2).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub enum FailureInfo {
    /// 0: unrecognized or unsupported algorithm.
    BadAlg,
    /// 2: transaction not permitted or supported.
    BadRequest,
    /// 5: the data submitted has the wrong format.
    BadDataFormat,
    /// 14: the TSA's time source is not available.
    TimeNotAvailable,
    /// 15: the requested policy is not supported.
    UnacceptedPolicy,
    /// 16: the requested extension is not supported.
    UnacceptedExtension,
    /// 17: the additional information requested is not available.
    AddInfoNotAvailable,
    /// 25: the request cannot be handled due to system failure.
    SystemFailure,
    /// Any other bit.
    Other(u32),
}

impl FailureInfo {
    fn from_bit(bit: u32) -> Self {
        match bit {
            0 => Self::BadAlg,
            2 => Self::BadRequest,
            5 => Self::BadDataFormat,
            14 => Self::TimeNotAvailable,
            15 => Self::UnacceptedPolicy,
            16 => Self::UnacceptedExtension,
            17 => Self::AddInfoNotAvailable,
            25 => Self::SystemFailure,
            other => Self::Other(other),
        }
    }
}

impl std::fmt::Display for FailureInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::BadAlg => f.write_str("badAlg"),
            Self::BadRequest => f.write_str("badRequest"),
            Self::BadDataFormat => f.write_str("badDataFormat"),
            Self::TimeNotAvailable => f.write_str("timeNotAvailable"),
            Self::UnacceptedPolicy => f.write_str("unacceptedPolicy"),
            Self::UnacceptedExtension => f.write_str("unacceptedExtension"),
            Self::AddInfoNotAvailable => f.write_str("addInfoNotAvailable"),
            Self::SystemFailure => f.write_str("systemFailure"),
            Self::Other(bit) => write!(f, "bit{bit}"),
        }
    }
}

struct Response<'a> {
    status: PkiStatus,
    status_text: Vec<String>,
    fail_info: Vec<FailureInfo>,
    token: Option<&'a [u8]>,
}

fn parse_response(der: &[u8]) -> Result<Response<'_>, String> {
    let outer = der_lite::single(der, tag::SEQUENCE, "TimeStampResp")?;
    let mut r = Reader::new(outer.value);
    let status_info = r.expect(tag::SEQUENCE, "PKIStatusInfo")?;
    let token = r.optional(tag::SEQUENCE, "timeStampToken")?.map(|t| t.raw);
    r.finish("TimeStampResp")?;

    let mut s = Reader::new(status_info.value);
    let code = s.expect(tag::INTEGER, "PKIStatusInfo.status")?;
    let status = PkiStatus::from_code(der_lite::small_unsigned(code.value, "PKIStatus")?);
    let mut status_text = Vec::new();
    if let Some(texts) = s.optional(tag::SEQUENCE, "PKIStatusInfo.statusString")? {
        let mut t = Reader::new(texts.value);
        while !t.is_empty() {
            let text = t.expect(tag::UTF8_STRING, "PKIFreeText")?;
            status_text.push(String::from_utf8_lossy(text.value).into_owned());
        }
    }
    let mut fail_info = Vec::new();
    if let Some(bits) = s.optional(tag::BIT_STRING, "PKIStatusInfo.failInfo")? {
        let bytes = bits.value.get(1..).unwrap_or_default();
        for (index, byte) in bytes.iter().enumerate() {
            for offset in 0..8u32 {
                if byte & (0x80 >> offset) != 0 {
                    let bit = u32::try_from(index).unwrap_or(u32::MAX / 16) * 8 + offset;
                    fail_info.push(FailureInfo::from_bit(bit));
                }
            }
        }
    }
    s.finish("PKIStatusInfo")?;
    Ok(Response {
        status,
        status_text,
        fail_info,
        token,
    })
}

/// Reads a TSA's `TimeStampResp` body that answers `request`, for callers
/// that do the HTTP themselves; `tsa` names the TSA in errors. A granted
/// response's token is checked against the request (digest, nonce, policy)
/// and its signature against the certificate it carries — but not against
/// trust anchors; that is [`crate::verify`]'s job at verification time.
pub fn token_from_response(
    body: &[u8],
    request: &TimeStampRequest,
    tsa: &str,
) -> Result<Token, ObtainError> {
    let response = parse_response(body).map_err(|problem| ObtainError::BadResponse {
        url: tsa.to_string(),
        problem,
    })?;
    if !response.status.is_granted() {
        return Err(ObtainError::Rejected {
            url: tsa.to_string(),
            status: response.status,
            status_text: response.status_text,
            fail_info: response.fail_info,
        });
    }
    let token_der = response.token.ok_or_else(|| ObtainError::BadResponse {
        url: tsa.to_string(),
        problem: format!("status {} but no timeStampToken", response.status),
    })?;
    let token_error = |source| ObtainError::Token {
        url: tsa.to_string(),
        source,
    };
    crate::verify::verify_for_request(token_der, request, None).map_err(token_error)?;
    Token::from_der(token_der).map_err(token_error)
}

/// Asks the TSA at `tsa_url` to time-stamp `request` over HTTP(S), as RFC
/// 3161 §3.4 describes, and returns the checked token. The caller owns the
/// client (timeouts, proxy, TLS provider: the workspace installs ring).
#[cfg(feature = "http")]
pub async fn obtain(
    client: &reqwest::Client,
    tsa_url: &str,
    request: &TimeStampRequest,
) -> Result<Token, ObtainError> {
    use reqwest::header::{ACCEPT, CONTENT_TYPE};
    let transport = |source| ObtainError::Transport {
        url: tsa_url.to_string(),
        source,
    };
    let mut response = client
        .post(tsa_url)
        .header(CONTENT_TYPE, QUERY_CONTENT_TYPE)
        .header(ACCEPT, REPLY_CONTENT_TYPE)
        .body(request.to_der().to_vec())
        .send()
        .await
        .map_err(transport)?;
    let status = response.status();
    if status != reqwest::StatusCode::OK {
        return Err(ObtainError::HttpStatus {
            url: tsa_url.to_string(),
            status: status.as_u16(),
        });
    }
    let content_type = response
        .headers()
        .get(CONTENT_TYPE)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .unwrap_or_default();
    let media_type = content_type
        .split(';')
        .next()
        .unwrap_or_default()
        .trim()
        .to_ascii_lowercase();
    if media_type != REPLY_CONTENT_TYPE {
        return Err(ObtainError::ContentType {
            url: tsa_url.to_string(),
            content_type,
        });
    }
    let mut body = Vec::new();
    while let Some(chunk) = response.chunk().await.map_err(transport)? {
        if body.len() + chunk.len() > MAX_RESPONSE_BYTES {
            return Err(ObtainError::BadResponse {
                url: tsa_url.to_string(),
                problem: format!("response larger than {MAX_RESPONSE_BYTES} bytes"),
            });
        }
        body.extend_from_slice(&chunk);
    }
    token_from_response(&body, request, tsa_url)
}
