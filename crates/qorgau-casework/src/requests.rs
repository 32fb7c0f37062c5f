//! Drafts of requests for data held abroad: preservation, emergency
//! disclosure (to a platform or a crypto exchange) and mutual legal
//! assistance (MLA), in Russian and English.
//!
//! The study recommends checklists for urgent requests to foreign platforms
//! (5.2) and asks that data come back in a form a court accepts — signed,
//! with logs (5.3). Drafts are filled from the case so nothing is retyped:
//! every identifier, hash and time of the case appears in both languages,
//! every time in ISO-8601 UTC. A draft is a draft: an officer reviews, signs
//! and sends it.

use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};

use crate::{Lang, utc_iso};

/// Which request to draft.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RequestKind {
    /// Keep the data, disclose nothing yet; bridges the time an MLA takes.
    Preservation,
    /// Disclose now because a life or safety is at risk.
    EmergencyDisclosure,
    /// Formal request between states for data usable as evidence.
    MutualLegalAssistance,
}

/// Who receives the request; decides which data are asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecipientType {
    /// A social network, messenger or hosting provider.
    Platform,
    /// A crypto exchange or other virtual asset service provider.
    CryptoExchange,
    /// A foreign state's central or competent authority (MLA).
    ForeignAuthority,
}

/// An identifier the request is about (`kind` as the case names it, e.g.
/// `telegram_handle`, `phone`, `usdt_trc20_address`, `url`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Identifier {
    /// What kind of identifier.
    pub kind: String,
    /// The value.
    pub value: String,
}

/// A preserved file the request refers to, by name and hash, so the
/// recipient can match what it later returns with what the agency holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct EvidenceFile {
    /// File name in the vault.
    pub file_name: String,
    /// SHA-256, 64 hex digits.
    pub sha256: String,
}

/// The time range of data requested, in UTC.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    /// Start (inclusive).
    pub from: DateTime<Utc>,
    /// End (inclusive).
    pub to: DateTime<Utc>,
}

/// Everything a draft is filled from, taken from the case.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestFacts {
    /// Case number.
    pub case_ref: String,
    /// The requesting agency.
    pub requesting_agency: String,
    /// The officer to contact (name, position, phone, e-mail).
    pub officer: String,
    /// The addressee.
    pub recipient: String,
    /// What kind of addressee.
    pub recipient_type: RecipientType,
    /// Treaty, law or policy relied on.
    pub legal_basis: String,
    /// Identifiers the request is about (at least one).
    pub identifiers: Vec<Identifier>,
    /// Time range of data.
    pub period: Period,
    /// Preserved files referred to.
    pub evidence: Vec<EvidenceFile>,
    /// Short statement of facts.
    pub facts_summary: String,
    /// Why it cannot wait (required for emergency disclosure).
    pub urgency_reason: Option<String>,
}

/// A drafted request as plain text.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Draft {
    /// Which request.
    pub kind: RequestKind,
    /// Its language.
    pub lang: Lang,
    /// Subject line.
    pub title: String,
    /// The text.
    pub body: String,
}

/// Why a draft could not be made; each names the case.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum RequestError {
    /// A request must say what it is about.
    #[error("case {case_ref}: a request needs at least one identifier")]
    NoIdentifiers {
        /// The case.
        case_ref: String,
    },
    /// An emergency request must say why it cannot wait.
    #[error("case {case_ref}: an emergency disclosure request needs an urgency reason")]
    NoUrgencyReason {
        /// The case.
        case_ref: String,
    },
    /// A required field is blank.
    #[error("case {case_ref}: {field} is empty")]
    Empty {
        /// The case.
        case_ref: String,
        /// The field.
        field: &'static str,
    },
    /// The period ends before it starts.
    #[error("case {case_ref}: period ends ({}) before it starts ({})", utc_iso(*.to), utc_iso(*.from))]
    BadPeriod {
        /// The case.
        case_ref: String,
        /// Start.
        from: DateTime<Utc>,
        /// End.
        to: DateTime<Utc>,
    },
    /// An evidence hash is not SHA-256 hex.
    #[error("case {case_ref}: sha256 `{sha256}` of {file_name} is not 64 hex digits")]
    BadHash {
        /// The case.
        case_ref: String,
        /// The file.
        file_name: String,
        /// The value given.
        sha256: String,
    },
    /// Foreign requests are drafted in Russian or English only.
    #[error("case {case_ref}: requests abroad are drafted in ru or en, not {lang:?}")]
    Language {
        /// The case.
        case_ref: String,
        /// The language asked for.
        lang: Lang,
    },
}

/// Fixed wording of one language.
struct Words {
    title: [&'static str; 3],
    case: &'static str,
    to: &'static str,
    from: &'static str,
    date: &'static str,
    contact: &'static str,
    basis: &'static str,
    facts: &'static str,
    urgency: &'static str,
    identifiers: &'static str,
    period: &'static str,
    period_from: &'static str,
    period_to: &'static str,
    evidence: &'static str,
    no_evidence: &'static str,
    data: &'static str,
    ask: [&'static str; 3],
    data_platform: [&'static str; 3],
    data_exchange: [&'static str; 4],
    form: &'static str,
    confidential: &'static str,
}

const RU: Words = Words {
    title: [
        "Запрос о сохранении данных",
        "Экстренный запрос о раскрытии данных",
        "Запрос о взаимной правовой помощи по уголовному делу",
    ],
    case: "дело",
    to: "Кому",
    from: "От",
    date: "Дата",
    contact: "Контактное лицо",
    basis: "Правовое основание",
    facts: "Краткое изложение обстоятельств",
    urgency: "Основание срочности",
    identifiers: "Идентификаторы",
    period: "Период",
    period_from: "с",
    period_to: "по",
    evidence: "Материалы, на которые ссылается запрос (SHA-256)",
    no_evidence: "не прилагаются",
    data: "Запрашиваемые данные",
    ask: [
        "Просим обеспечить сохранение, без раскрытия, всех данных, связанных с указанными идентификаторами за указанный период, на срок не менее 90 дней до поступления официального запроса о раскрытии или запроса о взаимной правовой помощи.",
        "Просим раскрыть данные в экстренном порядке: есть основания полагать, что существует непосредственная угроза жизни или здоровью человека, в том числе возможной жертвы торговли людьми.",
        "Просим оказать правовую помощь по уголовному делу: получить и передать указанные ниже данные для использования в качестве доказательств, а также сообщить о сроках исполнения и об обстоятельствах, препятствующих исполнению.",
    ],
    data_platform: [
        "регистрационные данные учётной записи (имя, адрес электронной почты, номер телефона, дата создания)",
        "журналы IP-адресов входа и соединений с временем в UTC",
        "содержимое публикаций, сообщений и медиафайлов — в объёме, допустимом по вашему праву",
    ],
    data_exchange: [
        "данные KYC владельца счёта (личность, документы, контакты)",
        "адреса пополнения и вывода, история транзакций с хэшами (TXID)",
        "журналы IP-адресов и устройств входа с временем в UTC",
        "данные об отправителе и получателе, полученные по правилу FATF «Travel Rule»",
    ],
    form: "Просим передать данные в форме, пригодной для использования в качестве доказательства: с подписью уполномоченного лица, журналами выгрузки и указанием часового пояса всех отметок времени.",
    confidential: "Просим не уведомлять владельцев учётных записей о настоящем запросе.",
};

const EN: Words = Words {
    title: [
        "Request for preservation of data",
        "Emergency disclosure request",
        "Request for mutual legal assistance in a criminal matter",
    ],
    case: "case",
    to: "To",
    from: "From",
    date: "Date",
    contact: "Contact officer",
    basis: "Legal basis",
    facts: "Summary of facts",
    urgency: "Reason for urgency",
    identifiers: "Identifiers",
    period: "Period",
    period_from: "from",
    period_to: "to",
    evidence: "Material referred to (SHA-256)",
    no_evidence: "none attached",
    data: "Data requested",
    ask: [
        "Please preserve, without disclosing, all data associated with the identifiers below for the period stated, for at least 90 days pending a formal disclosure order or mutual legal assistance request.",
        "Please disclose the data on an emergency basis: there are grounds to believe that a person, including a possible victim of trafficking in human beings, faces an imminent risk of death or serious physical injury.",
        "Please provide legal assistance in a criminal matter: obtain and transmit the data below for use as evidence, and inform us of the expected time of execution and of anything that prevents it.",
    ],
    data_platform: [
        "account registration data (name, e-mail address, phone number, creation date)",
        "login and connection IP logs with times in UTC",
        "content of posts, messages and media files, to the extent your law permits",
    ],
    data_exchange: [
        "KYC data of the account holder (identity, documents, contacts)",
        "deposit and withdrawal addresses, transaction history with hashes (TXID)",
        "login IP and device logs with times in UTC",
        "originator and beneficiary information received under the FATF Travel Rule",
    ],
    form: "Please provide the data in a form usable as evidence: signed by an authorised person, with export logs, and stating the time zone of every timestamp.",
    confidential: "Please do not notify the account holders of this request.",
};

fn is_hex64(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

fn check(kind: RequestKind, f: &RequestFacts) -> Result<(), RequestError> {
    let case_ref = || f.case_ref.clone();
    if f.case_ref.trim().is_empty() {
        return Err(RequestError::Empty {
            case_ref: case_ref(),
            field: "case_ref",
        });
    }
    for (field, v) in [
        ("requesting_agency", &f.requesting_agency),
        ("officer", &f.officer),
        ("recipient", &f.recipient),
        ("legal_basis", &f.legal_basis),
        ("facts_summary", &f.facts_summary),
    ] {
        if v.trim().is_empty() {
            return Err(RequestError::Empty {
                case_ref: case_ref(),
                field,
            });
        }
    }
    if f.identifiers.is_empty() {
        return Err(RequestError::NoIdentifiers {
            case_ref: case_ref(),
        });
    }
    if f.identifiers
        .iter()
        .any(|i| i.kind.trim().is_empty() || i.value.trim().is_empty())
    {
        return Err(RequestError::Empty {
            case_ref: case_ref(),
            field: "identifier",
        });
    }
    if kind == RequestKind::EmergencyDisclosure
        && f.urgency_reason
            .as_deref()
            .is_none_or(|r| r.trim().is_empty())
    {
        return Err(RequestError::NoUrgencyReason {
            case_ref: case_ref(),
        });
    }
    if f.period.to < f.period.from {
        return Err(RequestError::BadPeriod {
            case_ref: case_ref(),
            from: f.period.from,
            to: f.period.to,
        });
    }
    if f.evidence.iter().any(|e| e.file_name.trim().is_empty()) {
        return Err(RequestError::Empty {
            case_ref: case_ref(),
            field: "evidence file_name",
        });
    }
    if let Some(e) = f.evidence.iter().find(|e| !is_hex64(&e.sha256)) {
        return Err(RequestError::BadHash {
            case_ref: case_ref(),
            file_name: e.file_name.clone(),
            sha256: e.sha256.clone(),
        });
    }
    Ok(())
}

/// Drafts one request in Russian or English, refusing one without
/// identifiers, an emergency one without an urgency reason, or one with
/// blank fields, a reversed period or a malformed hash.
pub fn draft(
    kind: RequestKind,
    lang: Lang,
    facts: &RequestFacts,
    prepared_at: DateTime<Utc>,
) -> Result<Draft, RequestError> {
    check(kind, facts)?;
    let w = match lang {
        Lang::Ru => &RU,
        Lang::En => &EN,
        Lang::Kk => {
            return Err(RequestError::Language {
                case_ref: facts.case_ref.clone(),
                lang,
            });
        }
    };
    let k = match kind {
        RequestKind::Preservation => 0,
        RequestKind::EmergencyDisclosure => 1,
        RequestKind::MutualLegalAssistance => 2,
    };
    let title = format!("{} — {} {}", w.title[k], w.case, facts.case_ref.trim());
    let mut b = String::new();
    let mut line = |s: String| {
        b.push_str(&s);
        b.push('\n');
    };
    line(title.clone());
    line(String::new());
    line(format!("{}: {}", w.to, facts.recipient.trim()));
    line(format!("{}: {}", w.from, facts.requesting_agency.trim()));
    line(format!("{}: {}", w.date, utc_iso(prepared_at)));
    line(format!("{}: {}", w.basis, facts.legal_basis.trim()));
    line(String::new());
    line(w.ask[k].to_string());
    if kind == RequestKind::EmergencyDisclosure {
        line(String::new());
        line(format!(
            "{}: {}",
            w.urgency,
            facts.urgency_reason.as_deref().unwrap_or("").trim()
        ));
    }
    line(String::new());
    line(format!("{}:", w.facts));
    line(facts.facts_summary.trim().to_string());
    line(String::new());
    line(format!("{}:", w.identifiers));
    for i in &facts.identifiers {
        line(format!("- {}: {}", i.kind.trim(), i.value.trim()));
    }
    line(format!(
        "{}: {} {} {} {}",
        w.period,
        w.period_from,
        utc_iso(facts.period.from),
        w.period_to,
        utc_iso(facts.period.to)
    ));
    line(String::new());
    line(format!("{}:", w.data));
    let data: &[&str] = match facts.recipient_type {
        RecipientType::CryptoExchange => &w.data_exchange,
        RecipientType::Platform | RecipientType::ForeignAuthority => &w.data_platform,
    };
    for d in data {
        line(format!("- {d}"));
    }
    line(String::new());
    line(format!("{}:", w.evidence));
    if facts.evidence.is_empty() {
        line(format!("- {}", w.no_evidence));
    }
    for e in &facts.evidence {
        line(format!(
            "- {} — SHA-256 {}",
            e.file_name.trim(),
            e.sha256.to_ascii_lowercase()
        ));
    }
    line(String::new());
    if kind != RequestKind::Preservation {
        line(w.form.to_string());
    }
    line(w.confidential.to_string());
    line(String::new());
    line(format!("{}: {}", w.contact, facts.officer.trim()));
    Ok(Draft {
        kind,
        lang,
        title,
        body: b,
    })
}

/// Drafts the request in Russian and in English, the two languages a
/// foreign recipient is most likely to accept.
pub fn drafts(
    kind: RequestKind,
    facts: &RequestFacts,
    prepared_at: DateTime<Utc>,
) -> Result<[Draft; 2], RequestError> {
    Ok([
        draft(kind, Lang::Ru, facts, prepared_at)?,
        draft(kind, Lang::En, facts, prepared_at)?,
    ])
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono::TimeZone;

    const H1: &str = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
    const H2: &str = "60303ae22b998861bce3b28f33eec1be758a213c86c93c076dbe9f558c11c752";

    fn facts() -> RequestFacts {
        RequestFacts {
            case_ref: "CASE-2025-0042".into(),
            requesting_agency: "Cyber police department (synthetic)".into(),
            officer: "Investigator B. Testov, +7 700 000 0012".into(),
            recipient: "Telegram FZ-LLC, law enforcement contact".into(),
            recipient_type: RecipientType::Platform,
            legal_basis: "Criminal Procedure Code of the Republic of Kazakhstan (placeholder)"
                .into(),
            identifiers: vec![
                Identifier {
                    kind: "telegram_handle".into(),
                    value: "@model_jobs_test".into(),
                },
                Identifier {
                    kind: "phone".into(),
                    value: "+7 700 000 0007".into(),
                },
            ],
            period: Period {
                from: Utc.with_ymd_and_hms(2025, 1, 10, 6, 30, 0).unwrap(),
                to: Utc.with_ymd_and_hms(2025, 2, 1, 18, 0, 0).unwrap(),
            },
            evidence: vec![
                EvidenceFile {
                    file_name: "capture-001.warc".into(),
                    sha256: H1.into(),
                },
                EvidenceFile {
                    file_name: "screenshot-001.png".into(),
                    sha256: H2.to_uppercase(),
                },
            ],
            facts_summary: "A channel advertises 'model work abroad' and recruits young women."
                .into(),
            urgency_reason: Some("A 16-year-old is to travel on 2025-02-03.".into()),
        }
    }

    fn now() -> DateTime<Utc> {
        Utc.with_ymd_and_hms(2025, 2, 2, 9, 15, 0).unwrap()
    }

    #[test]
    fn every_identifier_hash_and_time_appears_in_both_languages() {
        for kind in [
            RequestKind::Preservation,
            RequestKind::EmergencyDisclosure,
            RequestKind::MutualLegalAssistance,
        ] {
            let [ru, en] = drafts(kind, &facts(), now()).unwrap();
            assert_eq!((ru.lang, en.lang), (Lang::Ru, Lang::En));
            for d in [&ru, &en] {
                for needle in [
                    "@model_jobs_test",
                    "+7 700 000 0007",
                    H1,
                    H2,
                    "capture-001.warc",
                    "2025-01-10T06:30:00Z (UTC)",
                    "2025-02-01T18:00:00Z (UTC)",
                    "2025-02-02T09:15:00Z (UTC)",
                    "CASE-2025-0042",
                    "Telegram FZ-LLC",
                    "+7 700 000 0012",
                ] {
                    assert!(
                        d.body.contains(needle),
                        "{kind:?} {:?} lacks {needle}:\n{}",
                        d.lang,
                        d.body
                    );
                }
                assert_eq!(
                    d.body.contains("16-year-old"),
                    kind == RequestKind::EmergencyDisclosure
                );
            }
        }
    }

    #[test]
    fn required_parts_are_present() {
        let [ru, en] = drafts(RequestKind::MutualLegalAssistance, &facts(), now()).unwrap();
        assert!(ru.title.starts_with("Запрос о взаимной правовой помощи"));
        assert!(en.title.ends_with("case CASE-2025-0042"));
        for part in [
            "Кому:",
            "От:",
            "Дата:",
            "Правовое основание:",
            "Идентификаторы:",
            "Период:",
            "Запрашиваемые данные:",
            "Контактное лицо:",
            "с подписью уполномоченного лица",
        ] {
            assert!(ru.body.contains(part), "ru lacks {part}");
        }
        for part in [
            "To:",
            "From:",
            "Date:",
            "Legal basis:",
            "Identifiers:",
            "Period:",
            "Data requested:",
            "Contact officer:",
            "signed by an authorised person",
        ] {
            assert!(en.body.contains(part), "en lacks {part}");
        }
        let p = draft(RequestKind::Preservation, Lang::En, &facts(), now()).unwrap();
        assert!(p.body.contains("at least 90 days"));
        let mut f = facts();
        f.recipient_type = RecipientType::CryptoExchange;
        let e = draft(RequestKind::EmergencyDisclosure, Lang::En, &f, now()).unwrap();
        assert!(e.body.contains("Reason for urgency: A 16-year-old"));
        assert!(e.body.contains("Travel Rule") && e.body.contains("TXID"));
    }

    #[test]
    fn refuses_incomplete_requests() {
        let mut f = facts();
        f.urgency_reason = Some("  ".into());
        assert_eq!(
            draft(RequestKind::EmergencyDisclosure, Lang::Ru, &f, now()),
            Err(RequestError::NoUrgencyReason {
                case_ref: "CASE-2025-0042".into()
            })
        );
        assert!(
            draft(RequestKind::Preservation, Lang::Ru, &f, now()).is_ok(),
            "urgency only for emergency"
        );
        f.identifiers.clear();
        let e = draft(RequestKind::Preservation, Lang::En, &f, now()).unwrap_err();
        assert_eq!(
            e.to_string(),
            "case CASE-2025-0042: a request needs at least one identifier"
        );
        let mut f = facts();
        f.evidence[0].sha256 = "abc".into();
        assert!(matches!(
            draft(RequestKind::Preservation, Lang::En, &f, now()),
            Err(RequestError::BadHash { .. })
        ));
        let mut f = facts();
        std::mem::swap(&mut f.period.from, &mut f.period.to);
        assert!(matches!(
            draft(RequestKind::Preservation, Lang::En, &f, now()),
            Err(RequestError::BadPeriod { .. })
        ));
        assert!(matches!(
            draft(RequestKind::Preservation, Lang::Kk, &facts(), now()),
            Err(RequestError::Language { .. })
        ));
        let mut f = facts();
        f.legal_basis = String::new();
        assert!(matches!(
            draft(RequestKind::Preservation, Lang::En, &f, now()),
            Err(RequestError::Empty {
                field: "legal_basis",
                ..
            })
        ));
    }
}
