#!/usr/bin/env node
// opset_roundtrip.js: does ONNX Runtime compute the same thing after
// `edgewise optimize --target-opset N --level O0` (opset conversion only)?
//
// For every shared model (or --models a,b): write its test_data_set_0 inputs
// as .npy (`edgewise run --save-inputs`), run the original file in ONNX Runtime
// (bench/ort_bench.js), convert it to each target opset, run the converted
// file in ONNX Runtime on the same inputs and compare the outputs (floats
// |a-e| <= atol + rtol*|e|, integers exactly). Prints a Markdown table.
//
// ONNX Runtime (onnxruntime-node, as bench/compare installs it) is only a
// tool of this script: EW_ORT_DIR names the folder whose node_modules holds
// it (default ~/.cache/edgewise/ort). Edgewise itself never depends on it.
// Other environment: EW_BUILD (folder with the edgewise binary, default
// build), EW_MODELS (default ../shared/models), EW_TIMEOUT (seconds per process, 600).
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { readNpy, compareTensors, listNpy } = require('./npy.js');

const USAGE = `usage: node bench/opset_roundtrip.js [--models a,b] [--targets 17,11] [--rtol R] [--atol A]
                                  [--work DIR] [--out FILE.md]`;

function parseArgs(argv) {
  const a = { models: [], targets: [17, 11], rtol: 1e-4, atol: 1e-5, work: '', out: '' };
  const need = (i) => {
    if (i + 1 >= argv.length) throw new Error(`${argv[i]} needs a value\n${USAGE}`);
    return argv[i + 1];
  };
  for (let i = 0; i < argv.length; i++) {
    const f = argv[i];
    if (f === '--models') a.models = need(i++).split(',').filter(Boolean);
    else if (f === '--targets') a.targets = need(i++).split(',').map(Number);
    else if (f === '--rtol') a.rtol = Number(need(i++));
    else if (f === '--atol') a.atol = Number(need(i++));
    else if (f === '--work') a.work = need(i++);
    else if (f === '--out') a.out = need(i++);
    else if (f === '--help' || f === '-h') { console.log(USAGE); process.exit(0); }
    else throw new Error(`unknown argument ${f}\n${USAGE}`);
  }
  for (const t of a.targets)
    if (!Number.isInteger(t) || t < 7 || t > 17) throw new Error(`--targets takes opsets 7..17, got '${t}'`);
  return a;
}

const repo = path.resolve(__dirname, '..');
const edgewise = path.join(path.resolve(repo, process.env.EW_BUILD || 'build'), 'edgewise');
const modelsDir = path.resolve(process.env.EW_MODELS || path.join(repo, '..', 'shared', 'models'));
const ortBench = path.join(__dirname, 'ort_bench.js');
const timeoutMs = Number(process.env.EW_TIMEOUT || 600) * 1000;
const ortEnv = { ...process.env, EW_ORT_DIR: process.env.EW_ORT_DIR || path.join(os.homedir(), '.cache', 'edgewise', 'ort') };

const log = (msg) => process.stderr.write(`[opset_roundtrip] ${msg}\n`);
const lastLine = (s) => s.trim().split('\n').filter(Boolean).pop() || '';
const errText = (v) => (v === 0 ? '0' : v < 1e-3 ? v.toExponential(1) : v.toPrecision(3));

function run(cmd, args, env = process.env) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20, env });
  const code = r.status === null ? -1 : r.status;
  return { ok: code === 0, code, stdout: r.stdout || '', stderr: (r.stderr || '') + (r.error ? String(r.error) : '') };
}

function runJson(cmd, args, env) {
  const r = run(cmd, args, env);
  if (!r.ok) return { error: lastLine(r.stderr) || `exit ${r.code}` };
  try { return JSON.parse(r.stdout); } catch (e) { return { error: `bad JSON: ${e.message}` }; }
}

function ortOutputs(model, inputs, outDir) {
  const r = runJson('node', [ortBench, model, '--inputs', inputs, '--save-outputs', outDir,
                             '--runs', '1', '--warmup', '0', '--min-secs', '0', '--json'], ortEnv);
  return r.error ? `ORT cannot run it: ${r.error}` : null;
}

// Compares every output .npy of `actualDir` with `expectedDir`.
function compareFolders(actualDir, expectedDir, a) {
  let maxAbs = 0;
  const files = listNpy(expectedDir);
  if (!files.length) return { match: false, text: 'no outputs' };
  for (const f of files) {
    const other = path.join(actualDir, path.basename(f));
    if (!fs.existsSync(other)) return { match: false, text: `missing ${path.basename(f)}` };
    const c = compareTensors(readNpy(other), readNpy(f), { rtol: a.rtol, atol: a.atol, intSteps: 0 });
    maxAbs = Math.max(maxAbs, c.maxAbs);
    if (!c.match) return { match: false, text: `**differs**: ${path.basename(f)} ${c.message}, max abs err ${errText(c.maxAbs)}` };
  }
  return { match: true, maxAbs };
}

function summarizeConversion(j) {
  const o = j.opset || {};
  const changes = [];
  for (const [op, list] of Object.entries(o.per_op || {}))
    changes.push(`${op} ${list.reduce((n, c) => n + c.nodes, 0)}`);
  return changes.length ? changes.join(', ') : 'import only';
}

function convertAndCompare(a, model, target, inputs, ortOrig, dir) {
  const out = path.join(dir, `opset${target}.onnx`);
  const j = runJson(edgewise, ['optimize', model, '-o', out, '--target-opset', String(target), '--level', 'O0', '--json']);
  if (j.error) return { cell: `not converted: ${j.error.replace(/^error: /, '')}`, ok: null };
  const outDir = path.join(dir, `ort_opset${target}`);
  const err = ortOutputs(out, inputs, outDir);
  if (err) return { cell: `**${err}**`, ok: false };
  const c = compareFolders(outDir, ortOrig, a);
  const what = summarizeConversion(j);
  return c.match ? { cell: `same (max abs err ${errText(c.maxAbs)}; ${what})`, ok: true } : { cell: `${c.text} (${what})`, ok: false };
}

function modelOpset(model) {
  const j = runJson(edgewise, ['info', model, '--json']);
  return j.error ? '?' : String((j.opsets || {})['ai.onnx'] ?? (j.opsets || {})[''] ?? '?');
}

function main() {
  const a = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(edgewise)) throw new Error(`${edgewise} not found; build it or set EW_BUILD`);
  const models = a.models.length ? a.models
    : fs.readdirSync(modelsDir).filter((m) => fs.existsSync(path.join(modelsDir, m, 'model.onnx'))).sort();
  const work = a.work || fs.mkdtempSync(path.join(os.tmpdir(), 'ew-opset-'));
  const rows = [];
  let failures = 0;
  for (const name of models) {
    const model = path.join(modelsDir, name, 'model.onnx');
    const dir = path.join(work, name);
    fs.mkdirSync(dir, { recursive: true });
    log(`${name}`);
    const row = { name, opset: modelOpset(model), cells: [] };
    const inputs = path.join(dir, 'inputs');
    const saved = run(edgewise, ['run', model, '--inputs', path.join(modelsDir, name, 'test_data_set_0'),
                                 '--save-inputs', inputs, '--json']);
    const ortOrig = path.join(dir, 'ort_original');
    const origErr = saved.ok ? ortOutputs(model, inputs, ortOrig)
                             : `edgewise run --save-inputs: ${lastLine(saved.stderr)}`;
    for (const t of a.targets) {
      if (origErr) { row.cells.push(`original: ${origErr}`); continue; }
      const r = convertAndCompare(a, model, t, inputs, ortOrig, dir);
      if (r.ok === false) failures++;
      row.cells.push(r.cell);
    }
    rows.push(row);
  }
  const lines = [
    `| model | opset | ${a.targets.map((t) => `→ ${t}`).join(' | ')} |`,
    `|---|---|${a.targets.map(() => '---').join('|')}|`,
    ...rows.map((r) => `| ${r.name} | ${r.opset} | ${r.cells.join(' | ')} |`),
    '',
    `ONNX Runtime outputs of each converted file vs the original file on test_data_set_0 inputs ` +
      `(floats within rtol ${a.rtol} + atol ${a.atol}, integers exact). Conversion: ` +
      '`edgewise optimize --target-opset N --level O0`; the cell lists the ops an adapter rewrote.',
  ];
  const text = lines.join('\n');
  console.log(text);
  if (a.out) fs.writeFileSync(a.out, text + '\n');
  if (!a.work) fs.rmSync(work, { recursive: true, force: true });
  process.exit(failures ? 1 : 0);
}

try {
  main();
} catch (e) {
  process.stderr.write(`error: ${e.message || e}\n`);
  process.exit(2);
}
