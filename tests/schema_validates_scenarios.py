#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# The JSON Schema shipped for editors (docs/scenario.schema.json) must accept every
# shipped scenario and reject what the loader rejects for its shape: a key of another
# kind, a kind's missing key, an unknown key. Read as an editor reads YAML (1.2: only
# true and false are booleans, so a key `on:` stays a string).
import glob
import json
import sys

import jsonschema
import yaml


class Yaml12Loader(yaml.SafeLoader):
    pass


Yaml12Loader.yaml_implicit_resolvers = {
    first: [(tag, regexp) for tag, regexp in resolvers if tag != "tag:yaml.org,2002:bool"]
    for first, resolvers in yaml.SafeLoader.yaml_implicit_resolvers.items()
}
Yaml12Loader.add_implicit_resolver("tag:yaml.org,2002:bool", __import__("re").compile(r"^(?:true|false)$"), list("tf"))


def load(text):
    return yaml.load(text, Loader=Yaml12Loader)


root = sys.argv[1]
schema = json.load(open(f"{root}/docs/scenario.schema.json"))
validator = jsonschema.Draft202012Validator(schema)
failures = 0

files = sorted(glob.glob(f"{root}/scenarios/**/*.yaml", recursive=True))
if len(files) < 10:
    print(f"expected the shipped scenarios under {root}/scenarios, found {len(files)}")
    sys.exit(1)
for path in files:
    for error in validator.iter_errors(load(open(path).read())):
        print(f"{path}: {list(error.absolute_path)}: {error.message}")
        failures += 1

# A valid base, then one change each that the loader rejects for its shape.
base = load(open(f"{root}/scenarios/two-tier-3az.yaml").read())
if list(validator.iter_errors(base)):
    print("the base scenario does not validate")
    failures += 1


def rejected(what, change):
    global failures
    doc = load(yaml.safe_dump(base))
    change(doc)
    if not list(validator.iter_errors(doc)):
        print(f"the schema accepts {what}")
        failures += 1


def arrival(value):
    return lambda doc: doc["clients"][0].__setitem__("arrival", value)


rejected("a constant arrival with a ramp's 'over'", arrival({"kind": "constant", "rate": "5/s", "over": "3s"}))
rejected("a ramp without 'over'", arrival({"kind": "ramp", "from": "1/s", "to": "5/s"}))
rejected("an unknown arrival kind", arrival({"kind": "sawtooth", "rate": "5/s"}))
rejected("a Poisson arrival without a unit", arrival({"rate": 100}))
rejected("a fault of one kind with another's key",
         lambda doc: doc.__setitem__("faults", [{"at": "1s", "kind": "zone_outage", "zone": "a", "factor": 2}]))
rejected("a fault without its kind", lambda doc: doc.__setitem__("faults", [{"at": "1s", "zone": "a"}]))
rejected("a misspelt top-level key", lambda doc: doc.__setitem__("duraton", "10s"))
rejected("a lognormal service time without its p99", lambda doc: next(iter(doc["target_groups"].values())).__setitem__(
    "service_time", {"dist": "lognormal", "median": "5ms"}))

print(f"{len(files)} scenarios checked against the schema; {failures} problem(s)")
sys.exit(1 if failures else 0)
