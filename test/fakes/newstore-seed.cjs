'use strict';

/**
 * Deterministic seed data and the data model of the fake NewStore server (see newstore.cjs).
 *
 * seedNewStoreState(state, { seed, profiles }) fills a state object in place:
 *   ~30 customer profiles (firstname.lastname@example.com, some with addresses), 10 orders over 4
 *   customers (3 profiles + 1 guest) injected through the same code path as POST
 *   /v0/d/fulfill_order, their fulfillment requests, a few order/item notes, stock for 6 products
 *   at 3 fulfillment nodes, no event-stream integrations.
 *
 * The data model helpers (ids, time formats, materializeOrder) are shared with newstore.cjs.
 */

const { createPrng } = require('./common.cjs');

/** Seed data is anchored to a fixed date so it is identical on every run. */
const ANCHOR = Date.UTC(2025, 4, 15, 12, 0, 0); // 2025-05-15T12:00:00Z
const DAY = 86400000;

const FULFILLMENT_NODES = ['DC-EAST', 'DC-WEST', 'STORE-NYC-01'];
const DEFAULT_NODE = 'DC-EAST';
const STORES = ['STORE-NYC-01', 'STORE-SF-02'];

const PRODUCTS = [
	{ product_id: 'SKU-1001', name: 'Merino Crew Sweater', price: 89, color: 'Navy', size: 'M' },
	{ product_id: 'SKU-1002', name: 'Linen Shirt', price: 59.5, color: 'White', size: 'L' },
	{ product_id: 'SKU-1003', name: 'Selvedge Denim', price: 128, color: 'Indigo', size: '32' },
	{ product_id: 'SKU-1004', name: 'Canvas Sneaker', price: 74.99, color: 'Black', size: '42' },
	{ product_id: 'SKU-1005', name: 'Wool Beanie', price: 24, color: 'Grey', size: 'OS' },
	{ product_id: 'SKU-1006', name: 'Rain Jacket', price: 149, color: 'Olive', size: 'S' },
];

// prettier-ignore
const FIRST_NAMES = [
	'Ada', 'Ben', 'Chloe', 'David', 'Elena', 'Farid', 'Grace', 'Hugo', 'Ines', 'Jonas',
	'Keiko', 'Liam', 'Maya', 'Noah', 'Olivia', 'Pablo', 'Quinn', 'Rosa', 'Sven', 'Tara',
	'Umar', 'Vera', 'Wei', 'Ximena', 'Yusuf', 'Zoe', 'Amara', 'Bruno', 'Clara', 'Dmitri',
];
// prettier-ignore
const LAST_NAMES = [
	'Lovelace', 'Okafor', 'Martin', 'Schmidt', 'Rossi', 'Haddad', 'Hopper', 'Dubois', 'Silva',
	'Berg', 'Tanaka', 'Murphy', 'Patel', 'Cohen', 'Novak', 'Garcia', 'Walsh', 'Moreno', 'Larsen',
	'Singh', 'Khan', 'Petrova', 'Chen', 'Lopez', 'Yilmaz', 'Evans', 'Mensah', 'Costa', 'Weber',
	'Ivanov',
];
const CITIES = [
	{ city: 'New York', state: 'NY', zip_code: '10001', country_code: 'US' },
	{ city: 'San Francisco', state: 'CA', zip_code: '94105', country_code: 'US' },
	{ city: 'Berlin', state: 'BE', zip_code: '10115', country_code: 'DE' },
	{ city: 'London', state: 'LND', zip_code: 'EC1A 1BB', country_code: 'GB' },
];
const STREETS = ['Main St', 'Broadway', 'Market St', 'Elm Ave', 'Harbor Rd', 'King St'];

// ---------------------------------------------------------------------------------------------
// Formats and ids

const r2 = (value) => Math.round(value * 100) / 100;
const isoMs = (ms) => new Date(ms).toISOString();
const pad = (n, width = 2) => String(n).padStart(width, '0');

/**
 * Go's default time format (time.Time.String()), as the order notes API returns it:
 * "2012-10-31 15:50:13.793654 +0000 UTC". Go prints the fraction with `.999999999`, i.e. trailing
 * zeros (and a zero fraction) are dropped.
 */
function goTime(micros) {
	const ms = Math.floor(micros / 1000);
	const d = new Date(ms);
	const date = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}`;
	const time = `${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
	const fraction = String(micros % 1000000)
		.padStart(6, '0')
		.replace(/0+$/, '');
	return `${date} ${time}${fraction ? `.${fraction}` : ''} +0000 UTC`;
}

/** Parse goTime() output back to microseconds (for sorting). */
function parseGoTime(text) {
	const m = /^(\d{4}-\d{2}-\d{2}) (\d{2}:\d{2}:\d{2})(?:\.(\d{1,9}))? \+0000 UTC$/.exec(text);
	if (!m) return NaN;
	const fraction = (m[3] || '').padEnd(6, '0').slice(0, 6);
	return Date.parse(`${m[1]}T${m[2]}Z`) * 1000 + Number(fraction);
}

const CROCKFORD = '0123456789ABCDEFGHJKMNPQRSTVWXYZ';

/** ULID (26 Crockford base32 chars: 10 of time, 16 of PRNG randomness). */
function ulid(prng, ms) {
	let time = '';
	let t = Math.max(0, Math.floor(ms));
	for (let i = 0; i < 10; i++) {
		time = CROCKFORD[t % 32] + time;
		t = Math.floor(t / 32);
	}
	let random = '';
	for (let i = 0; i < 16; i++) random += CROCKFORD[prng.int(0, 31)];
	return time + random;
}

/** Customer-profile style id: "NS-EU-<ULID>-<ULID>" (spec example). */
const nsId = (prng, ms) => `NS-EU-${ulid(prng, ms)}-${ulid(prng, ms)}`;

/** Monotonic clocks: successive stamps are strictly increasing even within one millisecond. */
function createClock() {
	let lastMs = 0;
	let lastMicros = 0;
	return {
		ms(at = Date.now()) {
			lastMs = Math.max(at, lastMs + 1);
			return lastMs;
		},
		micros(at = Date.now()) {
			lastMicros = Math.max(at * 1000 + (lastMicros % 1000) + 1, lastMicros + 1);
			return lastMicros;
		},
		reset() {
			lastMs = 0;
			lastMicros = 0;
		},
	};
}

// ---------------------------------------------------------------------------------------------
// State

function emptyState(tenant) {
	return {
		tenant,
		/** profile id -> v2 profile record (wire shape plus `deletion_requested_at`) */
		profiles: new Map(),
		/** profile id -> [address] (oldest first) */
		addresses: new Map(),
		/** order uuid -> order record (see materializeOrder) */
		orders: new Map(),
		/** external_id -> order uuid */
		ordersByExternalId: new Map(),
		/** external_id -> { payload, response, orderId, count } (count = accepted calls) */
		injections: new Map(),
		/** note id -> note (wire shape plus `_micros` for ordering) */
		notes: new Map(),
		/** order uuid -> [fulfillment request] (earliest first) */
		fulfillmentRequests: new Map(),
		/** "product_id|fulfillment_node_id" -> { product_id, fulfillment_node_id, atp, allocations, reservations, future_allocations } */
		stock: new Map(),
		/** customer id -> { id, email, name } (profiles and guest customers that placed orders) */
		customers: new Map(),
		/** integration id -> integration */
		integrations: new Map(),
		/** event-stream deliveries: { integrationId, name, url, headers, body, status, error, ts } */
		deliveries: [],
		/** successful token requests */
		tokenRequests: 0,
		/** every access token handed out (still listed after expireTokens()) */
		issuedTokens: [],
		/** access token -> { clientId, scopes (string[] | null), expiresAt (ms) } */
		tokens: new Map(),
	};
}

const stockKey = (productId, nodeId) => `${productId}|${nodeId}`;

function stockEntry(state, productId, nodeId) {
	const key = stockKey(productId, nodeId);
	let entry = state.stock.get(key);
	if (!entry) {
		entry = {
			product_id: productId,
			fulfillment_node_id: nodeId,
			atp: 0,
			allocations: [],
			reservations: [],
			future_allocations: [],
		};
		state.stock.set(key, entry);
	}
	return entry;
}

// ---------------------------------------------------------------------------------------------
// Orders

const sum = (list, pick) =>
	r2((list || []).reduce((total, x) => total + (Number(pick(x)) || 0), 0));

/**
 * Build the stored order for an accepted injection payload. Every shipment item entry is one unit
 * with its own item id. Returns { order, response, fulfillmentRequests }.
 */
function materializeOrder(payload, { ids, createdMs, customerId }) {
	const orderId = ids.uuid();
	const taxIncluded = payload.price_method === 'tax_included';
	const closed = Boolean(payload.is_historical || payload.is_fulfilled);
	const items = [];
	const shipments = [];
	payload.shipments.forEach((shipment, shipmentIndex) => {
		const option = shipment.shipping_option || {};
		const routing = option.routing_strategy || {};
		const nodeId = routing.fulfillment_node_id || option.fulfillment_node_id || DEFAULT_NODE;
		const serviceLevel = option.service_level_identifier || 'OFFER_TOKEN';
		const inStore = serviceLevel === 'IN_STORE_HANDOVER';
		const shippingTax = Number(option.tax) || 0;
		const shippingPrice = Number(option.price) || 0;
		const shippingDiscount = sum(option.discount_info, (d) => d.price_adjustment);
		shipments.push({
			id: ids.uuid(),
			index: shipmentIndex,
			fulfillment_node_id: nodeId,
			service_level: serviceLevel,
			in_store: inStore,
			price: {
				base: shippingPrice,
				discount: shippingDiscount,
				tax: shippingTax,
				net: r2(
					taxIncluded
						? shippingPrice - shippingDiscount - shippingTax
						: shippingPrice - shippingDiscount,
				),
				gross: r2(
					taxIncluded
						? shippingPrice - shippingDiscount
						: shippingPrice - shippingDiscount + shippingTax,
				),
			},
		});
		for (const item of shipment.items) {
			const price = item.price;
			const tax = sum(price.item_tax_lines, (line) => line.amount);
			const discount = r2(
				sum(price.item_discount_info, (d) => d.price_adjustment) +
					sum(price.item_order_discount_info, (d) => d.price_adjustment),
			);
			const afterDiscount = r2(price.item_price - discount);
			const product = PRODUCTS.find((p) => p.product_id === item.product_id);
			items.push({
				id: ids.uuid(),
				external_item_id: item.external_item_id,
				product_id: item.product_id,
				addon_parent_external_item_id: item.addon_parent_external_item_id,
				status: closed ? 'complete' : 'in_fulfillment',
				shipment_index: shipmentIndex,
				fulfillment_node_id: nodeId,
				service_level: serviceLevel,
				in_store: inStore,
				list_price: price.item_list_price,
				price: {
					base: price.item_price,
					discount,
					tax,
					net: taxIncluded ? r2(afterDiscount - tax) : afterDiscount,
					gross: taxIncluded ? afterDiscount : r2(afterDiscount + tax),
				},
				tax_lines: (price.item_tax_lines || []).map((line) => ({ ...line })),
				discounts: [
					...(price.item_discount_info || []).map((d) => ({ ...d, level: 'item' })),
					...(price.item_order_discount_info || []).map((d) => ({ ...d, level: 'order' })),
				],
				extended_attributes: (item.extended_attributes || []).map((a) => ({ ...a })),
				product_name: product ? product.name : item.product_id,
				product_color: product && product.color,
				product_size: product && product.size,
			});
		}
	});
	for (const item of items) {
		if (item.addon_parent_external_item_id) {
			const parent = items.find(
				(p) =>
					p.external_item_id === item.addon_parent_external_item_id &&
					p.shipment_index === item.shipment_index,
			);
			item.addon_parent_item_id = parent && parent.id;
		}
	}
	const itemsGross = sum(items, (i) => i.price.gross);
	const shippingGross = sum(shipments, (s) => s.price.gross);
	const order = {
		id: orderId,
		external_id: payload.external_id,
		status: closed ? 'closed' : 'open',
		channel_type: payload.channel_type,
		channel_name: payload.channel_name,
		shop: payload.shop,
		shop_locale: payload.shop_locale,
		currency: payload.currency,
		store_id: payload.store_id,
		price_method: taxIncluded ? 'tax_included' : 'tax_excluded',
		placed_at: payload.placed_at || isoMs(createdMs),
		created_at: isoMs(createdMs),
		is_offline: Boolean(payload.is_offline),
		is_historical: Boolean(payload.is_historical),
		customer: {
			id: customerId,
			email: payload.customer_email,
			name: payload.customer_name,
			language: payload.customer_language,
		},
		shipping_address: payload.shipping_address,
		billing_address: payload.billing_address,
		extended_attributes: (payload.extended_attributes || []).map((a) => ({ ...a })),
		notification_blacklist: payload.notification_blacklist || [],
		items,
		shipments,
		totals: {
			gross: itemsGross,
			// spec: gross, net and tax are sums over the product items; total adds shipping
			net: sum(items, (i) => i.price.net),
			tax: sum(items, (i) => i.price.tax),
			discount: r2(sum(items, (i) => i.price.discount) + sum(shipments, (s) => s.price.discount)),
			shipping: sum(shipments, (s) => s.price.base),
			gift_wrapping: 0,
			total: r2(itemsGross + shippingGross),
		},
	};
	const response = {
		external_id: payload.external_id,
		id: orderId,
		items: items.map((item) => ({
			external_item_id: item.external_item_id,
			id: item.id,
			product_id: item.product_id,
		})),
	};
	const fulfillmentRequests = shipments.map((shipment) => ({
		fulfillment_request_id: ids.uuid(),
		fulfillment_node_id: shipment.fulfillment_node_id,
		service_level: shipment.service_level,
		status: closed ? 'completed' : 'dispatched',
		created_at: isoMs(createdMs + 1000),
		items: items
			.filter((item) => item.shipment_index === shipment.index)
			.map((item) => ({
				item_id: item.id,
				product_id: item.product_id,
				status: closed ? 'shipped' : 'dispatched',
				carrier: null,
				tracking_code: null,
			})),
	}));
	return { order, response, fulfillmentRequests };
}

/** Store an accepted injection: order, lookup, injection record, fulfillment requests, stock allocations. */
function storeOrder(state, payload, built, createdMs) {
	const { order, response, fulfillmentRequests } = built;
	state.orders.set(order.id, order);
	state.ordersByExternalId.set(order.external_id, order.id);
	state.injections.set(order.external_id, {
		payload: structuredClone(payload),
		response,
		orderId: order.id,
		count: 1,
	});
	state.fulfillmentRequests.set(order.id, fulfillmentRequests);
	if (order.customer.id && !state.customers.has(order.customer.id)) {
		state.customers.set(order.customer.id, {
			id: order.customer.id,
			email: order.customer.email,
			name: order.customer.name,
		});
	}
	if (order.status === 'open') {
		for (const item of order.items) {
			const entry = stockEntry(state, item.product_id, item.fulfillment_node_id);
			entry.allocations.push({
				created_at: isoMs(createdMs),
				item_uuid: item.id,
				order_uuid: order.id,
			});
			entry.atp = Math.max(0, entry.atp - 1);
		}
	}
}

// ---------------------------------------------------------------------------------------------
// Seed

function seedProfiles(state, prng, count) {
	const used = new Map();
	const list = [];
	for (let i = 0; i < count; i++) {
		const first = FIRST_NAMES[i % FIRST_NAMES.length];
		const last = LAST_NAMES[(i * 7 + Math.floor(i / FIRST_NAMES.length)) % LAST_NAMES.length];
		const base = `${first}.${last}`.toLowerCase();
		const n = (used.get(base) || 0) + 1;
		used.set(base, n);
		const email = `${base}${n > 1 ? n : ''}@example.com`;
		const createdMs = ANCHOR - 365 * DAY + Math.floor((i / count) * 300 * DAY) + prng.int(0, DAY);
		const updatedMs = prng.chance(0.5) ? createdMs : createdMs + prng.int(1, 40) * DAY;
		const profile = {
			id: nsId(prng, createdMs),
			display_id: `C${pad(100001 + i, 7)}`,
			email,
			first_name: first,
			last_name: last,
			full_name: `${first} ${last}`,
			phone_number: prng.chance(0.7) ? `+1212555${pad(prng.int(0, 9999), 4)}` : '',
			store_id: prng.chance(0.4) ? prng.pick(STORES) : '',
			created_by: prng.chance(0.3) ? `associate-${prng.int(100, 999)}` : '',
			extended_attributes: prng.chance(0.3)
				? { loyalty_id: { data_type: 'string', value: String(prng.int(1000000000, 1999999999)) } }
				: {},
			created_at: isoMs(createdMs),
			updated_at: isoMs(updatedMs),
		};
		state.profiles.set(profile.id, profile);
		state.addresses.set(profile.id, []);
		list.push(profile);
		if (i < 30 && (i < 3 || prng.chance(0.3))) {
			const addressCount = i < 3 ? 2 : prng.int(1, 2);
			for (let a = 0; a < addressCount; a++) {
				const place = prng.pick(CITIES);
				const addressMs = createdMs + (a + 1) * 60000;
				state.addresses.get(profile.id).push({
					id: nsId(prng, addressMs),
					full_name: profile.full_name,
					company_name: '',
					address_line_1: `${prng.int(1, 999)} ${prng.pick(STREETS)}`,
					address_line_2: a === 1 ? `Apt ${prng.int(1, 40)}` : '',
					city: place.city,
					state: place.state,
					zip_code: place.zip_code,
					country_code: place.country_code,
					contact_phone: profile.phone_number,
					created_at: isoMs(addressMs),
					updated_at: isoMs(addressMs),
				});
			}
		}
	}
	return list;
}

function seedStock(state, prng) {
	for (const product of PRODUCTS) {
		for (const node of FULFILLMENT_NODES) {
			stockEntry(state, product.product_id, node).atp = prng.int(0, 60);
		}
	}
	// two live store reservations (reference §5.6 concepts; shown by stock insights)
	const entry = stockEntry(state, 'SKU-1001', 'STORE-NYC-01');
	for (let i = 0; i < 2; i++) {
		entry.reservations.push({
			created_at: isoMs(ANCHOR - DAY),
			expires_at: isoMs(ANCHOR + DAY),
			item_uuid: prng.uuid(),
			order_uuid: prng.uuid(),
		});
	}
}

/** Injection payload of a seeded order (valid against the spec and the fake's shipment checks). */
function seedPayload(prng, index, customer, placedMs) {
	const itemCount = prng.int(1, 3);
	const items = [];
	for (let i = 0; i < itemCount; i++) {
		const product = prng.pick(PRODUCTS);
		const tax = r2(product.price * 0.08);
		items.push({
			external_item_id: `SEED-${pad(index + 1, 3)}-${i + 1}`,
			product_id: product.product_id,
			price: {
				item_price: product.price,
				item_list_price: product.price,
				item_tax_lines: [{ amount: tax, rate: 0.08, name: 'Sales tax', country_code: 'US' }],
			},
		});
	}
	const place = CITIES[index % 2];
	const address = {
		first_name: customer.first_name,
		last_name: customer.last_name,
		address_line_1: `${100 + index} ${STREETS[index % STREETS.length]}`,
		city: place.city,
		state: place.state,
		zip_code: place.zip_code,
		country: 'US',
	};
	const itemsTotal = items.reduce(
		(t, i) => t + i.price.item_price + i.price.item_tax_lines[0].amount,
		0,
	);
	return {
		external_id: `SEED-${pad(index + 1, 5)}`,
		shop: 'storefront-catalog-en',
		shop_locale: 'en-US',
		channel_type: index % 4 === 3 ? 'store' : 'web',
		channel_name: index % 4 === 3 ? 'STORE-NYC-01' : 'webshop',
		currency: 'USD',
		customer_email: customer.email,
		customer_name: `${customer.first_name} ${customer.last_name}`,
		customer_language: 'en',
		placed_at: isoMs(placedMs),
		price_method: 'tax_excluded',
		is_historical: index < 3,
		shipping_address: address,
		billing_address: address,
		shipments: [
			{
				items,
				shipping_option: {
					service_level_identifier: 'GROUND',
					price: 5,
					tax: 0,
					routing_strategy: {
						strategy: 'prerouted',
						fulfillment_node_id: FULFILLMENT_NODES[index % 2],
					},
				},
			},
		],
		payments: [
			{
				type: 'captured',
				amount: r2(itemsTotal + 5),
				method: 'credit_card',
				processor: 'stripe',
				processed_at: isoMs(placedMs),
				correlation_ref: `seed-pay-${index + 1}`,
			},
		],
	};
}

function seedOrders(state, prng, ids, profiles, clock) {
	const guest = { first_name: 'Guest', last_name: 'Shopper', email: 'guest.shopper@example.org' };
	const guestId = ids.uuid();
	const buyers = [profiles[0], profiles[1], profiles[2], guest].filter(Boolean);
	const seeded = [];
	for (let index = 0; index < 10; index++) {
		const customer = buyers[index % buyers.length];
		const placedMs = ANCHOR - (60 - index * 5) * DAY;
		const payload = seedPayload(prng, index, customer, placedMs);
		const customerId = customer === guest ? guestId : customer.id;
		const built = materializeOrder(payload, { ids, createdMs: placedMs, customerId });
		storeOrder(state, payload, built, placedMs);
		if (built.order.status === 'closed') {
			for (const ffr of built.fulfillmentRequests) {
				for (const item of ffr.items) {
					item.carrier = 'UPS';
					item.tracking_code = `1Z${prng.hex(16).toUpperCase()}`;
				}
			}
		}
		seeded.push(built.order);
	}
	// notes: two order notes and one item note on the newest open order, one on another order
	const newest = seeded[seeded.length - 1];
	const noteAt = (order, micros, fields) => {
		const note = {
			id: ids.uuid(),
			order_id: order.id,
			...(fields.item_id && { item_id: fields.item_id }),
			text: fields.text,
			source: fields.source,
			source_type: fields.source_type,
			tags: fields.tags,
			created_at: goTime(micros),
			updated_at: goTime(micros),
			_micros: micros,
		};
		state.notes.set(note.id, note);
	};
	const base = (ANCHOR - 2 * DAY) * 1000;
	noteAt(newest, base + 123456, {
		text: 'Customer asked for gift packaging.',
		source: 'associate-314',
		source_type: 'user',
		tags: ['gift'],
	});
	noteAt(newest, base + 3600000000 + 793654, {
		text: 'Address verified by phone.',
		source: 'crm-sync',
		source_type: 'integration',
		tags: ['verification', 'address'],
	});
	noteAt(newest, base + 7200000000 + 500000, {
		item_id: newest.items[0].id,
		text: 'Check seam before shipping.',
		source: 'qa-bot',
		source_type: 'system',
		tags: ['quality'],
	});
	noteAt(seeded[4], base + 42, {
		text: 'Delivery window confirmed.',
		source: 'associate-271',
		source_type: 'app',
		tags: [],
	});
	clock.ms(ANCHOR); // API timestamps never go back before the seed
}

/**
 * Fill `state` (an emptyState()) deterministically. Returns { ids } — the PRNG for objects created
 * later through the API (so ids are reproducible for a given request sequence).
 */
function seedNewStoreState(state, { seed = 1, profiles = 30, clock = createClock() } = {}) {
	const prng = createPrng(seed);
	const ids = createPrng((seed ^ 0x5eed5eed) >>> 0);
	const list = seedProfiles(state, prng, profiles);
	seedStock(state, prng);
	seedOrders(state, prng, ids, list, clock);
	return { ids, prng };
}

module.exports = {
	ANCHOR,
	DAY,
	DEFAULT_NODE,
	FULFILLMENT_NODES,
	PRODUCTS,
	createClock,
	emptyState,
	goTime,
	isoMs,
	materializeOrder,
	nsId,
	parseGoTime,
	r2,
	seedNewStoreState,
	stockEntry,
	stockKey,
	storeOrder,
	ulid,
};
