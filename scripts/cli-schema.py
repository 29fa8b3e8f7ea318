"""Drafts docs/schemas/cli/pob.schema.json from the outputs the CLI tests record:
    rm -rf /tmp/pob-json && mkdir /tmp/pob-json && POB_RECORD_JSON=/tmp/pob-json cargo test -p pob-cli
    python3 scripts/cli-schema.py /tmp/pob-json docs/schemas/cli/pob.schema.json
Then review the diff: the schema is the contract, the recording only a draft of it."""
import json, os, sys, glob
rec = sys.argv[1]
out = sys.argv[2]

def kind(v):
    if v is None: return "null"
    if isinstance(v, bool): return "boolean"
    if isinstance(v, int): return "integer"
    if isinstance(v, float): return "number"
    if isinstance(v, str): return "string"
    if isinstance(v, list): return "array"
    if isinstance(v, dict):
        if set(v) == {"amount", "base_units"}: return "money"
        if set(v) == {"utc", "unix", "relative"}: return "time"
        if set(v) == {"utc", "unix"}: return "instant"
        return "object"

def infer(values):
    kinds = {}
    for v in values:
        kinds.setdefault(kind(v), []).append(v)
    options = []
    for k, vs in sorted(kinds.items()):
        if k in ("money", "time", "instant"):
            options.append({"$ref": f"#/$defs/{k}"})
        elif k == "object":
            keys = {}
            for v in vs:
                for key, val in v.items():
                    keys.setdefault(key, []).append(val)
            required = sorted(key for key in keys if all(key in v for v in vs))
            props = {}
            for key, vals in keys.items():
                sub = infer(vals)
                if sub == {"type": "null"}:
                    sub = {"type": ["string", "null"]}
                if ("label" in key or key in ("answer", "prompt", "item", "gold")) and sub.get("type") == "string":
                    sub = {"type": ["string", "null"]}
                props[key] = sub
            required = [key for key in required if key != "notes"]
            options.append({"type": "object", "required": required, "additionalProperties": False, "properties": props})
        elif k == "array":
            items = [i for v in vs for i in v]
            o = {"type": "array"}
            if items: o["items"] = infer(items)
            options.append(o)
        else:
            options.append({"type": k})
    simple = [o for o in options if set(o) == {"type"}]
    if len(options) == len(simple) and len(simple) > 1:
        return {"type": [o["type"] for o in simple]}
    if len(options) == 1:
        return options[0]
    # null + one complex type
    return {"anyOf": options}

commands = {}
for path in sorted(glob.glob(os.path.join(rec, "*.jsonl"))):
    name = os.path.basename(path)[:-6].replace("-", " ", 1)
    values = [json.loads(l) for l in open(path) if l.strip()]
    commands[name] = infer(values)
schema = {
  "$schema": "https://json-schema.org/draft/2020-12/schema",
  "$id": "https://proofofbrain.example/schemas/cli/pob.schema.json",
  "title": "pob --output json: one object per invocation",
  "description": "See docs/CLI-JSON.md. $defs/commands/properties maps each command to its output; $defs/error is printed instead on failure.",
  "$defs": {
    "money": {"type": "object", "required": ["amount", "base_units"], "additionalProperties": False,
              "properties": {"amount": {"type": "string"}, "base_units": {"type": "string"}},
              "description": "An exact token amount: a decimal string in token units and the integer base units as a string."},
    "time": {"type": "object", "required": ["utc", "unix", "relative"], "additionalProperties": False,
             "properties": {"utc": {"type": "string"}, "unix": {"type": "integer"}, "relative": {"type": "string"}},
             "description": "A point in time: RFC 3339 UTC, unix seconds, and how far from the ledger's clock (for people)."},
    "instant": {"type": "object", "required": ["utc", "unix"], "additionalProperties": False,
                "properties": {"utc": {"type": "string"}, "unix": {"type": "integer"}}},
    "error": {"type": "object", "required": ["error"], "additionalProperties": False, "properties": {
        "error": {"type": "object", "required": ["message", "program_error"], "additionalProperties": False, "properties": {
            "message": {"type": "string"},
            "program_error": {"anyOf": [{"type": "null"}, {"type": "object", "required": ["instruction", "code", "name"], "additionalProperties": False,
                "properties": {"instruction": {"type": "integer"}, "code": {"type": "integer"}, "name": {"type": ["string", "null"]}}}]}}}}},
    "commands": {"type": "object", "properties": commands},
  },
}
json.dump(schema, open(out, "w"), indent=1)
open(out, "a").write("\n")
print(len(commands), "commands:", ", ".join(commands))
