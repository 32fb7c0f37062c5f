//! ISO 3166-1 alpha-2 country codes, the values IVMS101's `CountryCode`
//! datatype allows (constraint C3), plus the standard's `XX`.
//!
//! Why a table and not a pattern: `^[A-Z]{2}$` accepts `UK` or `SU`, which no
//! receiving VASP can place. The list is the 249 officially assigned codes as
//! Debian's `iso-codes` 4.15.0 publishes them (`iso_3166-1.json`); the test
//! `countries_match_debian_iso_codes` compares it with that file whenever the
//! machine has it, so a new or withdrawn code shows up as a failing test.

/// The officially assigned ISO 3166-1 alpha-2 codes, sorted for binary search.
///
/// Kept as data so a change of the standard is a one-line edit reviewed like
/// any other, not logic.
pub const ISO_3166_1_ALPHA2: &[&str] = &[
    "AD", "AE", "AF", "AG", "AI", "AL", "AM", "AO", "AQ", "AR", "AS", "AT", "AU", "AW", "AX", "AZ",
    "BA", "BB", "BD", "BE", "BF", "BG", "BH", "BI", "BJ", "BL", "BM", "BN", "BO", "BQ", "BR", "BS",
    "BT", "BV", "BW", "BY", "BZ", "CA", "CC", "CD", "CF", "CG", "CH", "CI", "CK", "CL", "CM", "CN",
    "CO", "CR", "CU", "CV", "CW", "CX", "CY", "CZ", "DE", "DJ", "DK", "DM", "DO", "DZ", "EC", "EE",
    "EG", "EH", "ER", "ES", "ET", "FI", "FJ", "FK", "FM", "FO", "FR", "GA", "GB", "GD", "GE", "GF",
    "GG", "GH", "GI", "GL", "GM", "GN", "GP", "GQ", "GR", "GS", "GT", "GU", "GW", "GY", "HK", "HM",
    "HN", "HR", "HT", "HU", "ID", "IE", "IL", "IM", "IN", "IO", "IQ", "IR", "IS", "IT", "JE", "JM",
    "JO", "JP", "KE", "KG", "KH", "KI", "KM", "KN", "KP", "KR", "KW", "KY", "KZ", "LA", "LB", "LC",
    "LI", "LK", "LR", "LS", "LT", "LU", "LV", "LY", "MA", "MC", "MD", "ME", "MF", "MG", "MH", "MK",
    "ML", "MM", "MN", "MO", "MP", "MQ", "MR", "MS", "MT", "MU", "MV", "MW", "MX", "MY", "MZ", "NA",
    "NC", "NE", "NF", "NG", "NI", "NL", "NO", "NP", "NR", "NU", "NZ", "OM", "PA", "PE", "PF", "PG",
    "PH", "PK", "PL", "PM", "PN", "PR", "PS", "PT", "PW", "PY", "QA", "RE", "RO", "RS", "RU", "RW",
    "SA", "SB", "SC", "SD", "SE", "SG", "SH", "SI", "SJ", "SK", "SL", "SM", "SN", "SO", "SR", "SS",
    "ST", "SV", "SX", "SY", "SZ", "TC", "TD", "TF", "TG", "TH", "TJ", "TK", "TL", "TM", "TN", "TO",
    "TR", "TT", "TV", "TW", "TZ", "UA", "UG", "UM", "US", "UY", "UZ", "VA", "VC", "VE", "VG", "VI",
    "VN", "VU", "WF", "WS", "YE", "YT", "ZA", "ZM", "ZW",
];

/// IVMS101's code for "unknown States, other entities or organisations"
/// (WIPO ST.3), allowed wherever a `CountryCode` is: a VASP that does not know
/// a customer's country must still be able to send the payload.
pub const UNKNOWN_COUNTRY: &str = "XX";

/// Whether `code` is an officially assigned ISO 3166-1 alpha-2 code.
///
/// Exact, upper-case comparison: the `CountryCode` datatype's pattern is
/// `^[A-Z]{2}$`, so `kz` is not a country code even though the standard calls
/// most other values case-insensitive.
#[must_use]
pub fn is_iso_country(code: &str) -> bool {
    ISO_3166_1_ALPHA2.binary_search(&code).is_ok()
}

/// Whether `code` is a valid IVMS101 `CountryCode`: an ISO 3166-1 alpha-2
/// code or `XX` (constraint C3).
#[must_use]
pub fn is_ivms_country(code: &str) -> bool {
    code == UNKNOWN_COUNTRY || is_iso_country(code)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn table_is_sorted_unique_and_upper_case() {
        assert!(ISO_3166_1_ALPHA2.windows(2).all(|w| w[0] < w[1]));
        assert_eq!(ISO_3166_1_ALPHA2.len(), 249);
        assert!(
            ISO_3166_1_ALPHA2
                .iter()
                .all(|c| c.len() == 2 && c.bytes().all(|b| b.is_ascii_uppercase()))
        );
    }

    #[test]
    fn both_sides_of_c3() {
        for good in ["KZ", "KG", "UZ", "RU", "US", "GB", "AX", "XX"] {
            assert!(is_ivms_country(good), "{good}");
        }
        for bad in ["kz", "UK", "SU", "EU", "XK", "X", "KAZ", "", "K Z", "ҚЗ"] {
            assert!(!is_ivms_country(bad), "{bad}");
        }
        assert!(!is_iso_country("XX"));
    }

    /// The independent source: Debian's iso-codes (installed by
    /// `scripts/install-test-tools`). Read with serde_json, not a JSON schema
    /// of ours.
    #[test]
    fn countries_match_debian_iso_codes() {
        let path = "/usr/share/iso-codes/json/iso_3166-1.json";
        let text = std::fs::read_to_string(path)
            .unwrap_or_else(|e| panic!("{path}: {e} (run scripts/install-test-tools)"));
        let doc: serde_json::Value = serde_json::from_str(&text).unwrap();
        let mut theirs: Vec<&str> = doc["3166-1"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| c["alpha_2"].as_str().unwrap())
            .collect();
        theirs.sort_unstable();
        assert_eq!(theirs, ISO_3166_1_ALPHA2);
    }
}
