"use strict";

// The form is generated from GET /api/definition: one renderer per control type, each
// returning a control { el, get(), touched(), setPath(path) }. get() gives the field's JSON
// value (undefined when empty), touched() says whether the person entered something other
// than the default, and setPath() stamps data-path so server errors find their field.
// Properties marked `presentation: additional` are folded into an "Additional fields" group
// after the essential ones; the definition's own order is kept within each part.

const VALIDATE_DELAY_MS = 200;
const DEFAULT_CONTROL = {
  STRING: "TEXT",
  DATE_TIME: "DATE_TIME",
  INTEGER: "INTEGER",
  NUMBER: "NUMBER",
  BOOLEAN: "SELECT",
  ARRAY: "ARRAY_BUILDER",
  OBJECT: "OBJECT_BUILDER",
};
const BOOLEAN_OPTIONS = [
  { label: "True", value: true },
  { label: "False", value: false },
];

// ---------------------------------------------------------------------------- DOM helpers

function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [key, value] of Object.entries(attrs)) {
    if (value === undefined || value === null || value === false) continue;
    if (key === "class") el.className = value;
    else if (key.startsWith("on")) el.addEventListener(key.slice(2), value);
    else el.setAttribute(key, value === true ? "" : String(value));
  }
  for (const child of children.flat()) {
    if (child !== null && child !== undefined && child !== false) el.append(child);
  }
  return el;
}

let lastId = 0;
const freshId = () => `field-${++lastId}`;

function joinPath(parent, key) {
  if (typeof key === "number") return `${parent}[${key}]`;
  return parent ? `${parent}.${key}` : key;
}

// isEmpty(), prune(), readJson(), readNumber() and readAnswer() are in values.js, which
// loads first.

function notifyChange(el) {
  el.dispatchEvent(new Event("input", { bubbles: true }));
}

function labelOf(prop) {
  return prop.label || prop.name || "Value";
}

function controlTypeOf(prop) {
  if (prop.freeMembers || prop.forms) return "JSON";
  return prop.controlType || DEFAULT_CONTROL[prop.type] || "TEXT";
}

// Text with `inline code` as nodes: text nodes and <code> elements, never parsed as HTML,
// so a description can hold any character.
function richText(text) {
  return String(text)
    .split(/`([^`]+)`/)
    .map((part, index) => (index % 2 ? h("code", {}, part) : part))
    .filter((part) => part !== "");
}

function helpText(prop, id) {
  return prop.description ? h("p", { class: "help", id }, richText(prop.description)) : null;
}

// -------------------------------------------------------------------------- field shells

// The frame every leaf field shares: label, required marker, input, help text, error slot.
function fieldShell(prop, input, ctx) {
  const helpId = prop.description ? freshId() : null;
  if (helpId) input.setAttribute("aria-describedby", helpId);
  const label = ctx.item
    ? null
    : h("label", { class: "label", for: input.id }, labelOf(prop), requiredMark(prop));
  return h(
    "div",
    { class: "field", "data-control": controlTypeOf(prop) },
    label,
    input,
    helpText(prop, helpId),
    errorSlot(),
  );
}

function requiredMark(prop) {
  return prop.required ? h("span", { class: "required", title: "Required" }, " *") : null;
}

function errorSlot() {
  return h("div", { class: "field-error", role: "alert", "aria-live": "polite" });
}

// A leaf control: the generic parts around one input element and its getter.
function leaf(prop, ctx, input, get) {
  const el = fieldShell(prop, input, ctx);
  return {
    el,
    get,
    touched() {
      const value = get();
      return value !== undefined && JSON.stringify(value) !== JSON.stringify(prop.default);
    },
    setPath(path) {
      el.dataset.path = path;
    },
  };
}

// ------------------------------------------------------------------------------ renderers

function renderTextInput(type) {
  return (prop, ctx) => {
    const input = h("input", {
      id: freshId(),
      type: prop.secret ? "password" : type,
      placeholder: prop.placeholder,
      maxlength: prop.maxLength,
      autocomplete: prop.secret ? "new-password" : "off",
      spellcheck: "false",
      required: prop.required,
    });
    if (typeof prop.default === "string") input.value = prop.default;
    if (prop.suggestions) input.setAttribute("list", suggestionList(prop.suggestions));
    const control = leaf(prop, ctx, input, () => (input.value === "" ? undefined : input.value));
    if (prop.optionsFrom) offerOptionsFromInfobip(prop, input, control);
    return control;
  };
}

// The id of a <datalist> holding a named list the editor API serves (e.g. timeZones);
// built once and shared by every field that offers it.
function suggestionList(name) {
  const id = `suggestions-${name}`;
  if (!byId(id)) {
    const values = (page.definition.suggestions || {})[name] || [];
    document.body.append(h("datalist", { id }, values.map((value) => h("option", { value }))));
  }
  return id;
}

// A field whose choices come from Infobip (`optionsFrom`): a dropdown (<datalist>) filled by
// POST /api/options once every property it depends on has a value, and again when they change.
// The value stays free text, checked like any other.
function offerOptionsFromInfobip(prop, input, control) {
  const listId = freshId();
  const list = h("datalist", { id: listId });
  input.setAttribute("list", listId);
  // Why there are no choices (an unknown sender, a refused key): shown under the field,
  // apart from the validation errors, which are redrawn on every edit.
  const problem = h("div", { class: "options-error", role: "status" });
  control.el.append(list, problem);
  page.optionFields.push({ prop, input, list, problem, control, asked: null });
}

// The error /api/options answered, as one line: each path-named entry, else its message.
function optionsProblem(error) {
  if (!error) return "";
  const entries = (error.details && error.details.errors) || [];
  const said = entries.length
    ? entries.map((e) => (e.path ? `${e.path}: ${e.message}` : e.message)).join("; ")
    : error.message;
  return `No choices: ${said}`;
}

// The value at a page path such as "messages[1].from" in the form's current values.
function valueAt(values, path) {
  let node = values;
  for (const part of path.match(/[^.[\]]+/g) || []) {
    if (node === null || typeof node !== "object") return undefined;
    node = node[/^\d+$/.test(part) ? Number(part) : part];
  }
  return node;
}

// "messages[].from" for the field at "messages[2].content.templateName": messages[2].from.
function boundPath(dependency, fieldPath) {
  const indices = (fieldPath.match(/\[(\d+)\]/g) || []).map((m) => m.slice(1, -1));
  let next = 0;
  return dependency.replace(/\[(\d*)\]/g, (_, given) => {
    const inherited = indices[next++] || 0; // as the runtime binds them (runtime/options.py)
    return `[${given || inherited}]`;
  });
}

async function refreshOptions() {
  const inputs = currentInputs();
  const sandbox = byId("use-sandbox").checked;
  page.optionFields = page.optionFields.filter((field) => field.input.isConnected);
  for (const field of page.optionFields) {
    const path = field.control.el.dataset.path;
    const depends = field.prop.optionsFrom.dependsOn || [];
    const values = depends.map((dep) => valueAt(inputs, boundPath(dep, path)));
    if (values.some(isEmpty)) {
      field.list.replaceChildren();
      field.problem.textContent = "";
      field.asked = null;
      continue;
    }
    const key = JSON.stringify([path, values, sandbox]);
    if (key === field.asked) continue;
    field.asked = key;
    const body = {
      action: page.action.name,
      property: path,
      inputs,
      connection: sandbox ? null : page.connection.get() || {},
      sandbox,
    };
    const answer = await callApi("POST", "/api/options", body).catch((failure) => ({
      error: { type: "request", message: `the editor server did not answer (${failure})` },
    }));
    if (field.asked !== key) continue; // the dependencies changed while it was asked
    field.problem.textContent = optionsProblem(answer.error);
    const options = Array.isArray(answer.options) ? answer.options : [];
    field.list.replaceChildren(
      ...options.map((option) => h("option", { value: option.value, label: option.label })),
    );
    field.input.dataset.options = String(options.length);
    // A cut list says so: the value wanted may be past the cut, typed instead of picked.
    field.input.dataset.truncated = String(answer.truncated === true);
    field.input.title = answer.truncated
      ? `Only the first ${options.length} choices are listed: type the value if it is not among them`
      : "";
  }
}

function renderTextArea(prop, ctx) {
  const input = h("textarea", {
    id: freshId(),
    rows: 3,
    placeholder: prop.placeholder,
    maxlength: prop.maxLength,
    required: prop.required,
  });
  if (typeof prop.default === "string") input.value = prop.default;
  return leaf(prop, ctx, input, () => (input.value === "" ? undefined : input.value));
}

// An OBJECT with free members (screen data, a map of custom parameters) or a ONE_OF (a
// list or a map of texts): JSON typed as text. It is read on every keystroke (readJson) and
// text that is not JSON, or that would not be read exactly (a number JavaScript rounds, a
// member given twice), is said under the field at once; it is still handed on as text, so
// the server's check names the field as well (it expects an object or a list) and nothing
// is sent.
function renderJson(prop, ctx) {
  const input = h("textarea", {
    id: freshId(),
    rows: 4,
    class: "json",
    placeholder: prop.placeholder || '{"name": "value"}',
    spellcheck: "false",
    required: prop.required,
  });
  if (prop.default && typeof prop.default === "object") {
    input.value = JSON.stringify(prop.default, null, 2);
  }
  return ownProblems(leaf(prop, ctx, input, () => readJson(input.value).value), input, readJson);
}

// Says under a field what its own reading (readJson, readNumber) finds on every keystroke.
function ownProblems(control, input, read) {
  input.addEventListener("input", () => {
    const { problem } = read(input.value);
    if (problem) input.dataset.problem = problem;
    else delete input.dataset.problem;
    showJsonProblem(input);
  });
  return control;
}

// A field's own problem (JSON that cannot be read, a number that cannot be kept): more
// telling than the server's "must be an object, not text", so it is shown after the
// server's errors too.
function showJsonProblem(input) {
  const field = input.closest(".field");
  const problem = input.dataset.problem || "";
  // Without one, the slot waits for the server's check, which follows every input.
  field.querySelector(":scope > .field-error").textContent = problem;
  field.classList.toggle("has-error", problem !== "");
  input.setAttribute("aria-invalid", String(problem !== ""));
}

function renderSelect(prop, ctx) {
  const options = prop.options || (prop.type === "BOOLEAN" ? BOOLEAN_OPTIONS : []);
  const hasDefault = prop.default !== undefined && prop.default !== null;
  // An empty choice exists only when nothing would otherwise be chosen for the person.
  const blank = hasDefault ? [] : [{ label: prop.required ? "Choose…" : "— not set —" }];
  const choices = [...blank, ...options];
  const input = h(
    "select",
    { id: freshId(), required: prop.required },
    choices.map((option, index) => h("option", { value: String(index) }, option.label)),
  );
  const defaultIndex = choices.findIndex((o) => "value" in o && o.value === prop.default);
  input.value = String(Math.max(defaultIndex, 0));
  return leaf(prop, ctx, input, () => choices[Number(input.value)].value);
}

function renderMultiSelect(prop, ctx) {
  const options = prop.options || (prop.items && prop.items.options) || [];
  const legendId = freshId();
  const boxes = options.map((option) => {
    const box = h("input", { type: "checkbox", value: String(option.value) });
    if (Array.isArray(prop.default) && prop.default.includes(option.value)) box.checked = true;
    return { option, box, el: h("label", { class: "check" }, box, h("span", {}, option.label)) };
  });
  const group = h(
    "div",
    { class: "checks", role: "group", "aria-labelledby": legendId, id: freshId() },
    boxes.map((b) => b.el),
  );
  const get = () => {
    const picked = boxes.filter((b) => b.box.checked).map((b) => b.option.value);
    return picked.length ? picked : undefined;
  };
  const control = leaf(prop, ctx, group, get);
  const label = control.el.querySelector(":scope > .label");
  if (label) {
    label.id = legendId;
    label.removeAttribute("for");
  }
  return control;
}

// Text, not type="number": a number input gives "" for a number it cannot hold (1e999) and
// Number() rounds one past 2^53, so either would change silently; readNumber refuses both.
function renderNumber(prop, ctx) {
  const whole = prop.type === "INTEGER" || prop.maxNumberPrecision === 0;
  const input = h("input", {
    id: freshId(),
    type: "text",
    class: "number",
    inputmode: whole ? "numeric" : "decimal",
    placeholder: prop.placeholder,
    required: prop.required,
  });
  if (typeof prop.default === "number") input.value = String(prop.default);
  return ownProblems(leaf(prop, ctx, input, () => readNumber(input.value).value), input, readNumber);
}

function renderDateTime(prop, ctx) {
  const input = h("input", {
    id: freshId(),
    type: "datetime-local",
    step: 1,
    required: prop.required,
  });
  if (typeof prop.default === "string") input.value = prop.default;
  // Pickers drop ":00" seconds; the runtime expects a full local date-time.
  const get = () => {
    if (input.value === "") return undefined;
    return /T\d\d:\d\d$/.test(input.value) ? `${input.value}:00` : input.value;
  };
  return leaf(prop, ctx, input, get);
}

// A collapsed group of fields under a summary line: its title and how many fields it holds.
function foldedGroup(cls, title, fields) {
  if (!fields.length) return null;
  const summary = h("summary", {}, title, h("span", { class: "tag" }, String(fields.length)));
  return h("details", { class: `group ${cls}` }, summary, fields);
}

// The children of an OBJECT: essential ones first, `presentation: additional` ones folded
// into "Additional fields", connection settings marked `advanced: true` into "Advanced".
function renderChildren(properties) {
  const children = properties.map((prop) => ({ name: prop.name, control: render(prop, {}) }));
  const part = (test) => children.filter((_, i) => test(properties[i])).map((c) => c.control.el);
  const isAdditional = (prop) => prop.presentation === "additional";
  const additional = foldedGroup("additional", "Additional fields", part(isAdditional));
  const body = h(
    "div",
    { class: "object-body" },
    part((prop) => !isAdditional(prop) && !prop.advanced),
    additional,
    foldedGroup("advanced", "Advanced", part((prop) => !isAdditional(prop) && prop.advanced)),
  );
  return { children, body, additional };
}

function renderObject(prop, ctx) {
  const { children, body, additional } = renderChildren(prop.properties || []);
  // An optional group nobody filled in is left out, so its defaults are not sent alone.
  const optional = !prop.required && !ctx.item && !ctx.root;
  const help = helpText(prop);
  let el;
  if (ctx.root || ctx.item) {
    el = h("div", { class: "object" }, errorSlot(), body);
  } else if (optional) {
    const summary = h("summary", {}, labelOf(prop), h("span", { class: "tag" }, "optional"));
    el = h("details", { class: "group optional" }, summary, help, errorSlot(), body);
  } else {
    const legend = h("legend", {}, labelOf(prop), requiredMark(prop));
    el = h("fieldset", { class: "group" }, legend, help, errorSlot(), body);
  }
  el.dataset.control = "OBJECT_BUILDER";
  const touched = () => children.some((c) => c.control.touched());
  return {
    el,
    touched,
    get() {
      if (optional && !touched()) return undefined;
      const out = {};
      for (const { name, control } of children) {
        const value = control.get();
        if (value !== undefined) out[name] = value;
      }
      return out;
    },
    setPath(path) {
      if (!ctx.item) el.dataset.path = path;
      if (additional) additional.dataset.additional = path;
      for (const { name, control } of children) control.setPath(joinPath(path, name));
    },
  };
}

function renderArray(prop, ctx) {
  const itemProp = { ...prop.items, required: true };
  const itemLabel = labelOf(prop.items || {}) === "Value" ? "item" : labelOf(prop.items);
  const list = h("ol", { class: "items" });
  const items = [];
  let path = "";

  const relayout = () => {
    list.replaceChildren(...items.map((item) => item.el));
    items.forEach((item, index) => {
      item.title.textContent = `${itemLabel} ${index + 1}`;
      item.up.disabled = index === 0;
      item.down.disabled = index === items.length - 1;
    });
    setPath(path);
  };
  const move = (item, delta) => {
    const from = items.indexOf(item);
    const to = from + delta;
    if (to < 0 || to >= items.length) return;
    items.splice(from, 1);
    items.splice(to, 0, item);
    relayout();
    notifyChange(list);
    item.focusTarget().focus();
  };
  const remove = (item) => {
    items.splice(items.indexOf(item), 1);
    relayout();
    notifyChange(list);
    addButton.focus();
  };
  const add = () => {
    const control = render(itemProp, { item: true });
    const item = { control };
    item.title = h("span", { class: "item-title" });
    const button = (cls, text, title, onclick) =>
      h("button", { type: "button", class: `icon ${cls}`, title, "aria-label": title, onclick }, text);
    item.up = button("move-up", "↑", "Move up", () => move(item, -1));
    item.down = button("move-down", "↓", "Move down", () => move(item, 1));
    const removeButton = button("remove-item", "✕", "Remove", () => remove(item));
    item.focusTarget = () => item.up.disabled ? item.down : item.up;
    item.el = h(
      "li",
      { class: "item" },
      h("div", { class: "item-head" }, item.title, item.up, item.down, removeButton),
      errorSlot(),
      control.el,
    );
    items.push(item);
    return item;
  };
  const addButton = h("button", { type: "button", class: "add-item" }, `+ Add ${itemLabel}`);
  addButton.addEventListener("click", () => {
    const item = add();
    relayout();
    notifyChange(list);
    const first = item.el.querySelector("input, select, textarea");
    if (first) first.focus();
  });

  // A required list starts with the items it needs, so the form opens ready to fill.
  const initial = prop.required ? Math.max(prop.minItems || 0, 1) : 0;
  for (let i = 0; i < initial; i++) add();

  const help = helpText(prop);
  const el = h(
    "div",
    { class: "field array", "data-control": "ARRAY_BUILDER" },
    ctx.item ? null : h("div", { class: "label" }, labelOf(prop), requiredMark(prop)),
    help,
    errorSlot(),
    list,
    addButton,
  );
  function setPath(newPath) {
    path = newPath;
    addButton.dataset.add = newPath;
    if (!ctx.item) el.dataset.path = newPath;
    items.forEach((item, index) => {
      const itemPath = joinPath(newPath, index);
      item.el.dataset.path = itemPath;
      item.control.setPath(itemPath);
    });
  }
  relayout();
  return {
    el,
    get: () => (items.length ? items.map((item) => item.control.get() ?? null) : undefined),
    touched: () => items.some((item) => item.control.touched()),
    setPath,
  };
}

const RENDERERS = {
  TEXT: renderTextInput("text"),
  URL: renderTextInput("url"),
  PHONE: renderTextInput("tel"),
  EMAIL: renderTextInput("email"),
  TEXT_AREA: renderTextArea,
  JSON: renderJson,
  SELECT: renderSelect,
  MULTI_SELECT: renderMultiSelect,
  INTEGER: renderNumber,
  NUMBER: renderNumber,
  DATE_TIME: renderDateTime,
  OBJECT_BUILDER: renderObject,
  ARRAY_BUILDER: renderArray,
};

function render(prop, ctx) {
  const renderer = RENDERERS[controlTypeOf(prop)] || RENDERERS.TEXT;
  return renderer(prop, ctx);
}

function renderRoot(properties, path) {
  const control = renderObject({ properties }, { root: true });
  control.setPath(path);
  return control;
}

// ------------------------------------------------------------------------------- the page

const page = {
  definition: null,
  action: null,
  inputs: null,
  connection: null,
  validationSeq: 0,
  validateTimer: null,
  // Counts edits, so an output can tell whether it still belongs to what the form shows.
  editSeq: 0,
  // Fields whose choices come from Infobip (offerOptionsFromInfobip).
  optionFields: [],
};

const byId = (id) => document.getElementById(id);

async function callApi(method, url, body) {
  const response = await fetch(url, {
    method,
    headers: body === undefined ? {} : { "Content-Type": "application/json" },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  try {
    return readAnswer(text); // an output's numbers shown as the server wrote them
  } catch {
    return { error: { type: "request", message: `HTTP ${response.status}: ${text}`, details: {} } };
  }
}

function currentInputs() {
  return page.inputs.get() || {};
}

function showInputJson(values) {
  const root = { type: "OBJECT", properties: page.action.properties };
  byId("input-json").textContent = JSON.stringify(prune(values, root), null, 2);
}

// The field a path belongs to, or its nearest rendered ancestor (the root when none).
function fieldFor(path) {
  let candidate = path;
  while (candidate) {
    const el = document.querySelector(`main [data-path="${CSS.escape(candidate)}"]`);
    if (el) return { el, exact: candidate === path };
    candidate = candidate.replace(/(\.[^.[\]]+|\[\d+\])$/, "");
    if (candidate === path) break;
  }
  return null;
}

function clearFieldErrors() {
  for (const el of document.querySelectorAll(".has-error")) {
    el.classList.remove("has-error");
    el.querySelector(":scope > .field-error").textContent = "";
  }
}

function showErrors(errors) {
  clearFieldErrors();
  const list = byId("errors");
  list.replaceChildren();
  for (const error of errors) {
    const found = fieldFor(error.path);
    if (found) {
      const slot = found.el.querySelector(":scope > .field-error");
      const text = found.exact ? error.message : `${error.path}: ${error.message}`;
      slot.textContent = slot.textContent ? `${slot.textContent}; ${text}` : text;
      found.el.classList.add("has-error");
      // An error inside a folded group would otherwise stay invisible.
      for (let node = found.el; node; node = node.parentElement?.closest("details")) {
        if (node.tagName === "DETAILS") node.open = true;
      }
    }
    const jump = () => {
      const target = found && found.el.querySelector("input, select, textarea, button");
      if (target) target.focus();
    };
    list.append(
      h(
        "li",
        {},
        h("button", { type: "button", class: "link", onclick: jump, "data-target": error.path },
          h("code", {}, error.path || "(input)")),
        " ",
        error.message,
      ),
    );
  }
  for (const input of document.querySelectorAll("main [data-problem]")) {
    showJsonProblem(input);
  }
  const state = byId("validation-state");
  state.dataset.state = errors.length ? "invalid" : "valid";
  state.textContent = errors.length
    ? `${errors.length} error${errors.length === 1 ? "" : "s"}`
    : "valid";
}

// Required connection fields left empty, when the run would use the connection: reported
// with the input errors as the person types rather than only when Run is pressed.
function connectionErrors() {
  if (byId("use-sandbox").checked) return [];
  const values = page.connection.get() || {};
  return page.definition.connection.authorizations[0].properties
    .filter((prop) => prop.required && isEmpty(values[prop.name]))
    .map((prop) => ({ path: prop.name, message: "is required" }));
}

const onPage = (errors, prefix) => errors.map((e) => ({ ...e, path: joinPath(prefix, e.path) }));

function scheduleValidation() {
  page.editSeq += 1;
  markOutputStale();
  byId("validation-state").dataset.state = "pending";
  byId("validation-state").textContent = "checking…";
  showInputJson(currentInputs());
  clearTimeout(page.validateTimer);
  page.validateTimer = setTimeout(validateNow, VALIDATE_DELAY_MS);
}

async function validateNow() {
  const seq = ++page.validationSeq;
  const inputs = currentInputs();
  let answer;
  try {
    answer = await callApi("POST", "/api/validate", { action: page.action.name, inputs });
  } catch (err) {
    answer = { error: { message: String(err) } };
  }
  // A slower answer to an older edit must not overwrite a newer one.
  if (seq !== page.validationSeq) return;
  if (answer.error) {
    byId("validation-state").dataset.state = "failed";
    byId("validation-state").textContent = `editor error: ${answer.error.message}`;
    return;
  }
  showErrors([...onPage(connectionErrors(), "connection"), ...(answer.ok ? [] : answer.errors)]);
  refreshOptions();
}

// An output shown after the form changed no longer describes it: say so, keep it readable.
function markOutputStale() {
  const out = byId("output");
  if (out.dataset.state !== "ok" && out.dataset.state !== "error") return;
  out.dataset.stale = "true";
  byId("output-note").textContent = "The inputs changed since this run: run again to update.";
}

function setOutput(state, text) {
  const out = byId("output");
  out.dataset.state = state;
  delete out.dataset.stale;
  byId("output-note").textContent = "";
  out.textContent = text;
}

function showOutput(answer) {
  if (answer.output !== undefined) {
    setOutput("ok", JSON.stringify(answer.output, null, 2));
    return;
  }
  setOutput("error", JSON.stringify(answer, null, 2));
  const errors = answer.error && answer.error.details && answer.error.details.errors;
  if (!Array.isArray(errors)) return;
  // Connection problems name connection fields, whose paths on the page start "connection.".
  showErrors(onPage(errors, answer.error.type === "configuration" ? "connection" : ""));
}

async function run() {
  const button = byId("run");
  const sandbox = byId("use-sandbox").checked;
  const connection = sandbox ? null : page.connection.get();
  const missing = connectionErrors();
  if (missing.length) {
    const message = "Fill in the connection, or use the sandbox.";
    showOutput({ error: { type: "configuration", message, details: { errors: missing } } });
    return;
  }
  button.disabled = true;
  setOutput("running", "Running…");
  const edit = page.editSeq;
  try {
    const body = { action: page.action.name, inputs: currentInputs(), connection, sandbox };
    showOutput(await callApi("POST", "/api/run", body));
  } catch (err) {
    showOutput({ error: { type: "request", message: String(err), details: {} } });
  } finally {
    button.disabled = false;
  }
  // The form was edited while the action ran: the answer is for the values sent, not these.
  if (edit !== page.editSeq) markOutputStale();
}

// Shows an action's form; the URL's #fragment names it, so a link opens the same action.
function selectAction(name) {
  page.action = page.definition.actions.find((a) => a.name === name) || page.definition.actions[0];
  byId("action").value = page.action.name;
  const hash = `#${page.action.name}`;
  if (location.hash !== hash) history.replaceState(null, "", hash);
  byId("action-description").replaceChildren(...richText(page.action.description));
  page.inputs = renderRoot(page.action.properties, "");
  byId("inputs-body").replaceChildren(page.inputs.el);
  setOutput("empty", "Run the action to see its output.");
  scheduleValidation();
}

// Action names are plain letters and digits, so the fragment needs no decoding.
function actionFromHash() {
  return location.hash.slice(1);
}

function updateRunTarget() {
  const sandbox = byId("use-sandbox").checked;
  byId("connection").disabled = sandbox;
  byId("run-target").textContent = sandbox ? "against the embedded sandbox" : "against Infobip";
}

async function start() {
  page.definition = await callApi("GET", "/api/definition");
  const def = page.definition;
  byId("component-meta").textContent = `${def.title} · component v${def.version}`;
  const picker = byId("action");
  picker.replaceChildren(...def.actions.map((a) => h("option", { value: a.name }, a.title)));
  picker.addEventListener("change", () => selectAction(picker.value));

  const auth = def.connection.authorizations[0];
  page.connection = renderRoot(auth.properties, "connection");
  byId("connection").replaceChildren(page.connection.el);
  byId("use-sandbox").addEventListener("change", updateRunTarget);
  updateRunTarget();

  // The connection and the sandbox switch count as inputs too: they change what Run does.
  for (const id of ["inputs", "connection-card"]) {
    byId(id).addEventListener("input", scheduleValidation);
    byId(id).addEventListener("change", scheduleValidation);
  }
  byId("inputs").addEventListener("submit", (event) => event.preventDefault());
  byId("run").addEventListener("click", run);
  window.addEventListener("hashchange", () => {
    const wanted = def.actions.find((a) => a.name === actionFromHash());
    // An unknown name keeps the form (and what was typed in it); the address is put back.
    if (!wanted) history.replaceState(null, "", `#${page.action.name}`);
    else if (wanted !== page.action) selectAction(wanted.name);
  });
  selectAction(actionFromHash());
  document.body.dataset.ready = "true";
}

document.addEventListener("DOMContentLoaded", start);
