// A JSON-RPC client of `infobip-connector serve`, for Node.js 20 or later (no npm packages).
//
// The worker reads one request per line on stdin and writes one answer per line on stdout,
// in the order the requests finish; answers are matched to calls by their id. An error
// answer rejects the call with a ConnectorError whose `type` and `details` are the
// connector's error object (the one the CLI prints).

import { spawn } from "node:child_process";
import { createInterface } from "node:readline";

export class ConnectorError extends Error {
  constructor(error) {
    super(error.message);
    this.code = error.code; // JSON-RPC code: -32002 input, -32003 rejected, -32004 outcome unknown...
    this.type = error.data?.error?.type; // "input", "rejected", "outcome_unknown"...
    this.details = error.data?.error?.details ?? {};
  }
}

export class InfobipWorker {
  // command: the worker's command line, e.g. ["infobip-connector", "serve", "--sandbox"].
  constructor(command) {
    this.child = spawn(command[0], command.slice(1), { stdio: ["pipe", "pipe", "inherit"] });
    this.pending = new Map();
    this.nextId = 1;
    this.failure = null; // set when the worker could not be started
    this.exited = new Promise((resolve) => {
      this.child.on("exit", (code) => resolve(code));
      this.child.on("error", () => resolve(null));
    });
    // Without this listener a worker that cannot start (the command is not on PATH: the
    // venv is not activated) crashes the whole program with an unhandled ENOENT.
    this.child.on("error", (error) => {
      this.failure = new Error(
        error.code !== "ENOENT"
          ? `cannot start ${command[0]}: ${error.message}`
          : command[0].includes("/") || command[0].includes("\\")
            ? `cannot start ${command[0]}: no such file. Give the full path of the connector's ` +
              "command in its virtual environment (.venv/bin/infobip-connector)."
            : `cannot start ${command[0]}: it is not on PATH. Activate the virtual environment ` +
              "the connector is installed in (source .venv/bin/activate) or give its full path.",
      );
      for (const { reject } of this.pending.values()) reject(this.failure);
      this.pending.clear();
    });
    this.child.stdin.on("error", () => {}); // a worker that is gone: reported by the above
    createInterface({ input: this.child.stdout }).on("line", (line) => this.#answer(line));
    this.child.stdout.on("close", () => {
      for (const { reject } of this.pending.values()) reject(new Error("the worker stopped"));
      this.pending.clear();
    });
  }

  // Resolves with the method's result, or rejects with a ConnectorError.
  call(method, params = {}) {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      if (this.failure !== null) return reject(this.failure);
      this.pending.set(id, { resolve, reject });
      this.child.stdin.write(JSON.stringify({ jsonrpc: "2.0", id, method, params }) + "\n");
    });
  }

  // Closes the worker's input: it answers what is in flight, then exits.
  async close() {
    this.child.stdin.end();
    return this.exited;
  }

  #answer(line) {
    const answer = JSON.parse(line);
    for (const one of Array.isArray(answer) ? answer : [answer]) {
      const waiting = this.pending.get(one.id);
      if (waiting === undefined) continue;
      this.pending.delete(one.id);
      if ("error" in one) waiting.reject(new ConnectorError(one.error));
      else waiting.resolve(one.result);
    }
  }
}
