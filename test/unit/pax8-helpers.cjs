'use strict';
// Shared setup for the Pax8 node tests: a fake Pax8, a stored credential, and `run()` that
// drives the Pax8 node through n8n's engine.
const { startFakePax8 } = require('../fakes/pax8.cjs');
const { vendorSetup, rl, ok, h } = require('./vendor-helpers.cjs');

const SECRET = 'pax8-client-secret-DO-NOT-LEAK-7f3a';

async function setup(fakeOptions = {}) {
	const fake = await startFakePax8({ clientId: 'n8n-client', clientSecret: SECRET, seed: 7, ...fakeOptions });
	const env = vendorSetup({
		type: 'pax8',
		credentialType: 'pax8Api',
		credentialId: 'pax8-1',
		data: { clientId: 'n8n-client', clientSecret: SECRET, tokenUrl: `${fake.url}/v1/token`, baseUrl: fake.url },
	});
	return { fake, ...env };
}

/** Values of a state collection whether the fake keeps a Map or an array. */
const all = (collection) => (collection instanceof Map ? [...collection.values()] : [...(collection ?? [])]).flat();

/** Requests the fake saw, minus token requests. */
const apiRequests = (fake) => fake.requests.filter((r) => !r.path.endsWith('/token'));

module.exports = { setup, all, rl, ok, apiRequests, SECRET, h };
