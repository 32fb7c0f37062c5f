//! Drafts of requests for data held abroad: preservation, emergency
//! disclosure (to a platform or a crypto exchange), mutual legal
//! assistance (MLA), and financial data from an exchange or a bank, in
//! Russian and English.
//!
//! The study recommends checklists for urgent requests to foreign platforms
//! (5.2) and asks that data come back in a form a court accepts — signed,
//! with logs (5.3). Drafts are filled from the case so nothing is retyped:
//! every identifier, hash and time of the case appears in both languages,
//! every time in ISO-8601 UTC. A draft is a draft: an officer reviews, signs
//! and sends it.
//!
//! Following the money ends at an exchange or a bank that knows who holds
//! an account. A financial-data request names the accounts ([`Account`]),
//! lists the transfers already known ([`TransferLine`], exact amounts as
//! text) and asks for the holder's KYC, opening documents, login logs,
//! every transaction of the period, linked accounts and, from an exchange,
//! deposit and withdrawal addresses and the Travel Rule (IVMS101) data it
//! holds. The money part is plain text here, so this crate does not depend
//! on `qorgau-money`; the command line fills it from the case.

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
    /// Data on named accounts from the exchange or bank that keeps them
    /// (holder, opening documents, logins, transactions, Travel Rule
    /// data): where following the money meets a person.
    FinancialData,
}

/// Who receives the request; decides which data are asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum RecipientType {
    /// A social network, messenger or hosting provider.
    Platform,
    /// A crypto exchange or other virtual asset service provider.
    CryptoExchange,
    /// A bank or payment institution keeping cards and accounts.
    Bank,
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

/// An account a request is about, as the case names it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Account {
    /// What kind: `wallet`, `card`, `iban`, `bank_account` (as the money
    /// module names them), or anything else the case uses.
    pub kind: String,
    /// The address, card number or account number, canonical.
    pub value: String,
    /// The chain of a wallet (`tron`, `btc`), so the exchange searches the
    /// right ledger.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chain: Option<String>,
    /// The issuer of a card or the bank of an account, when known, so the
    /// recipient sees whether the account is its own.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
}

/// A transfer already known to the case, listed so the recipient can find
/// it in its records and answer about the same movement.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TransferLine {
    /// The transaction's id at its source (chain hash, bank reference).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub tx_id: Option<String>,
    /// When (UTC).
    pub time: DateTime<Utc>,
    /// Sender's account, as written in [`Account::value`].
    pub from: String,
    /// Receiver's account.
    pub to: String,
    /// How much, as exact decimal text (`1000.25`): never rounded through
    /// a float on its way into a letter.
    pub amount: String,
    /// Currency or asset (`KZT`, `USDT`).
    pub asset: String,
}

/// The money part of a request: accounts and the transfers known. Empty
/// for requests that are not about money.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct MoneyFacts {
    /// Accounts asked about (at least one for a financial-data request).
    #[serde(default)]
    pub accounts: Vec<Account>,
    /// Transfers already known, in the order to list them.
    #[serde(default)]
    pub transfers: Vec<TransferLine>,
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
    /// Accounts and known transfers (required for a financial-data
    /// request; listed in any request that has them).
    #[serde(default)]
    pub money: MoneyFacts,
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
    /// A financial-data request must name the accounts it is about.
    #[error("case {case_ref}: a financial data request needs at least one account")]
    NoAccounts {
        /// The case.
        case_ref: String,
    },
    /// An amount is not plain decimal text.
    #[error(
        "case {case_ref}: amount `{amount}` of transfer {tx} is not a plain decimal (digits and one '.')"
    )]
    BadAmount {
        /// The case.
        case_ref: String,
        /// The transfer's id, or its time when it has none.
        tx: String,
        /// The value given.
        amount: String,
    },
    /// A listed transfer lies outside the period asked for, which would
    /// contradict the request.
    #[error("case {case_ref}: transfer {tx} at {} is outside the period asked for", utc_iso(*.time))]
    TransferOutsidePeriod {
        /// The case.
        case_ref: String,
        /// The transfer's id, or its time when it has none.
        tx: String,
        /// Its time.
        time: DateTime<Utc>,
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
    title: [&'static str; 4],
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
    ask: [&'static str; 4],
    data_platform: [&'static str; 3],
    data_exchange: [&'static str; 4],
    data_bank: [&'static str; 3],
    data_financial: [&'static str; 5],
    data_financial_exchange: [&'static str; 2],
    data_financial_bank: [&'static str; 2],
    accounts: &'static str,
    kinds: [(&'static str, &'static str); 4],
    chain: &'static str,
    issuer: &'static str,
    transfers: &'static str,
    no_transfers: &'static str,
    tx: &'static str,
    no_tx: &'static str,
    summary: &'static str,
    form: &'static str,
    confidential: &'static str,
    tipping_off: &'static str,
}

const RU: Words = Words {
    title: [
        "Запрос о сохранении данных",
        "Экстренный запрос о раскрытии данных",
        "Запрос о взаимной правовой помощи по уголовному делу",
        "Запрос о предоставлении сведений о счетах и операциях",
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
        "В связи с расследованием уголовного дела просим предоставить указанные ниже сведения о перечисленных счетах за указанный период.",
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
    data_bank: [
        "данные KYC владельца счёта (личность, документы, контакты)",
        "история операций по счёту с реквизитами контрагентов и временем в UTC",
        "журналы IP-адресов и устройств входа в дистанционное обслуживание с временем в UTC",
    ],
    data_financial: [
        "данные KYC владельца счёта: личность, документ, удостоверяющий личность, адрес, телефон, адрес электронной почты, бенефициарный владелец",
        "документы об открытии счёта: заявление, договор, представленные копии документов, дата, место и канал открытия",
        "журналы IP-адресов и идентификаторов устройств при входах и операциях, с временем в UTC",
        "все операции по указанным счетам за указанный период: время в UTC, сумма, валюта или актив, контрагент и его счёт, назначение",
        "связанные счета, карты и кошельки того же клиента, а также открытые с теми же телефоном, адресом электронной почты или устройством",
    ],
    data_financial_exchange: [
        "адреса пополнения и вывода, закреплённые за клиентом, с хэшами транзакций (TXID)",
        "данные правила FATF «Travel Rule» (IVMS101), полученные или переданные по этим переводам: отправитель, получатель, поставщики услуг виртуальных активов",
    ],
    data_financial_bank: [
        "реквизиты контрагентов по входящим и исходящим переводам: банк, БИК или SWIFT, номер счёта или карты, имя или наименование",
        "выпущенные к счёту платёжные карты и подключённое дистанционное обслуживание (номера телефонов, устройства)",
    ],
    accounts: "Счета",
    kinds: [
        ("wallet", "криптокошелёк"),
        ("card", "платёжная карта"),
        ("iban", "счёт IBAN"),
        ("bank_account", "банковский счёт"),
    ],
    chain: "сеть",
    issuer: "эмитент",
    transfers: "Известные переводы (время в UTC)",
    no_transfers: "не установлены",
    tx: "ID операции",
    no_tx: "ID операции не известен",
    summary: "В материалах дела {case} есть сведения о переводах с участием указанных ниже счетов (всего: {n}, с {from} по {to}); они перечислены в разделе «Известные переводы».",
    form: "Просим передать данные в форме, пригодной для использования в качестве доказательства: с подписью уполномоченного лица, журналами выгрузки и указанием часового пояса всех отметок времени.",
    confidential: "Просим не уведомлять владельцев учётных записей о настоящем запросе.",
    tipping_off: "Просим не уведомлять клиента (владельца счёта) и третьих лиц о настоящем запросе и его содержании и не предпринимать действий, которые могут его насторожить (запрет на предупреждение клиента, tipping-off).",
};

const EN: Words = Words {
    title: [
        "Request for preservation of data",
        "Emergency disclosure request",
        "Request for mutual legal assistance in a criminal matter",
        "Request for account and transaction data",
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
        "For a criminal investigation, please provide the data below on the accounts listed, for the period stated.",
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
    data_bank: [
        "KYC data of the account holder (identity, documents, contacts)",
        "transaction history of the account with counterparty details and times in UTC",
        "online banking login IP and device logs with times in UTC",
    ],
    data_financial: [
        "KYC data of the account holder: identity, identity document, address, phone number, e-mail address, beneficial owner",
        "account opening documents: application, contract, copies of documents provided, date, place and channel of opening",
        "IP address and device identifier logs of logins and transactions, with times in UTC",
        "all transactions of the accounts listed in the period: time in UTC, amount, currency or asset, counterparty and its account, purpose",
        "linked accounts, cards and wallets of the same customer, and those opened with the same phone number, e-mail address or device",
    ],
    data_financial_exchange: [
        "deposit and withdrawal addresses assigned to the customer, with transaction hashes (TXID)",
        "FATF Travel Rule data (IVMS101) received or sent for these transfers: originator, beneficiary, virtual asset service providers",
    ],
    data_financial_bank: [
        "counterparty details of incoming and outgoing transfers: bank, BIC or SWIFT code, account or card number, name",
        "payment cards issued on the account and online banking enrolled (phone numbers, devices)",
    ],
    accounts: "Accounts",
    kinds: [
        ("wallet", "crypto wallet"),
        ("card", "payment card"),
        ("iban", "IBAN account"),
        ("bank_account", "bank account"),
    ],
    chain: "network",
    issuer: "issuer",
    transfers: "Transfers already known (times in UTC)",
    no_transfers: "none established",
    tx: "transaction ID",
    no_tx: "transaction ID not known",
    summary: "The file of case {case} shows transfers involving the accounts below ({n} in all, from {from} to {to}); they are listed under \"Transfers already known\".",
    form: "Please provide the data in a form usable as evidence: signed by an authorised person, with export logs, and stating the time zone of every timestamp.",
    confidential: "Please do not notify the account holders of this request.",
    tipping_off: "Please do not inform the customer (account holder) or any third party of this request or its content, and take no step that could alert them (tipping-off prohibition).",
};

fn is_hex64(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// Digits with at most one '.' inside: the form exact amounts are written
/// in, so "1,000.25" (two readings) is refused rather than guessed.
fn is_plain_decimal(s: &str) -> bool {
    let mut parts = s.split('.');
    let whole = parts.next().unwrap_or("");
    let fraction = parts.next();
    parts.next().is_none()
        && !whole.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.is_none_or(|f| !f.is_empty() && f.bytes().all(|b| b.is_ascii_digit()))
}

/// A transfer as errors name it: its id, else its time.
fn transfer_name(t: &TransferLine) -> String {
    t.tx_id
        .as_deref()
        .map(str::trim)
        .filter(|id| !id.is_empty())
        .map_or_else(|| utc_iso(t.time), str::to_owned)
}

fn check_money(f: &RequestFacts) -> Result<(), RequestError> {
    let case_ref = || f.case_ref.clone();
    let m = &f.money;
    if m.accounts
        .iter()
        .any(|a| a.kind.trim().is_empty() || a.value.trim().is_empty())
    {
        return Err(RequestError::Empty {
            case_ref: case_ref(),
            field: "account",
        });
    }
    for t in &m.transfers {
        for (field, v) in [
            ("transfer from", &t.from),
            ("transfer to", &t.to),
            ("transfer amount", &t.amount),
            ("transfer asset", &t.asset),
        ] {
            if v.trim().is_empty() {
                return Err(RequestError::Empty {
                    case_ref: case_ref(),
                    field,
                });
            }
        }
        if !is_plain_decimal(t.amount.trim()) {
            return Err(RequestError::BadAmount {
                case_ref: case_ref(),
                tx: transfer_name(t),
                amount: t.amount.clone(),
            });
        }
        if t.time < f.period.from || t.time > f.period.to {
            return Err(RequestError::TransferOutsidePeriod {
                case_ref: case_ref(),
                tx: transfer_name(t),
                time: t.time,
            });
        }
    }
    Ok(())
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
    // A financial-data request is about accounts; the others about
    // identifiers.
    if kind == RequestKind::FinancialData {
        if f.money.accounts.is_empty() {
            return Err(RequestError::NoAccounts {
                case_ref: case_ref(),
            });
        }
    } else if f.identifiers.is_empty() {
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
    check_money(f)?;
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

fn words(lang: Lang, case_ref: &str) -> Result<&'static Words, RequestError> {
    match lang {
        Lang::Ru => Ok(&RU),
        Lang::En => Ok(&EN),
        Lang::Kk => Err(RequestError::Language {
            case_ref: case_ref.to_owned(),
            lang,
        }),
    }
}

/// A statement of facts for a financial-data request when the officer
/// gives none: that the case holds transfers of the accounts listed, how
/// many and over which times (UTC). It says nothing the listed transfers
/// do not show.
pub fn money_summary(
    lang: Lang,
    case_ref: &str,
    money: &MoneyFacts,
) -> Result<String, RequestError> {
    let w = words(lang, case_ref)?;
    let first = money.transfers.iter().map(|t| t.time).min();
    let last = money.transfers.iter().map(|t| t.time).max();
    let (Some(first), Some(last)) = (first, last) else {
        return Ok(String::new());
    };
    Ok(w.summary
        .replace("{case}", case_ref.trim())
        .replace("{n}", &money.transfers.len().to_string())
        .replace("{from}", &utc_iso(first))
        .replace("{to}", &utc_iso(last)))
}

/// One account line: its kind in words, chain or issuer, the value.
fn account_line(w: &Words, a: &Account) -> String {
    let kind = a.kind.trim();
    let kind = w
        .kinds
        .iter()
        .find(|(k, _)| *k == kind)
        .map_or(kind, |(_, words)| words);
    let mut about = Vec::new();
    if let Some(c) = a.chain.as_deref().map(str::trim).filter(|c| !c.is_empty()) {
        about.push(format!("{} {}", w.chain, c.to_uppercase()));
    }
    if let Some(i) = a.issuer.as_deref().map(str::trim).filter(|i| !i.is_empty()) {
        about.push(format!("{}: {i}", w.issuer));
    }
    if about.is_empty() {
        format!("- {kind}: {}", a.value.trim())
    } else {
        format!("- {kind} ({}): {}", about.join(", "), a.value.trim())
    }
}

/// One transfer line: time (UTC), id, accounts, exact amount and asset.
fn transfer_line(w: &Words, t: &TransferLine) -> String {
    let id = match t.tx_id.as_deref().map(str::trim).filter(|i| !i.is_empty()) {
        Some(id) => format!("{} {id}", w.tx),
        None => w.no_tx.to_owned(),
    };
    format!(
        "- {}; {id}; {} → {}; {} {}",
        utc_iso(t.time),
        t.from.trim(),
        t.to.trim(),
        t.amount.trim(),
        t.asset.trim()
    )
}

/// Drafts one request in Russian or English, refusing one without
/// identifiers (a financial-data one: without accounts), an emergency one
/// without an urgency reason, or one with blank fields, a reversed period,
/// a malformed hash or amount, or a listed transfer outside the period.
pub fn draft(
    kind: RequestKind,
    lang: Lang,
    facts: &RequestFacts,
    prepared_at: DateTime<Utc>,
) -> Result<Draft, RequestError> {
    check(kind, facts)?;
    let w = words(lang, &facts.case_ref)?;
    let k = match kind {
        RequestKind::Preservation => 0,
        RequestKind::EmergencyDisclosure => 1,
        RequestKind::MutualLegalAssistance => 2,
        RequestKind::FinancialData => 3,
    };
    let financial = kind == RequestKind::FinancialData;
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
    if !facts.identifiers.is_empty() {
        line(format!("{}:", w.identifiers));
        for i in &facts.identifiers {
            line(format!("- {}: {}", i.kind.trim(), i.value.trim()));
        }
    }
    let money = &facts.money;
    if !money.accounts.is_empty() {
        line(format!("{}:", w.accounts));
        for a in &money.accounts {
            line(account_line(w, a));
        }
    }
    line(format!(
        "{}: {} {} {} {}",
        w.period,
        w.period_from,
        utc_iso(facts.period.from),
        w.period_to,
        utc_iso(facts.period.to)
    ));
    if financial || !money.transfers.is_empty() {
        line(String::new());
        line(format!("{}:", w.transfers));
        if money.transfers.is_empty() {
            line(format!("- {}", w.no_transfers));
        }
        for t in &money.transfers {
            line(transfer_line(w, t));
        }
    }
    line(String::new());
    line(format!("{}:", w.data));
    let data: Vec<&str> = if financial {
        let extra: &[&str] = match facts.recipient_type {
            RecipientType::CryptoExchange => &w.data_financial_exchange,
            RecipientType::Bank => &w.data_financial_bank,
            RecipientType::Platform | RecipientType::ForeignAuthority => &[],
        };
        w.data_financial.iter().chain(extra).copied().collect()
    } else {
        match facts.recipient_type {
            RecipientType::CryptoExchange => w.data_exchange.to_vec(),
            RecipientType::Bank => w.data_bank.to_vec(),
            RecipientType::Platform | RecipientType::ForeignAuthority => w.data_platform.to_vec(),
        }
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
    if financial {
        line(w.tipping_off.to_string());
    } else {
        line(w.confidential.to_string());
    }
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
            money: MoneyFacts::default(),
        }
    }

    const DROPPER: &str = "TXGBoRcGP5813epCARkZUawUnDR8ucKCHf";
    const CASHOUT: &str = "TJ23X4Zt6N6Tid8UgUTpA9M3fd5vXbZqSG";
    const CARD: &str = "4400430000000072";
    const TX1: &str = "95cd603fe577fa9548ec0c9b50b067566fe07c8af6acba45f6196f3a15d511f6";

    /// A synthetic exchange request: a dropper wallet and a card, two
    /// transfers already known.
    fn money_facts(recipient_type: RecipientType) -> RequestFacts {
        let mut f = facts();
        f.recipient = "Example Exchange, LLP (synthetic), compliance".into();
        f.recipient_type = recipient_type;
        f.legal_basis =
            "Art. 199 of the Criminal Procedure Code of the Republic of Kazakhstan (placeholder)"
                .into();
        f.identifiers.clear();
        f.urgency_reason = None;
        f.money = MoneyFacts {
            accounts: vec![
                Account {
                    kind: "wallet".into(),
                    value: DROPPER.into(),
                    chain: Some("tron".into()),
                    issuer: None,
                },
                Account {
                    kind: "card".into(),
                    value: CARD.into(),
                    chain: None,
                    issuer: Some("Synthetic Bank JSC (visa)".into()),
                },
            ],
            transfers: vec![
                TransferLine {
                    tx_id: Some(TX1.into()),
                    time: Utc.with_ymd_and_hms(2025, 1, 12, 8, 0, 0).unwrap(),
                    from: "TV5zu3YSiT4N1Au3fr5wpDRs7jNuyeX9Ni".into(),
                    to: DROPPER.into(),
                    amount: "50".into(),
                    asset: "USDT".into(),
                },
                TransferLine {
                    tx_id: None,
                    time: Utc.with_ymd_and_hms(2025, 1, 12, 10, 0, 7).unwrap(),
                    from: DROPPER.into(),
                    to: CASHOUT.into(),
                    amount: "1000.25".into(),
                    asset: "USDT".into(),
                },
            ],
        };
        f.facts_summary = money_summary(Lang::En, &f.case_ref, &f.money).unwrap();
        f
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

    #[test]
    fn financial_data_names_every_account_transfer_hash_and_the_basis() {
        for rt in [RecipientType::CryptoExchange, RecipientType::Bank] {
            let [ru, en] = drafts(RequestKind::FinancialData, &money_facts(rt), now()).unwrap();
            for d in [&ru, &en] {
                assert_eq!(d.kind, RequestKind::FinancialData);
                for needle in [
                    DROPPER,
                    CARD,
                    CASHOUT,
                    "TV5zu3YSiT4N1Au3fr5wpDRs7jNuyeX9Ni",
                    TX1,
                    "2025-01-12T08:00:00Z (UTC)",
                    "2025-01-12T10:00:07Z (UTC)",
                    "1000.25 USDT",
                    "TRON",
                    "Synthetic Bank JSC (visa)",
                    H1,
                    H2,
                    "Art. 199 of the Criminal Procedure Code",
                    "CASE-2025-0042",
                    "2025-01-10T06:30:00Z (UTC)",
                    "2025-02-01T18:00:00Z (UTC)",
                    "2025-02-02T09:15:00Z (UTC)",
                    "IP",
                    "KYC",
                    "tipping-off",
                ] {
                    assert!(
                        d.body.contains(needle),
                        "{rt:?} {:?} lacks {needle}:\n{}",
                        d.lang,
                        d.body
                    );
                }
                // Exchanges are asked for addresses and Travel Rule data,
                // banks for counterparties and cards; neither for the other's.
                let exchange = rt == RecipientType::CryptoExchange;
                assert_eq!(d.body.contains("IVMS101"), exchange, "{}", d.body);
                assert_eq!(d.body.contains("SWIFT"), !exchange, "{}", d.body);
                assert!(!d.body.contains("Identifiers:") && !d.body.contains("Идентификаторы:"));
            }
            assert!(
                ru.title
                    .starts_with("Запрос о предоставлении сведений о счетах")
            );
            assert!(
                en.title
                    .starts_with("Request for account and transaction data")
            );
            for part in [
                "Счета:",
                "- криптокошелёк (сеть TRON): TXGBoRcGP5813epCARkZUawUnDR8ucKCHf",
                "- платёжная карта (эмитент: Synthetic Bank JSC (visa)): 4400430000000072",
                "Известные переводы (время в UTC):",
                "документы об открытии счёта",
                "все операции по указанным счетам за указанный период",
                "связанные счета, карты и кошельки",
                "ID операции не известен",
                "Просим не уведомлять клиента (владельца счёта)",
                "с подписью уполномоченного лица",
            ] {
                assert!(ru.body.contains(part), "ru lacks {part}:\n{}", ru.body);
            }
            for part in [
                "Accounts:",
                "- crypto wallet (network TRON): TXGBoRcGP5813epCARkZUawUnDR8ucKCHf",
                "Transfers already known (times in UTC):",
                &format!(
                    "- 2025-01-12T08:00:00Z (UTC); transaction ID {TX1}; \
                     TV5zu3YSiT4N1Au3fr5wpDRs7jNuyeX9Ni → {DROPPER}; 50 USDT"
                ),
                "account opening documents",
                "all transactions of the accounts listed in the period",
                "linked accounts, cards and wallets",
                "Please do not inform the customer (account holder)",
                "2 in all, from 2025-01-12T08:00:00Z (UTC) to 2025-01-12T10:00:07Z (UTC)",
            ] {
                assert!(en.body.contains(part), "en lacks {part}:\n{}", en.body);
            }
        }
    }

    #[test]
    fn transfers_and_accounts_are_listed_in_other_requests_too() {
        let mut f = money_facts(RecipientType::Bank);
        f.identifiers = facts().identifiers;
        let p = draft(RequestKind::Preservation, Lang::En, &f, now()).unwrap();
        assert!(p.body.contains("Accounts:") && p.body.contains(TX1));
        assert!(p.body.contains("online banking login IP"));
        assert!(p.body.contains("Please do not notify the account holders"));
        // Without money the other requests read as before.
        let plain = draft(RequestKind::Preservation, Lang::En, &facts(), now()).unwrap();
        assert!(!plain.body.contains("Accounts:") && !plain.body.contains("Transfers already"));
    }

    #[test]
    fn refuses_incomplete_financial_requests() {
        let case_ref = || "CASE-2025-0042".to_owned();
        let mut f = money_facts(RecipientType::CryptoExchange);
        f.money.accounts.clear();
        assert_eq!(
            draft(RequestKind::FinancialData, Lang::Ru, &f, now()),
            Err(RequestError::NoAccounts {
                case_ref: case_ref()
            })
        );
        let mut f = money_facts(RecipientType::CryptoExchange);
        f.money.transfers[1].amount = "1,000.25".into();
        let e = draft(RequestKind::FinancialData, Lang::En, &f, now()).unwrap_err();
        assert!(matches!(e, RequestError::BadAmount { .. }), "{e}");
        assert!(e.to_string().contains("2025-01-12T10:00:07Z (UTC)"), "{e}");
        for bad in ["", "1.", ".5", "1.2.3", "-5", "1e3"] {
            f.money.transfers[1].amount = bad.into();
            assert!(
                draft(RequestKind::FinancialData, Lang::En, &f, now()).is_err(),
                "{bad:?}"
            );
        }
        let mut f = money_facts(RecipientType::Bank);
        f.money.transfers[0].time = Utc.with_ymd_and_hms(2024, 12, 31, 23, 59, 59).unwrap();
        let e = draft(RequestKind::FinancialData, Lang::En, &f, now()).unwrap_err();
        assert_eq!(
            e,
            RequestError::TransferOutsidePeriod {
                case_ref: case_ref(),
                tx: TX1.into(),
                time: f.money.transfers[0].time,
            }
        );
        let mut f = money_facts(RecipientType::Bank);
        f.money.accounts[0].value = " ".into();
        assert!(matches!(
            draft(RequestKind::FinancialData, Lang::En, &f, now()),
            Err(RequestError::Empty {
                field: "account",
                ..
            })
        ));
        let mut f = money_facts(RecipientType::Bank);
        f.legal_basis = " ".into();
        assert!(matches!(
            draft(RequestKind::FinancialData, Lang::Ru, &f, now()),
            Err(RequestError::Empty {
                field: "legal_basis",
                ..
            })
        ));
        let mut f = money_facts(RecipientType::Bank);
        f.money.transfers[0].asset = String::new();
        assert!(matches!(
            draft(RequestKind::FinancialData, Lang::Ru, &f, now()),
            Err(RequestError::Empty {
                field: "transfer asset",
                ..
            })
        ));
        assert!(matches!(
            draft(
                RequestKind::FinancialData,
                Lang::Kk,
                &money_facts(RecipientType::Bank),
                now()
            ),
            Err(RequestError::Language { .. })
        ));
        // The other requests still need identifiers, accounts or not.
        assert!(matches!(
            draft(
                RequestKind::Preservation,
                Lang::En,
                &money_facts(RecipientType::Bank),
                now()
            ),
            Err(RequestError::NoIdentifiers { .. })
        ));
    }

    #[test]
    fn money_summary_in_both_languages() {
        let f = money_facts(RecipientType::Bank);
        let ru = money_summary(Lang::Ru, &f.case_ref, &f.money).unwrap();
        assert!(
            ru.contains("всего: 2, с 2025-01-12T08:00:00Z (UTC) по 2025-01-12T10:00:07Z (UTC)")
        );
        assert!(ru.contains("CASE-2025-0042"));
        assert_eq!(
            money_summary(Lang::En, "X", &MoneyFacts::default()).unwrap(),
            ""
        );
        assert!(money_summary(Lang::Kk, "X", &f.money).is_err());
        // The money part survives a JSON round trip (the store keeps facts
        // as JSON), and facts written before it existed still read.
        let text = serde_json::to_string(&f).unwrap();
        assert_eq!(serde_json::from_str::<RequestFacts>(&text).unwrap(), f);
        let mut old: serde_json::Value = serde_json::to_value(facts()).unwrap();
        old.as_object_mut().unwrap().remove("money");
        assert_eq!(
            serde_json::from_value::<RequestFacts>(old).unwrap(),
            facts()
        );
    }
}
