//! Tokens from a real `openssl ts` TSA, checked by this crate and, for the
//! same files, by `openssl ts -verify`.
#![allow(clippy::unwrap_used, clippy::expect_used)] // test code: a panic is a failed test

mod common;

use common::{DEFAULT_POLICY, KeyKind, OTHER_POLICY, Tsa, anchors, openssl_ok, sha256};
use qorgau_timestamp::{
    HashAlgorithm, TimeStampRequest, Token, VerifyError, request, token_from_response, verify,
    verify_for_request,
};

/// Our request → `openssl ts -reply` → our checks and openssl's agree.
fn our_request_round_trip(kind: KeyKind) {
    let tsa = Tsa::new(kind);
    let digest = sha256(b"synthetic manifest of capture 1");
    let req = request(digest).unwrap();
    std::fs::write(tsa.path("our.tsq"), req.to_der()).unwrap();

    // openssl reads our request as we meant it.
    let text = openssl_ok(tsa.dir.path(), &["ts", "-query", "-in", "our.tsq", "-text"]);
    let text = String::from_utf8_lossy(&text.stdout).to_string();
    assert!(text.contains("Hash Algorithm: sha256"), "{text}");
    assert!(text.contains("Certificate required: yes"), "{text}");
    assert!(text.contains(&hex_colon(&digest)[..20]), "{text}");

    let response = tsa.reply("our.tsq", "resp.tsr");
    let token = token_from_response(&response, &req, "local openssl TSA").unwrap();
    let info = token.info();
    assert_eq!(info.message_imprint, digest);
    assert_eq!(info.hash_algorithm, HashAlgorithm::Sha256.oid().to_string());
    assert_eq!(info.nonce.as_deref(), req.nonce());
    assert_eq!(info.policy, DEFAULT_POLICY);
    // openssl writes the serial it used back to its serial file.
    let serial_file = std::fs::read_to_string(tsa.path("tsaserial")).unwrap();
    assert_eq!(info.serial_number, hex::decode(serial_file.trim()).unwrap());
    assert!(info.ordering);
    let accuracy = info.accuracy.unwrap();
    assert_eq!(
        (accuracy.seconds, accuracy.millis, accuracy.micros),
        (1, 500, 100)
    );
    let tsa_name = info.tsa_name.clone().unwrap();
    assert!(tsa_name.contains("CN=Qorgau Test TSA"), "{tsa_name}");
    assert_eq!(
        info.signer_subject.as_deref(),
        Some("CN=Qorgau Test TSA,O=Qorgau Tests,C=KZ")
    );
    let age = chrono::Utc::now() - info.gen_time;
    assert!(
        age.num_seconds().abs() < 120,
        "genTime {} is not now",
        info.gen_time
    );

    let anchors = anchors(&tsa, "ca.pem");
    let verified = verify_for_request(token.der(), &req, Some(&anchors)).unwrap();
    assert_eq!(
        verified.signer_subject,
        "CN=Qorgau Test TSA,O=Qorgau Tests,C=KZ"
    );
    assert_eq!(
        verified.trusted_by.as_deref(),
        Some("CN=Qorgau Test Root CA,O=Qorgau Tests,C=KZ")
    );
    assert_eq!(verified.info.gen_time, info.gen_time);
    let verified_plain = verify(token.der(), &digest, Some(&anchors)).unwrap();
    assert_eq!(verified_plain, verified);

    // The independent tool agrees on the very same files.
    let (ok, text) = tsa.openssl_verify("resp.tsr", "our.tsq", "ca.pem");
    assert!(
        ok,
        "openssl ts -verify rejected our request's token:\n{text}"
    );

    // And on the bare token we keep: openssl can verify it against the digest.
    std::fs::write(tsa.path("token.tst"), token.der()).unwrap();
    let out = common::openssl(
        tsa.dir.path(),
        &[
            "ts",
            "-verify",
            "-token_in",
            "-in",
            "token.tst",
            "-digest",
            &hex::encode(digest),
            "-CAfile",
            "ca.pem",
            "-untrusted",
            "tsa.pem",
        ],
    );
    assert!(
        out.status.success(),
        "openssl ts -verify of the stored token failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn hex_colon(bytes: &[u8]) -> String {
    bytes
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ")
}

#[test]
fn rsa_tsa_answers_our_request_and_both_verifiers_agree() {
    our_request_round_trip(KeyKind::Rsa);
}

#[test]
fn ec_p256_tsa_answers_our_request_and_both_verifiers_agree() {
    our_request_round_trip(KeyKind::EcP256);
}

/// A request made by `openssl ts -query` is read by us and its token verifies.
fn openssl_request_round_trip(kind: KeyKind) {
    let tsa = Tsa::new(kind);
    let data = b"synthetic evidence file";
    std::fs::write(tsa.path("data.bin"), data).unwrap();
    openssl_ok(
        tsa.dir.path(),
        &[
            "ts",
            "-query",
            "-data",
            "data.bin",
            "-sha256",
            "-cert",
            "-tspolicy",
            OTHER_POLICY,
            "-out",
            "openssl.tsq",
        ],
    );
    let req = TimeStampRequest::from_der(&std::fs::read(tsa.path("openssl.tsq")).unwrap()).unwrap();
    assert_eq!(req.digest(), &sha256(data));
    assert!(req.cert_req());
    assert_eq!(req.policy(), Some(OTHER_POLICY));
    assert!(req.nonce().is_some(), "openssl adds a nonce by default");

    let response = tsa.reply("openssl.tsq", "openssl.tsr");
    let token = token_from_response(&response, &req, "local openssl TSA").unwrap();
    assert_eq!(token.info().policy, OTHER_POLICY);
    let anchors = anchors(&tsa, "ca.pem");
    verify_for_request(token.der(), &req, Some(&anchors)).unwrap();
    let (ok, text) = tsa.openssl_verify("openssl.tsr", "openssl.tsq", "ca.pem");
    assert!(ok, "{text}");
}

#[test]
fn rsa_tsa_answers_openssl_made_request() {
    openssl_request_round_trip(KeyKind::Rsa);
}

#[test]
fn ec_p256_tsa_answers_openssl_made_request() {
    openssl_request_round_trip(KeyKind::EcP256);
}

/// A bare token written by `openssl ts -reply -token_out` parses the same.
#[test]
fn openssl_token_out_is_a_token() {
    let tsa = Tsa::new(KeyKind::Rsa);
    let digest = sha256(b"manifest");
    let req = request(digest).unwrap();
    std::fs::write(tsa.path("q.tsq"), req.to_der()).unwrap();
    openssl_ok(
        tsa.dir.path(),
        &[
            "ts",
            "-reply",
            "-queryfile",
            "q.tsq",
            "-config",
            "ts.cnf",
            "-token_out",
            "-out",
            "t.tst",
        ],
    );
    let der = std::fs::read(tsa.path("t.tst")).unwrap();
    let token = Token::from_der(&der).unwrap();
    assert_eq!(token.der(), &der[..]);
    assert_eq!(token.info().message_imprint, digest);
    verify_for_request(&der, &req, Some(&anchors(&tsa, "ca.pem"))).unwrap();
}

struct Issued {
    tsa: Tsa,
    digest: [u8; 32],
    req: TimeStampRequest,
    token: Vec<u8>,
}

fn issue(kind: KeyKind) -> Issued {
    let tsa = Tsa::new(kind);
    let digest = sha256(b"manifest to protect");
    let req = request(digest).unwrap();
    std::fs::write(tsa.path("q.tsq"), req.to_der()).unwrap();
    let response = tsa.reply("q.tsq", "r.tsr");
    let token = token_from_response(&response, &req, "local")
        .unwrap()
        .into_der();
    Issued {
        tsa,
        digest,
        req,
        token,
    }
}

#[test]
fn wrong_digest_is_an_imprint_mismatch() {
    for kind in [KeyKind::Rsa, KeyKind::EcP256] {
        let issued = issue(kind);
        let other = sha256(b"a different manifest");
        let err = verify(&issued.token, &other, None).unwrap_err();
        assert!(
            matches!(&err, VerifyError::ImprintMismatch { expected, found }
                if *expected == hex::encode(other) && *found == hex::encode(issued.digest)),
            "{kind:?}: {err}"
        );
    }
}

#[test]
fn wrong_nonce_is_a_nonce_mismatch() {
    let issued = issue(KeyKind::Rsa);
    // Same digest, fresh nonce: a replayed token must not answer it.
    let second = request(issued.digest).unwrap();
    let err = verify_for_request(&issued.token, &second, None).unwrap_err();
    assert!(matches!(err, VerifyError::NonceMismatch { .. }), "{err}");
    // The original request is fine.
    verify_for_request(&issued.token, &issued.req, None).unwrap();
}

#[test]
fn requested_policy_must_be_honoured() {
    let issued = issue(KeyKind::Rsa);
    let with_policy = TimeStampRequest::from_der(issued.req.to_der())
        .unwrap()
        .with_policy(OTHER_POLICY)
        .unwrap();
    let err = verify_for_request(&issued.token, &with_policy, None).unwrap_err();
    assert_eq!(
        err,
        VerifyError::PolicyMismatch {
            requested: OTHER_POLICY.into(),
            found: DEFAULT_POLICY.into()
        }
    );
}

#[test]
fn untrusted_ca_is_rejected_by_us_and_by_openssl() {
    for kind in [KeyKind::Rsa, KeyKind::EcP256] {
        let issued = issue(kind);
        // Same subject name as the real CA, different key: only the signature tells.
        issued.tsa.make_other_ca("impostor");
        let impostor = anchors(&issued.tsa, "impostor.pem");
        let err = verify(&issued.token, &issued.digest, Some(&impostor)).unwrap_err();
        assert!(
            matches!(&err, VerifyError::Untrusted { problem, .. } if problem.contains("did not sign")),
            "{kind:?}: {err}"
        );
        let (ok, _) = issued.tsa.openssl_verify("r.tsr", "q.tsq", "impostor.pem");
        assert!(!ok, "openssl accepted a token under the wrong CA");

        // An empty trust list trusts nothing.
        let err = verify(&issued.token, &issued.digest, Some(&[])).unwrap_err();
        assert!(matches!(err, VerifyError::Untrusted { .. }), "{err}");

        // Trusting the TSA certificate itself is allowed (pinning).
        let pinned = anchors(&issued.tsa, "tsa.pem");
        let v = verify(&issued.token, &issued.digest, Some(&pinned)).unwrap();
        assert_eq!(v.trusted_by.as_deref(), Some(v.signer_subject.as_str()));
    }
}

/// Offsets of a DER element with `needle` content in `haystack`.
fn find(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .position(|w| w == needle)
        .expect("needle present")
}

#[test]
fn tampered_tokens_fail_the_right_check() {
    for kind in [KeyKind::Rsa, KeyKind::EcP256] {
        let issued = issue(kind);
        let anchors = anchors(&issued.tsa, "ca.pem");
        let token = &issued.token;

        // The policy OID inside TSTInfo (1.2.3.4.1 = 06 04 2a 03 04 01):
        // the content changes, so the signed messageDigest no longer matches.
        let mut t = token.clone();
        let at = find(&t, &[0x06, 0x04, 0x2a, 0x03, 0x04, 0x01]) + 5;
        t[at] = 0x07;
        let err = verify(&t, &issued.digest, Some(&anchors)).unwrap_err();
        assert!(
            matches!(err, VerifyError::MessageDigestMismatch { .. }),
            "{kind:?}: {err}"
        );

        // The last byte is in the signature value.
        let mut t = token.clone();
        let last = t.len() - 1;
        t[last] ^= 0x01;
        let err = verify(&t, &issued.digest, Some(&anchors)).unwrap_err();
        assert!(
            matches!(err, VerifyError::BadSignature { .. }),
            "{kind:?}: {err}"
        );

        // The TSA certificate's subject, changed inside the token: the
        // ESSCertID hash no longer matches the carried certificate.
        let mut t = token.clone();
        let tsa_cert = std::fs::read(issued.tsa.path("tsa.pem")).unwrap();
        let tsa_der = &qorgau_timestamp::certificates_from_pem(&tsa_cert).unwrap()[0];
        let tsa_der = der::Encode::to_der(tsa_der).unwrap();
        let cert_at = find(&t, &tsa_der);
        let name_at = cert_at + find(&tsa_der, b"Qorgau Test TSA");
        t[name_at] = b'q';
        let err = verify(&t, &issued.digest, None).unwrap_err();
        assert!(
            matches!(
                err,
                VerifyError::EssCertIdMismatch(_) | VerifyError::SignerCertificateMissing { .. }
            ),
            "{kind:?}: {err}"
        );
        // Flip the subject key bits instead: ESSCertID catches the swap.
        let mut t = token.clone();
        let key_at = cert_at + tsa_der.len() / 2;
        t[key_at] ^= 0x20;
        assert!(verify(&t, &issued.digest, None).is_err(), "{kind:?}");
    }
}

/// Every truncation and every single-byte corruption is an error or leaves
/// the verdict and facts exactly the same; nothing panics.
#[test]
fn truncated_and_bit_flipped_tokens_never_pass_as_different() {
    for kind in [KeyKind::Rsa, KeyKind::EcP256] {
        let issued = issue(kind);
        let anchors = anchors(&issued.tsa, "ca.pem");
        let good = verify(&issued.token, &issued.digest, Some(&anchors)).unwrap();

        for cut in 0..issued.token.len() {
            assert!(
                verify(&issued.token[..cut], &issued.digest, Some(&anchors)).is_err(),
                "{kind:?}: truncated at {cut} verified"
            );
            assert!(Token::from_der(&issued.token[..cut]).is_err());
        }
        // The copy of the CA certificate the TSA adds is not covered by the
        // signature (and, with trust anchors given, not used): changes there
        // may go unnoticed. Everything else must be caught.
        let ca_pem = std::fs::read(issued.tsa.path("ca.pem")).unwrap();
        let ca_der =
            der::Encode::to_der(&qorgau_timestamp::certificates_from_pem(&ca_pem).unwrap()[0])
                .unwrap();
        let ca_at = find(&issued.token, &ca_der);
        let ca_copy = ca_at..ca_at + ca_der.len();
        let mut unnoticed_outside = Vec::new();
        for at in 0..issued.token.len() {
            for flip in [0x01u8, 0x80] {
                let mut t = issued.token.clone();
                t[at] ^= flip;
                let _ = Token::from_der(&t);
                if let Ok(v) = verify(&t, &issued.digest, Some(&anchors)) {
                    assert_eq!(
                        v, good,
                        "{kind:?}: flip 0x{flip:02x} at {at} changed what verifies"
                    );
                    if !ca_copy.contains(&at) {
                        unnoticed_outside.push((at, flip));
                    }
                }
            }
        }
        assert!(
            unnoticed_outside.is_empty(),
            "{kind:?}: corruptions outside the CA copy went unnoticed: {unnoticed_outside:?}"
        );
    }
}

#[test]
fn garbage_is_malformed_not_a_panic() {
    for bytes in [
        &b""[..],
        b"\x30",
        b"\x30\x00",
        b"not der at all",
        &[0x30, 0x84, 0xff, 0xff, 0xff, 0xff],
    ] {
        assert!(matches!(
            verify(bytes, &[0; 32], None),
            Err(VerifyError::Malformed(_))
        ));
    }
}

/// Re-signs a real token's TSTInfo with `openssl cms` under a certificate
/// made with `ext` (lines for `openssl x509 -extfile`), giving a token
/// `openssl ts -reply` would refuse to make.
fn cms_signed_token(issued: &Issued, name: &str, ext: &str) -> Vec<u8> {
    let d = issued.tsa.dir.path();
    std::fs::write(d.join("token.tst"), &issued.token).unwrap();
    openssl_ok(
        d,
        &[
            "cms",
            "-verify",
            "-noverify",
            "-inform",
            "DER",
            "-in",
            "token.tst",
            "-binary",
            "-out",
            "tstinfo.der",
        ],
    );
    let (key, csr, pem, cnf) = (
        format!("{name}.key"),
        format!("{name}.csr"),
        format!("{name}.pem"),
        format!("{name}.cnf"),
    );
    std::fs::write(d.join(&cnf), ext).unwrap();
    openssl_ok(
        d,
        &[
            "genpkey",
            "-algorithm",
            "EC",
            "-pkeyopt",
            "ec_paramgen_curve:P-256",
            "-out",
            &key,
        ],
    );
    openssl_ok(
        d,
        &[
            "req",
            "-new",
            "-key",
            &key,
            "-subj",
            &format!("/CN={name}"),
            "-out",
            &csr,
        ],
    );
    openssl_ok(
        d,
        &[
            "x509",
            "-req",
            "-in",
            &csr,
            "-CA",
            "ca.pem",
            "-CAkey",
            "ca.key",
            "-set_serial",
            "77",
            "-days",
            "30",
            "-sha256",
            "-extfile",
            &cnf,
            "-out",
            &pem,
        ],
    );
    let out = format!("{name}.tst");
    openssl_ok(
        d,
        &[
            "cms",
            "-sign",
            "-binary",
            "-nodetach",
            "-in",
            "tstinfo.der",
            "-econtent_type",
            "1.2.840.113549.1.9.16.1.4",
            "-signer",
            &pem,
            "-inkey",
            &key,
            "-md",
            "sha256",
            "-nosmimecap",
            "-outform",
            "DER",
            "-out",
            &out,
        ],
    );
    std::fs::read(d.join(out)).unwrap()
}

#[test]
fn signer_must_be_a_critical_timestamping_certificate() {
    let issued = issue(KeyKind::Rsa);
    let anchors = anchors(&issued.tsa, "ca.pem");
    for (name, ext, expect) in [
        (
            "noncritical",
            "extendedKeyUsage = timeStamping\n",
            "not critical",
        ),
        (
            "email",
            "extendedKeyUsage = critical,emailProtection\n",
            "lacks timeStamping",
        ),
        (
            "extra",
            "extendedKeyUsage = critical,timeStamping,codeSigning\n",
            "besides timeStamping",
        ),
        (
            "none",
            "basicConstraints = CA:FALSE\n",
            "no extendedKeyUsage",
        ),
    ] {
        let token = cms_signed_token(&issued, name, ext);
        // Everything else about it is sound: same TSTInfo, valid CMS signature.
        assert_eq!(
            Token::from_der(&token).unwrap().info().message_imprint,
            issued.digest
        );
        let err = verify(&token, &issued.digest, Some(&anchors)).unwrap_err();
        assert!(
            matches!(&err, VerifyError::NotTimestampingCertificate { problem, .. } if problem.contains(expect)),
            "{name}: {err}"
        );
    }
}

#[test]
fn signer_certificate_must_be_bound_by_ess_cert_id() {
    // A proper TSA certificate, but `openssl cms` adds no signingCertificate
    // attribute: the binding RFC 3161 requires is missing.
    let issued = issue(KeyKind::Rsa);
    let token = cms_signed_token(
        &issued,
        "unbound",
        "extendedKeyUsage = critical,timeStamping\n",
    );
    let err = verify(&token, &issued.digest, None).unwrap_err();
    assert!(
        matches!(
            &err,
            VerifyError::SignedAttribute {
                name: "signingCertificate",
                ..
            }
        ),
        "{err}"
    );
}
