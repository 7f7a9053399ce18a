'use strict';
// Shared setup for the Pax8 node tests: a fake Pax8, a stored credential, and `run()` that
// drives the Pax8 node through n8n's engine.
const assert = require('node:assert/strict');
const { startFakePax8 } = require('../fakes/pax8.cjs');
const h = require('../harness/index.cjs');

const SECRET = 'pax8-client-secret-DO-NOT-LEAK-7f3a';

async function setup(fakeOptions = {}) {
	const fake = await startFakePax8({ clientId: 'n8n-client', clientSecret: SECRET, seed: 7, ...fakeOptions });
	const store = new h.CredentialStore();
	const credential = store.add('pax8-1', 'pax8Api', {
		clientId: 'n8n-client',
		clientSecret: SECRET,
		tokenUrl: `${fake.url}/v1/token`,
		baseUrl: fake.url,
	});
	const helper = new h.TestCredentialsHelper(store);
	/** Runs the Pax8 node with these parameters on `items` (default one empty item). */
	const run = (parameters, options = {}) =>
		h.runNode({
			type: 'pax8',
			parameters: { ...parameters, options: { maxRetries: 3, ...(parameters.options ?? {}) } },
			credentials: { pax8Api: credential },
			credentialsHelper: helper,
			...options,
		});
	run.listSearch = (options) =>
		h.listSearch({ type: 'pax8', credentials: { pax8Api: credential }, credentialsHelper: helper, ...options });
	return { fake, store, credential, helper, run };
}

/** Values of a state collection whether the fake keeps a Map or an array. */
const all = (collection) => (collection instanceof Map ? [...collection.values()] : [...(collection ?? [])]).flat();

const rl = (value) => ({ __rl: true, mode: 'id', value });

/** Asserts a successful run and answers the output JSON. */
function ok(result) {
	assert.equal(result.error?.message, undefined, `run failed: ${result.error?.message} ${result.error?.description ?? ''}`);
	assert.equal(result.status, 'success');
	return result.items.map((i) => i.json);
}

/** Requests the fake saw, minus token requests. */
const apiRequests = (fake) => fake.requests.filter((r) => !r.path.endsWith('/token'));

module.exports = { setup, all, rl, ok, apiRequests, SECRET, h };
