'use strict';
// Shared setup for the NewStore node and trigger tests: a fake NewStore, a stored client
// credentials credential, and `run()` driving the node through n8n's engine.
const { startFakeNewStore } = require('../fakes/newstore.cjs');
const { vendorSetup, rl, ok, h } = require('./vendor-helpers.cjs');

const CLIENT_ID = 'n8n-newstore-client';
const SECRET = 'newstore-client-secret-DO-NOT-LEAK-91c2';

async function setup(fakeOptions = {}, credentialData = {}) {
	const fake = await startFakeNewStore({
		seed: 3,
		clients: { [CLIENT_ID]: { secret: SECRET, scopes: null }, ...(fakeOptions.clients ?? {}) },
		...fakeOptions,
	});
	const env = vendorSetup({
		type: 'newStore',
		credentialType: 'newStoreApi',
		credentialId: 'newstore-1',
		data: {
			tenant: fake.tenant,
			environment: 'p',
			authentication: 'clientCredentials',
			clientId: CLIENT_ID,
			clientSecret: SECRET,
			baseUrl: fake.url,
			tokenUrl: fake.tokenUrl,
			...credentialData,
		},
	});
	return { fake, ...env };
}

/** Requests the fake saw, minus token requests. */
const apiRequests = (fake) => fake.requests.filter((r) => !r.path.includes('/protocol/openid-connect/token'));
const tokenRequests = (fake) => fake.requests.filter((r) => r.path.includes('/protocol/openid-connect/token'));

module.exports = { setup, rl, ok, apiRequests, tokenRequests, CLIENT_ID, SECRET, h };
