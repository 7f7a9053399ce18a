// Starts the fake vendor servers (seeded, spec-validating) for the demo and end-to-end tests,
// and describes the n8n credentials that point at them.
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const { startFakePax8 } = require('../../test/fakes/pax8.cjs');
const { startFakeConnect } = require('../../test/fakes/connect.cjs');
const { startFakeNewStore } = require('../../test/fakes/newstore.cjs');

export const DEMO_SECRETS = {
	pax8: { clientId: 'demo-pax8-client', clientSecret: 'demo-pax8-secret-3b9f1c' },
	// A Connect API token as the portal shows it (without the "ApiKey " prefix).
	connect: { apiKey: 'SU-000-000-001:demo-connect-token-8d41a7' },
	// An API client of the tenant "acme" with the customer profile scopes (Omnichannel Manager →
	// API clients); the order, note and event stream APIs need no scope.
	newstore: {
		tenant: 'acme',
		clientId: 'demo-newstore-client',
		clientSecret: 'demo-newstore-secret-6c03e5',
		scopes: ['customer:profile:read', 'customer:profile:write'],
	},
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
		// Like Pax8, POST webhook deliveries to the registered URLs (loopback only): a published
		// Pax8 Trigger in n8n receives what fake.emitEvent() sends.
		pax8.deliverTo = true;
		const connect = await startFakeConnect({
			...DEMO_SECRETS.connect,
			seed: 1,
			port: ports.connect ?? 0,
			maxLog,
		});
		started.push(connect);
		const { tenant, clientId, clientSecret, scopes } = DEMO_SECRETS.newstore;
		const newstore = await startFakeNewStore({
			tenant,
			clients: { [clientId]: { secret: clientSecret, scopes } },
			seed: 1,
			port: ports.newstore ?? 0,
			maxLog,
		});
		started.push(newstore);
		return {
			pax8,
			connect,
			newstore,
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
		{
			name: 'NewStore (demo fake)',
			type: 'newStoreApi',
			data: {
				tenant: DEMO_SECRETS.newstore.tenant,
				environment: 'p',
				authentication: 'clientCredentials',
				clientId: DEMO_SECRETS.newstore.clientId,
				clientSecret: DEMO_SECRETS.newstore.clientSecret,
				scope: '',
				baseUrl: fakes.newstore.url,
				tokenUrl: fakes.newstore.tokenUrl,
			},
		},
	];
}

/**
 * NewStore's `order.created` event for an order of the fake: the order fields of NewStore's
 * event stream payload (id, external_id, times, channel, customer, totals and items).
 */
export function newStoreOrderCreated(order) {
	return {
		id: order.id,
		external_id: order.external_id,
		created_at: order.created_at,
		placed_at: order.placed_at,
		channel_type: order.channel_type,
		channel: order.channel_name,
		customer_email: order.customer.email,
		customer_id: order.customer.id,
		currency: order.currency,
		grand_total: order.totals.total,
		items: order.items.map((item) => ({
			id: item.id,
			product_id: item.product_id,
			quantity: 1,
			status: item.status,
		})),
	};
}

/**
 * For the demo: publishes `order.created` to the running event stream integrations of the fake
 * NewStore for every order created after this call (e.g. by an injection), as NewStore does.
 * `onEvent(order, deliveries)` hears about each. Answers a function that stops it.
 */
export function publishNewStoreOrderEvents(fake, { intervalMs = 1000, onEvent = () => {} } = {}) {
	const known = new Set(fake.state.orders.keys());
	let busy = false;
	const timer = setInterval(async () => {
		if (busy) return;
		busy = true;
		try {
			for (const order of [...fake.state.orders.values()]) {
				if (known.has(order.id)) continue;
				known.add(order.id);
				onEvent(order, await fake.emit('order.created', newStoreOrderCreated(order)));
			}
		} finally {
			busy = false;
		}
	}, intervalMs);
	timer.unref();
	return () => clearInterval(timer);
}

/**
 * Pax8's `ORDER`/`CREATED` webhook payload for an order of the fake (the fields of the topic's
 * sample payload; `emitEvent` adds `action`). A notification: the order itself is read through
 * the API.
 */
export function pax8OrderCreated(order) {
	return {
		id: order.id,
		companyId: order.companyId,
		createdDate: order.createdDate,
		orderedBy: order.orderedBy,
		lineItemCount: order.lineItems.length,
	};
}

/** Pax8's `COMPANY`/`CREATED` webhook payload for a company of the fake (the topic's sample fields). */
export function pax8CompanyCreated(company) {
	return {
		id: company.id,
		name: company.name,
		status: company.status,
		country: company.address?.country,
	};
}

/**
 * For the demo: emits Pax8 webhook events for every company and order created after this call
 * (e.g. by the Pax8 node), as Pax8 does: `COMPANY`/`CREATED`, then `ORDER`/`CREATED`, to every
 * active webhook whose topic and filters accept them (a published Pax8 Trigger).
 * `onEvent(topic, record, deliveries)` hears about each. Answers a function that stops it.
 */
export function publishPax8Events(fake, { intervalMs = 1000, onEvent = () => {} } = {}) {
	const watched = [
		['COMPANY', fake.state.companies, pax8CompanyCreated],
		['ORDER', fake.state.orders, pax8OrderCreated],
	].map(([topic, map, payload]) => ({ topic, map, payload, known: new Set(map.keys()) }));
	let busy = false;
	const timer = setInterval(async () => {
		if (busy) return;
		busy = true;
		try {
			for (const { topic, map, payload, known } of watched) {
				for (const record of [...map.values()]) {
					if (known.has(record.id)) continue;
					known.add(record.id);
					onEvent(topic, record, await fake.emitEvent(topic, 'CREATED', payload(record)));
				}
			}
		} finally {
			busy = false;
		}
	}, intervalMs);
	timer.unref();
	return () => clearInterval(timer);
}
