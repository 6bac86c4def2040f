// Sends an SMS through the embedded sandbox and reads the connector's typed errors.
//
//   node examples/node/send-sms.mjs                      # runs `infobip-connector serve --sandbox`
//   node examples/node/send-sms.mjs python -m infobip_connector serve --sandbox
//
// Prints one JSON object per step on stdout.

import { ConnectorError, InfobipWorker } from "./worker.mjs";

const command = process.argv.length > 2 ? process.argv.slice(2) : ["infobip-connector", "serve", "--sandbox"];
const worker = new InfobipWorker(command);
const show = (step, value) => console.log(JSON.stringify({ step, ...value }));

async function failure(promise) {
  try {
    await promise;
    throw new Error("expected an error");
  } catch (error) {
    if (!(error instanceof ConnectorError)) throw error;
    return { code: error.code, type: error.type, errors: error.details.errors ?? [] };
  }
}

async function main() {
  const definition = await worker.call("definition");
  show("definition", { actions: definition.actions.map((action) => action.name) });

  // Requests run at once; each answer carries its request's id.
  const [sent, invalid, unknown] = await Promise.all([
    worker.call("execute", {
      action: "sendSms",
      input: { messages: [{ destinations: [{ to: "+41 79 302 67 27" }], text: "Hello from Node.js" }] },
    }),
    failure(
      worker.call("execute", {
        action: "sendSms",
        input: { messages: [{ destinations: [{ to: "12" }], text: "" }] },
      }),
    ),
    failure(worker.call("sendFax")),
  ]);
  const [message] = sent.messages;
  show("sent", { bulkId: sent.bulkId, messageId: message.messageId, status: message.status.groupName });
  show("invalid input", invalid); // type "input", each problem at its path: nothing was sent
  show("unknown method", unknown); // JSON-RPC -32601

  show("exit", { code: await worker.close() });
}

try {
  await main();
} catch (error) {
  // A clear message (the worker could not start, it stopped), not an unhandled stack.
  console.error(`send-sms: ${error.message}`);
  process.exitCode = 1;
}
