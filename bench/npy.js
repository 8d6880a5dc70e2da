// Tiny NumPy .npy reader/writer (format 1.0 written; 1.0-3.0 read; little-endian,
// C order) for float32, float64, int64, int32, uint8, int8 and bool, plus the
// output comparison bench/compare uses. Shared by ort_bench.js and compare.js.
'use strict';
const fs = require('fs');
const path = require('path');

// npy descr <-> ONNX Runtime tensor type and typed array.
const DTYPES = {
  '<f4': { type: 'float32', Array: Float32Array },
  '<f8': { type: 'float64', Array: Float64Array },
  '<i8': { type: 'int64', Array: BigInt64Array },
  '<i4': { type: 'int32', Array: Int32Array },
  '|u1': { type: 'uint8', Array: Uint8Array },
  '|i1': { type: 'int8', Array: Int8Array },
  '|b1': { type: 'bool', Array: Uint8Array },
};
const ALIASES = { '<u1': '|u1', '<i1': '|i1', '<b1': '|b1', 'u1': '|u1', 'i1': '|i1', 'b1': '|b1' };

function descrOfType(type) {
  for (const [descr, d] of Object.entries(DTYPES)) if (d.type === type) return descr;
  throw new Error(`npy: unsupported tensor type '${type}'`);
}

// Returns { type, dims, data } where data is a typed array (a copy, aligned).
function readNpy(file) {
  const buf = fs.readFileSync(file);
  if (buf.length < 10 || buf[0] !== 0x93 || buf.toString('latin1', 1, 6) !== 'NUMPY')
    throw new Error(`${file}: not a .npy file`);
  const major = buf[6];
  const headerLen = major === 1 ? buf.readUInt16LE(8) : buf.readUInt32LE(8);
  const start = (major === 1 ? 10 : 12);
  const header = buf.toString(major === 3 ? 'utf8' : 'latin1', start, start + headerLen);
  const descrMatch = header.match(/'descr'\s*:\s*'([^']+)'/);
  const fortranMatch = header.match(/'fortran_order'\s*:\s*(True|False)/);
  const shapeMatch = header.match(/'shape'\s*:\s*\(([^)]*)\)/);
  if (!descrMatch || !fortranMatch || !shapeMatch) throw new Error(`${file}: bad .npy header ${header}`);
  if (fortranMatch[1] === 'True') throw new Error(`${file}: Fortran-order arrays are not supported`);
  const descr = ALIASES[descrMatch[1]] || descrMatch[1];
  const d = DTYPES[descr];
  if (!d) throw new Error(`${file}: unsupported dtype '${descrMatch[1]}'`);
  const dims = shapeMatch[1].split(',').map((s) => s.trim()).filter((s) => s.length).map(Number);
  const count = dims.reduce((a, b) => a * b, 1);
  const offset = start + headerLen;
  const bytes = count * d.Array.BYTES_PER_ELEMENT;
  if (buf.length - offset < bytes) throw new Error(`${file}: truncated (${buf.length - offset} of ${bytes} data bytes)`);
  const copy = new ArrayBuffer(bytes);
  new Uint8Array(copy).set(buf.subarray(offset, offset + bytes));
  return { type: d.type, dims, data: new d.Array(copy) };
}

function writeNpy(file, type, dims, data) {
  const descr = descrOfType(type);
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${dims.join(', ')}${dims.length === 1 ? ',' : ''}), }`;
  const total = 10 + header.length + 1;
  header += ' '.repeat((64 - (total % 64)) % 64) + '\n';
  const pre = Buffer.alloc(10);
  pre[0] = 0x93;
  pre.write('NUMPY', 1, 'latin1');
  pre[6] = 1;
  pre[7] = 0;
  pre.writeUInt16LE(header.length, 8);
  const body = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
  fs.writeFileSync(file, Buffer.concat([pre, Buffer.from(header, 'latin1'), body]));
}

// Same rule as Edgewise's tensor_file_name (src/runtime/tensor_folder.cc).
function tensorFileName(name) {
  let s = name.replace(/[^A-Za-z0-9._-]/g, '_');
  if (s === '' || s === '.' || s === '..') s = '_' + s;
  return s;
}

// Compares two {type, dims, data}: floats |a-e| <= atol + rtol*|e| (NaN == NaN),
// integers within `intSteps`. Returns { match, maxAbs, mismatches, message }.
function compareTensors(actual, expected, { rtol = 1e-3, atol = 1e-4, intSteps = 1 } = {}) {
  if (actual.dims.join('x') !== expected.dims.join('x'))
    return { match: false, maxAbs: Infinity, mismatches: -1, message: `shape ${actual.dims} vs ${expected.dims}` };
  const isFloat = actual.type.startsWith('float');
  let maxAbs = 0;
  let mismatches = 0;
  for (let i = 0; i < expected.data.length; i++) {
    const a = Number(actual.data[i]);
    const e = Number(expected.data[i]);
    if (Number.isNaN(a) && Number.isNaN(e)) continue;
    const diff = Math.abs(a - e);
    if (!(diff <= maxAbs)) maxAbs = diff;
    const ok = isFloat ? diff <= atol + rtol * Math.abs(e) : diff <= intSteps;
    if (!ok) mismatches++;
  }
  return { match: mismatches === 0, maxAbs, mismatches, message: mismatches ? `${mismatches} values differ` : '' };
}

function listNpy(dir) {
  return fs.readdirSync(dir).filter((f) => f.endsWith('.npy')).sort().map((f) => path.join(dir, f));
}

module.exports = { readNpy, writeNpy, tensorFileName, compareTensors, listNpy };
