'use strict';
// Shared setup for the CloudBlue Connect node tests: a fake Connect, a stored credential, and
// `run()` driving the node through n8n's engine.
const assert = require('node:assert/strict');
const { startFakeConnect } = require('../fakes/connect.cjs');
const h = require('../harness/index.cjs');

const API_KEY = 'SU-555-123-456:4f6e1c0d9b8a7e6f5d4c3b2a1908f7e6';

async function setup(fakeOptions = {}, { keyPrefix = true } = {}) {
	const fake = await startFakeConnect({ apiKey: API_KEY, seed: 1, ...fakeOptions });
	const store = new h.CredentialStore();
	const credential = store.add('connect-1', 'cloudBlueConnectApi', {
		endpoint: `${fake.url}/public/v1/`,
		apiKey: keyPrefix ? API_KEY : `ApiKey ${API_KEY}`,
	});
	const helper = new h.TestCredentialsHelper(store);
	const run = (parameters, options = {}) =>
		h.runNode({
			type: 'cloudBlueConnect',
			parameters: { ...parameters, options: { maxRetries: 3, ...(parameters.options ?? {}) } },
			credentials: { cloudBlueConnectApi: credential },
			credentialsHelper: helper,
			...options,
		});
	run.listSearch = (options) =>
		h.listSearch({ type: 'cloudBlueConnect', credentials: { cloudBlueConnectApi: credential }, credentialsHelper: helper, ...options });
	return { fake, store, credential, helper, run };
}

const rl = (value) => ({ __rl: true, mode: 'id', value });

function ok(result) {
	assert.equal(result.error?.message, undefined, `run failed: ${result.error?.message} ${result.error?.description ?? ''}`);
	assert.equal(result.status, 'success');
	return result.items.map((i) => i.json);
}

/** API calls the fake saw (raw query string included). */
const calls = (fake) => fake.requests.filter((r) => r.path.startsWith('/public/v1'));

module.exports = { setup, rl, ok, calls, API_KEY, h };
