#!/usr/bin/env node
// 链监 Lianjian — standalone verifier of an evidence package or a signed export.
// Needs only Node.js >= 18 (its built-in crypto provides SM3); no project checkout, no network.
//
//   node verify.mjs [DIR] [--fingerprint HEX] [--json]
//
// DIR holds manifest.jsonl and the files it names (default: this script's folder, i.e. the
// unzipped package). Checks, offline: the SM2 signature (GM/T 0003, SM3, user id
// 1234567812345678, DER r,s) over the canonical manifest; the SM3 of the evidence lines; the SM3
// and SHA-256 of every file. --fingerprint: the signer must be that published key (see /verify
// or the README of the deployment). Exit code 0 when everything holds, 1 otherwise.
// Re-reading the events from the chain needs a node: `npm run cli -- verify-package ZIP --rpc URL`.
import { createHash } from 'node:crypto';
import { createReadStream, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const P = 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn;
const A = 0xfffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffcn;
const B = 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n;
const N = 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n;
const GX = 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n;
const GY = 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n;
const USER_ID = '1234567812345678';

const mod = (a, m) => ((a % m) + m) % m;
function modPow(b, e, m) {
  let r = 1n;
  b = mod(b, m);
  while (e > 0n) {
    if (e & 1n) r = (r * b) % m;
    b = (b * b) % m;
    e >>= 1n;
  }
  return r;
}
const inv = (a, m) => modPow(a, m - 2n, m);
// Affine points with null as infinity: slow but short, and a verifier checks one signature.
function add(p, q) {
  if (!p) return q;
  if (!q) return p;
  let l;
  if (p.x === q.x) {
    if (mod(p.y + q.y, P) === 0n) return null;
    l = mod((3n * p.x * p.x + A) * inv(2n * p.y, P), P);
  } else l = mod((q.y - p.y) * inv(q.x - p.x, P), P);
  const x = mod(l * l - p.x - q.x, P);
  return { x, y: mod(l * (p.x - x) - p.y, P) };
}
function mul(k, p) {
  let r = null;
  for (let q = p; k > 0n; k >>= 1n, q = add(q, q)) if (k & 1n) r = add(r, q);
  return r;
}
const sm3 = (b) => createHash('sm3').update(b).digest();
const hex32 = (n) => n.toString(16).padStart(64, '0');

function derSignature(buf) {
  if (buf.length < 8 || buf[0] !== 0x30 || buf[1] !== buf.length - 2) return null;
  let at = 2;
  const int = () => {
    if (buf[at] !== 0x02) return null;
    const len = buf[at + 1];
    const v = buf.subarray(at + 2, at + 2 + len);
    if (!len || len > 33 || v.length !== len || v[0] & 0x80) return null;
    at += 2 + len;
    return BigInt('0x' + v.toString('hex'));
  };
  const r = int();
  const s = int();
  return r === null || s === null || at !== buf.length ? null : { r, s };
}

function sm2Verify(message, signatureHex, publicKeyHex) {
  if (!/^04[0-9a-f]{128}$/i.test(publicKeyHex) || !/^[0-9a-f]+$/i.test(signatureHex)) return false;
  const sig = derSignature(Buffer.from(signatureHex, 'hex'));
  if (!sig || sig.r < 1n || sig.r >= N || sig.s < 1n || sig.s >= N) return false;
  const pub = { x: BigInt('0x' + publicKeyHex.slice(2, 66)), y: BigInt('0x' + publicKeyHex.slice(66)) };
  if (mod(pub.y * pub.y - (pub.x * pub.x * pub.x + A * pub.x + B), P) !== 0n) return false;
  const id = Buffer.from(USER_ID, 'utf8');
  const entl = Buffer.from([(id.length * 8) >> 8, (id.length * 8) & 0xff]);
  const z = sm3(
    Buffer.concat([
      entl,
      id,
      Buffer.from([A, B, GX, GY].map(hex32).join('') + publicKeyHex.slice(2).toLowerCase(), 'hex'),
    ]),
  );
  const e = BigInt('0x' + sm3(Buffer.concat([z, message])).toString('hex'));
  const t = mod(sig.r + sig.s, N);
  if (t === 0n) return false;
  const pt = add(mul(sig.s, { x: GX, y: GY }), mul(t, pub));
  return !!pt && mod(e + pt.x, N) === sig.r;
}

// The manifest's canonical form: keys sorted, no whitespace, integers only (docs/evidence.md).
function canonical(v) {
  if (v === null) return 'null';
  if (Array.isArray(v)) return '[' + v.map((x) => canonical(x === undefined ? null : x)).join(',') + ']';
  if (typeof v === 'object') {
    const keys = Object.keys(v)
      .filter((k) => v[k] !== undefined)
      .sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return '{' + keys.map((k) => JSON.stringify(k) + ':' + canonical(v[k])).join(',') + '}';
  }
  if (typeof v === 'number' && !Number.isSafeInteger(v)) throw new Error('non-integer number ' + v);
  return JSON.stringify(v);
}

async function fileDigests(path) {
  const a = createHash('sm3');
  const b = createHash('sha256');
  let bytes = 0;
  for await (const c of createReadStream(path)) {
    a.update(c);
    b.update(c);
    bytes += c.length;
  }
  return { sm3: a.digest('hex'), sha256: b.digest('hex'), bytes };
}

async function main() {
  const args = process.argv.slice(2);
  let dir = dirname(fileURLToPath(import.meta.url));
  let expected = null;
  let json = false;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === '--fingerprint')
      expected = String(args[++i] || '')
        .replace(/\s+/g, '')
        .toLowerCase();
    else if (args[i] === '--json') json = true;
    else dir = args[i];
  }
  const problems = [];
  const manifestPath = join(dir, 'manifest.jsonl');
  if (!existsSync(manifestPath)) {
    problems.push({ check: 'manifest', reason: 'manifest.jsonl not found in ' + dir });
    return report(problems, null, json);
  }
  let header = null;
  let held = null;
  let lines = 0;
  let n = 0;
  const evidenceHash = createHash('sm3');
  for await (const line of createInterface({
    input: createReadStream(manifestPath, { encoding: 'utf8' }),
    crlfDelay: Infinity,
  })) {
    n++;
    if (n === 1) {
      try {
        header = JSON.parse(line);
      } catch {
        problems.push({ check: 'manifest', reason: 'line 1 is not a manifest header' });
      }
      continue;
    }
    if (held !== null) {
      evidenceHash.update(held + '\n', 'utf8');
      lines++;
    }
    held = line;
  }
  let last = null;
  try {
    last = held === null ? null : JSON.parse(held);
  } catch {
    last = null;
  }
  if (!header || !last || typeof last.seal !== 'object' || typeof last.signature !== 'string') {
    problems.push({ check: 'manifest', reason: 'the manifest has no seal line (cut short?)' });
    return report(problems, null, json);
  }
  const { seal, signature } = last;
  const signer = seal.signer || {};
  const message = Buffer.from(canonical({ header, seal }), 'utf8');
  if (
    createHash('sm3')
      .update(Buffer.from(String(signer.publicKey || ''), 'hex'))
      .digest('hex') !== signer.fingerprint
  )
    problems.push({ check: 'signature', reason: 'the signer fingerprint is not that of its public key' });
  if (!sm2Verify(message, signature, String(signer.publicKey || ''))) {
    const changed = typeof last.digest === 'string' && last.digest !== sm3(message).toString('hex');
    problems.push({
      check: 'signature',
      reason: changed
        ? 'SM2 signature does not verify: the manifest header or seal was changed after signing'
        : 'SM2 signature does not verify: the signature was altered or made with another key',
    });
  }
  if (expected && signer.fingerprint !== expected)
    problems.push({
      check: 'signature',
      reason: 'signed by key ' + signer.fingerprint + ', expected ' + expected,
    });
  if (!seal.evidence || seal.evidence.lines !== lines)
    problems.push({
      check: 'manifest',
      reason:
        'manifest has ' +
        lines +
        ' evidence lines, the seal counts ' +
        (seal.evidence && seal.evidence.lines),
    });
  else if (seal.evidence.sm3 !== evidenceHash.digest('hex'))
    problems.push({
      check: 'manifest',
      reason:
        'manifest evidence lines were changed after signing (SM3 of the evidence differs from the seal)',
    });
  for (const f of seal.files || []) {
    const path = join(dir, f.name);
    if (typeof f.name !== 'string' || f.name.includes('/') || f.name.includes('\\') || !existsSync(path)) {
      problems.push({ check: 'file', file: f.name, reason: 'file ' + f.name + ' is missing' });
      continue;
    }
    const d = await fileDigests(path);
    const bad = [d.sm3 !== f.sm3 && 'SM3', d.sha256 !== f.sha256 && 'SHA-256'].filter(Boolean);
    if (bad.length)
      problems.push({
        check: 'file',
        file: f.name,
        reason:
          'file ' +
          f.name +
          ': ' +
          bad.join(' and ') +
          ' differ' +
          (bad.length === 1 ? 's' : '') +
          ' from the manifest (' +
          d.bytes +
          ' bytes, manifest says ' +
          f.bytes +
          ')',
      });
  }
  return report(problems, signer, json, header, seal);
}

function report(problems, signer, json, header, seal) {
  const ok = problems.length === 0;
  if (json) {
    process.stdout.write(
      JSON.stringify({
        ok,
        signer: signer ? { fingerprint: signer.fingerprint, publicKey: signer.publicKey } : null,
        files: seal ? seal.files.length : 0,
        problems,
      }) + '\n',
    );
  } else {
    const out = [];
    if (header)
      out.push(
        '清单 manifest: ' +
          header.manifest +
          (header.incidentId ? '  事件 incident #' + header.incidentId : '') +
          '  导出时间 exported at ' +
          header.exportedAt,
      );
    if (signer)
      out.push(
        '签名密钥指纹 signer fingerprint (SM3): ' +
          String(signer.fingerprint)
            .replace(/(.{4})/g, '$1 ')
            .trim(),
      );
    if (seal) for (const f of seal.files) out.push('  ' + f.name + '  SM3 ' + f.sm3);
    if (ok)
      out.push(
        '核验通过 VERIFIED: signature, evidence lines and ' +
          (seal ? seal.files.length : 0) +
          ' file(s) are as signed.',
      );
    else {
      out.push('核验失败 FAILED: ' + problems.length + ' problem(s)');
      for (const p of problems) out.push('  [' + p.check + '] ' + p.reason);
    }
    if (ok)
      out.push(
        'Compare the fingerprint with the one the deployment publishes (/verify) or pass --fingerprint.',
      );
    process.stdout.write(out.join('\n') + '\n');
  }
  process.exitCode = ok ? 0 : 1;
}

main().catch((e) => {
  process.stderr.write('verify.mjs: ' + (e && e.message ? e.message : String(e)) + '\n');
  process.exitCode = 1;
});
