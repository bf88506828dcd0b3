'use strict';
// bench_peer.js - the peer side of aslc's benchmark: runs a benchmark workflow
// on aws-local-stepfunctions (installed by bench/run.sh into bench/.cache) and
// speaks the same protocol as a program built by aslc:
//
//   node bench_peer.js run   DIR NAME                 -> the output JSON on stdout
//   node bench_peer.js bench DIR NAME SECONDS [N]     -> one JSON line:
//     {"executions","transitions","seconds","peak_rss_kb","failed","in_flight"}
//
// DIR holds NAME.asl.json, NAME.input.json, transitions.json and, for Task
// states, NAME.handlers.js (results keyed by Resource ARN). The package is
// found through ASLC_BENCH_PEER (the installed module's directory).
//
// Transitions: the engine reports no count cheaply (its event log would add
// work to the measured path), so each execution counts the static number of
// states entered from transitions.json, which the harness cross-checks
// against aslc's own count.
//
// `bench` first warms the JIT for min(1 s, SECONDS / 3), then measures.
// N > 1 keeps N executions in flight on Node's one thread.

// aws-local-stepfunctions 3.0.0 needs Node 22's Promise.withResolvers.
if (!Promise.withResolvers) Promise.withResolvers = function () { let resolve, reject; const promise = new Promise((a, b) => { resolve = a; reject = b; }); return { promise, resolve, reject }; };

const fs = require('fs');
const path = require('path');

function usage() {
  process.stderr.write('usage: node bench_peer.js run DIR NAME | bench DIR NAME SECONDS [IN_FLIGHT]\n');
  process.exit(2);
}

const [cmd, dir, name, secondsArg, inFlightArg] = process.argv.slice(2);
if (!cmd || !dir || !name || (cmd !== 'run' && cmd !== 'bench')) usage();
const peerDir = process.env.ASLC_BENCH_PEER;
if (!peerDir) {
  process.stderr.write('bench_peer.js: ASLC_BENCH_PEER is not set\n');
  process.exit(2);
}
const { StateMachine } = require(peerDir);

const file = (suffix) => path.join(dir, name + suffix);
const definition = JSON.parse(fs.readFileSync(file('.asl.json'), 'utf8'));
const inputText = fs.readFileSync(file('.input.json'), 'utf8');
const perExecution = JSON.parse(fs.readFileSync(path.join(dir, 'transitions.json'), 'utf8'))[name];

// Task states are bound to the JavaScript stand-ins, by each state's Resource.
function handlersOf(states, byArn, out) {
  for (const [stateName, s] of Object.entries(states)) {
    if (s.Type === 'Task') {
      const fn = byArn[s.Resource];
      if (!fn) throw new Error(`no handler for ${s.Resource} (state ${stateName})`);
      out[stateName] = async (input) => fn(input);
    }
    for (const b of s.Branches || []) handlersOf(b.States, byArn, out);
    const proc = s.ItemProcessor || s.Iterator;
    if (proc) handlersOf(proc.States, byArn, out);
  }
  return out;
}
const byArn = fs.existsSync(file('.handlers.js')) ? require(path.resolve(file('.handlers.js'))) : {};
const runOptions = { overrides: { taskResourceLocalHandlers: handlersOf(definition.States, byArn, {}) } };
const machine = new StateMachine(definition, { validationOptions: { checkArn: false } });

// One execution on a fresh copy of the input (as aslc's bench does).
function execute() {
  return machine.run(JSON.parse(inputText), runOptions).result;
}

// VmHWM of this process (getrusage's maxRSS also counts the harness that
// forked it); maxRSS where /proc is not there.
function peakRssKb() {
  try {
    const m = /VmHWM:\s*(\d+)/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]);
  } catch (e) { /* no /proc */ }
  return process.resourceUsage().maxRSS;
}

async function bench(seconds, inFlight) {
  const warm = Math.min(1, seconds / 3) * 1000;
  const warmEnd = performance.now() + warm;
  while (performance.now() < warmEnd) await execute();
  let executions = 0, failed = 0;
  const t0 = performance.now();
  const deadline = t0 + seconds * 1000;
  async function lane() {
    do {
      try {
        await execute();
      } catch (e) {
        failed++;
      }
      executions++;
    } while (performance.now() < deadline);
  }
  await Promise.all(Array.from({ length: inFlight }, lane));
  const elapsed = (performance.now() - t0) / 1000;
  process.stdout.write(JSON.stringify({
    executions,
    transitions: executions * perExecution,
    seconds: Number(elapsed.toFixed(6)),
    peak_rss_kb: peakRssKb(),
    failed,
    in_flight: inFlight,
  }) + '\n');
}

(async () => {
  if (cmd === 'run') {
    process.stdout.write(JSON.stringify(await execute()) + '\n');
  } else {
    const seconds = Number(secondsArg), inFlight = Number(inFlightArg || 1);
    if (!(seconds > 0) || !(Number.isInteger(inFlight) && inFlight >= 1)) usage();
    await bench(seconds, inFlight);
  }
})().catch((e) => {
  process.stderr.write(`bench_peer.js: ${e && e.stack ? e.stack : e}\n`);
  process.exit(1);
});
