// Turns CEL's conformance suite, as shipped by @bufbuild/cel-spec, into one
// JSON fixture that a C++ runner can read without any protobuf machinery.
//
//   node make-fixture.mjs OUT.json
//
// The format is described in README.md next to this file.

import { readFileSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { toJson } from "@bufbuild/protobuf";
import { anyUnpack } from "@bufbuild/protobuf/wkt";
import { getConformanceSuite } from "@bufbuild/cel-spec/testdata/tests.js";
import { getTestRegistry } from "@bufbuild/cel-spec/testdata/registry.js";

const SKIP_PROTO = "needs protobuf message types";
const SKIP_OPTIONAL = "needs optional types extension";

const out = process.argv[2];
if (!out) {
  console.error("usage: node make-fixture.mjs OUT.json");
  process.exit(2);
}

// The package's "exports" do not list package.json: read it from its folder.
const specPkg = join(
  dirname(fileURLToPath(import.meta.resolve("@bufbuild/cel-spec/testdata/tests.js"))),
  "..", "..", "..", "package.json",
);
const specVersion = JSON.parse(readFileSync(specPkg, "utf8")).version;
const registry = getTestRegistry();

// Short names of the conformance suite's own messages and enums
// (TestAllTypes, NestedMessage, GlobalEnum, ...): an identifier with one of
// these names in an expression means the test needs protobuf types.
const protoShortNames = new Set();
for (const d of registry) {
  if ((d.kind === "message" || d.kind === "enum") && !d.typeName.startsWith("google.")) {
    protoShortNames.add(d.name);
  }
}

// CEL's names for the types whose values a plain CEL engine has.
const CEL_TYPE_NAMES = new Set([
  "int", "uint", "double", "bool", "string", "bytes", "null_type", "list", "map",
  "type", "dyn", "google.protobuf.Timestamp", "google.protobuf.Duration",
]);
// Message types that CEL maps onto plain CEL values (JSON-like and wrappers).
const PLAIN_WKT = new Set([
  "google.protobuf.Timestamp", "google.protobuf.Duration",
  "google.protobuf.Struct", "google.protobuf.Value", "google.protobuf.ListValue",
  "google.protobuf.BoolValue", "google.protobuf.BytesValue", "google.protobuf.DoubleValue",
  "google.protobuf.FloatValue", "google.protobuf.Int32Value", "google.protobuf.Int64Value",
  "google.protobuf.StringValue", "google.protobuf.UInt32Value", "google.protobuf.UInt64Value",
]);

// ---------------------------------------------------------------- values

// `ctx` collects skip reasons found while encoding.
function encDouble(n) {
  if (Number.isNaN(n)) return { double: "NaN" };
  if (n === Infinity) return { double: "Infinity" };
  if (n === -Infinity) return { double: "-Infinity" };
  if (Object.is(n, -0)) return { double: "-0" };
  return { double: n };
}

function encBytes(u8) {
  return { bytes: Buffer.from(u8).toString("base64") };
}

// cel.expr.Value
function encValue(v, ctx) {
  const k = v.kind;
  switch (k.case) {
    case "nullValue": return { null: true };
    case "boolValue": return { bool: k.value };
    case "int64Value": return { int: k.value.toString() };
    case "uint64Value": return { uint: k.value.toString() };
    case "doubleValue": return encDouble(k.value);
    case "stringValue": return { string: k.value };
    case "bytesValue": return encBytes(k.value);
    case "enumValue":
      ctx.skip.add(SKIP_PROTO);
      return { enum: { type: k.value.type, value: k.value.value } };
    case "objectValue": return encAny(k.value, ctx);
    case "mapValue":
      return { map: k.value.entries.map((e) => [encValue(e.key, ctx), encValue(e.value, ctx)]) };
    case "listValue": return { list: k.value.values.map((x) => encValue(x, ctx)) };
    case "typeValue":
      if (!CEL_TYPE_NAMES.has(k.value)) ctx.skip.add(SKIP_PROTO);
      if (k.value === "optional_type") ctx.skip.add(SKIP_OPTIONAL);
      return { type: k.value };
    default:
      throw new Error(`unknown cel.expr.Value kind ${k.case}`);
  }
}

// google.protobuf.Any holding a message.
function encAny(any, ctx) {
  const m = anyUnpack(any, registry);
  if (!m) throw new Error(`cannot unpack ${any.typeUrl}`);
  return encMessage(m, ctx);
}

function encMessage(m, ctx) {
  const t = m.$typeName;
  switch (t) {
    case "google.protobuf.Timestamp": return { timestamp: toJson(registry.getMessage(t), m) };
    case "google.protobuf.Duration": return { duration: toJson(registry.getMessage(t), m) };
    case "google.protobuf.BoolValue": return { bool: m.value };
    case "google.protobuf.BytesValue": return encBytes(m.value);
    case "google.protobuf.DoubleValue":
    case "google.protobuf.FloatValue": return encDouble(m.value);
    case "google.protobuf.Int32Value":
    case "google.protobuf.Int64Value": return { int: m.value.toString() };
    case "google.protobuf.UInt32Value":
    case "google.protobuf.UInt64Value": return { uint: m.value.toString() };
    case "google.protobuf.StringValue": return { string: m.value };
    case "google.protobuf.Value": return encJsonValue(m, ctx);
    case "google.protobuf.Struct": return encStruct(m, ctx);
    case "google.protobuf.ListValue": return { list: m.values.map((x) => encJsonValue(x, ctx)) };
    default: {
      // google.protobuf.Any (an Any inside the Any) and every real message.
      ctx.skip.add(SKIP_PROTO);
      const desc = registry.getMessage(t);
      return { message: t, json: toJson(desc, m, { registry, useProtoFieldName: true }) };
    }
  }
}

function encStruct(s, ctx) {
  return { map: Object.entries(s.fields).map(([k, v]) => [{ string: k }, encJsonValue(v, ctx)]) };
}

// google.protobuf.Value: its content, as CEL sees it.
function encJsonValue(v, ctx) {
  const k = v.kind;
  switch (k.case) {
    case "nullValue": return { null: true };
    case "numberValue": return encDouble(k.value);
    case "stringValue": return { string: k.value };
    case "boolValue": return { bool: k.value };
    case "structValue": return encStruct(k.value, ctx);
    case "listValue": return { list: k.value.values.map((x) => encJsonValue(x, ctx)) };
    default: throw new Error(`empty google.protobuf.Value`);
  }
}

// cel.expr.ExprValue (bindings)
function encExprValue(ev, ctx) {
  switch (ev.kind.case) {
    case "value": return encValue(ev.kind.value, ctx);
    case "error": return { error: ev.kind.value.errors.map((e) => e.message) };
    case "unknown": return { unknown: ev.kind.value.exprs.map((x) => x.toString()) };
    default: throw new Error("empty ExprValue");
  }
}

// ---------------------------------------------------------------- types

const PRIMITIVE = { 1: "bool", 2: "int", 3: "uint", 4: "double", 5: "string", 6: "bytes" };
const WELL_KNOWN = { 1: "google.protobuf.Any", 2: "google.protobuf.Timestamp", 3: "google.protobuf.Duration" };

// cel.expr.Type as a string in CEL's (cel-go's) notation.
function encType(t, ctx) {
  if (!t) return "dyn";
  const k = t.typeKind;
  switch (k.case) {
    case "dyn": return "dyn";
    case "null": return "null_type";
    case "primitive": return PRIMITIVE[k.value];
    case "wrapper": return `wrapper(${PRIMITIVE[k.value]})`;
    case "wellKnown":
      if (k.value === 1) ctx.skip.add(SKIP_PROTO);
      return WELL_KNOWN[k.value];
    case "listType": return `list(${encType(k.value.elemType, ctx)})`;
    case "mapType": return `map(${encType(k.value.keyType, ctx)}, ${encType(k.value.valueType, ctx)})`;
    case "function":
      return `function(${[k.value.resultType, ...k.value.argTypes].map((x) => encType(x, ctx)).join(", ")})`;
    case "messageType":
      if (!PLAIN_WKT.has(k.value)) ctx.skip.add(SKIP_PROTO);
      return k.value;
    case "typeParam": return k.value;
    case "type": return k.value.typeKind.case ? `type(${encType(k.value, ctx)})` : "type";
    case "error": return "*error*";
    case "abstractType": {
      if (k.value.name === "optional_type") ctx.skip.add(SKIP_OPTIONAL);
      const ps = k.value.parameterTypes.map((x) => encType(x, ctx));
      return ps.length ? `${k.value.name}(${ps.join(", ")})` : k.value.name;
    }
    default: throw new Error(`unknown cel.expr.Type kind ${k.case}`);
  }
}

// cel.expr.Constant (only in ident declarations)
function encConstant(c) {
  const k = c.constantKind;
  switch (k.case) {
    case "nullValue": return { null: true };
    case "boolValue": return { bool: k.value };
    case "int64Value": return { int: k.value.toString() };
    case "uint64Value": return { uint: k.value.toString() };
    case "doubleValue": return encDouble(k.value);
    case "stringValue": return { string: k.value };
    case "bytesValue": return encBytes(k.value);
    default: throw new Error(`unsupported constant ${k.case}`);
  }
}

function encDecl(d, ctx) {
  if (d.declKind.case === "ident") {
    const r = { ident: d.name, type: encType(d.declKind.value.type, ctx) };
    if (d.declKind.value.value) r.value = encConstant(d.declKind.value.value);
    return r;
  }
  if (d.declKind.case === "function") {
    return {
      function: d.name,
      overloads: d.declKind.value.overloads.map((o) => {
        const r = {
          id: o.overloadId,
          params: o.params.map((p) => encType(p, ctx)),
          result: encType(o.resultType, ctx),
          receiver_style: o.isInstanceFunction,
        };
        if (o.typeParams.length) r.type_params = [...o.typeParams];
        return r;
      }),
    };
  }
  throw new Error("empty Decl");
}

// ---------------------------------------------------------------- expression text

// The expression with string/bytes literal contents and comments blanked out,
// so that syntax checks below only see code.
function codeOnly(expr) {
  let out = "";
  let i = 0;
  while (i < expr.length) {
    const c = expr[i];
    if (c === "/" && expr[i + 1] === "/") {
      while (i < expr.length && expr[i] !== "\n") i++;
      continue;
    }
    if (c === '"' || c === "'") {
      // raw if preceded by r/R (possibly with b/B prefix as well)
      let j = out.length - 1;
      let raw = false;
      while (j >= 0 && /[rRbB]/.test(out[j])) {
        if (/[rR]/.test(out[j])) raw = true;
        j--;
      }
      if (j >= 0 && /[\w.]/.test(out[j])) raw = false; // part of an identifier, not a prefix
      const triple = expr.startsWith(c.repeat(3), i);
      const q = triple ? c.repeat(3) : c;
      i += q.length;
      while (i < expr.length && !expr.startsWith(q, i)) {
        if (!raw && expr[i] === "\\") i++;
        i++;
      }
      i += q.length;
      out += '""';
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

function exprSkips(expr, ctx) {
  const code = codeOnly(expr);
  // optional-types syntax and library
  if (/\.\s*\?/.test(code) || /[\[{,]\s*\?/.test(code) ||
      /\boptional\s*\.\s*(of|none|ofNonZeroValue|unwrap)\b/.test(code) ||
      /\boptional_type\b/.test(code)) {
    ctx.skip.add(SKIP_OPTIONAL);
  }
  // message construction: `Name{...}` (`in {` is the only keyword before a map literal)
  for (const m of code.matchAll(/([A-Za-z_][\w]*(?:\s*\.\s*[A-Za-z_]\w*)*)\s*\{/g)) {
    if (m[1] !== "in") ctx.skip.add(SKIP_PROTO);
  }
  // names of the suite's own messages/enums, or its packages
  for (const m of code.matchAll(/[A-Za-z_]\w*/g)) {
    if (protoShortNames.has(m[0])) ctx.skip.add(SKIP_PROTO);
  }
  if (/\bcel\s*\.\s*expr\s*\.\s*conformance\b/.test(code)) ctx.skip.add(SKIP_PROTO);
  if (/\bgoogle\s*\.\s*protobuf\s*\.\s*(NullValue|Any)\b/.test(code)) ctx.skip.add(SKIP_PROTO);
  // protobuf extension functions
  if (/\bproto\s*\.\s*(getExt|hasExt)\b/.test(code)) ctx.skip.add(SKIP_PROTO);
}

// ---------------------------------------------------------------- records

function encExpect(t, ctx) {
  const rm = t.resultMatcher;
  switch (rm.case) {
    case undefined: return { value: { bool: true } };
    case "value": return { value: encValue(rm.value, ctx) };
    case "typedResult": {
      const r = { type: encType(rm.value.deducedType, ctx) };
      if (rm.value.result) r.value = encValue(rm.value.result, ctx);
      return r;
    }
    case "evalError":
      return { error: true, messages: rm.value.errors.map((e) => e.message) };
    case "anyEvalErrors":
      return { error: true, messages: rm.value.errors.flatMap((s) => s.errors.map((e) => e.message)) };
    case "unknown":
      return { unknown: rm.value.exprs.map((x) => x.toString()) };
    case "anyUnknowns":
      return { unknown: rm.value.unknowns.flatMap((s) => s.exprs.map((x) => x.toString())) };
    default:
      throw new Error(`unknown result matcher ${rm.case}`);
  }
}

const records = [];
const summary = new Map();
const suite = getConformanceSuite();

function visit(s, path) {
  for (const t of s.tests) {
    const o = t.original;
    const ctx = { skip: new Set() };
    const rec = {
      section: path[0],
      group: path.slice(1).join("/"),
      name: o.name || t.name,
    };
    if (o.description) rec.description = o.description;
    rec.expr = o.expr;
    rec.disable_check = o.disableCheck;
    rec.disable_macros = o.disableMacros;
    rec.check_only = o.checkOnly;
    if (o.container) rec.container = o.container;
    if (o.locale) rec.locale = o.locale;
    if (o.typeEnv.length) rec.type_env = o.typeEnv.map((d) => encDecl(d, ctx));
    const names = Object.keys(o.bindings).sort();
    if (names.length) {
      rec.bindings = {};
      for (const n of names) rec.bindings[n] = encExprValue(o.bindings[n], ctx);
    }
    rec.expect = encExpect(o, ctx);
    exprSkips(o.expr, ctx);
    if (ctx.skip.has(SKIP_PROTO)) rec.skip = SKIP_PROTO;
    else if (ctx.skip.has(SKIP_OPTIONAL)) rec.skip = SKIP_OPTIONAL;
    records.push(rec);

    const sum = summary.get(rec.section) ?? { records: 0, skipped: {} };
    sum.records++;
    if (rec.skip) sum.skipped[rec.skip] = (sum.skipped[rec.skip] ?? 0) + 1;
    summary.set(rec.section, sum);
  }
  for (const sub of s.suites) visit(sub, [...path, sub.name]);
}
for (const section of suite.suites) {
  summary.set(section.name, { records: 0, skipped: {} });
  visit(section, [section.name]);
}
// The root holds no tests itself; guard against a future layout change.
if (suite.tests.length) throw new Error("tests directly under the suite root");

writeFileSync(
  out,
  JSON.stringify({ source: `@bufbuild/cel-spec@${specVersion}`, tests: records }, null, 1) + "\n",
);

// ---------------------------------------------------------------- summary
const w = Math.max(...[...summary.keys()].map((k) => k.length));
let total = 0, totalProto = 0, totalOpt = 0;
console.error(`${"section".padEnd(w)}  records  runnable  ${SKIP_PROTO}  ${SKIP_OPTIONAL}`);
for (const [name, s] of summary) {
  const p = s.skipped[SKIP_PROTO] ?? 0, q = s.skipped[SKIP_OPTIONAL] ?? 0;
  total += s.records; totalProto += p; totalOpt += q;
  console.error(`${name.padEnd(w)}  ${String(s.records).padStart(7)}  ${String(s.records - p - q).padStart(8)}  ${String(p).padStart(SKIP_PROTO.length)}  ${String(q).padStart(SKIP_OPTIONAL.length)}`);
}
console.error(`${"total".padEnd(w)}  ${String(total).padStart(7)}  ${String(total - totalProto - totalOpt).padStart(8)}  ${String(totalProto).padStart(SKIP_PROTO.length)}  ${String(totalOpt).padStart(SKIP_OPTIONAL.length)}`);
console.error(`wrote ${records.length} records from @bufbuild/cel-spec@${specVersion} to ${out}`);
