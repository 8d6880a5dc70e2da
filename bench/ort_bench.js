#!/usr/bin/env node
// ort_bench.js MODEL: the ONNX Runtime side of bench/compare. Measures like
// `edgewise bench` (load = init_ms, one first run, --warmup untimed runs, then
// timed runs until both --runs and --min-secs are met; percentiles by linear
// interpolation between closest ranks) and prints the same JSON keys.
//
// onnxruntime-node is found through EW_ORT_DIR (a folder whose node_modules
// holds onnxruntime-node), else the normal Node resolution.
//
// Peak RSS: Node itself holds tens of MiB before ONNX Runtime is loaded, so
// peak_rss_bytes = process peak RSS (VmHWM) minus the RSS measured before
// require('onnxruntime-node'); the raw peak is process_peak_rss_bytes and the
// baseline node_baseline_rss_bytes. ONNX Runtime's own library and allocations
// are therefore counted, Node's runtime is not.
'use strict';
const fs = require('fs');
const path = require('path');
const { readNpy, writeNpy, tensorFileName } = require('./npy.js');

function procStatusBytes(field) {
  try {
    const m = fs.readFileSync('/proc/self/status', 'utf8').match(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm'));
    if (m) return Number(m[1]) * 1024;
  } catch (e) { /* not Linux */ }
  return null;
}
const baselineRss = procStatusBytes('VmRSS') ?? process.memoryUsage().rss;

const USAGE = `usage: ort_bench.js MODEL [--threads N] [--runs R] [--warmup W] [--min-secs S]
                   [--dims NAME=VALUE,...] [--inputs DIR] [--save-outputs DIR] [--json]`;

function parseArgs(argv) {
  const a = { threads: 1, runs: 20, warmup: 2, minSecs: 1.0, dims: {}, inputs: '', saveOutputs: '', json: false, model: '' };
  const need = (i) => {
    if (i + 1 >= argv.length) throw new Error(`${argv[i]} needs a value\n${USAGE}`);
    return argv[i + 1];
  };
  const int = (flag, v, min) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < min) throw new Error(`${flag} expects an integer >= ${min}, got '${v}'`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const f = argv[i];
    if (f === '--threads') a.threads = int(f, need(i++), 1);
    else if (f === '--runs') a.runs = int(f, need(i++), 1);
    else if (f === '--warmup') a.warmup = int(f, need(i++), 0);
    else if (f === '--min-secs') {
      a.minSecs = Number(need(i++));
      if (!(a.minSecs >= 0)) throw new Error(`--min-secs expects a number >= 0`);
    } else if (f === '--dims') {
      for (const item of need(i++).split(',')) {
        const m = item.match(/^([^=]+)=(\d+)$/);
        if (!m) throw new Error(`--dims expects NAME=VALUE, got '${item}'`);
        a.dims[m[1]] = Number(m[2]);
      }
    } else if (f === '--inputs') a.inputs = need(i++);
    else if (f === '--save-outputs') a.saveOutputs = need(i++);
    else if (f === '--json') a.json = true;
    else if (f === '--help' || f === '-h') { console.log(USAGE); process.exit(0); }
    else if (f.startsWith('--')) throw new Error(`unknown option ${f}\n${USAGE}`);
    else if (!a.model) a.model = f;
    else throw new Error(`unexpected argument ${f}\n${USAGE}`);
  }
  if (!a.model) throw new Error(USAGE);
  return a;
}

function loadOrt() {
  const dir = process.env.EW_ORT_DIR;
  if (dir) return require(require.resolve('onnxruntime-node', { paths: [dir, path.join(dir, 'node_modules')] }));
  return require('onnxruntime-node');
}

// Same definition as Edgewise (src/runtime/latency_stats.cc): NumPy "linear".
function percentile(sorted, p) {
  if (!sorted.length) return 0;
  const h = (sorted.length - 1) * p / 100;
  const lo = Math.floor(h);
  const hi = Math.min(lo + 1, sorted.length - 1);
  return sorted[lo] + (h - lo) * (sorted[hi] - sorted[lo]);
}

function summarize(samples) {
  const s = [...samples].sort((x, y) => x - y);
  const n = s.length;
  const mean = s.reduce((x, y) => x + y, 0) / n;
  const std = n > 1 ? Math.sqrt(s.reduce((acc, v) => acc + (v - mean) ** 2, 0) / (n - 1)) : 0;
  return { mean_ms: mean, std_ms: std, min_ms: s[0], p50_ms: percentile(s, 50), p90_ms: percentile(s, 90),
           p95_ms: percentile(s, 95), p99_ms: percentile(s, 99), max_ms: s[n - 1] };
}

// Deterministic random inputs (floats in [-1, 1), integers in [0, 10)); not the
// same numbers as Edgewise's: give both --inputs to compare like with like.
function randomInputs(ort, session, dims) {
  let state = 42n;
  const next = () => {
    state = (state * 6364136223846793005n + 1442695040888963407n) & ((1n << 64n) - 1n);
    return Number(state >> 11n) / 2 ** 53;
  };
  const feeds = {};
  for (const meta of session.inputMetadata) {
    const shape = meta.shape.map((d) => (typeof d === 'number' && d >= 0 ? d : (dims[d] ?? 1)));
    const n = shape.reduce((x, y) => x * y, 1);
    const t = meta.type;
    let data;
    if (t === 'float32') data = Float32Array.from({ length: n }, () => next() * 2 - 1);
    else if (t === 'int64') data = BigInt64Array.from({ length: n }, () => BigInt(Math.floor(next() * 10)));
    else if (t === 'int32') data = Int32Array.from({ length: n }, () => Math.floor(next() * 10));
    else if (t === 'uint8') data = Uint8Array.from({ length: n }, () => Math.floor(next() * 10));
    else if (t === 'int8') data = Int8Array.from({ length: n }, () => Math.floor(next() * 10));
    else throw new Error(`input '${meta.name}': random ${t} inputs are not supported; give --inputs`);
    feeds[meta.name] = new ort.Tensor(t, data, shape);
  }
  return feeds;
}

function folderInputs(ort, session, dir) {
  const feeds = {};
  session.inputNames.forEach((name, k) => {
    const candidates = [path.join(dir, tensorFileName(name) + '.npy'), path.join(dir, `input_${k}.npy`)];
    const file = candidates.find((f) => fs.existsSync(f));
    if (!file) throw new Error(`no file for input '${name}' in ${dir} (tried ${candidates.map((c) => path.basename(c)).join(', ')})`);
    const t = readNpy(file);
    feeds[name] = new ort.Tensor(t.type, t.data, t.dims);
  });
  return feeds;
}

const nowMs = () => Number(process.hrtime.bigint()) / 1e6;

async function main() {
  const a = parseArgs(process.argv.slice(2));
  const ort = loadOrt();
  const options = { intraOpNumThreads: a.threads, interOpNumThreads: 1, graphOptimizationLevel: 'all',
                    executionMode: 'sequential', executionProviders: ['cpu'], logSeverityLevel: 3 };
  let t0 = nowMs();
  const session = await ort.InferenceSession.create(a.model, options);
  const initMs = nowMs() - t0;
  const feeds = a.inputs ? folderInputs(ort, session, a.inputs) : randomInputs(ort, session, a.dims);

  t0 = nowMs();
  const first = await session.run(feeds);
  const firstMs = nowMs() - t0;
  if (a.saveOutputs) {
    fs.mkdirSync(a.saveOutputs, { recursive: true });
    for (const name of session.outputNames) {
      const t = first[name];
      writeNpy(path.join(a.saveOutputs, tensorFileName(name) + '.npy'), t.type, t.dims, t.data);
    }
  }
  for (let i = 0; i < a.warmup; i++) await session.run(feeds);
  const samples = [];
  let timed = 0;
  let lastReport = nowMs();
  const started = lastReport;
  while (samples.length < a.runs || timed < a.minSecs * 1e3) {
    const s = nowMs();
    await session.run(feeds);
    const ms = nowMs() - s;
    samples.push(ms);
    timed += ms;
    if (nowMs() - started > 3000 && nowMs() - lastReport > 5000) {
      lastReport = nowMs();
      process.stderr.write(`ort_bench: ${samples.length} runs, ${(timed / 1e3).toFixed(1)} s\n`);
    }
  }
  const peak = procStatusBytes('VmHWM') ?? process.resourceUsage().maxRSS * 1024;
  const result = {
    model: a.model, runtime: `onnxruntime-node ${require(path.join(path.dirname(require.resolve('onnxruntime-node', { paths: process.env.EW_ORT_DIR ? [process.env.EW_ORT_DIR] : undefined })), '..', 'package.json')).version}`,
    threads: a.threads, dims: a.dims, init_ms: initMs, first_ms: firstMs, runs: samples.length, ...summarize(samples),
    peak_rss_bytes: peak - baselineRss, process_peak_rss_bytes: peak, node_baseline_rss_bytes: baselineRss,
    arena_bytes: null, naive_bytes: null, macs: null, flops: null, gflops_p50: null,
  };
  if (a.json) {
    console.log(JSON.stringify(result, null, 2));
  } else {
    console.log(`model       ${a.model}\nruntime     ${result.runtime}, threads ${a.threads}`);
    console.log(`init        ${initMs.toFixed(3)} ms\nfirst run   ${firstMs.toFixed(3)} ms\ntimed runs  ${samples.length}`);
    console.log(`latency ms  mean ${result.mean_ms.toFixed(3)}  std ${result.std_ms.toFixed(3)}  min ${result.min_ms.toFixed(3)}  ` +
                `p50 ${result.p50_ms.toFixed(3)}  p90 ${result.p90_ms.toFixed(3)}  p95 ${result.p95_ms.toFixed(3)}  ` +
                `p99 ${result.p99_ms.toFixed(3)}  max ${result.max_ms.toFixed(3)}`);
    console.log(`peak RSS    ${(result.peak_rss_bytes / 2 ** 20).toFixed(1)} MiB above Node's baseline ` +
                `(process ${(peak / 2 ** 20).toFixed(1)} MiB, baseline ${(baselineRss / 2 ** 20).toFixed(1)} MiB)`);
  }
}

main().catch((e) => {
  process.stderr.write(`error: ${e.message || e}\n`);
  process.exit(2);
});
