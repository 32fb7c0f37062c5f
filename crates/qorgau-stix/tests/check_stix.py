#!/usr/bin/env python3
"""Independent checks of qorgau-stix output with the OASIS Python tools.

Subcommands (each prints JSON on stdout):
  ids FILE        FILE: [{"type": ..., "props": {...}}]; prints the ids the
                  stix2 library computes for those observables.
  patterns FILE   FILE: [{"pattern": ..., "literals": [...]}]; checks each
                  pattern with the stix2-patterns grammar and that its string
                  literals read back as the given values.
  validate FILE.. runs stix2-validator (STIX 2.1, default checks) on bundles.
  parse FILE      parses a bundle with stix2 and reports the object classes.
  taxii URL USER PASSWORD BUNDLE
                  reads and writes a TAXII 2.1 server with taxii2-client.

Exit code 3 with a message when a package is missing.
"""

import json
import re
import sys

try:
    import stix2
    import stix2patterns
    import stix2validator
    import taxii2client
    from stix2.properties import StringProperty
    from stix2patterns.v21.pattern import Pattern
    from stix2patterns.validator import run_validator
except ImportError as e:  # pragma: no cover - depends on the machine
    print(f"missing Python package: {e.name}", file=sys.stderr)
    sys.exit(3)

PHONE_EXT = "extension-definition--e0d891c4-c343-4409-8d7d-53f0937dfb1b"
WALLET_EXT = "extension-definition--7ad32d02-cf23-4618-b3b3-a655569781dd"


@stix2.v21.CustomObservable(
    "phone-number",
    [("value", StringProperty(required=True))],
    id_contrib_props=["value"],
    extension_name=PHONE_EXT,
)
class PhoneNumber:
    pass


@stix2.v21.CustomObservable(
    "cryptocurrency-wallet",
    [("value", StringProperty(required=True)), ("chain", StringProperty())],
    id_contrib_props=["value"],
    extension_name=WALLET_EXT,
)
class CryptocurrencyWallet:
    pass


CLASSES = {
    "domain-name": stix2.v21.DomainName,
    "url": stix2.v21.URL,
    "email-addr": stix2.v21.EmailAddress,
    "user-account": stix2.v21.UserAccount,
    "phone-number": PhoneNumber,
    "cryptocurrency-wallet": CryptocurrencyWallet,
}


def ids(path):
    items = json.load(open(path, encoding="utf-8"))
    return [CLASSES[item["type"]](**item["props"]).id for item in items]


LITERAL = re.compile(r"'((?:[^'\\]|\\['\\])*)'")


def unescape(text):
    return re.sub(r"\\(['\\])", r"\1", text)


def patterns(path):
    results = []
    for item in json.load(open(path, encoding="utf-8")):
        errors = run_validator(item["pattern"], stix_version="2.1")
        literals = []
        if not errors:
            for comparisons in Pattern(item["pattern"]).inspect().comparisons.values():
                for _path, _op, raw in comparisons:
                    m = LITERAL.fullmatch(raw)
                    literals.append(unescape(m.group(1)) if m else None)
        results.append({
            "pattern": item["pattern"],
            "errors": [str(e) for e in errors],
            "literals_ok": literals == item["literals"],
            "literals": literals,
        })
    return results


def validate(paths):
    import os
    from stix2validator import ValidationOptions, validate_file
    schemas = os.path.join(os.path.dirname(stix2validator.__file__), "schemas-2.1")
    if not os.path.isdir(schemas):
        # The 3.3.1 wheel was published without its JSON schemas: every
        # object then fails with "Cannot locate a schema".
        print("stix2-validator is installed without its schemas (the 3.3.1 wheel); "
              "install stix2-validator==3.3.2", file=sys.stderr)
        sys.exit(3)
    out = {}
    for path in paths:
        result = validate_file(path, ValidationOptions(version="2.1"))
        errors, warnings = [], []
        for obj in result.object_results:
            errors += [str(getattr(e, 'message', e)) for e in (obj.errors or [])]
            warnings += [str(getattr(w, 'message', w)) for w in (obj.warnings or [])]
        if result.fatal:
            errors.append(f"fatal: {result.fatal.message}")
        out[path] = {"valid": result.is_valid, "errors": errors, "warnings": warnings}
    return out


def parse(path):
    bundle = stix2.parse(open(path, encoding="utf-8").read(), allow_custom=False)
    return {
        "bundle": type(bundle).__name__,
        "classes": sorted({type(o).__name__ for o in bundle.objects}),
        "ids": [o["id"] for o in bundle.objects],
    }


def taxii(url, user, password, bundle_path):
    from taxii2client.v21 import Server, as_pages

    if user == "bearer":
        # Qorgau's own server: an API token, as a partner system sends it.
        import requests

        class Bearer(requests.auth.AuthBase):
            def __call__(self, r):
                r.headers["Authorization"] = "Bearer " + password
                return r

        server = Server(url, auth=Bearer())
    else:
        server = Server(url, user=user, password=password)
    report = {"title": server.title, "api_roots": []}
    bundle = json.load(open(bundle_path, encoding="utf-8"))
    for root in server.api_roots:
        root_info = {"title": root.title, "versions": root.versions, "collections": []}
        for collection in root.collections:
            info = {
                "id": collection.id,
                "title": collection.title,
                "can_read": collection.can_read,
                "can_write": collection.can_write,
            }
            if collection.can_write:
                status = collection.add_objects({"objects": bundle["objects"]})
                info["status"] = {
                    "status": status.status,
                    "total": status.total_count,
                    "success": status.success_count,
                    "failure": status.failure_count,
                    "failures": [f.get("message") for f in status.failures],
                }
                again = root.get_status(status.id)
                info["status_again"] = again.status
            if collection.can_read:
                pages = list(as_pages(collection.get_objects, per_request=5))
                info["pages"] = [len(p.get("objects", [])) for p in pages]
                info["paged_ids"] = [o["id"] for p in pages for o in p.get("objects", [])]
                info["indicators"] = len(collection.get_objects(**{"type": "indicator"}).get("objects", []))
                manifest = collection.get_manifest()
                info["manifest"] = len(manifest.get("objects", []))
                report_obj = next(o for o in bundle["objects"] if o["type"] == "report")
                info["report"] = collection.get_object(report_obj["id"])["objects"][0]["id"]
                info["report_versions"] = collection.object_versions(report_obj["id"])["versions"]
            root_info["collections"].append(info)
        report["api_roots"].append(root_info)
    return report


def main(argv):
    command, args = argv[1], argv[2:]
    if command == "ids":
        result = ids(args[0])
    elif command == "patterns":
        result = patterns(args[0])
    elif command == "validate":
        result = validate(args)
    elif command == "parse":
        result = parse(args[0])
    elif command == "taxii":
        result = taxii(*args)
    elif command == "versions":
        from importlib.metadata import version
        result = {p: version(p) for p in ("stix2", "stix2-validator", "stix2-patterns", "taxii2-client")}
    else:
        raise SystemExit(f"unknown command {command}")
    json.dump(result, sys.stdout, ensure_ascii=False, indent=1)


if __name__ == "__main__":
    main(sys.argv)
