// asl_validator_run.js - run asl-validator (its library, in one process) over
// definition files; print one JSON line per file:
//   {"file": ..., "valid": true|false, "errors": ["..."]}
// A file that JSON.parse rejects is invalid with the parser's message.
// usage: node asl_validator_run.js NODE_MODULES_DIR FILE...
"use strict";
const fs = require("fs");
const path = require("path");
const validator = require(path.join(process.argv[2], "asl-validator"));

for (const file of process.argv.slice(3)) {
  let out;
  try {
    const definition = JSON.parse(fs.readFileSync(file, "utf8"));
    const result = validator(definition, { checkArn: true, checkPaths: true });
    out = { valid: result.isValid,
            errors: (result.errors || []).map((e) => e["Error code"] + ": " + e.Message) };
  } catch (e) {
    out = { valid: false, errors: ["EXCEPTION: " + String(e.message).split("\n")[0]] };
  }
  out.file = path.basename(file);
  process.stdout.write(JSON.stringify(out) + "\n");
}
