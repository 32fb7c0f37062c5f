//! One module per page (or group of pages), each a thin layer over the
//! JSON API's handlers: the page calls the handler, the handler checks the
//! permission and writes the ledger, the page renders what came back.

pub mod admin;
pub mod authenticity;
pub mod capture;
pub mod cases;
pub mod dashboard;
pub mod evidence;
pub mod identities;
pub mod imports;
pub mod lexicon;
pub mod money;
pub mod network;
pub mod public;
pub mod qualify;
pub mod referrals;
pub mod screening;
pub mod sign_in;
pub mod takedowns;
pub mod triage;
pub mod victims;
