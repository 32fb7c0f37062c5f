//! IVMS101's code lists as enums, and [`Code`], which keeps a value that is
//! not on its list instead of refusing the whole payload.
//!
//! A payload from a counterparty VASP is evidence: one misspelt code must not
//! hide every other problem in it, so an unknown value is read as
//! [`Code::Unknown`] and reported by validation with its path.
//!
//! Values are compared exactly as the standard's tables write them (upper
//! case, and lower case for transliteration methods). The standard calls
//! values case-insensitive "unless otherwise specified", but receiving
//! software compares these codes as written, so `legl` is reported.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

/// A closed IVMS101 code list; lets [`Code`] read and write any of them.
pub trait CodeList: Sized + Copy + 'static {
    /// The datatype's name in the standard, used in messages.
    const NAME: &'static str;
    /// Every code, in the standard's order.
    const ALL: &'static [Self];
    /// The code as the standard writes it.
    fn code(self) -> &'static str;
    /// The code's meaning, from the standard's table.
    fn meaning(self) -> &'static str;
    /// The code for `text`, if `text` is on the list.
    #[must_use]
    fn from_code(text: &str) -> Option<Self> {
        Self::ALL.iter().copied().find(|c| c.code() == text)
    }
}

/// A coded value as received: on its list, or not (kept verbatim so the
/// report can quote it and a re-serialised payload is unchanged).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Code<T> {
    /// A value on the list.
    Known(T),
    /// A value that is not on the list, exactly as it was sent.
    Unknown(String),
}

impl<T: CodeList> Code<T> {
    /// The known code, or `None` for a value off the list.
    #[must_use]
    pub fn known(&self) -> Option<T> {
        match self {
            Self::Known(c) => Some(*c),
            Self::Unknown(_) => None,
        }
    }

    /// The value as sent.
    #[must_use]
    pub fn as_str(&self) -> &str {
        match self {
            Self::Known(c) => c.code(),
            Self::Unknown(s) => s,
        }
    }
}

impl<T: CodeList + PartialEq> Code<T> {
    /// Whether this is the known code `code`.
    #[must_use]
    pub fn is(&self, code: T) -> bool {
        self.known() == Some(code)
    }
}

impl<T: CodeList> From<T> for Code<T> {
    fn from(code: T) -> Self {
        Self::Known(code)
    }
}

impl<T: CodeList> fmt::Display for Code<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl<T: CodeList> Serialize for Code<T> {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(self.as_str())
    }
}

impl<'de, T: CodeList> Deserialize<'de> for Code<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let text = String::deserialize(deserializer)?;
        Ok(T::from_code(&text).map_or(Self::Unknown(text), Self::Known))
    }
}

/// Declares a code-list enum with its codes and meanings in one table.
macro_rules! code_list {
    (
        $(#[$doc:meta])*
        $name:ident, $list_name:literal {
            $( $(#[$vdoc:meta])* $variant:ident = $code:literal, $meaning:literal; )+
        }
    ) => {
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum $name {
            $( $(#[$vdoc])* $variant, )+
        }

        impl CodeList for $name {
            const NAME: &'static str = $list_name;
            const ALL: &'static [Self] = &[$(Self::$variant),+];
            fn code(self) -> &'static str {
                match self { $(Self::$variant => $code,)+ }
            }
            fn meaning(self) -> &'static str {
                match self { $(Self::$variant => $meaning,)+ }
            }
        }

        impl fmt::Display for $name {
            fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str(self.code())
            }
        }
    };
}

code_list! {
    /// The nature of a natural person's name (`NaturalPersonNameTypeCode`);
    /// constraint C6 needs one `LEGL` name, the one a screening list matches.
    NaturalPersonNameTypeCode, "NaturalPersonNameTypeCode" {
        /// Another name the person is known by.
        Alia = "ALIA", "Alias name";
        /// The name given at birth.
        Birt = "BIRT", "Name at birth";
        /// The name before a change after marriage.
        Maid = "MAID", "Maiden name";
        /// The name for legal, official or administrative purposes.
        Legl = "LEGL", "Legal name";
        /// A name whose nature the sender cannot state.
        Misc = "MISC", "Unspecified";
    }
}

code_list! {
    /// The nature of a legal person's name (`LegalPersonNameTypeCode`);
    /// constraint C5 needs one `LEGL` name, the registered one.
    LegalPersonNameTypeCode, "LegalPersonNameTypeCode" {
        /// The name under which the organisation is registered.
        Legl = "LEGL", "Legal name";
        /// The organisation's short name.
        Shrt = "SHRT", "Short name";
        /// A name used for trading, not the registered one.
        Trad = "TRAD", "Trading name";
    }
}

code_list! {
    /// The nature of an address (`AddressTypeCode`); constraint C4 accepts
    /// only a `GEOG` address as identification of a legal originator.
    AddressTypeCode, "AddressTypeCode" {
        /// Residential address.
        Home = "HOME", "Residential";
        /// Business address.
        Bizz = "BIZZ", "Business";
        /// An unspecified physical address suitable for identification.
        Geog = "GEOG", "Geographic";
    }
}

code_list! {
    /// The kind of national identifier (`NationalIdentifierTypeCode`); C7
    /// restricts legal persons to `RAID`, `MISC`, `LEIX` and `TXID`.
    NationalIdentifierTypeCode, "NationalIdentifierTypeCode" {
        /// Alien registration number.
        Arnu = "ARNU", "Alien registration number";
        /// Passport number.
        Ccpt = "CCPT", "Passport number";
        /// Identifier kept by a registration authority.
        Raid = "RAID", "Registration authority identifier";
        /// Driver licence number.
        Drlc = "DRLC", "Driver license number";
        /// Foreign investment identity number.
        Fiin = "FIIN", "Foreign investment identity number";
        /// Tax identification number.
        Txid = "TXID", "Tax identification number";
        /// Social security number.
        Socs = "SOCS", "Social security number";
        /// Identity card number.
        Idcd = "IDCD", "Identity card number";
        /// Legal Entity Identifier (ISO 17442), checked by C11.
        Leix = "LEIX", "Legal Entity Identifier";
        /// An identifier whose kind the sender cannot state.
        Misc = "MISC", "Unspecified";
    }
}

code_list! {
    /// The script a name was transliterated from (`TransliterationMethodCode`,
    /// ISO 15924 script codes plus `othr`). For Kazakh data this is `cyrl`
    /// (ISO 9), which tells the analyst how a Latin name was derived.
    TransliterationMethodCode, "TransliterationMethodCode" {
        /// Arabic (Arabic language), ISO 233-2.
        Arab = "arab", "Arabic (Arabic language), ISO 233-2:1993";
        /// Arabic (Persian language), ISO 233-3.
        Aran = "aran", "Arabic (Persian language), ISO 233-3:1999";
        /// Armenian, ISO 9985.
        Armn = "armn", "Armenian, ISO 9985:1996";
        /// Cyrillic, ISO 9.
        Cyrl = "cyrl", "Cyrillic, ISO 9:1995";
        /// Devanagari and related Indic, ISO 15919.
        Deva = "deva", "Devanagari & related Indic, ISO 15919:2001";
        /// Georgian, ISO 9984.
        Geor = "geor", "Georgian, ISO 9984:1996";
        /// Greek, ISO 843.
        Grek = "grek", "Greek, ISO 843:1997";
        /// Han (Hanzi, Kanji, Hanja), ISO 7098.
        Hani = "hani", "Han (Hanzi, Kanji, Hanja), ISO 7098:2015";
        /// Hebrew, ISO 259-2.
        Hebr = "hebr", "Hebrew, ISO 259-2:1994";
        /// Kana, ISO 3602.
        Kana = "kana", "Kana, ISO 3602:1989";
        /// Korean, Revised Romanization.
        Kore = "kore", "Korean, Revised Romanization of Korean";
        /// Thai, ISO 11940-2.
        Thai = "thai", "Thai, ISO 11940-2:2007";
        /// Another script, method unspecified.
        Othr = "othr", "Script other than those listed, unspecified";
    }
}

code_list! {
    /// The edition a payload says it follows (`PayloadVersionCode`, new in
    /// IVMS101.2023). Absent in 2020 payloads, which had no such element.
    PayloadVersionCode, "PayloadVersionCode" {
        /// IVMS 101, published May 2020.
        V101 = "101", "IVMS 101 (May 2020)";
        /// IVMS 101.2023, published August 2023.
        V101_2023 = "101.2023", "IVMS 101.2023 (August 2023)";
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn codes_read_known_and_keep_unknown() {
        let known: Code<NaturalPersonNameTypeCode> = serde_json::from_str("\"LEGL\"").unwrap();
        assert_eq!(known, Code::Known(NaturalPersonNameTypeCode::Legl));
        let unknown: Code<NaturalPersonNameTypeCode> = serde_json::from_str("\"legl\"").unwrap();
        assert_eq!(unknown, Code::Unknown("legl".into()));
        assert_eq!(serde_json::to_string(&unknown).unwrap(), "\"legl\"");
        assert!(serde_json::from_str::<Code<AddressTypeCode>>("1").is_err());
    }

    #[test]
    fn lists_are_the_standards() {
        let codes = |all: &[&'static str]| all.join(" ");
        assert_eq!(
            codes(
                &NaturalPersonNameTypeCode::ALL
                    .iter()
                    .map(|c| c.code())
                    .collect::<Vec<_>>()
            ),
            "ALIA BIRT MAID LEGL MISC"
        );
        assert_eq!(
            codes(
                &LegalPersonNameTypeCode::ALL
                    .iter()
                    .map(|c| c.code())
                    .collect::<Vec<_>>()
            ),
            "LEGL SHRT TRAD"
        );
        assert_eq!(
            codes(
                &AddressTypeCode::ALL
                    .iter()
                    .map(|c| c.code())
                    .collect::<Vec<_>>()
            ),
            "HOME BIZZ GEOG"
        );
        assert_eq!(
            codes(
                &NationalIdentifierTypeCode::ALL
                    .iter()
                    .map(|c| c.code())
                    .collect::<Vec<_>>()
            ),
            "ARNU CCPT RAID DRLC FIIN TXID SOCS IDCD LEIX MISC"
        );
        assert_eq!(TransliterationMethodCode::ALL.len(), 13);
        assert_eq!(
            PayloadVersionCode::from_code("101.2023"),
            Some(PayloadVersionCode::V101_2023)
        );
        assert_eq!(PayloadVersionCode::from_code("IVMS101.2023"), None);
    }
}
