//! RFC 3161 trusted time-stamps for Qorgau.
//!
//! A capture's manifest hash is sent to a time-stamping authority (TSA);
//! the signed token it returns proves to a court that the evidence existed
//! at that time, independently of Qorgau's own clock and keys. This crate
//! builds the request ([`request`]), fetches the token ([`obtain`], or
//! [`token_from_response`] for callers that do their own HTTP), reads what
//! the token says ([`Token`], [`TokenInfo`]) and verifies it offline
//! ([`verify`]) — the checks `openssl ts -verify` does, each failing with
//! its own [`VerifyError`].

mod algorithms;
mod certificate;
mod der_lite;
mod error;
mod oids;
mod request;
mod response;
mod token;
mod verify;

pub use algorithms::HashAlgorithm;
pub use certificate::{certificate_from_der, certificates_from_pem};
pub use error::{ObtainError, RequestError, VerifyError};
pub use request::{TimeStampRequest, request};
#[cfg(feature = "http")]
pub use response::obtain;
pub use response::{
    FailureInfo, MAX_RESPONSE_BYTES, PkiStatus, QUERY_CONTENT_TYPE, REPLY_CONTENT_TYPE,
    token_from_response,
};
pub use token::{Accuracy, Token, TokenInfo};
pub use verify::{Verified, verify, verify_for_request};
/// The certificate type trust anchors are given as.
pub use x509_cert::Certificate;
