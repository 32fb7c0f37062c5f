//! Conversion to KZT and what counts as a currency.
//!
//! An FIU sums reports in local currency, so formats like goAML want every
//! amount in KZT beside the original. The product of an 18-decimal amount
//! and an 18-decimal rate needs up to 256 bits before it is scaled back,
//! more than `i128` holds, so it is computed here in two 128-bit halves:
//! exact, then rounded once, half away from zero, to the tiyn (0.01 KZT).

use qorgau_money::Amount;

/// The local currency of a report to Kazakhstan's FIU.
pub const LOCAL_CURRENCY: &str = "KZT";

/// ISO 4217 codes of the currencies in circulation (funds codes,
/// precious metals and testing codes left out): an asset written with one
/// of these is money in a bank, anything else (`USDT`, `BTC`) a virtual
/// asset.
const ISO_4217: &[&str] = &[
    "AED", "AFN", "ALL", "AMD", "ANG", "AOA", "ARS", "AUD", "AWG", "AZN", "BAM", "BBD", "BDT",
    "BGN", "BHD", "BIF", "BMD", "BND", "BOB", "BRL", "BSD", "BTN", "BWP", "BYN", "BZD", "CAD",
    "CDF", "CHF", "CLP", "CNY", "COP", "CRC", "CUC", "CUP", "CVE", "CZK", "DJF", "DKK", "DOP",
    "DZD", "EGP", "ERN", "ETB", "EUR", "FJD", "FKP", "GBP", "GEL", "GHS", "GIP", "GMD", "GNF",
    "GTQ", "GYD", "HKD", "HNL", "HTG", "HUF", "IDR", "ILS", "INR", "IQD", "IRR", "ISK", "JMD",
    "JOD", "JPY", "KES", "KGS", "KHR", "KMF", "KPW", "KRW", "KWD", "KYD", "KZT", "LAK", "LBP",
    "LKR", "LRD", "LSL", "LYD", "MAD", "MDL", "MGA", "MKD", "MMK", "MNT", "MOP", "MRU", "MUR",
    "MVR", "MWK", "MXN", "MYR", "MZN", "NAD", "NGN", "NIO", "NOK", "NPR", "NZD", "OMR", "PAB",
    "PEN", "PGK", "PHP", "PKR", "PLN", "PYG", "QAR", "RON", "RSD", "RUB", "RWF", "SAR", "SBD",
    "SCR", "SDG", "SEK", "SGD", "SHP", "SLE", "SOS", "SRD", "SSP", "STN", "SVC", "SYP", "SZL",
    "THB", "TJS", "TMT", "TND", "TOP", "TRY", "TTD", "TWD", "TZS", "UAH", "UGX", "USD", "UYU",
    "UZS", "VES", "VND", "VUV", "WST", "XAF", "XCD", "XCG", "XOF", "XPF", "YER", "ZAR", "ZMW",
    "ZWG",
];

/// Whether `asset` is an ISO 4217 currency code (money in banks) rather
/// than a virtual asset.
pub fn is_currency(asset: &str) -> bool {
    ISO_4217.contains(&asset)
}

/// Atoms (10⁻¹⁸) in one tiyn (10⁻²).
const ATOMS_PER_TIYN: i128 = 10i128.pow(16);
/// The product of two amounts is in 10⁻³⁶; this many of those make a tiyn.
const PRODUCT_PER_TIYN: u128 = 10u128.pow(34);

/// `amount × rate`, rounded half away from zero to 0.01; `None` when the
/// result does not fit in an [`Amount`].
pub fn to_local(amount: Amount, rate: Amount) -> Option<Amount> {
    let negative = amount.is_negative() != rate.is_negative();
    let (hi, lo) = mul_wide(amount.atoms().unsigned_abs(), rate.atoms().unsigned_abs());
    let (q_hi, q_lo, rem) = div_wide(hi, lo, PRODUCT_PER_TIYN);
    if q_hi != 0 {
        return None;
    }
    let q = if rem >= PRODUCT_PER_TIYN - rem {
        q_lo.checked_add(1)?
    } else {
        q_lo
    };
    let tiyn = i128::try_from(q).ok()?;
    let atoms = tiyn.checked_mul(ATOMS_PER_TIYN)?;
    Some(Amount::from_atoms(if negative { -atoms } else { atoms }))
}

/// Decimal places an amount needs (0 for whole units).
pub fn fraction_digits(amount: Amount) -> usize {
    let text = amount.to_string();
    text.split_once('.').map_or(0, |(_, f)| f.len())
}

/// The full 256-bit product of two `u128`s as (high, low) halves.
fn mul_wide(a: u128, b: u128) -> (u128, u128) {
    const MASK: u128 = u64::MAX as u128;
    let (a1, a0) = (a >> 64, a & MASK);
    let (b1, b0) = (b >> 64, b & MASK);
    let p00 = a0 * b0;
    let p01 = a0 * b1;
    let p10 = a1 * b0;
    let p11 = a1 * b1;
    let mid = (p00 >> 64) + (p01 & MASK) + (p10 & MASK);
    let lo = (p00 & MASK) | (mid << 64);
    let hi = p11 + (p01 >> 64) + (p10 >> 64) + (mid >> 64);
    (hi, lo)
}

/// (high, low) ÷ `d` by shifting and subtracting, for `d < 2¹²⁷`:
/// (quotient high, quotient low, remainder).
fn div_wide(hi: u128, lo: u128, d: u128) -> (u128, u128, u128) {
    let (mut q_hi, mut q_lo, mut rem) = (0u128, 0u128, 0u128);
    for i in (0..256u32).rev() {
        let bit = if i >= 128 {
            (hi >> (i - 128)) & 1
        } else {
            (lo >> i) & 1
        };
        rem = (rem << 1) | bit;
        if rem >= d {
            rem -= d;
            if i >= 128 {
                q_hi |= 1 << (i - 128);
            } else {
                q_lo |= 1 << i;
            }
        }
    }
    (q_hi, q_lo, rem)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn a(t: &str) -> Amount {
        Amount::parse(t).unwrap()
    }

    fn local(amount: &str, rate: &str) -> String {
        to_local(a(amount), a(rate)).map_or("overflow".into(), |x| x.to_string())
    }

    #[test]
    fn conversion_is_exact_then_rounded_once() {
        assert_eq!(local("12.5", "480.12"), "6001.5");
        assert_eq!(local("15000", "1"), "15000");
        assert_eq!(local("0.333333", "3"), "1");
        assert_eq!(
            local("0.001", "5"),
            "0.01",
            "0.005 rounds half away from zero"
        );
        assert_eq!(local("0.001", "4.999999"), "0");
        assert_eq!(local("1.000000000000000001", "1"), "1");
        assert_eq!(local("0.000000000000000001", "0.000000000000000001"), "0");
        // 10⁹ USDT at 10⁵ KZT: 10¹⁴ KZT, far past i128 in the intermediate
        // product (10⁹⁺¹⁸ × 10⁵⁺¹⁸ = 10⁵⁰) yet exact.
        assert_eq!(
            local("1000000000.123456789012345678", "100000.5"),
            "100000500012345.74"
        );
        assert_eq!(
            local("170141183460469231731", "170141183460469231731"),
            "overflow"
        );
        assert_eq!(local("-2", "1.5"), "-3");
    }

    #[test]
    fn wide_arithmetic_agrees_with_u128_where_it_fits() {
        for (x, y) in [
            (0u128, 5u128),
            (u64::MAX as u128, u64::MAX as u128),
            (12345, 678910),
        ] {
            let (hi, lo) = mul_wide(x, y);
            assert_eq!(hi, 0);
            assert_eq!(lo, x * y);
            let (qh, ql, r) = div_wide(hi, lo, 7);
            assert_eq!((qh, ql, r), (0, x * y / 7, x * y % 7));
        }
        assert_eq!(mul_wide(u128::MAX, 2), (1, u128::MAX - 1));
    }

    #[test]
    fn currencies_and_virtual_assets() {
        assert!(is_currency("KZT"));
        assert!(is_currency("USD"));
        assert!(!is_currency("USDT"));
        assert!(!is_currency("BTC"));
        assert!(!is_currency("kzt"));
        assert_eq!(fraction_digits(a("1.25")), 2);
        assert_eq!(fraction_digits(a("7")), 0);
    }
}
