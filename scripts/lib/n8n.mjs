// Starts a real n8n (from lib/runtime.mjs) with this package installed the way n8n installs a
// community package, and talks to its REST API as the editor does.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

import { ROOT, ensureRuntime } from './runtime.mjs';

export const OWNER = { email: 'owner@example.com', password: 'Demo-Passw0rd!', firstName: 'Demo', lastName: 'Owner' };
const ENCRYPTION_KEY = 'n8n-nodes-newstore-pax8-cloudblue-local-demo-key';

const log = (message) => process.stderr.write(`[n8n] ${message}\n`);
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/** Packs the built package (the real `files` list) once per process. */
let packed;
export function packPackage() {
	if (packed) return packed;
	const out = fs.mkdtempSync(path.join(os.tmpdir(), 'n8n-pack-'));
	// The tarball is only needed while this process installs it.
	process.once('exit', () => fs.rmSync(out, { recursive: true, force: true }));
	const name = execFileSync('npm', ['pack', '--silent', '--pack-destination', out], { cwd: ROOT, encoding: 'utf8' })
		.trim()
		.split('\n')
		.pop();
	packed = path.join(out, name);
	return packed;
}

/**
 * Installs the package into `<userFolder>/.n8n/nodes` with npm, as Settings → Community Nodes
 * does (its peer n8n-workflow comes along).
 */
export function installPackage(userFolder) {
	const nodesDir = path.join(userFolder, '.n8n', 'nodes');
	fs.mkdirSync(nodesDir, { recursive: true });
	if (!fs.existsSync(path.join(nodesDir, 'package.json'))) {
		fs.writeFileSync(path.join(nodesDir, 'package.json'), '{"name":"installed-nodes","private":true,"dependencies":{}}\n');
	}
	execFileSync('npm', ['install', '--no-audit', '--no-fund', '--ignore-scripts', '--loglevel=error', packPackage()], {
		cwd: nodesDir,
		stdio: ['ignore', 'ignore', 'inherit'],
	});
}

/** Environment for an n8n process on `port` with `userFolder`; `extra` wins. */
export function n8nEnv({ userFolder, port, extra = {} }) {
	return {
		...process.env,
		N8N_USER_FOLDER: userFolder,
		N8N_PORT: String(port),
		N8N_LISTEN_ADDRESS: '127.0.0.1',
		N8N_HOST: '127.0.0.1',
		N8N_PROTOCOL: 'http',
		WEBHOOK_URL: `http://127.0.0.1:${port}/`,
		N8N_EDITOR_BASE_URL: `http://127.0.0.1:${port}/`,
		N8N_ENCRYPTION_KEY: ENCRYPTION_KEY,
		N8N_SECURE_COOKIE: 'false',
		N8N_DIAGNOSTICS_ENABLED: 'false',
		N8N_VERSION_NOTIFICATIONS_ENABLED: 'false',
		N8N_TEMPLATES_ENABLED: 'false',
		N8N_PERSONALIZATION_ENABLED: 'false',
		N8N_HIRING_BANNER_ENABLED: 'false',
		N8N_COMMUNITY_PACKAGES_ENABLED: 'true',
		N8N_ENFORCE_SETTINGS_FILE_PERMISSIONS: 'false',
		N8N_LOG_LEVEL: process.env.N8N_LOG_LEVEL ?? 'info',
		N8N_LOG_OUTPUT: 'console',
		DB_TYPE: 'sqlite',
		...extra,
	};
}

/**
 * Starts `n8n start` (or `n8n worker`). Answers `{ url, process, stop(), logs() }` once the
 * instance answers its readiness check (main) or logs that it is ready (worker).
 */
export async function startN8n({ userFolder, port, command = 'start', env = {}, install = true, timeoutMs = 180_000 }) {
	const runtime = ensureRuntime();
	fs.mkdirSync(userFolder, { recursive: true });
	if (install) installPackage(userFolder);
	const args = [runtime.n8nBin, command];
	const child = spawn(runtime.node, args, {
		env: n8nEnv({ userFolder, port, extra: env }),
		stdio: ['ignore', 'pipe', 'pipe'],
		detached: true,
	});
	let output = '';
	const append = (chunk) => {
		output += chunk.toString();
		if (output.length > 2_000_000) output = output.slice(-1_000_000);
	};
	child.stdout.on('data', append);
	child.stderr.on('data', append);
	let exited = false;
	child.on('exit', () => (exited = true));
	const url = `http://127.0.0.1:${port}`;
	const stop = async () => {
		if (exited) return;
		try {
			process.kill(-child.pid, 'SIGTERM');
		} catch {}
		for (let i = 0; i < 100 && !exited; i++) await sleep(100);
		if (!exited) {
			try {
				process.kill(-child.pid, 'SIGKILL');
			} catch {}
		}
	};
	const started = Date.now();
	for (;;) {
		if (exited) throw new Error(`n8n ${command} exited early:\n${output.slice(-4000)}`);
		if (Date.now() - started > timeoutMs) {
			await stop();
			throw new Error(`n8n ${command} did not get ready in ${timeoutMs} ms:\n${output.slice(-4000)}`);
		}
		if (command === 'worker') {
			if (/worker.*(ready|started|listening)/i.test(output)) break;
		} else {
			try {
				const res = await fetch(`${url}/healthz/readiness`);
				if (res.ok) break;
			} catch {}
		}
		await sleep(500);
	}
	log(`${command} ready on ${url} in ${((Date.now() - started) / 1000).toFixed(1)} s (pid ${child.pid})`);
	return { url, process: child, stop, logs: () => output };
}

/** A logged-in REST client for an n8n instance (cookie session, as the editor uses). */
export class N8nClient {
	constructor(url) {
		this.url = url;
		this.cookie = '';
	}

	async request(method, route, body) {
		const res = await fetch(`${this.url}/rest${route}`, {
			method,
			headers: { 'content-type': 'application/json', cookie: this.cookie, 'browser-id': 'e2e-tests' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		const setCookie = res.headers.getSetCookie?.() ?? [];
		const auth = setCookie.find((c) => c.startsWith('n8n-auth='));
		if (auth) this.cookie = auth.split(';')[0];
		const text = await res.text();
		let json;
		try {
			json = text ? JSON.parse(text) : undefined;
		} catch {
			json = text;
		}
		if (!res.ok) {
			const error = new Error(`${method} /rest${route} → ${res.status}: ${text.slice(0, 500)}`);
			error.status = res.status;
			error.body = json;
			throw error;
		}
		return json?.data !== undefined ? json.data : json;
	}

	/** Creates the owner on a fresh instance (ignored if one exists) and logs in. */
	async setupOwner(owner = OWNER) {
		try {
			await this.request('POST', '/owner/setup', owner);
		} catch (error) {
			if (error.status !== 400) throw error;
		}
		await this.request('POST', '/login', { emailOrLdapLoginId: owner.email, password: owner.password });
		return this;
	}
}
