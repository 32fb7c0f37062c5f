//! TLP 2.0 marking definitions as OASIS publishes them.
//!
//! STIX 2.1 predefines only TLP 1.0 (`TLP:WHITE` … `TLP:RED`). TLP 2.0 is
//! defined by the OASIS CTI TC as a property extension
//! (`oasis-open/cti-stix-common-objects`,
//! `extension-definition-specifications/tlp-2.0`): five marking-definition
//! objects with fixed ids and `created`, each carrying the extension
//! `extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d` with
//! `tlp_2_0` set to the level. Consumers (OpenCTI, MISP, stix2 tooling)
//! recognise the markings **by id**, so the ids below are copied from that
//! publication, and the marking object itself travels in every bundle since
//! TLP 2.0 is not predefined.

use serde_json::{Value, json};

use crate::model::Tlp;

/// The id of the OASIS TLP 2.0 extension definition.
pub const TLP2_EXTENSION_DEFINITION_ID: &str =
    "extension-definition--60a3c5c5-0d10-413e-aab3-9e08dde9e88d";

/// `created` of the five TLP 2.0 marking definitions, fixed by OASIS.
pub const TLP2_CREATED: &str = "2022-10-01T00:00:00.000Z";

impl Tlp {
    /// The marking-definition id OASIS assigned to the level.
    pub fn marking_definition_id(self) -> &'static str {
        match self {
            Tlp::Clear => "marking-definition--94868c89-83c2-464b-929b-a1a8aa3c8487",
            Tlp::Green => "marking-definition--bab4a63c-aed9-4cf5-a766-dfca5abac2bb",
            Tlp::Amber => "marking-definition--55d920b0-5e8b-4f79-9ee9-91f868d9b421",
            Tlp::AmberStrict => "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003",
            Tlp::Red => "marking-definition--e828b379-4e03-4974-9ac4-e53a884c97c1",
        }
    }

    /// The marking's `name`, e.g. `TLP:AMBER+STRICT`.
    pub fn name(self) -> &'static str {
        match self {
            Tlp::Clear => "TLP:CLEAR",
            Tlp::Green => "TLP:GREEN",
            Tlp::Amber => "TLP:AMBER",
            Tlp::AmberStrict => "TLP:AMBER+STRICT",
            Tlp::Red => "TLP:RED",
        }
    }

    /// The `tlp_2_0` value of the extension, e.g. `amber+strict`.
    pub fn extension_value(self) -> &'static str {
        match self {
            Tlp::Clear => "clear",
            Tlp::Green => "green",
            Tlp::Amber => "amber",
            Tlp::AmberStrict => "amber+strict",
            Tlp::Red => "red",
        }
    }

    /// The level whose marking-definition id this is: TLP 2.0 ids, and the
    /// STIX-predefined TLP 1.0 ids mapped as FIRST maps 1.0 to 2.0 (WHITE to
    /// CLEAR, the others unchanged), so a TAXII server can check what
    /// partners send it, whichever version they mark with.
    pub fn from_marking_definition_id(id: &str) -> Option<Tlp> {
        Tlp::ALL
            .into_iter()
            .find(|tlp| tlp.marking_definition_id() == id)
            .or(match id {
                "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9" => Some(Tlp::Clear),
                "marking-definition--34098fce-860f-48ae-8e50-ebd3cc5e41da" => Some(Tlp::Green),
                "marking-definition--f88d31f6-486f-44da-b317-01333bde0b82" => Some(Tlp::Amber),
                "marking-definition--5e57c739-391a-4eb3-b6be-7d15ca92d5ed" => Some(Tlp::Red),
                _ => None,
            })
    }

    /// The marking-definition object exactly as OASIS publishes it.
    pub fn marking_definition(self) -> Value {
        json!({
            "type": "marking-definition",
            "spec_version": "2.1",
            "id": self.marking_definition_id(),
            "created": TLP2_CREATED,
            "name": self.name(),
            "extensions": {
                TLP2_EXTENSION_DEFINITION_ID: {
                    "extension_type": "property-extension",
                    "tlp_2_0": self.extension_value(),
                }
            }
        })
    }
}

/// The OASIS extension-definition object of TLP 2.0, as published in
/// `cti-stix-common-objects/objects/extension-definition/`, so a consumer can
/// resolve the extension the markings use without a network.
pub fn tlp2_extension_definition() -> Value {
    json!({
        "id": TLP2_EXTENSION_DEFINITION_ID,
        "type": "extension-definition",
        "spec_version": "2.1",
        "name": "TLP 2.0",
        "description": "This defines TLP 2.0 as a STIX extension",
        "created": TLP2_CREATED,
        "modified": TLP2_CREATED,
        "created_by_ref": "identity--b3bca3c2-1f3d-4b54-b44f-dac42c3a8f01",
        "schema": "https://github.com/oasis-open/cti-stix-common-objects/tree/master/extension-definition-specifications/tlp-2.0",
        "version": "1.0.0",
        "extension_types": ["property-extension"]
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ids_round_trip_and_tlp1_maps() {
        for tlp in Tlp::ALL {
            assert_eq!(
                Tlp::from_marking_definition_id(tlp.marking_definition_id()),
                Some(tlp)
            );
        }
        assert_eq!(
            Tlp::from_marking_definition_id(
                "marking-definition--613f2e26-407d-48c7-9eca-b8e91df99dc9"
            ),
            Some(Tlp::Clear)
        );
        assert_eq!(
            Tlp::from_marking_definition_id(
                "marking-definition--00000000-0000-4000-8000-000000000000"
            ),
            None
        );
    }

    #[test]
    fn amber_strict_object() {
        let md = Tlp::AmberStrict.marking_definition();
        assert_eq!(md["name"], "TLP:AMBER+STRICT");
        assert_eq!(
            md["extensions"][TLP2_EXTENSION_DEFINITION_ID]["tlp_2_0"],
            "amber+strict"
        );
        assert_eq!(
            md["id"],
            "marking-definition--939a9414-2ddd-4d32-a0cd-375ea402b003"
        );
    }
}
