"use strict";

// The Triggers card: what each trigger emits (its event schema and a sample, from
// POST /api/trigger) and, where the sandbox can act the part, a simulated event
// (POST /api/simulate: e.g. a person replies by SMS, and the event comes out as the trigger
// emits it). Uses h(), byId() and callApi() of editor.js, which loads first.

const triggerPage = { info: null };

function showTriggerJson(id, value) {
  byId(id).textContent = JSON.stringify(value, null, 2);
}

// The items a poll took from the queue but refused: shown, since they are gone from it.
function showRefused(refused) {
  byId("trigger-refused-box").hidden = refused.length === 0;
  showTriggerJson("trigger-refused", refused);
}

function renderSimulation(info) {
  const box = byId("trigger-simulate");
  if (!info.simulate) {
    box.replaceChildren(
      h("p", { class: "help" }, "The sandbox posts these events to a webhook only; not simulated here."),
    );
    return;
  }
  const inputs = {};
  const fields = Object.entries(info.simulate.fields).map(([name, value]) => {
    const id = `simulate-${name}`;
    inputs[name] = h("input", { id, type: "text", value });
    return h("div", { class: "field" }, h("label", { class: "label", for: id }, name), inputs[name]);
  });
  const button = h("button", { id: "simulate", type: "button", class: "primary" }, `Simulate: ${info.simulate.label}`);
  button.addEventListener("click", async () => {
    const values = Object.fromEntries(Object.entries(inputs).map(([k, el]) => [k, el.value]));
    byId("trigger-events").dataset.state = "running";
    const answer = await callApi("POST", "/api/simulate", { trigger: info.name, values });
    byId("trigger-events").dataset.state = answer.error ? "error" : "done";
    showTriggerJson("trigger-events", answer.error ? answer : answer.events);
    showRefused(answer.error ? [] : answer.refused || []);
  });
  box.replaceChildren(...fields, button);
}

async function selectTrigger(name) {
  const info = await callApi("POST", "/api/trigger", { trigger: name });
  if (info.error) {
    byId("trigger-description").textContent = info.error.message;
    return;
  }
  triggerPage.info = info;
  byId("trigger-description").textContent = `${info.description} (${info.types.join(", ")})`;
  showTriggerJson("trigger-schema", info.eventSchema);
  showTriggerJson("trigger-sample", info.sample);
  byId("trigger-events").textContent = "";
  showRefused([]);
  renderSimulation(info);
}

async function startTriggers() {
  const definition = await callApi("GET", "/api/definition");
  const triggers = definition.triggers || [];
  const picker = byId("trigger");
  picker.replaceChildren(...triggers.map((t) => h("option", { value: t.name }, t.title)));
  picker.addEventListener("change", () => selectTrigger(picker.value));
  if (triggers.length) await selectTrigger(triggers[0].name);
  byId("triggers-card").dataset.ready = "true";
}

document.addEventListener("DOMContentLoaded", startTriggers);
