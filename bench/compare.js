#!/usr/bin/env node
// compare.js: Edgewise vs ONNX Runtime, side by side on the same files and
// inputs. Called by bench/compare (which installs onnxruntime-node first);
// see docs/BENCHMARKS.md for what every column means.
//
// For each model: write the inputs once (`edgewise run --save-inputs`), save
// ONNX Runtime's outputs and check Edgewise's against them, optionally check
// that ONNX Runtime loads `edgewise optimize`'s file with the same outputs;
// then for each thread count run `edgewise bench --json` and
// `ort_bench.js --json` interleaved for K rounds (one process each) and take
// the median of every figure across rounds.
'use strict';
const { spawnSync } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { readNpy, compareTensors, listNpy } = require('./npy.js');

const ALL_MODELS = ['mobilenet_v2_random', 'resnet18_random', 'squeezenet1_1_random', 'tiny_bert_op17_random',
                    'super_resolution_10', 'mobilenetv2_12_int8', 'fashion_mbnet'];
// Quantized variants, written by `edgewise quantize` before measuring: MODEL:VARIANT.
const QUANT_MODELS = ['mobilenet_v2_random:s8', 'mobilenet_v2_random:u8', 'resnet18_random:s8', 'resnet18_random:u8',
                      'fashion_mbnet:s8', 'tiny_bert_op17_random:dynamic', 'tiny_bert_op17_random:int4'];
const VARIANTS = {
  s8: ['--mode', 'static'],
  u8: ['--mode', 'static', '--activation-type', 'u8'],
  dynamic: ['--mode', 'dynamic'],
  int4: ['--mode', 'int4', '--block-size', '32'],
  fp16: ['--mode', 'fp16'],
};
const USAGE = `usage: bench/compare [--models a,b:s8,...] [--quantized] [--threads 1,2] [--rounds K] [--out FILE.md]
                     [--runs R] [--warmup W] [--min-secs S] [--random-inputs] [--dims NAME=V,...]
                     [--work DIR] [--no-optimize]
MODEL:VARIANT (s8, u8, dynamic, int4, fp16) measures the file \`edgewise quantize\` writes from MODEL,
calibrated on its test_data_set folders (fashion models: 256 fashion-mnist training images); --quantized
measures ${QUANT_MODELS.join(', ')}.
environment: EW_BUILD (build folder with edgewise, default build), EW_ORT_DIR (folder holding
node_modules/onnxruntime-node), EW_MODELS (default ../shared/models), EW_TIMEOUT (seconds per process, 900)`;

function parseArgs(argv) {
  const a = { models: ALL_MODELS, threads: [1, 2], rounds: 3, out: '', runs: 10, warmup: 2, minSecs: 1,
              randomInputs: false, dims: '', work: '', optimize: true };
  const need = (i) => {
    if (i + 1 >= argv.length) throw new Error(`${argv[i]} needs a value\n${USAGE}`);
    return argv[i + 1];
  };
  const posInt = (flag, v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1) throw new Error(`${flag} expects a positive integer, got '${v}'`);
    return n;
  };
  for (let i = 0; i < argv.length; i++) {
    const f = argv[i];
    if (f === '--models') a.models = need(i++).split(',').filter(Boolean);
    else if (f === '--threads') a.threads = need(i++).split(',').map((t) => posInt('--threads', t));
    else if (f === '--rounds') a.rounds = posInt(f, need(i++));
    else if (f === '--out') a.out = need(i++);
    else if (f === '--runs') a.runs = posInt(f, need(i++));
    else if (f === '--warmup') a.warmup = Number(need(i++));
    else if (f === '--min-secs') a.minSecs = Number(need(i++));
    else if (f === '--random-inputs') a.randomInputs = true;
    else if (f === '--dims') a.dims = need(i++);
    else if (f === '--work') a.work = need(i++);
    else if (f === '--no-optimize') a.optimize = false;
    else if (f === '--quantized') a.models = QUANT_MODELS;
    else if (f === '--help' || f === '-h') { console.log(USAGE); process.exit(0); }
    else throw new Error(`unknown argument ${f}\n${USAGE}`);
  }
  return a;
}

const repo = path.resolve(__dirname, '..');
const build = path.resolve(repo, process.env.EW_BUILD || 'build');
const edgewise = path.join(build, 'edgewise');
const fmaPeak = path.join(build, 'bench', 'fma_peak');
const modelsDir = path.resolve(process.env.EW_MODELS || path.join(repo, '..', 'shared', 'models'));
const ortBench = path.join(__dirname, 'ort_bench.js');
const timeoutMs = Number(process.env.EW_TIMEOUT || 900) * 1000;

const log = (msg) => process.stderr.write(`[compare] ${msg}\n`);

// Runs a command; returns { ok, code, stdout, stderr }.
function run(cmd, args, env = process.env) {
  const r = spawnSync(cmd, args, { encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 << 20, env });
  const code = r.status === null ? -1 : r.status;
  return { ok: code === 0, code, stdout: r.stdout || '', stderr: (r.stderr || '') + (r.error ? String(r.error) : '') };
}

function runJson(cmd, args, env = process.env) {
  const r = run(cmd, args, env);
  if (!r.ok) return { error: lastLine(r.stderr) || `exit ${r.code}` };
  try {
    return JSON.parse(r.stdout);
  } catch (e) {
    return { error: `bad JSON from ${path.basename(cmd)}: ${e.message}` };
  }
}

const errText = (v) => (v === 0 ? "0" : v < 1e-3 ? v.toExponential(2) : v.toPrecision(3));
const lastLine = (s) => s.trim().split('\n').filter(Boolean).pop() || '';

function median(values) {
  const v = values.filter((x) => typeof x === 'number' && Number.isFinite(x)).sort((x, y) => x - y);
  if (!v.length) return null;
  const m = Math.floor(v.length / 2);
  return v.length % 2 ? v[m] : (v[m - 1] + v[m]) / 2;
}

// ---- per-model steps ----

const baseOf = (spec) => spec.split(':')[0];

// The file to measure for MODEL or MODEL:VARIANT; quantized variants are written into `dir`.
function modelFile(spec, dir) {
  const [model, variant] = spec.split(':');
  const src = path.join(modelsDir, model, 'model.onnx');
  if (!variant) return { path: src };
  if (!VARIANTS[variant]) return { error: `unknown variant ${variant} (${Object.keys(VARIANTS).join(', ')})` };
  const out = path.join(dir, `${model}.${variant}.onnx`);
  const calib = model.startsWith('fashion_') ? ['--dataset', 'fashion-mnist', '--calib-count', '256']
                                             : ['--calib', path.join(modelsDir, model)];
  const r = runJson(edgewise, ['quantize', src, '-o', out, ...VARIANTS[variant], ...calib, '--json']);
  if (r.error) return { error: `edgewise quantize: ${r.error}` };
  return { path: out, note: `${(r.bytes_before / r.bytes_after).toFixed(2)}x smaller` };
}

function prepareInputs(a, spec, dir) {
  const model = baseOf(spec);
  const inputs = path.join(dir, 'inputs');
  const testSet = path.join(modelsDir, model, 'test_data_set_0');
  const args = ['run', path.join(modelsDir, model, 'model.onnx'), '--save-inputs', inputs, '--json'];
  let source;
  if (!a.randomInputs && fs.existsSync(testSet)) {
    args.push('--inputs', testSet);
    source = 'test_data_set_0';
  } else {
    if (a.dims) args.push('--dims', a.dims);
    source = `random${a.dims ? ' ' + a.dims : ''}`;
  }
  const r = run(edgewise, args);
  if (!r.ok) return { error: `edgewise run --save-inputs: ${lastLine(r.stderr)}` };
  return { inputs, source };
}

// Compares every .npy of `actualDir` with the same file in `expectedDir`.
function compareFolders(actualDir, expectedDir) {
  const files = listNpy(expectedDir);
  if (!files.length) return { match: false, detail: 'no outputs' };
  let maxAbs = 0;
  for (const f of files) {
    const other = path.join(actualDir, path.basename(f));
    if (!fs.existsSync(other)) return { match: false, detail: `missing ${path.basename(f)}` };
    const c = compareTensors(readNpy(other), readNpy(f));
    maxAbs = Math.max(maxAbs, c.maxAbs);
    if (!c.match) return { match: false, detail: `${path.basename(f)}: ${c.message}, max abs err ${errText(c.maxAbs)}` };
  }
  return { match: true, detail: `max abs err ${errText(maxAbs)}` };
}

function checkOutputs(modelPath, inputs, dir, spec) {
  const ortOut = path.join(dir, 'ort_outputs');
  const o = runJson('node', [ortBench, modelPath, '--inputs', inputs, '--save-outputs', ortOut,
                             '--runs', '1', '--warmup', '0', '--min-secs', '0', '--json']);
  if (o.error) return { ortOut: null, text: `ORT failed: ${o.error}` };
  const r = run(edgewise, ['run', modelPath, '--inputs', inputs, '--check', ortOut, '--json']);
  if (r.code === 2 || r.code < 0) return { ortOut, text: `edgewise failed: ${lastLine(r.stderr)}` };
  let j = {};
  try { j = JSON.parse(r.stdout); } catch (e) { return { ortOut, text: 'edgewise printed bad JSON' }; }
  const outs = (j.check && j.check.outputs) || [];
  const worst = Math.max(0, ...outs.map((x) => x.max_abs_error || 0));
  if (j.check && j.check.match) return { ortOut, text: `yes (max abs err ${errText(worst)})`, match: true };
  const bad = outs.filter((x) => !x.match).map((x) => `${x.name}: ${x.detail}`).join('; ');
  // Who is right? The model's own reference outputs decide, when it has them.
  const ref = path.join(modelsDir, baseOf(spec), 'test_data_set_0');
  let verdict = '';
  if (!spec.includes(':') && fs.existsSync(ref)) {
    const r2 = run(edgewise, ['run', modelPath, '--inputs', ref, '--check', ref, '--json']);
    verdict = r2.ok ? '; Edgewise matches the model\'s reference outputs (test_data_set_0), so ONNX Runtime is the one that differs'
                    : '; Edgewise also differs from the model\'s reference outputs';
  }
  return { ortOut, text: `**NO** (${bad || j.check?.error || 'mismatch'})${verdict}`, match: false };
}

// `edgewise optimize` is optional: skipped when the subcommand does not exist.
function optimizeCheck(modelPath, inputs, ortOut, dir) {
  const help = run(edgewise, ['optimize', '--help']);
  if (!help.ok) return 'skipped (no `edgewise optimize`)';
  if (!ortOut) return 'skipped (no ORT reference)';
  const opt = path.join(dir, 'optimized.onnx');
  const args = ['optimize', modelPath];
  if (/--output\b/.test(help.stdout)) args.push('--output', opt);
  else if (/(^|\s)-o\b/.test(help.stdout)) args.push('-o', opt);
  else args.push(opt);
  const r = run(edgewise, args);
  if (!r.ok || !fs.existsSync(opt)) return `optimize failed: ${lastLine(r.stderr) || 'no file written'}`;
  const optOut = path.join(dir, 'ort_optimized_outputs');
  const o = runJson('node', [ortBench, opt, '--inputs', inputs, '--save-outputs', optOut,
                             '--runs', '1', '--warmup', '0', '--min-secs', '0', '--json']);
  if (o.error) return `**ORT cannot run it**: ${o.error}`;
  const c = compareFolders(optOut, ortOut);
  return c.match ? `ORT loads it, same outputs (${c.detail})` : `**ORT outputs differ**: ${c.detail}`;
}

// Edgewise keeps its measured backend choices in a tuning cache: the rounds
// run with a warm one (filled by an untimed run first); "cold" loads run once
// with an empty one, paying for the measurements.
function tuningEnv(dir) { return { ...process.env, EW_TUNING_CACHE: dir }; }

function coldLoad(modelPath, inputs, threads, work) {
  const dir = fs.mkdtempSync(path.join(work, 'cold-tuning-'));
  const r = runJson(edgewise, ['bench', modelPath, '--threads', String(threads), '--runs', '1', '--warmup', '0',
                               '--min-secs', '0', '--inputs', inputs, '--json'], tuningEnv(dir));
  fs.rmSync(dir, { recursive: true, force: true });
  return r.error ? null : r.init_ms + r.first_ms;
}

function benchRound(a, modelPath, inputs, threads, tuning) {
  const common = ['--threads', String(threads), '--runs', String(a.runs), '--warmup', String(a.warmup),
                  '--min-secs', String(a.minSecs), '--inputs', inputs, '--json'];
  const ew = runJson(edgewise, ['bench', modelPath, ...common], tuningEnv(tuning));
  const ort = runJson('node', [ortBench, modelPath, ...common]);
  return { ew, ort };
}

const FIGURES = ['init_ms', 'first_ms', 'load_ms', 'p50_ms', 'p90_ms', 'mean_ms', 'peak_rss_bytes', 'flops', 'runs'];

function medians(results) {
  const ok = results.filter((r) => !r.error);
  for (const r of ok) r.load_ms = r.init_ms + r.first_ms;  // ready to serve: session created and run once
  const out = { rounds: ok.length, error: ok.length ? null : (results[0] || {}).error };
  for (const f of FIGURES) out[f] = median(ok.map((r) => r[f]));
  return out;
}

// ---- report ----

const fmt = (v, digits = 2) => (v === null || v === undefined || !Number.isFinite(v) ? '—' : v.toFixed(digits));
const ratio = (x, y) => (x && y ? (x / y).toFixed(2) : '—');
const mib = (b) => (b === null || b === undefined ? null : b / 2 ** 20);

function machineFacts() {
  const lscpu = run('lscpu', []).stdout;
  const field = (name) => ((lscpu.match(new RegExp(`^${name}:\\s*(.+)$`, 'm')) || [])[1] || '?').trim();
  const flags = field('Flags');
  const isa = ['avx2', 'fma', 'avx512f', 'avx512bw', 'avx_vnni', 'avx512_vnni'].filter((f) => flags.split(' ').includes(f));
  const ewVersion = lastLine(run(edgewise, ['--version']).stdout) || '?';
  let ortVersion = '?';
  try {
    const dir = process.env.EW_ORT_DIR;
    const pkg = require.resolve('onnxruntime-node/package.json', dir ? { paths: [dir, path.join(dir, 'node_modules')] } : undefined);
    ortVersion = JSON.parse(fs.readFileSync(pkg, 'utf8')).version;
  } catch (e) { /* reported as ? */ }
  const gcc = (run('c++', ['--version']).stdout.split('\n')[0] || '?').trim();
  return { cpu: field('Model name'), cpus: field('CPU\\(s\\)'), isa: isa.join(', '), ewVersion, ortVersion, gcc,
           kernel: os.release(), node: process.version };
}

function measurePeak() {
  if (!fs.existsSync(fmaPeak)) return null;
  const p = runJson(fmaPeak, ['--json', '--seconds', '1']);
  return p.error ? null : p;
}

function table(rows, threads, peak) {
  const peakT = peak ? peak.peak_gflops * threads : null;
  const lines = [
    `### ${threads} thread${threads > 1 ? 's' : ''}`, '',
    '| model | load ms EW | load ms EW cold | load ms ORT | p50 ms EW | p50 ms ORT | **p50 EW/ORT** | p90 ms EW | p90 ms ORT | mean ms EW | mean ms ORT | peak RSS MiB EW | peak RSS MiB ORT | RSS EW/ORT | GFLOP/s EW | % peak EW | GFLOP/s ORT | % peak ORT |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const r of rows) {
    const e = r.ew;
    const o = r.ort;
    if (e.error && o.error) {
      lines.push(`| ${r.model} | EW: ${e.error} | | ORT: ${o.error} |${' |'.repeat(15)}`);
      continue;
    }
    const flops = e.flops || null;
    const gEw = flops && e.p50_ms ? flops / (e.p50_ms * 1e6) : null;
    const gOrt = flops && o.p50_ms ? flops / (o.p50_ms * 1e6) : null;
    const pct = (g) => (g && peakT ? (100 * g / peakT) : null);
    lines.push(`| ${r.model} | ${fmt(e.load_ms, 1)} | ${fmt(r.cold, 1)} | ${fmt(o.load_ms, 1)} | ${fmt(e.p50_ms, 3)} | ${fmt(o.p50_ms, 3)} | ` +
               `**${ratio(e.p50_ms, o.p50_ms)}** | ${fmt(e.p90_ms, 3)} | ${fmt(o.p90_ms, 3)} | ${fmt(e.mean_ms, 3)} | ` +
               `${fmt(o.mean_ms, 3)} | ${fmt(mib(e.peak_rss_bytes), 1)} | ${fmt(mib(o.peak_rss_bytes), 1)} | ` +
               `${ratio(e.peak_rss_bytes, o.peak_rss_bytes)} | ${fmt(gEw)} | ${fmt(pct(gEw), 1)} | ${fmt(gOrt)} | ${fmt(pct(gOrt), 1)} |`);
    if (e.error) lines.push(`| ↳ EW error: ${e.error} |${' |'.repeat(17)}`);
    if (o.error) lines.push(`| ↳ ORT error: ${o.error} |${' |'.repeat(17)}`);
  }
  return lines.join('\n');
}

function main() {
  const a = parseArgs(process.argv.slice(2));
  if (!fs.existsSync(edgewise)) throw new Error(`${edgewise} not found: build it (cmake --build ${build} --target edgewise fma_peak) or set EW_BUILD`);
  for (const m of a.models)
    if (!fs.existsSync(path.join(modelsDir, baseOf(m), 'model.onnx'))) throw new Error(`no model ${m} in ${modelsDir}`);
  const work = a.work || fs.mkdtempSync(path.join(os.tmpdir(), 'edgewise-compare-'));
  const started = new Date();
  const command = `bench/compare ${process.argv.slice(2).join(' ')}`.trim();
  const facts = machineFacts();
  log(`measuring the FMA peak (${fmaPeak})`);
  const peak = measurePeak();

  const perModel = {};
  const byThreads = Object.fromEntries(a.threads.map((t) => [t, []]));
  for (const model of a.models) {
    const dir = path.join(work, model.replace(':', '.'));
    fs.mkdirSync(dir, { recursive: true });
    const file = modelFile(model, dir);
    const modelPath = file.path;
    const prep = file.error ? { error: file.error } : prepareInputs(a, model, dir);
    if (prep.error) {
      log(`${model}: ${prep.error}`);
      perModel[model] = { source: '—', check: prep.error, optimize: '—' };
      for (const t of a.threads) byThreads[t].push({ model, ew: { error: prep.error }, ort: { error: prep.error } });
      continue;
    }
    log(`${model}: checking outputs against ONNX Runtime`);
    const check = checkOutputs(modelPath, prep.inputs, dir, model);
    const optimize = a.optimize ? optimizeCheck(modelPath, prep.inputs, check.ortOut, dir) : 'not run (--no-optimize)';
    perModel[model] = { source: prep.source + (file.note ? `; ${file.note}` : ''), check: check.text, optimize };
    const tuning = path.join(work, 'tuning');
    for (const t of a.threads) {
      const ew = [];
      const ort = [];
      const cold = coldLoad(modelPath, prep.inputs, t, work);
      runJson(edgewise, ['bench', modelPath, '--threads', String(t), '--runs', '1', '--warmup', '0', '--min-secs', '0',
                         '--inputs', prep.inputs, '--json'], tuningEnv(tuning));  // warms the tuning cache
      for (let k = 0; k < a.rounds; k++) {
        const r = benchRound(a, modelPath, prep.inputs, t, tuning);
        ew.push(r.ew);
        ort.push(r.ort);
        log(`${model} threads ${t} round ${k + 1}/${a.rounds}: edgewise p50 ${r.ew.error ? r.ew.error : fmt(r.ew.p50_ms, 3) + ' ms'}, ` +
            `ORT p50 ${r.ort.error ? r.ort.error : fmt(r.ort.p50_ms, 3) + ' ms'}`);
      }
      byThreads[t].push({ model, ew: medians(ew), ort: medians(ort), cold });
    }
  }

  const secs = ((Date.now() - started.getTime()) / 1e3).toFixed(0);
  const md = [
    `## Edgewise vs ONNX Runtime (${started.toISOString().slice(0, 10)})`, '',
    `- Command: \`${command}\` (EW_BUILD=${path.relative(repo, build) || '.'}; took ${secs} s)`,
    `- Date: ${started.toISOString()}`,
    `- CPU: ${facts.cpu}, ${facts.cpus} CPUs (\`lscpu\`); ISA: ${facts.isa}; Linux ${facts.kernel}`,
    peak ? `- Measured FMA peak per core (\`bench/fma_peak\`): ${fmt(peak.peak_gflops, 1)} GFLOP/s (${peak.isa}); AVX2: ${fmt(peak.avx2_gflops, 1)}, AVX-512: ${fmt(peak.avx512_gflops, 1)}. "% peak" divides by this × threads.`
         : '- FMA peak: not measured (build the `fma_peak` target); "% peak" is empty.',
    `- Versions: ${facts.ewVersion} (${facts.gcc}); onnxruntime-node ${facts.ortVersion} on Node ${facts.node}`,
    `- Each figure is the median over ${a.rounds} round(s); each round runs \`edgewise bench --json\` then \`ort_bench.js --json\` as separate processes ` +
      `(first run, ${a.warmup} warm-up, then ≥ ${a.runs} runs and ≥ ${a.minSecs} s). EW/ORT above 1 means Edgewise is slower or larger.`,
    '- "load ms" is session creation plus the first run (a model with symbolic dims is compiled for its shapes at the first run): ' +
      'ready to serve. Edgewise\'s rounds use a warm tuning cache (its measured backend choices, filled by an untimed run first); ' +
      '"cold" is one load with an empty cache, measuring every candidate backend.',
    '',
  ];
  for (const t of a.threads) md.push(table(byThreads[t], t, peak), '');
  md.push('### Outputs', '', '| model | inputs | Edgewise matches ORT (rtol 1e-3, atol 1e-4; ints ±1) | `edgewise optimize` → ORT |',
          '|---|---|---|---|');
  for (const m of a.models) md.push(`| ${m} | ${perModel[m].source} | ${perModel[m].check} | ${perModel[m].optimize} |`);
  md.push('');
  const text = md.join('\n');
  if (a.out) fs.writeFileSync(a.out, text + '\n');
  console.log(text);
  if (!a.work) fs.rmSync(work, { recursive: true, force: true });
}

try {
  main();
} catch (e) {
  process.stderr.write(`error: ${e.message || e}\n`);
  process.exit(2);
}
