// Starts the fake vendor servers (seeded, spec-validating) for the demo and end-to-end tests,
// and describes the n8n credentials that point at them.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { startFakePax8 } = require('../../test/fakes/pax8.cjs');
const { startFakeConnect } = require('../../test/fakes/connect.cjs');

export const DEMO_SECRETS = {
	pax8: { clientId: 'demo-pax8-client', clientSecret: 'demo-pax8-secret-3b9f1c' },
	// A Connect API token as the portal shows it (without the "ApiKey " prefix).
	connect: { apiKey: 'SU-000-000-001:demo-connect-token-8d41a7' },
};

/** Starts every fake; `ports` may pin ports (0 = any free one). */
export async function startFakes({ ports = {}, maxLog = 10_000 } = {}) {
	const started = [];
	try {
		const pax8 = await startFakePax8({
			...DEMO_SECRETS.pax8,
			seed: 1,
			port: ports.pax8 ?? 0,
			maxLog,
		});
		started.push(pax8);
		const connect = await startFakeConnect({
			...DEMO_SECRETS.connect,
			seed: 1,
			port: ports.connect ?? 0,
			maxLog,
		});
		started.push(connect);
		return {
			pax8,
			connect,
			async close() {
				await Promise.all(started.map((fake) => fake.close()));
			},
		};
	} catch (error) {
		// A fake that did start (e.g. before a port clash) does not outlive the failure.
		await Promise.allSettled(started.map((fake) => fake.close()));
		throw error;
	}
}

/** n8n credentials (type, name, data) for the fakes, as a user would create them. */
export function demoCredentials(fakes) {
	return [
		{
			name: 'Pax8 (demo fake)',
			type: 'pax8Api',
			data: {
				...DEMO_SECRETS.pax8,
				audience: 'https://api.pax8.com',
				tokenUrl: `${fakes.pax8.url}/v1/token`,
				baseUrl: fakes.pax8.url,
			},
		},
		{
			name: 'CloudBlue Connect (demo fake)',
			type: 'cloudBlueConnectApi',
			data: {
				endpoint: fakes.connect.apiUrl,
				apiKey: DEMO_SECRETS.connect.apiKey,
			},
		},
	];
}
