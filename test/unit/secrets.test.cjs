'use strict';
// No secret anywhere: succeeding and failing runs of every credential (client secrets, issued
// tokens, API keys, webhook secrets and callback keys), scanned in outputs, error messages,
// descriptions, contexts and everything n8n logged.
const test = require('node:test');
const assert = require('node:assert/strict');
const connectEnv = require('./connect-helpers.cjs');
const pax8Env = require('./pax8-helpers.cjs');
const newstoreEnv = require('./newstore-helpers.cjs');
const { h, rl } = require('./vendor-helpers.cjs');

const BASE = 'http://127.0.0.1:9/webhook';
let pax8, connect, newstore;
test.before(async () => {
	[pax8, connect, newstore] = await Promise.all([pax8Env.setup(), connectEnv.setup(), newstoreEnv.setup()]);
});
test.after(async () => Promise.all([pax8.fake.close(), connect.fake.close(), newstore.fake.close()]));

/** Everything a user or a log reader could see of a run or a thrown error. */
function visible(outcome) {
	const error = outcome?.error ?? (outcome instanceof Error ? outcome : undefined);
	const seen = { items: outcome?.items, status: outcome?.status, message: outcome?.message };
	if (error) {
		seen.error = {
			message: error.message,
			description: error.description,
			context: error.context,
			errorResponse: error.errorResponse,
			cause: error.cause && { message: error.cause.message, description: error.cause.description },
			stack: error.stack,
		};
	}
	return JSON.stringify(seen);
}

const settle = async (promise) => promise.then((value) => value, (error) => error);

test('every credential, succeeding and failing: no secret in outputs, errors or logs', async () => {
	h.logLines.splice(0);
	const outcomes = [];
	const keep = async (promise) => outcomes.push(await settle(promise));
	const company = [...pax8.fake.state.companies.keys()][0];

	// Pax8: success, a 404, expired tokens mid-run, the token endpoint failing, webhooks with their secrets.
	await keep(pax8.run({ resource: 'company', operation: 'get', companyId: rl(company) }));
	await keep(pax8.run({ resource: 'company', operation: 'get', companyId: rl('00000000-0000-4000-8000-000000000000') }, { continueOnFail: true }));
	pax8.fake.expireTokens();
	await keep(pax8.run({ resource: 'company', operation: 'getAll', returnAll: false, limit: 2, filters: {}, sort: {} }));
	pax8.fake.expireTokens();
	pax8.fake.inject({ path: '/v1/token', status: 500, times: 3 });
	await keep(pax8.run({ resource: 'company', operation: 'get', companyId: rl(company), options: { maxRetries: 0 } }));
	await keep(pax8.run({ resource: 'webhook', operation: 'create', displayName: 'x', url: 'https://psa.example.com/h', topic: 'INVOICE', actions: [], conditions: {}, additionalFields: { authorization: 'PAX8-HOOK-SECRET-1' } }));
	pax8.fake.inject({ method: 'POST', path: '/api/v2/webhooks', status: 400 });
	await keep(pax8.run({ resource: 'webhook', operation: 'create', displayName: 'y', url: 'https://psa.example.com/h', topic: 'INVOICE', actions: [], conditions: {}, additionalFields: { authorization: 'PAX8-HOOK-SECRET-2' } }));
	await keep(pax8.run({ resource: 'webhook', operation: 'getAll', returnAll: true, filters: {} }));
	const pax8Trigger = h.triggerWorkflow({ type: 'pax8Trigger', parameters: { mode: 'webhook', topic: 'ORDER', actions: [], conditions: {}, options: {} }, credentials: { pax8Api: pax8.credential } });
	await keep(h.webhookMethod(pax8Trigger, 'create', { credentialsHelper: pax8.helper, webhookBaseUrl: BASE }));
	await keep(h.deliver(pax8Trigger, { credentialsHelper: pax8.helper, headers: { Authorization: 'nope' }, body: {} }));
	pax8.fake.inject({ method: 'POST', path: '/api/v2/webhooks', status: 500 });
	const pax8Trigger2 = h.triggerWorkflow({ type: 'pax8Trigger', parameters: { mode: 'webhook', topic: 'ORDER', actions: [], conditions: {}, options: {} }, credentials: { pax8Api: pax8.credential }, name: 'Other' });
	await keep(h.webhookMethod(pax8Trigger2, 'create', { credentialsHelper: pax8.helper, webhookBaseUrl: BASE }));
	await keep(h.testCredential('pax8Api', { ...pax8.store.get('pax8-1').data, clientSecret: 'WRONG-PAX8-SECRET-9' }));

	// Connect: success, failures, a wrong key, webhook registration with its JWT secret.
	const request = [...connect.fake.state.requests.keys()][0];
	await keep(connect.run({ resource: 'request', operation: 'get', requestId: rl(request) }));
	connect.fake.inject({ path: '/public/v1/requests', status: 500, times: 5 });
	await keep(connect.run({ resource: 'request', operation: 'get', requestId: rl(request), options: { maxRetries: 0 } }, { continueOnFail: true }));
	await keep(h.testCredential('cloudBlueConnectApi', { ...connect.store.get('connect-1').data, apiKey: 'SU-000-000-000:WRONGCONNECTKEY' }));
	const connectTrigger = h.triggerWorkflow({ type: 'cloudBlueConnectTrigger', parameters: { mode: 'webhook', event: 'fulfillmentRequest', products: connect.fake.ids.products[1], statuses: ['pending'], types: [], options: {} }, credentials: { cloudBlueConnectApi: connect.credential } });
	await keep(h.webhookMethod(connectTrigger, 'create', { credentialsHelper: connect.helper, webhookBaseUrl: BASE }));
	connect.fake.inject({ method: 'POST', path: '/public/v1/notifications/webhooks', status: 400 });
	const connectTrigger2 = h.triggerWorkflow({ type: 'cloudBlueConnectTrigger', parameters: { mode: 'webhook', event: 'fulfillmentRequest', products: connect.fake.ids.products[2], statuses: ['pending'], types: [], options: {} }, credentials: { cloudBlueConnectApi: connect.credential }, name: 'Other' });
	await keep(h.webhookMethod(connectTrigger2, 'create', { credentialsHelper: connect.helper, webhookBaseUrl: BASE }));
	await keep(h.deliver(connectTrigger, { credentialsHelper: connect.helper, headers: { Authentication: 'Bearer forged' }, body: {} }));

	// NewStore: client credentials and access token, token refusals, an IP block, callback keys.
	const [stockKey] = [...newstore.fake.state.stock.keys()];
	const [productId, fulfillmentNodeId] = stockKey.split('|');
	const stock = { resource: 'inventory', operation: 'getStockInsights', productId, fulfillmentNodeId };
	await keep(newstore.run(stock));
	newstore.fake.expireTokens();
	await keep(newstore.run(stock));
	newstore.fake.blockIp(10_000);
	await keep(newstore.run(stock, { continueOnFail: true }));
	newstore.fake.blockIp(0);
	await keep(newstore.run({ resource: 'eventStream', operation: 'create', id: 'secret-check', callbackUrl: 'https://erp.example.com/h', apiKey: 'NS-CALLBACK-KEY-3', additionalFields: {} }));
	newstore.fake.inject({ method: 'POST', path: '/api/v1/org/integrations/eventstream', status: 500 });
	await keep(newstore.run({ resource: 'eventStream', operation: 'create', id: 'secret-check-2', callbackUrl: 'https://erp.example.com/h', apiKey: 'NS-CALLBACK-KEY-4', additionalFields: {} }));
	await keep(newstore.run({ resource: 'eventStream', operation: 'getAll', returnAll: true }));
	await keep(h.testCredential('newStoreApi', { ...newstore.store.get('newstore-1').data, clientSecret: 'WRONG-NEWSTORE-SECRET-5' }));
	const nsTrigger = h.triggerWorkflow({ type: 'newStoreTrigger', parameters: { events: [], customEvents: '' }, credentials: { newStoreApi: newstore.credential } });
	await keep(h.webhookMethod(nsTrigger, 'create', { credentialsHelper: newstore.helper, webhookBaseUrl: BASE }));
	await keep(h.deliver(nsTrigger, { credentialsHelper: newstore.helper, headers: { Authorization: 'Bearer forged' }, body: {} }));
	const accessToken = [...newstore.fake.state.tokens.keys()][0];
	Object.assign(newstore.store.get('newstore-1').data, { authentication: 'accessToken', accessToken });
	newstore.fake.expireTokens();
	await keep(newstore.run(stock));

	const secrets = [
		pax8Env.SECRET,
		'WRONG-PAX8-SECRET-9',
		'PAX8-HOOK-SECRET-1',
		'PAX8-HOOK-SECRET-2',
		...pax8.fake.issuedTokens,
		...[...pax8.fake.state.webhooks.values()].map((w) => w.authorization).filter(Boolean),
		connectEnv.API_KEY,
		connectEnv.API_KEY.split(':')[1],
		'WRONGCONNECTKEY',
		...[...connect.fake.state.webhooks.values()].map((w) => w.jwt_secret).filter(Boolean),
		newstoreEnv.SECRET,
		'WRONG-NEWSTORE-SECRET-5',
		'NS-CALLBACK-KEY-3',
		'NS-CALLBACK-KEY-4',
		...newstore.fake.state.tokens.keys(),
		...[...newstore.fake.state.integrations.values()].map((i) => i.callback_parameters?.api_key).filter(Boolean),
	];
	assert.ok(secrets.length > 15);
	const text = outcomes.map(visible).join('\n') + JSON.stringify(h.logLines);
	const leaked = secrets.filter((secret) => secret && text.includes(secret));
	assert.deepEqual(leaked.map((s) => `${s.slice(0, 6)}…`), [], 'leaked secrets');
	// The runs really failed and succeeded as planned (so the scan saw both kinds).
	assert.ok(outcomes.filter((o) => o?.error || o instanceof Error || o?.status === 'Error' || o?.status === 401).length >= 8);
	assert.ok(outcomes.filter((o) => o?.status === 'success').length >= 5);
	console.log(`# scanned ${outcomes.length} outcomes for ${secrets.length} secrets`);
});
