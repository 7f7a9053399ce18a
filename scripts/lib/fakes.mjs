// Starts the fake vendor servers (seeded, spec-validating) for the demo and end-to-end tests,
// and describes the n8n credentials that point at them.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { startFakePax8 } = require('../../test/fakes/pax8.cjs');

export const DEMO_SECRETS = {
	pax8: { clientId: 'demo-pax8-client', clientSecret: 'demo-pax8-secret-3b9f1c' },
};

/** Starts every fake; `ports` may pin ports (0 = any free one). */
export async function startFakes({ ports = {}, maxLog = 10_000 } = {}) {
	const pax8 = await startFakePax8({ ...DEMO_SECRETS.pax8, seed: 1, port: ports.pax8 ?? 0, maxLog });
	return {
		pax8,
		async close() {
			await pax8.close();
		},
	};
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
	];
}
