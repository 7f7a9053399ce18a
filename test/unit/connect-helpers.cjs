'use strict';
// Shared setup for the CloudBlue Connect node tests: a fake Connect, a stored credential, and
// `run()` driving the node through n8n's engine.
const { startFakeConnect } = require('../fakes/connect.cjs');
const { vendorSetup, rl, ok, h } = require('./vendor-helpers.cjs');

const API_KEY = 'SU-555-123-456:4f6e1c0d9b8a7e6f5d4c3b2a1908f7e6';

async function setup(fakeOptions = {}, { keyPrefix = true } = {}) {
	const fake = await startFakeConnect({ apiKey: API_KEY, seed: 1, ...fakeOptions });
	const env = vendorSetup({
		type: 'cloudBlueConnect',
		credentialType: 'cloudBlueConnectApi',
		credentialId: 'connect-1',
		data: { endpoint: `${fake.url}/public/v1/`, apiKey: keyPrefix ? API_KEY : `ApiKey ${API_KEY}` },
	});
	return { fake, ...env };
}

/** API calls the fake saw (raw query string included). */
const calls = (fake) => fake.requests.filter((r) => r.path.startsWith('/public/v1'));

module.exports = { setup, rl, ok, calls, API_KEY, h };
