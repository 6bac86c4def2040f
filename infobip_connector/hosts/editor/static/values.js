"use strict";

// What the editor's fields hand on is exactly what was typed, or nothing with a problem
// said under the field: the page never changes data silently.
//
// JSON.parse and Number() quietly round a number JavaScript cannot hold (12345678901234567890
// becomes 12345678901234567000, 1e999 Infinity, which JSON.stringify writes as null) and keep
// only the last of two members with one name. So a number is accepted only when JavaScript
// writes it back as the same decimal value, and a JSON text is scanned for repeated names.
// A `__proto__` member is an ordinary member here: copies are made with defineProperty, as
// an assignment would set the copy's prototype instead and drop the member.
//
// Loaded by the page before editor.js (its functions are globals there) and by Node for the
// tests (module.exports).

// One JSON token at a time: a string, a number, a literal, punctuation or white space.
const JSON_TOKEN =
  /"(?:[^"\\]|\\.)*"|-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?|true|false|null|[{}[\]:,]|\s+/y;
const NUMBER_TEXT = /^(-?)(\d+)(?:\.(\d+))?(?:[eE]([+-]?\d+))?$/;
const QUOTE_IT = "write it in quotes if it is an ID, or with fewer digits";
const FEWER_DIGITS = "give fewer digits or a smaller number";

// A number's text as sign, significant digits and exponent ("-12e3"), "0" for any zero, so
// that two spellings of one value compare equal ("1.50" and "15e-1").
function decimalValue(text) {
  const [, sign, whole, fraction = "", exponent = "0"] = NUMBER_TEXT.exec(text);
  let digits = (whole + fraction).replace(/^0+/, "");
  if (digits === "") return "0";
  const kept = digits.replace(/0+$/, "");
  const scale = Number(exponent) - fraction.length + (digits.length - kept.length);
  digits = kept;
  return `${sign}${digits}e${scale}`;
}

// Why the number written as `text` (JSON number syntax) cannot be handed on as it is, or "";
// `advice` says what to give instead.
function numberProblem(text, advice) {
  const value = Number(text);
  const written = Number.isFinite(value) ? String(value) : "";
  if (written !== "" && decimalValue(written) === decimalValue(text)) return "";
  const becomes = written === "" ? "null" : JSON.stringify(value);
  const said = `the number ${text} cannot be kept exactly`;
  return `${said}: this page would send it as ${becomes}; ${advice}`;
}

function pathOf(stack) {
  let path = "";
  for (const level of stack) {
    if (level.key === undefined) continue;
    if (typeof level.key === "number") path = `${path}[${level.key}]`;
    else path = path ? `${path}.${level.key}` : level.key;
  }
  return path;
}

// Why a JSON text (one JSON.parse accepted) would not be read exactly, or "": a repeated
// member name or a number JavaScript cannot hold, named by where it is in the text.
function scanProblem(text) {
  const stack = []; // per open object or list: { object, names, key, expectsName }
  JSON_TOKEN.lastIndex = 0;
  while (JSON_TOKEN.lastIndex < text.length) {
    const match = JSON_TOKEN.exec(text);
    if (match === null) return ""; // cannot happen after JSON.parse; never block on it
    const token = match[0];
    const top = stack[stack.length - 1];
    const first = token[0];
    if (first === "{" || first === "[") {
      const object = first === "{";
      stack.push({ object, names: new Set(), key: object ? undefined : 0, expectsName: true });
    } else if (first === "}" || first === "]") {
      stack.pop();
    } else if (first === ",") {
      if (top.object) top.expectsName = true;
      else top.key += 1;
    } else if (first === '"' && top && top.object && top.expectsName) {
      const name = JSON.parse(token);
      top.expectsName = false;
      if (top.names.has(name)) {
        const where = pathOf(stack.slice(0, -1)) || "the top level";
        return (
          `the member ${JSON.stringify(name)} is given twice in one object (at ${where}): ` +
          "only one would be kept; remove or rename the other"
        );
      }
      top.names.add(name);
      top.key = name;
    } else if (first === "-" || (first >= "0" && first <= "9")) {
      const problem = numberProblem(token, QUOTE_IT);
      if (problem) {
        const where = pathOf(stack);
        return where ? `${where}: ${problem}` : problem;
      }
    }
  }
  return "";
}

// A JSON field's text read: { value, problem }. Empty text is no value; text that is not
// JSON, or that would not be read exactly, is handed on as text (so the server's check names
// the field too and nothing is sent) with the problem to show under the field.
function readJson(text) {
  if (text.trim() === "") return { value: undefined, problem: "" };
  let value;
  try {
    value = JSON.parse(text);
  } catch (failure) {
    return { value: text, problem: `not valid JSON: ${failure.message}` };
  }
  const problem = scanProblem(text);
  return problem ? { value: text, problem } : { value, problem: "" };
}

// A number field's text read alike: { value, problem }.
function readNumber(text) {
  const written = text.trim();
  if (written === "") return { value: undefined, problem: "" };
  const fits = NUMBER_TEXT.test(written);
  const problem = fits ? numberProblem(written, FEWER_DIGITS) : "not a number";
  return problem ? { value: text, problem } : { value: Number(written), problem: "" };
}

// An answer of the editor's server read for showing: JSON.parse rounds a number JavaScript
// cannot hold (an ID past 2^53 in an output) and JSON.stringify would show the rounded one.
// Where the browser hands a reviver the number's source text, such a number is kept as that
// text, which JSON.stringify writes back unchanged (JSON.rawJSON); elsewhere, JSON.parse.
function readAnswer(text) {
  if (typeof JSON.rawJSON !== "function") return JSON.parse(text);
  const exact = (key, value, context) => {
    if (typeof value !== "number" || !context || typeof context.source !== "string") return value;
    return numberProblem(context.source, "") ? JSON.rawJSON(context.source) : value;
  };
  return JSON.parse(text, exact);
}

function isEmpty(value) {
  if (value === undefined || value === null || value === "") return true;
  if (Array.isArray(value)) return value.length === 0;
  return typeof value === "object" && Object.keys(value).length === 0;
}

// Mirrors the runtime: empty object members are dropped, list items keep their places.
// `prop` (a property of the definition, optional) says where the values of an object with
// free members are (`freeMembers`, `forms`: a FLOW button's data, a callbackData): shown as
// given, as the runtime sends them, since an empty member there is data, not a blank field.
function prune(value, prop) {
  if (prop && (prop.freeMembers || prop.forms)) return value;
  if (Array.isArray(value)) return value.map((item) => prune(item, prop && prop.items));
  if (value && typeof value === "object") {
    const out = {};
    for (const [key, item] of Object.entries(value)) {
      const kept = prune(item, memberOf(prop, key));
      if (!isEmpty(kept)) {
        // Not out[key] = kept: for "__proto__" that sets the prototype and drops the member.
        const member = { value: kept, enumerable: true, writable: true, configurable: true };
        Object.defineProperty(out, key, member);
      }
    }
    return out;
  }
  return value;
}

// The property of member `key` of a value of `prop` (undefined when it declares none).
function memberOf(prop, key) {
  if (!prop || !Array.isArray(prop.properties)) return undefined;
  return prop.properties.find((child) => child.name === key);
}

if (typeof module === "object" && module.exports) {
  module.exports = { readJson, readNumber, readAnswer, prune, isEmpty };
}
