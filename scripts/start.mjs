#!/usr/bin/env node
// `npm start`: a local demo of this package in a real n8n, against the fake vendor APIs.
//
//   builds the package, provisions Node 24 + n8n (scripts/lib/runtime.mjs), starts the fakes on
//   fixed ports, starts n8n (SQLite) with a persistent user folder and this package installed as
//   a community package, sets up the owner, creates the demo credentials and imports the example
//   workflows (both reused by name on later starts), then prints the editor URL and login.
//   Like NewStore, the fake NewStore publishes `order.created` for every new order (e.g. one the
//   injection example creates) to its running event stream integrations (a published NewStore
//   Trigger), and the fake Pax8 sends COMPANY/CREATED and ORDER/CREATED webhook deliveries for
//   every new company and order (e.g. the ones the company-and-order example creates) to its
//   active webhooks (a published Pax8 Trigger). Ctrl-C (or SIGTERM) stops n8n and the fakes.
//
// Options (environment):
//   DEMO_N8N_PORT             editor / REST port (5678)
//   DEMO_RUNNERS_BROKER_PORT  n8n's task-runner broker port (DEMO_N8N_PORT + 1)
//   DEMO_<VENDOR>_PORT        port of a fake vendor API, e.g. DEMO_PAX8_PORT (see FAKE_PORTS)
//   DEMO_USER_FOLDER          n8n user folder (.cache/demo); delete it for a fresh database
//   DEMO_SKIP_BUILD=1         do not run `npm run build` first
//   DEMO_REPLACE_WORKFLOWS=1  overwrite the imported example workflows with examples/ again
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';

import {
	demoCredentials,
	publishNewStoreOrderEvents,
	publishPax8Events,
	startFakes,
} from './lib/fakes.mjs';
import { N8nClient, OWNER, startN8n } from './lib/n8n.mjs';
import { ROOT, ensureRuntime } from './lib/runtime.mjs';
import {
	ensureCredentials,
	importWorkflows,
	pointCredentials,
	readExamples,
} from './lib/workflows.mjs';

/** Default port of each vendor's fake (one line per vendor; override with DEMO_<VENDOR>_PORT). */
const FAKE_PORTS = { pax8: 5801, connect: 5802, newstore: 5803 };

const log = (message) => process.stdout.write(`${message}\n`);
const envPort = (name, fallback) => {
	const value = process.env[name];
	if (value === undefined || value === '') return fallback;
	const port = Number(value);
	if (!Number.isInteger(port) || port < 1 || port > 65535)
		throw new Error(`${name}=${value} is not a port`);
	return port;
};

const n8nPort = envPort('DEMO_N8N_PORT', 5678);
const brokerPort = envPort('DEMO_RUNNERS_BROKER_PORT', n8nPort + 1);
const fakePorts = Object.fromEntries(
	Object.entries(FAKE_PORTS).map(([vendor, port]) => [
		vendor,
		envPort(`DEMO_${vendor.toUpperCase()}_PORT`, port),
	]),
);
const userFolder = path.resolve(process.env.DEMO_USER_FOLDER || path.join(ROOT, '.cache', 'demo'));

let fakes;
let n8n;
let stopOrderEvents;
let stopPax8Events;
let stopping = false;

async function stopAll(code) {
	if (stopping) return;
	stopping = true;
	log('\nStopping…');
	stopOrderEvents?.();
	stopPax8Events?.();
	try {
		await n8n?.stop();
	} catch (error) {
		log(`n8n: ${error.message}`);
	}
	try {
		await fakes?.close();
	} catch (error) {
		log(`fakes: ${error.message}`);
	}
	log('Stopped.');
	process.exit(code);
}

process.on('SIGINT', () => stopAll(0));
process.on('SIGTERM', () => stopAll(0));

/** Fails early when a port is taken (n8n's readiness check would otherwise ask the other program). */
function assertFree(port, what) {
	return new Promise((resolve, reject) => {
		const server = net.createServer();
		server.once('error', () =>
			reject(
				new Error(
					`Port ${port} (${what}) is in use; stop what uses it or choose another port (see scripts/start.mjs)`,
				),
			),
		);
		server.listen(port, '127.0.0.1', () => server.close(() => resolve()));
	});
}

async function main() {
	await assertFree(n8nPort, 'DEMO_N8N_PORT');
	await assertFree(brokerPort, 'DEMO_RUNNERS_BROKER_PORT');
	if (process.env.DEMO_SKIP_BUILD !== '1') {
		log('Building the package (npm run build)…');
		execFileSync('npm', ['run', 'build', '--silent'], {
			cwd: ROOT,
			stdio: ['ignore', 'inherit', 'inherit'],
		});
	}
	ensureRuntime();

	fakes = await startFakes({ ports: fakePorts });
	for (const vendor of Object.keys(FAKE_PORTS))
		log(`Fake ${vendor} API: ${fakes[vendor].apiUrl ?? fakes[vendor].url}`);
	stopOrderEvents = publishNewStoreOrderEvents(fakes.newstore, {
		onEvent: (order, deliveries) => {
			if (!deliveries.length) return;
			const answers = deliveries.map((d) => `${d.integrationId}: ${d.status ?? d.error}`);
			log(`NewStore order.created ${order.external_id} → ${answers.join(', ')}`);
		},
	});
	stopPax8Events = publishPax8Events(fakes.pax8, {
		onEvent: (topic, record, deliveries) => {
			// Seeded webhooks point at example.com: the fake only calls loopback URLs (n8n).
			const local = deliveries.filter((d) => !/^Not delivered/.test(d.error ?? ''));
			if (!local.length) return;
			const answers = local.map((d) => `${d.webhookId}: ${d.status ?? d.error}`);
			log(`Pax8 ${topic}/CREATED ${record.id} → ${answers.join(', ')}`);
		},
	});

	const fresh = !fs.existsSync(path.join(userFolder, '.n8n', 'database.sqlite'));
	log(`Starting n8n (${fresh ? 'new database' : 'existing database'} in ${userFolder})…`);
	n8n = await startN8n({
		userFolder,
		port: n8nPort,
		env: {
			N8N_RUNNERS_BROKER_PORT: String(brokerPort),
			N8N_UNVERIFIED_PACKAGES_ENABLED: 'true',
			N8N_GRACEFUL_SHUTDOWN_TIMEOUT: '5',
		},
	});
	// n8n's own output goes to a file next to its data.
	const logFile = path.join(userFolder, 'n8n.log');
	fs.writeFileSync(logFile, n8n.logs());
	const append = (chunk) => fs.appendFileSync(logFile, chunk);
	n8n.process.stdout.on('data', append);
	n8n.process.stderr.on('data', append);
	n8n.process.on('exit', (code, signal) => {
		if (stopping) return;
		log(`n8n exited on its own (${signal ?? `code ${code}`}); see ${logFile}`);
		stopAll(1);
	});

	const client = await new N8nClient(n8n.url).setupOwner(OWNER);
	const credentials = await ensureCredentials(client, demoCredentials(fakes));
	const examples = readExamples();
	const workflows = await importWorkflows(
		client,
		examples.map(({ workflow }) => pointCredentials(workflow, credentials)),
		{ replace: process.env.DEMO_REPLACE_WORKFLOWS === '1' },
	);

	log('');
	log(`n8n editor:  ${n8n.url}/`);
	log(`Login:       ${OWNER.email} / ${OWNER.password}`);
	log('Credentials:');
	for (const c of credentials.values())
		log(`  ${c.name} (${c.type}) ${c.created ? 'created' : 'updated'}`);
	log('Example workflows:');
	for (const w of workflows)
		log(`  ${w.name} ${w.created ? '(imported)' : '(kept)'}: ${n8n.url}/workflow/${w.id}`);
	log('');
	log(`The fakes start from their seed on every start; n8n keeps its data in ${userFolder}.`);
	log(`n8n log: ${logFile}`);
	log('Press Ctrl-C to stop.');
}

main().catch(async (error) => {
	log(`\nThe demo did not start: ${error.stack ?? error.message}`);
	await stopAll(1);
});
