#!/usr/bin/env node
// quantize_corpus.js DIR [--out FILE.md]: for every DIR/NAME.<mode>.onnx that
// Modes/QuantizeCorpus.* wrote (EW_CORPUS_DIR=DIR), loads it and NAME.float.onnx
// in ONNX Runtime (CPU, 1 thread), runs both on the held-out inputs
// NAME.input<i>.<input>.npy and reports the worst output's SQNR (dB) over all
// inputs. Pass: ORT loads it and SQNR >= 20 dB. Exits 1 when any written model
// (the float one too) fails. Called by bench/quantize_corpus (which runs the test
// and finds ORT). A file ORT refuses is retried with its untyped graph outputs
// (elem_type 0) typed float, so the SQNR is still measured; the refusal stays a failure.
// --ort-opt sets ORT's graphOptimizationLevel (default all, what ORT does by default).
'use strict';
const fs = require('fs');
const path = require('path');
const { readNpy, tensorFileName } = require('./npy.js');

const MODES = ['static', 'dynamic', 'int4', 'fp16'];
const MIN_DB = 20;
const CAP_DB = 200;
const USAGE = 'usage: bench/quantize_corpus.js DIR [--out FILE.md] [--ort-opt disabled|basic|extended|all]';

function loadOrt() {
  const dir = process.env.EW_ORT_DIR;
  if (dir) return require(require.resolve('onnxruntime-node', { paths: [dir, path.join(dir, 'node_modules')] }));
  return require('onnxruntime-node');
}

// Protobuf: [field, wire type, value start, end] of each field of message b.
function pbFields(b) {
  const out = [];
  const varint = (p) => { let v = 0, m = 1; for (;;) { const c = b[p++]; v += (c & 0x7f) * m; m *= 128; if (c < 0x80) return [v, p]; } };
  for (let p = 0; p < b.length;) {
    const [key, q] = varint(p);
    const w = key & 7;
    const [len, r] = w === 2 ? varint(q) : w === 0 ? [varint(q)[1] - q, q] : [w === 1 ? 8 : 4, q];
    out.push([Math.floor(key / 8), w, r, r + len, p]);
    p = r + len;
  }
  return out;
}
const pbVarint = (v) => { const o = []; for (; v >= 0x80; v = Math.floor(v / 128)) o.push((v & 0x7f) | 0x80); o.push(v); return Buffer.from(o); };
// Rewrites the length-delimited fields of message b that `fns` names (field -> fn(bytes)).
const pbEdit = (b, fns) => Buffer.concat(pbFields(b).map(([f, w, s, e, k]) => {
  if (w !== 2 || !fns[f]) return b.subarray(k, e);
  const v = fns[f](b.subarray(s, e));
  return Buffer.concat([pbVarint(f * 8 + 2), pbVarint(v.length), v]);
}));
// TypeProto.Tensor: elem_type(1) 0 or missing -> FLOAT.
const floatType = (t) => (pbFields(t).some(([f, w, s]) => f === 1 && w === 0 && t[s] !== 0) ? t
  : Buffer.concat([Buffer.from([0x08, 0x01]), ...pbFields(t).filter(([f]) => f !== 1).map(([, , , e, k]) => t.subarray(k, e))]));
// GraphProto: output(12).type(2).tensor_type(1), and the same in node(1).attribute(5).g(6)/graphs(7).
const typeGraph = (g) => pbEdit(g, { 12: (o) => pbEdit(o, { 2: (t) => pbEdit(t, { 1: floatType }) }),
                                     1: (n) => pbEdit(n, { 5: (a) => pbEdit(a, { 6: typeGraph, 7: typeGraph }) }) });
const typeOutputs = (model) => pbEdit(model, { 7: typeGraph });

// { session, error }: error is ORT's refusal of the file as written (then the session, if
// any, is of the file with its outputs typed).
async function open(ort, file, opts) {
  try { return { session: await ort.InferenceSession.create(file, opts), error: '' }; } catch (e) {
    const error = String(e.message || e).split('\n')[0].replace(/^Load model from \S+ failed:/, '');
    try { return { session: await ort.InferenceSession.create(typeOutputs(fs.readFileSync(file)), opts), error }; } catch (e2) {
      return { session: null, error };
    }
  }
}

// Held-out inputs of NAME: [{inputName: ort.Tensor}] for i = 0, 1, ...
function heldOut(ort, dir, name, inputNames) {
  const feeds = [];
  for (let i = 0; ; i++) {
    const feed = {};
    for (const n of inputNames) {
      const f = [n, tensorFileName(n)].map((s) => path.join(dir, `${name}.input${i}.${s}.npy`)).find((p) => fs.existsSync(p));
      if (!f) { if (i === 0) throw new Error(`no held-out input ${name}.input0.${n}.npy`); return feeds; }
      const t = readNpy(f);
      feed[n] = new ort.Tensor(t.type, t.data, t.dims);
    }
    feeds.push(feed);
  }
}

// Worst-output SQNR of NAME.<mode>.onnx vs the float session `ref`: { loads, sqnr, note }.
async function check(ort, dir, name, mode, ref, opts) {
  const qs = await open(ort, path.join(dir, `${name}.${mode}.onnx`), opts);
  const row = { loads: !qs.error, sqnr: null, note: qs.error ? `ORT refused it: ${qs.error}` : '' };
  if (qs.error && qs.session) row.note += '; SQNR measured with its outputs typed float';
  if (!qs.session || !ref) return row;
  const q = qs.session;
  try {
    const feeds = heldOut(ort, dir, name, ref.inputNames);
    const sig = {}, noise = {};
    for (const n of ref.outputNames) sig[n] = noise[n] = 0;
    for (const feed of feeds) {
      const [r, o] = [await ref.run(feed), await q.run(feed)];
      for (const n of ref.outputNames) {
        if (!o[n]) throw new Error(`quantized model has no output ${n}`);
        if (r[n].dims.join('x') !== o[n].dims.join('x')) throw new Error(`output ${n}: shape ${o[n].dims} vs ${r[n].dims}`);
        if (r[n].type !== 'float32' || o[n].type !== 'float32') throw new Error(`output ${n}: ${o[n].type} vs ${r[n].type}, not float32`);
        const a = r[n].data, b = o[n].data;
        for (let k = 0; k < a.length; k++) {
          const x = a[k], d = x - b[k];
          sig[n] += x * x;
          noise[n] += d * d;
        }
      }
    }
    row.sqnr = Math.min(...ref.outputNames.map((n) => (noise[n] === 0 ? CAP_DB
      : Math.min(CAP_DB, 10 * Math.log10(sig[n] / noise[n])))));
    if (Number.isNaN(row.sqnr)) row.sqnr = -Infinity;
  } catch (e) {
    row.note += `${row.note ? '; ' : ''}ORT run failed: ${String(e.message || e).split('\n')[0]}`;
  }
  return row;
}

async function main() {
  const argv = process.argv.slice(2);
  let dir = '', out = '', level = 'all';
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out' || argv[i] === '--ort-opt') {
      if (!argv[i + 1]) throw new Error(`${argv[i]} needs a value\n${USAGE}`);
      if (argv[i++] === '--out') out = argv[i]; else level = argv[i];
    }
    else if (argv[i] === '--help' || argv[i] === '-h') { console.log(USAGE); return 0; }
    else if (!dir && !argv[i].startsWith('--')) dir = argv[i];
    else throw new Error(`unknown argument ${argv[i]}\n${USAGE}`);
  }
  if (!dir || !fs.statSync(dir, { throwIfNoEntry: false })?.isDirectory()) throw new Error(`no corpus dir\n${USAGE}`);
  const ort = loadOrt();
  const names = fs.readdirSync(dir).filter((f) => f.endsWith('.float.onnx')).map((f) => f.slice(0, -'.float.onnx'.length)).sort();
  if (!names.length) throw new Error(`${dir} holds no NAME.float.onnx (did the test run with EW_CORPUS_DIR?)`);
  const lines = [`| model | mode | ORT loads | SQNR dB (ORT) | verdict |`, '|---|---|---|---:|---|'];
  const refused = [];
  let failures = 0;
  const opts = { intraOpNumThreads: 1, interOpNumThreads: 1, executionProviders: ['cpu'], graphOptimizationLevel: level };
  for (const name of names) {
    const f = await open(ort, path.join(dir, `${name}.float.onnx`), opts);
    if (f.error) {
      failures++;
      const note = f.session ? '; the rows below use it with its outputs typed float' : '; no reference for the rows below';
      lines.push(`| ${name} | float (reference) | no | – | **FAIL** (ORT refused it: ${f.error}${note}) |`);
    }
    for (const mode of MODES) {
      if (!fs.existsSync(path.join(dir, `${name}.${mode}.onnx`))) { refused.push(`${name} ${mode}`); continue; }
      const r = await check(ort, dir, name, mode, f.session, opts);
      const pass = r.loads && r.sqnr !== null && r.sqnr >= MIN_DB;
      if (!pass) failures++;
      const db = r.sqnr === null ? '–' : r.sqnr.toFixed(1);
      const note = r.note ? ` (${r.note.replace(/\|/g, '\\|')})` : '';
      lines.push(`| ${name} | ${mode} | ${r.loads ? 'yes' : 'no'} | ${db} | ${pass ? 'pass' : '**FAIL**'}${note} |`);
    }
  }
  if (refused.length) {
    lines.push('', 'Refused by edgewise quantize (see test output):', '');
    for (const r of refused) lines.push(`- ${r}: refused by edgewise quantize (see test output)`);
  }
  lines.push('', `${lines.filter((l) => l.includes('| pass')).length} pass, ${failures} fail, ${refused.length} refused by Edgewise; ` +
             `pass = ORT loads it and worst-output SQNR vs float >= ${MIN_DB} dB (capped at ${CAP_DB}); ORT graph optimization: ${level}.`);
  const md = lines.join('\n') + '\n';
  process.stdout.write(md);
  if (out) fs.writeFileSync(out, md);
  return failures ? 1 : 0;
}

main().then((rc) => process.exit(rc), (e) => { process.stderr.write(`error: ${e.message}\n`); process.exit(2); });
