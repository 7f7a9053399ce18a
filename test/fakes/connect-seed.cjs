'use strict';

/**
 * Deterministic seed data for the fake CloudBlue Connect API (test/fakes/connect.cjs).
 *
 * Same seed and counts -> same objects and ids. Dates are spread over the 180 days before ANCHOR
 * (2025-06-01, not "now") so runs are reproducible; each collection is in `created` order.
 *
 * Large request counts stay cheap (100k: a few hundred ms): requests are planned up front (ids,
 * type, status in typed arrays) and `state.requests`, `state.assets`, `state.subscriptionAssets`
 * are LazyMaps that build a seeded value on first access (get/values/iteration), each from its own
 * PRNG so access order does not matter. Summaries (product, marketplace, connection, contract,
 * tiers) are shared frozen objects, and seeded assets share frozen `params`/`items` arrays per
 * product and customer; handlers copy before changing them (meta.ownParams).
 *
 * The first requests cover the common cases, in this order: pending purchase with every required
 * parameter, pending purchase with an empty required `activation_code`, inquiring purchase
 * (value_error on `customer_domain`), approved purchase, failed purchase, then approved purchases
 * followed by a pending change, suspend and cancel (sequence -002), then two approved purchases per
 * pay-per-use product. Tier config requests: pending, pending with empty `reseller_id`,
 * inquiring, approved, failed. Usage files: draft, ready, pending, accepted, closed, invalid.
 *
 * Id formats (from the spec's examples and CloudBlue SDK fixtures):
 *   PRD-123-456-789 product, PRD-123-456-789-0001 item, PRM-123-456-789-0001 product parameter,
 *   TL-123-456-789 template, MP-12345 marketplace, HB-1234-5678 hub, CT-1234-5678-9012 connection,
 *   CRD-12345-67890-12345 contract, LST-123-456-789 listing, VA-123-456 / PA-123-456 accounts,
 *   UR-123-456-789 user, TA-1234-5678-9012 tier account, AS-1234-5678-9012 asset,
 *   PR-1234-5678-9012-001 request (asset digits + sequence), TC-123-456-789 tier config,
 *   TCR-123-456-789-012 tier config request, TAR-1234-5678-9012-001 tier account request,
 *   UF-2025-05-1234-5678 usage file, UR-2025-05-1234-5678-0001 usage record (assumption),
 *   CO-123-456-789-012-345-678 conversation, ME-… message, WH-123-456-789 webhook.
 */

const { createPrng, mulberry32 } = require('./common.cjs');

const DAY = 86400000;
/** Seed "now": every seeded date lies before it. */
const ANCHOR = Date.UTC(2025, 5, 1, 12, 0, 0);

const TWO = Array.from({ length: 60 }, (_, i) => String(i).padStart(2, '0'));
const dayCache = new Map();
/** Connect's wire format for date-times: 2025-05-31T12:00:00+00:00 (fast: called 100k+ times) */
function connectDate(ms) {
	const t = Math.floor(ms / 1000) * 1000;
	const dayNo = Math.floor(t / 86400000);
	let day = dayCache.get(dayNo);
	if (!day) {
		day = new Date(dayNo * 86400000).toISOString().slice(0, 10);
		dayCache.set(dayNo, day);
	}
	let rest = (t - dayNo * 86400000) / 1000;
	const h = Math.floor(rest / 3600);
	rest -= h * 3600;
	const m = Math.floor(rest / 60);
	return `${day}T${TWO[h]}:${TWO[m]}:${TWO[rest - m * 60]}+00:00`;
}
const isoDay = (ms) => new Date(ms).toISOString().slice(0, 10);

const DEFAULT_COUNTS = {
	products: 4,
	marketplaces: 3,
	hubs: 2,
	customers: 24,
	resellers: 4,
	requests: 40,
	tierConfigs: 6,
	tierAccountRequests: 4,
	usageFiles: 6,
	webhooks: 1,
	conversations: 8,
};

const PRODUCT_BLUEPRINTS = [
	{ name: 'Cloud Backup Pro', ppu: null, tiers: true, unit: 'Users' },
	{ name: 'Managed Mail Suite', ppu: null, tiers: false, unit: 'Mailboxes' },
	{ name: 'Compute Metering', ppu: 'QT', tiers: false, unit: 'vCPU hours' },
	{ name: 'Tiered Object Storage', ppu: 'TR', tiers: true, unit: 'GB' },
];
const MARKETPLACE_BLUEPRINTS = [
	{ name: 'Europe Marketplace', currency: 'EUR', zone: 'EU', countries: ['DE', 'FR', 'ES', 'IT'] },
	{ name: 'North America Marketplace', currency: 'USD', zone: 'NA', countries: ['US', 'CA'] },
	{ name: 'APAC Marketplace', currency: 'AUD', zone: 'OC', countries: ['AU', 'NZ'] },
];
const COMPANY_WORDS = [
	[
		'Acme',
		'Globex',
		'Initech',
		'Umbrella',
		'Hooli',
		'Stark',
		'Wayne',
		'Wonka',
		'Tyrell',
		'Cyberdyne',
	],
	[
		'Labs',
		'Systems',
		'Holdings',
		'Logistics',
		'Media',
		'Foods',
		'Energy',
		'Retail',
		'Partners',
		'Works',
	],
];
const FIRST_NAMES = [
	'Ada',
	'Alan',
	'Grace',
	'Linus',
	'Margaret',
	'Dennis',
	'Barbara',
	'Ken',
	'Radia',
	'Tim',
];
const LAST_NAMES = [
	'Lovelace',
	'Turing',
	'Hopper',
	'Torvalds',
	'Hamilton',
	'Ritchie',
	'Liskov',
	'Thompson',
	'Perlman',
	'Berners-Lee',
];
const CITIES = {
	DE: ['Berlin', 'Berlin', '10115'],
	FR: ['Paris', 'Ile-de-France', '75001'],
	ES: ['Madrid', 'Madrid', '28001'],
	IT: ['Rome', 'Lazio', '00118'],
	US: ['Denver', 'Colorado', '80202'],
	CA: ['Toronto', 'Ontario', 'M5H 2N2'],
	AU: ['Sydney', 'New South Wales', '2000'],
	NZ: ['Auckland', 'Auckland', '1010'],
};

/** Asset parameters of every product: [name, title, type, phase, required, hidden] */
const ASSET_PARAMS = [
	['customer_domain', 'Customer domain', 'domain', 'ordering', true, false],
	['purchase_order', 'Purchase order number', 'text', 'ordering', false, false],
	['activation_code', 'Activation code', 'text', 'fulfillment', true, false],
	['admin_url', 'Administration URL', 'url', 'fulfillment', false, false],
	['migration_info', 'Migration information', 'text', 'fulfillment', false, true],
];
const TIER_PARAMS = [
	['reseller_id', 'Reseller identifier', 'text', 'fulfillment', true, false],
	['reseller_region', 'Reseller region', 'text', 'ordering', false, false],
];

const TEMPLATE_BLUEPRINTS = [
	// [name, scope, type, body]
	[
		'Default activation',
		'asset',
		'fulfillment',
		'# Welcome to {{ product_name }}\n\nYour subscription is active.\n\n* Activation code: **{{ activation_code }}**\n* Domain: {{ customer_domain }}\n* Administration: {{ admin_url }}\n',
	],
	[
		'Activation with support contact',
		'asset',
		'fulfillment',
		'# {{ product_name }} is ready\n\nUse activation code **{{ activation_code }}**. Questions? Reply to this message.\n',
	],
	[
		'Missing information',
		'asset',
		'inquire',
		'# We need more information\n\nPlease review the parameters marked with errors and submit the order again.\n',
	],
	['Processing', 'asset', 'pending', 'Your order is being processed.\n'],
	[
		'Reseller activation',
		'tier1',
		'fulfillment',
		'# Reseller configuration complete\n\nReseller id: **{{ reseller_id }}**\n',
	],
	['Reseller inquiry', 'tier1', 'inquire', 'Please provide your reseller identifier.\n'],
];

// ---------------------------------------------------------------------------------------------
// Lazily built collections

/**
 * A Map whose seeded values are built on first access (get, values, entries, iteration, forEach).
 * Keys (and their order) exist from the start; a lazy entry holds its slot number until
 * `materialize(slot)` set()s the real value.
 */
class LazyMap extends Map {
	constructor() {
		super();
		this.materialize = null;
	}
	addLazy(key, slot) {
		super.set(key, slot);
	}
	resolve(key, value) {
		if (typeof value !== 'number') return value;
		this.materialize(value);
		const built = super.get(key);
		if (typeof built === 'number') throw new Error(`lazy seed value ${key} was not built`);
		return built;
	}
	get(key) {
		return this.resolve(key, super.get(key));
	}
	*entries() {
		for (const [key, value] of super.entries()) yield [key, this.resolve(key, value)];
	}
	*values() {
		for (const [key, value] of super.entries()) yield this.resolve(key, value);
	}
	[Symbol.iterator]() {
		return this.entries();
	}
	forEach(callback, thisArg) {
		for (const [key, value] of this.entries()) callback.call(thisArg, value, key, this);
	}
	/** Number of values not built yet. */
	get lazyCount() {
		let n = 0;
		for (const value of super.values()) if (typeof value === 'number') n++;
		return n;
	}
}

/** Small re-seedable PRNG (mulberry32) for per-slot values: int() and uuid(). */
function createSlotRandom() {
	const next32 = mulberry32(0);
	const hex = (n) => n.toString(16).padStart(8, '0');
	return {
		seed(value) {
			next32.reseed(value);
			return this;
		},
		int: (min, max) => min + Math.floor((next32() / 4294967296) * (max - min + 1)),
		uuid() {
			const a = hex(next32());
			const b = hex(next32());
			const c = hex(next32());
			const d = hex(next32());
			const variant = '89ab'[parseInt(c[0], 16) & 3];
			return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${variant}${c.slice(1, 4)}-${c.slice(4)}${d}`;
		},
	};
}

// ---------------------------------------------------------------------------------------------
// Id generators

function createIds(prng) {
	const used = new Set();
	const digits = (n) => {
		let s = '';
		while (s.length < n) s += String(prng.int(0, 999999999)).padStart(9, '0');
		return s.slice(0, n);
	};
	/** groups: e.g. [3,3,3] -> "123-456-789" */
	const grouped = (groups) => {
		const all = digits(groups.reduce((a, b) => a + b, 0));
		const out = [];
		let at = 0;
		for (const g of groups) {
			out.push(all.slice(at, at + g));
			at += g;
		}
		return out.join('-');
	};
	const unique = (make) => {
		for (;;) {
			const id = make();
			if (!used.has(id)) {
				used.add(id);
				return id;
			}
		}
	};
	return {
		used,
		product: () => unique(() => `PRD-${grouped([3, 3, 3])}`),
		template: () => unique(() => `TL-${grouped([3, 3, 3])}`),
		parameter: (productId, n) => `PRM-${productId.slice(4)}-${String(n).padStart(4, '0')}`,
		marketplace: () => unique(() => `MP-${digits(5)}`),
		hub: () => unique(() => `HB-${grouped([4, 4])}`),
		connection: () => unique(() => `CT-${grouped([4, 4, 4])}`),
		contract: () => unique(() => `CRD-${grouped([5, 5, 5])}`),
		listing: () => unique(() => `LST-${grouped([3, 3, 3])}`),
		vendor: () => unique(() => `VA-${grouped([3, 3])}`),
		provider: () => unique(() => `PA-${grouped([3, 3])}`),
		user: () => unique(() => `UR-${grouped([3, 3, 3])}`),
		tierAccount: () => unique(() => `TA-${grouped([4, 4, 4])}`),
		asset: () => unique(() => `AS-${grouped([4, 4, 4])}`),
		tierConfig: () => unique(() => `TC-${grouped([3, 3, 3])}`),
		tierConfigRequest: () => unique(() => `TCR-${grouped([3, 3, 3, 3])}`),
		usageFile: (ms) => unique(() => `UF-${isoDay(ms).slice(0, 7)}-${grouped([4, 4])}`),
		webhook: () => unique(() => `WH-${grouped([3, 3, 3])}`),
		message: () => unique(() => `ME-${grouped([3, 3, 3, 3, 3, 3])}`),
		category: () => unique(() => `CAT-${grouped([5])}`),
		uuid: () => prng.uuid(),
		digits,
	};
}

// ---------------------------------------------------------------------------------------------
// Small builders shared by the seed and the fake's handlers

function contactInfo(prng, country, first, last, company) {
	const [city, state, postal] = CITIES[country] || CITIES.US;
	return {
		address_line1: `${prng.int(1, 250)} ${prng.pick(['Main', 'Market', 'Harbour', 'Station', 'Park'])} Street`,
		address_line2: '',
		city,
		state,
		postal_code: postal,
		country,
		contact: {
			first_name: first,
			last_name: last,
			email:
				`${first}.${last}@${company.toLowerCase().replace(/[^a-z]+/g, '')}.example`.toLowerCase(),
			phone_number: {
				country_code: '+1',
				area_code: '303',
				phone_number: String(prng.int(5550000, 5559999)),
				extension: '',
			},
		},
	};
}

const compiledTemplates = new Map();

/** Replace {{ name }} with parameter values (and the `extra` values, e.g. product_name). */
function renderTemplate(body, params, extra = {}) {
	let parts = compiledTemplates.get(body);
	if (!parts) {
		parts = String(body).split(/\{\{\s*([\w.]+)\s*\}\}/);
		compiledTemplates.set(body, parts);
	}
	let out = parts[0];
	for (let i = 1; i < parts.length; i += 2) {
		const key = parts[i];
		let value = key in extra ? extra[key] : '';
		if (params) {
			for (const p of params) {
				if (p.id === key) {
					value = p.value === undefined || p.value === null ? '' : p.value;
					break;
				}
			}
		}
		out += String(value) + parts[i + 1];
	}
	return out;
}

const NO_CHOICES = Object.freeze([]);
const MONTHLY = Object.freeze({ delta: 1, uom: 'monthly' });
const NO_PARAMS = Object.freeze([]);
const EMPTY_CONFIGURATION = Object.freeze({ params: NO_PARAMS });

/** A request/TCR parameter from a product parameter definition. */
function requestParam(definition, value = '', valueError = '') {
	return {
		id: definition.name,
		name: definition.name,
		title: definition.title,
		description: definition.description,
		type: definition.type,
		phase: definition.phase,
		scope: definition.scope,
		value,
		value_error: valueError,
		value_choices: NO_CHOICES,
		constraints: definition.requestConstraints,
	};
}

// ---------------------------------------------------------------------------------------------
// State

/**
 * @param {{seed?:number, counts?:object}} opts
 * @returns {{ state, ids, prng, meta }}  meta: references the fake needs (accounts, products list …)
 */
function createConnectState({
	seed = 1,
	counts: countOverrides = {},
	apiUrlRef = { value: '' },
} = {}) {
	const counts = { ...DEFAULT_COUNTS, ...countOverrides };
	const prng = createPrng(seed);
	const ids = createIds(prng);
	const start = ANCHOR - 180 * DAY;

	const state = {
		accounts: new Map(),
		users: new Map(),
		hubs: new Map(),
		marketplaces: new Map(),
		contracts: new Map(),
		products: new Map(),
		items: new Map(), // productId -> items[]
		parameters: new Map(), // productId -> parameters[]
		templates: new Map(), // templateId -> template (with .product)
		connections: new Map(),
		listings: new Map(),
		tierAccounts: new Map(),
		assets: new LazyMap(),
		subscriptionAssets: new LazyMap(),
		requests: new LazyMap(),
		tierConfigs: new Map(),
		tierConfigRequests: new Map(),
		tierAccountRequests: new Map(),
		usageFiles: new Map(),
		usageRecords: new Map(),
		usageUploads: new Map(), // usageFileId -> last processed workbook summary
		conversations: new Map(),
		webhooks: new Map(),
	};

	// ------------------------------------------------------------------ accounts and users
	const vendor = {
		id: ids.vendor(),
		name: 'Fake Vendor Inc.',
		icon: null,
		type: 'vendor',
		role: 'vendor',
		brand: 'BR-000',
		external_id: '',
		public: false,
		events: {
			created: { at: connectDate(start - 400 * DAY) },
			updated: { at: connectDate(start) },
		},
	};
	vendor.icon = `/media/${vendor.id}/media/icon.png`;
	const provider = {
		id: ids.provider(),
		name: 'Fake Distributor LLC',
		icon: null,
		type: 'provider',
		role: 'distributor',
		brand: 'BR-000',
		external_id: '',
		public: false,
		events: {
			created: { at: connectDate(start - 500 * DAY) },
			updated: { at: connectDate(start) },
		},
	};
	provider.icon = `/media/${provider.id}/media/icon.png`;
	state.accounts.set(vendor.id, vendor);
	state.accounts.set(provider.id, provider);
	const vendorRef = { id: vendor.id, name: vendor.name, icon: vendor.icon };
	const providerRef = { id: provider.id, name: provider.name, icon: provider.icon };

	for (let i = 0; i < 3; i++) {
		const user = {
			id: ids.user(),
			name: `${FIRST_NAMES[i]} ${LAST_NAMES[i]}`,
			email: `${FIRST_NAMES[i]}.${LAST_NAMES[i]}@fake-vendor.example`.toLowerCase(),
			active: true,
			status: 'active',
			account: { id: vendor.id, name: vendor.name },
			events: { created: { at: connectDate(start - 300 * DAY) } },
		};
		state.users.set(user.id, user);
	}
	const [firstUser] = state.users.values();
	const actor = { id: firstUser.id, name: firstUser.name };

	// ------------------------------------------------------------------ hubs, marketplaces, contracts
	for (let i = 0; i < counts.hubs; i++) {
		const hub = {
			id: ids.hub(),
			name: i === 0 ? 'Fake Production Hub' : `Fake Hub ${i + 1}`,
			description: 'Hub of the fake distributor',
			company: providerRef,
			instance: { id: ids.uuid(), type: 'api' },
			events: {
				created: { at: connectDate(start - 200 * DAY) },
				updated: { at: connectDate(start) },
			},
			stats: { connections: 0, marketplaces: 0 },
		};
		state.hubs.set(hub.id, hub);
	}
	const hubs = [...state.hubs.values()];

	for (let i = 0; i < counts.marketplaces; i++) {
		const bp = MARKETPLACE_BLUEPRINTS[i % MARKETPLACE_BLUEPRINTS.length];
		const id = ids.marketplace();
		const hub = hubs[i % hubs.length];
		hub.stats.marketplaces++;
		const marketplace = {
			id,
			name: i < MARKETPLACE_BLUEPRINTS.length ? bp.name : `${bp.name} ${i + 1}`,
			description: `${bp.name} of the fake distributor`,
			icon: `/media/${provider.id}/marketplaces/${id}/icon.png`,
			owner: providerRef,
			zone: bp.zone,
			currency: bp.currency,
			countries: bp.countries.map((c) => ({
				id: c,
				name: c,
				icon: `/static/flags/${c.toLowerCase()}.svg`,
				zone: bp.zone,
			})),
			hubs: [{ hub: { id: hub.id, name: hub.name }, external_id: String(100 + i) }],
			active_contracts: 1,
			stats: { contracts: 1, hubs: 1 },
			events: {
				created: { at: connectDate(start - 150 * DAY) },
				updated: { at: connectDate(start) },
			},
		};
		state.marketplaces.set(id, marketplace);
		const contract = {
			id: ids.contract(),
			name: `Distribution contract ${marketplace.name}`,
			type: 'distribution',
			status: 'active',
			marketplace: { id, name: marketplace.name, icon: marketplace.icon },
			vendor: vendorRef,
			provider: providerRef,
		};
		state.contracts.set(contract.id, contract);
		marketplace.contract = { id: contract.id, name: contract.name, type: 'distribution' };
	}
	const marketplaces = [...state.marketplaces.values()];
	const mpRef = new Map(marketplaces.map((m) => [m.id, { id: m.id, name: m.name, icon: m.icon }]));
	const contractOf = new Map(
		[...state.contracts.values()].map((c) => [
			c.marketplace.id,
			{ id: c.id, name: c.name, type: c.type },
		]),
	);

	// ------------------------------------------------------------------ tier accounts
	const resellers = [];
	const customers = [];
	const makeTierAccount = (type, index, parent) => {
		const bpCountry = prng.pick(Object.keys(CITIES));
		const name = `${COMPANY_WORDS[0][index % 10]} ${COMPANY_WORDS[1][(index * 7 + (type === 'reseller' ? 3 : 0)) % 10]}${index >= 10 ? ` ${Math.floor(index / 10) + 1}` : ''}`;
		const first = prng.pick(FIRST_NAMES);
		const last = prng.pick(LAST_NAMES);
		const created = start - prng.int(30, 400) * DAY;
		const hub = hubs[0];
		const account = {
			id: ids.tierAccount(),
			version: 1,
			name: type === 'reseller' ? `${name} Reseller` : name,
			type,
			db: ['DE', 'FR', 'ES', 'IT'].includes(bpCountry)
				? 'EU'
				: bpCountry === 'AU' || bpCountry === 'NZ'
					? 'AU'
					: 'US',
			external_id: String(prng.int(10000, 99999)),
			external_uid: ids.uuid(),
			parent: parent ? { id: parent.id, name: parent.name, external_id: parent.external_id } : null,
			owner: providerRef,
			scopes: type === 'reseller' ? ['tier1'] : ['customer'],
			hub: { id: hub.id, name: hub.name },
			tax_id: `TX${ids.digits(8)}`,
			environment: 'production',
			events: {
				created: { at: connectDate(created) },
				updated: { at: connectDate(created + DAY) },
			},
			contact_info: contactInfo(prng, bpCountry, first, last, name),
		};
		state.tierAccounts.set(account.id, account);
		// what requests embed under asset.tiers (shared, never mutated)
		account.tierRef = Object.freeze({
			id: account.id,
			external_id: account.external_id,
			external_uid: account.external_uid,
			name: account.name,
			tax_id: account.tax_id,
			contact_info: account.contact_info,
		});
		return account;
	};
	for (let i = 0; i < counts.resellers; i++) resellers.push(makeTierAccount('reseller', i, null));
	for (let i = 0; i < counts.customers; i++)
		customers.push(
			makeTierAccount('customer', i, resellers.length ? resellers[i % resellers.length] : null),
		);
	// tierRef is internal: keep it off the wire
	for (const account of state.tierAccounts.values())
		Object.defineProperty(account, 'tierRef', { enumerable: false, value: account.tierRef });
	const tiersFor = new Map(
		customers.map((c) => {
			const reseller = c.parent && state.tierAccounts.get(c.parent.id);
			return [
				c.id,
				Object.freeze({ customer: c.tierRef, ...(reseller && { tier1: reseller.tierRef }) }),
			];
		}),
	);

	// ------------------------------------------------------------------ products
	const products = [];
	for (let i = 0; i < counts.products; i++) {
		const bp = PRODUCT_BLUEPRINTS[i % PRODUCT_BLUEPRINTS.length];
		const id = ids.product();
		const created = start - (300 - i * 10) * DAY;
		const product = {
			id,
			name: i < PRODUCT_BLUEPRINTS.length ? bp.name : `${bp.name} ${i + 1}`,
			icon: `/media/${vendor.id}/${id}/media/${id}-logo.png`,
			status: 'published',
			external_id: String(1000 + i),
			short_description: `${bp.name} by ${vendor.name}`,
			detailed_description: `${bp.name} is a product of the fake Connect vendor.`,
			version: 1,
			published_at: connectDate(created + 5 * DAY),
			category: { id: ids.category(), name: bp.ppu ? 'Infrastructure' : 'Productivity' },
			owner: vendorRef,
			latest: true,
			purchase_model: 'transactable',
			configurations: { suspend_resume_supported: true, requires_reseller_information: bp.tiers },
			capabilities: {
				ppu: bp.ppu
					? {
							ppu: true,
							schema: bp.ppu,
							dynamic: false,
							predictive: false,
							future: false,
							late: false,
						}
					: null,
				reservation: { consumption: false },
				cart: { validation: false },
				inquiring: { validation: false },
				tiers: {
					updates: bp.tiers,
					configs: bp.tiers ? { configs: true, level: '1' } : null,
					validation: false,
				},
				subscription: { change: { editable_ordering_parameters: true }, schema: 'evergreen' },
			},
			visibility: { owner: true, listing: true, syndication: false, catalog: true },
			events: {
				created: { at: connectDate(created), by: actor },
				published: { at: connectDate(created + 5 * DAY), by: actor },
				updated: { at: connectDate(created + 6 * DAY), by: actor },
			},
			stats: { versions: 1 },
			public: true,
			staging: false,
		};
		state.products.set(id, product);
		products.push(product);
		const productRef = Object.freeze({
			id,
			icon: product.icon,
			name: product.name,
			status: product.status,
		});
		Object.defineProperty(product, 'ref', { enumerable: false, value: productRef });

		// items
		const items = [];
		const plans = bp.ppu
			? [
					['Reservation', 'Base subscription', 'Monthly'],
					['PPU', `${bp.unit} consumed`, 'Monthly'],
					['PPU', `${bp.unit} premium`, 'Monthly'],
				]
			: [
					['Reservation', 'Standard plan', 'Monthly'],
					['Reservation', 'Premium plan', 'Monthly'],
					['Reservation', 'Premium plan (annual)', 'Yearly'],
				];
		plans.forEach(([type, title, period], n) => {
			const localId =
				`${product.name.toUpperCase().replace(/[^A-Z]+/g, '_')}_${title.toUpperCase().replace(/[^A-Z]+/g, '_')}`.replace(
					/_+$/,
					'',
				);
			items.push({
				id: `${id}-${String(n + 1).padStart(4, '0')}`,
				name: `${product.name} ${title}`,
				display_name: `${product.name} ${title}`,
				mpn: `MPN-${id.slice(4)}-${n + 1}`,
				local_id: localId,
				type,
				period,
				precision: type === 'PPU' ? 'decimal(2)' : 'integer',
				unit: {
					id: bp.unit.toLowerCase().replace(/\s+/g, '_'),
					name: bp.unit,
					title: bp.unit,
					unit: bp.unit.toLowerCase(),
				},
				status: 'published',
				position: n + 1,
				dynamic: false,
				commitment: { multiplier: 'billing_period', count: 1 },
				events: {
					created: { at: connectDate(created) },
					updated: { at: connectDate(created + DAY) },
				},
			});
		});
		state.items.set(id, items);

		// parameters
		const parameters = [];
		const definitions = [
			...ASSET_PARAMS.map((p) => [...p, 'asset']),
			...(bp.tiers ? TIER_PARAMS.map((p) => [...p, 'tier1']) : []),
		];
		definitions.forEach(([name, title, type, phase, required, hidden, scope], n) => {
			const constraints = {
				required,
				hidden,
				unique: false,
				reconciliation: false,
				shared: 'view',
			};
			const parameter = {
				id: ids.parameter(id, n + 1),
				name,
				title,
				description: `${title} of the subscription`,
				type,
				scope,
				phase,
				hint: '',
				placeholder: '',
				constraints,
				position: n + 1,
				events: {
					created: { at: connectDate(created) },
					updated: { at: connectDate(created + DAY) },
				},
			};
			Object.defineProperty(parameter, 'requestConstraints', {
				enumerable: false,
				value: Object.freeze({ required, hidden, readonly: false, unique: false }),
			});
			parameters.push(parameter);
		});
		state.parameters.set(id, parameters);

		// templates
		TEMPLATE_BLUEPRINTS.forEach(([name, scope, type, body], n) => {
			if (scope !== 'asset' && !bp.tiers) return;
			const template = {
				id: ids.template(),
				title: name,
				name,
				body,
				scope,
				type,
				position: n + 1,
				events: {
					created: { at: connectDate(created) },
					updated: { at: connectDate(created + DAY) },
				},
			};
			Object.defineProperty(template, 'productId', { enumerable: false, value: id });
			state.templates.set(template.id, template);
		});

		// connections (production on the first hub, test on the second)
		hubs.forEach((hub, n) => {
			const connection = {
				id: ids.connection(),
				type: n === 0 ? 'production' : 'test',
				status: 'approved',
				provider: providerRef,
				vendor: vendorRef,
				hub: { id: hub.id, name: hub.name },
				created_at: connectDate(created + 2 * DAY),
				product_version_type: 'public',
				events: { created: { at: connectDate(created + 2 * DAY) } },
			};
			Object.defineProperty(connection, 'productId', { enumerable: false, value: id });
			hub.stats.connections++;
			state.connections.set(connection.id, connection);
		});

		// listings: every product is listed in every marketplace
		for (const marketplace of marketplaces) {
			const listing = {
				id: ids.listing(),
				status: 'listed',
				contract: contractOf.get(marketplace.id),
				product: { ...productRef, category: product.category },
				marketplace: mpRef.get(marketplace.id),
				vendor: vendorRef,
				provider: providerRef,
				pending_request: null,
				created: connectDate(created + 3 * DAY),
				updated: connectDate(created + 4 * DAY),
			};
			state.listings.set(listing.id, listing);
		}
	}
	const connectionsOf = new Map(
		products.map((p) => [
			p.id,
			[...state.connections.values()].filter((c) => c.productId === p.id),
		]),
	);
	const connectionRef = new Map(
		[...state.connections.values()].map((c) => [
			c.id,
			Object.freeze({ id: c.id, type: c.type, provider: c.provider, vendor: c.vendor, hub: c.hub }),
		]),
	);
	const assetParamDefs = new Map(
		products.map((p) => [p.id, state.parameters.get(p.id).filter((d) => d.scope === 'asset')]),
	);
	const assetParamsOf = (product) =>
		assetParamDefs.get(product.id) ||
		state.parameters.get(product.id).filter((d) => d.scope === 'asset');
	const domains = new Map();
	const domainOf = (customer) => {
		let domain = domains.get(customer.id);
		if (!domain) {
			domain = `${customer.name.toLowerCase().replace(/[^a-z0-9]+/g, '')}.example`;
			domains.set(customer.id, domain);
		}
		return domain;
	};
	const templatesOf = (productId, scope, type) =>
		[...state.templates.values()].filter(
			(t) => t.productId === productId && t.scope === scope && (!type || t.type === type),
		);

	// ------------------------------------------------------------------ fulfillment requests
	const meta = {
		vendor,
		provider,
		vendorRef,
		providerRef,
		actor,
		products,
		marketplaces,
		customers,
		resellers,
		hubs,
		mpRef,
		contractOf,
		connectionsOf,
		connectionRef,
		tiersFor,
		templatesOf,
	};

	// Seeded assets share frozen item and parameter arrays (values depend on product and customer
	// only), which keeps 100k requests cheap. Anything that changes them copies first: ownParams().
	const sharedItems = new Map();
	function assetItems(product, wanted, rng) {
		const productItems = state.items.get(product.id);
		const line = (item, quantity) => ({
			id: item.local_id,
			global_id: item.id,
			mpn: item.mpn,
			display_name: item.display_name,
			item_type: item.type,
			type: item.unit.name,
			period: item.period,
			quantity: String(quantity === undefined ? 1 : quantity),
			old_quantity: '0',
			params: NO_PARAMS,
		});
		if (wanted) {
			return wanted
				.map((want) => {
					const item = productItems.find(
						(i) => i.id === want.id || i.local_id === want.id || i.mpn === want.id,
					);
					return item && line(item, want.quantity);
				})
				.filter(Boolean);
		}
		const quantity = rng.int(1, 50);
		const key = `${product.id}|${quantity}`;
		let items = sharedItems.get(key);
		if (!items) {
			items = Object.freeze([Object.freeze(line(productItems[0], quantity))]);
			sharedItems.set(key, items);
		}
		return items;
	}

	const sharedParams = new Map();
	function assetParams(product, customer, opts) {
		const custom = Boolean(opts.paramValues);
		const errors = opts.valueErrors || {};
		const key = `${product.id}|${customer.id}|${Boolean(opts.emptyRequired)}|${Object.keys(errors).join(',')}`;
		if (!custom && sharedParams.has(key)) return sharedParams.get(key);
		const values = opts.paramValues || {};
		const customerNo = customers.indexOf(customer) + 1;
		const params = assetParamsOf(product).map((definition) => {
			let value = '';
			if (definition.name in values) value = values[definition.name];
			else if (definition.name === 'customer_domain') value = domainOf(customer);
			else if (definition.name === 'purchase_order')
				value = `PO-${product.id.slice(4, 7)}${String(customerNo).padStart(4, '0')}`;
			else if (definition.name === 'activation_code' && !opts.emptyRequired)
				value = `ACT-${product.id.slice(8, 11)}-${String(customerNo).padStart(5, '0')}`;
			else if (
				definition.phase === 'fulfillment' &&
				definition.constraints.required &&
				!opts.emptyRequired
			)
				value = `${definition.name}-${customerNo}`;
			const param = requestParam(definition, value, errors[definition.name] || '');
			return custom ? param : Object.freeze(param);
		});
		if (custom) return params;
		Object.freeze(params);
		sharedParams.set(key, params);
		return params;
	}

	/** The asset's parameter array, copied first when it is a shared (frozen) seed array. */
	function ownParams(asset) {
		if (Object.isFrozen(asset.params)) asset.params = asset.params.map((p) => ({ ...p }));
		return asset.params;
	}
	meta.ownParams = ownParams;

	/**
	 * Build (not store) an asset request. Used by the seed, POST /requests and fake.addRequest().
	 * opts: { product, marketplace, customer, connection, type, status, created (ms), asset (existing),
	 *   seq, emptyRequired, paramValues {name: value}, valueErrors {name: error}, items [{id, quantity}] }
	 */
	function buildRequest(opts) {
		const product = opts.product;
		const marketplace = opts.marketplace || marketplaces[0];
		const created = opts.created;
		const type = opts.type || 'purchase';
		const status = opts.status || 'pending';
		let asset = opts.asset;
		if (!asset) {
			const customer = opts.customer || customers[0];
			const connection = opts.connection || connectionsOf.get(product.id)[0];
			const at = connectDate(created);
			asset = {
				id: opts.assetId || ids.asset(),
				status: 'processing',
				external_id: String(opts.externalId || 100000 + state.assets.size),
				external_uid: (opts.rng || prng).uuid(),
				product: product.ref,
				connection: connectionRef.get(connection.id),
				events: { created: { at }, updated: { at } },
				items: assetItems(product, opts.items, opts.rng || prng),
				params: assetParams(product, customer, opts),
				tiers: opts.tiers || tiersFor.get(customer.id),
				configuration: EMPTY_CONFIGURATION,
				marketplace: mpRef.get(marketplace.id),
				contract: contractOf.get(marketplace.id),
				pending_request: null,
			};
			state.assets.set(asset.id, asset);
		} else if (opts.emptyRequired || opts.paramValues || opts.valueErrors) {
			for (const param of ownParams(asset)) {
				if (opts.paramValues && param.id in opts.paramValues)
					param.value = opts.paramValues[param.id];
				if (opts.valueErrors && param.id in opts.valueErrors)
					param.value_error = opts.valueErrors[param.id];
				if (opts.emptyRequired && param.phase === 'fulfillment' && param.constraints.required)
					param.value = '';
			}
		}
		const seq = opts.seq || 1;
		const at = connectDate(created);
		const request = {
			id: `PR-${asset.id.slice(3)}-${String(seq).padStart(3, '0')}`,
			type,
			note: '',
			reason: '',
			status,
			created: at,
			updated: at,
			effective_date: at,
			answered: false,
			assignee: null,
			activation_key: '',
			template: null,
			marketplace: asset.marketplace,
			contract: asset.contract,
			asset,
		};
		if (seq > 1)
			request.previous_approved_request = {
				id: `PR-${asset.id.slice(3)}-${String(seq - 1).padStart(3, '0')}`,
			};
		return request;
	}
	meta.buildRequest = buildRequest;
	attachBuilders(meta, state, ids, apiUrlRef);

	/** Asset status after a request of `type` reached `status`. */
	function settleAsset(request) {
		const asset = request.asset;
		if (
			request.status === 'pending' ||
			request.status === 'inquiring' ||
			request.status === 'draft' ||
			request.status === 'scheduled'
		) {
			asset.pending_request = { id: request.id, type: request.type, status: request.status };
			if (request.type === 'purchase') asset.status = 'processing';
			return;
		}
		if (asset.pending_request && asset.pending_request.id === request.id)
			asset.pending_request = null;
		if (request.status === 'approved') {
			asset.status =
				{
					purchase: 'active',
					change: 'active',
					resume: 'active',
					suspend: 'suspended',
					cancel: 'terminated',
				}[request.type] || 'active';
		} else if (request.status === 'failed' && request.type === 'purchase') {
			asset.status = 'terminated';
		}
		if (asset.events.updated.at !== request.updated) asset.events.updated = { at: request.updated };
		if (asset.status === 'active' || asset.status === 'suspended') {
			if (!asset.billing) {
				const createdMs = Date.parse(asset.events.created.at);
				asset.billing = {
					period: MONTHLY,
					next_date: connectDate(createdMs + 30 * DAY),
					anniversary: { day: new Date(createdMs).getUTCDate(), month: null },
				};
			}
			state.subscriptionAssets.set(asset.id, asset);
		}
	}
	meta.settleAsset = settleAsset;

	const defaultTemplates = new Map(
		products.map((p) => [p.id, templatesOf(p.id, 'asset', 'fulfillment')[0]]),
	);
	const renderedCache = new Map();
	const templateRefs = new Map();
	function approveSeeded(request) {
		const template = defaultTemplates.get(request.asset.product.id);
		let ref = templateRefs.get(template.id);
		if (!ref)
			templateRefs.set(
				template.id,
				(ref = Object.freeze({
					id: template.id,
					name: template.name,
					representation: template.name,
				})),
			);
		request.template = ref;
		const params = request.asset.params;
		let text = Object.isFrozen(params) && renderedCache.get(params);
		if (!text) {
			text = renderTemplate(template.body, params, { product_name: request.asset.product.name });
			if (Object.isFrozen(params)) renderedCache.set(params, text);
		}
		request.activation_key = text;
	}

	// Requests are planned up front (ids, types, statuses in typed arrays: cheap even for 100k) and
	// built on first access, one "slot" (an asset with its one or two requests) at a time, with a
	// PRNG of their own so the result does not depend on the order of access.
	const TYPES = ['purchase', 'change', 'suspend', 'resume', 'cancel'];
	const STATUSES = ['pending', 'inquiring', 'approved', 'failed'];
	const TYPE_WEIGHTS = [
		[0, 55],
		[1, 15],
		[2, 10],
		[3, 5],
		[4, 15],
	];
	const STATUS_WEIGHTS = [
		[0, 40],
		[1, 10],
		[2, 35],
		[3, 15],
	];
	const INQUIRY = {
		customer_domain: 'This domain is already registered, please provide another one.',
	};
	// [type, status, emptyRequired, product]: the first slots cover every case tests look for, then
	// every pay-per-use product gets two active assets (usage files need them)
	const FORCED = [
		[0, 0, 0, 0],
		[0, 0, 1, 1],
		[0, 1, 0, 0],
		[0, 2, 0, 1],
		[0, 3, 0, 0],
		[1, 0, 0, 1],
		[2, 0, 0, 0],
		[4, 0, 0, 1],
	].map(([t, st, e, p]) => [t, st, e, p % products.length]);
	products.forEach((product, index) => {
		if (product.capabilities.ppu) FORCED.push([0, 2, 0, index], [0, 2, 0, index]);
	});
	const span = 175 * DAY;
	const total = Math.max(0, counts.requests);
	// about 1.45 requests per slot (non-purchase slots also hold the approved purchase)
	const step = total ? (span * 1.45) / total : 0;
	const capacity = total + 1;
	const plan = {
		assetId: [],
		created: new Float64Array(capacity),
		type: new Uint8Array(capacity),
		status: new Uint8Array(capacity),
		empty: new Uint8Array(capacity),
		product: new Uint16Array(capacity),
		marketplace: new Uint16Array(capacity),
		connection: new Uint8Array(capacity),
	};
	let planned = 0;
	let slots = 0;
	while (planned < total) {
		const i = slots++;
		plan.created[i] = Math.min(
			Math.round(start + i * step + prng.next() * step * 0.5),
			ANCHOR - 2 * DAY,
		);
		let [type, status, empty, productIndex] =
			i < FORCED.length
				? FORCED[i]
				: [
						prng.weighted(TYPE_WEIGHTS),
						prng.weighted(STATUS_WEIGHTS),
						0,
						prng.int(0, products.length - 1),
					];
		if (i >= FORCED.length && status === 0) empty = prng.chance(0.5) ? 1 : 0;
		if (type !== 0 && planned + 2 > total) type = 0;
		plan.type[i] = type;
		plan.status[i] = status;
		plan.empty[i] = empty;
		plan.product[i] = productIndex;
		plan.marketplace[i] = prng.int(0, marketplaces.length - 1);
		plan.connection[i] = prng.chance(0.85) ? 0 : 1;
		const assetId = ids.asset();
		plan.assetId.push(assetId);
		const digits = assetId.slice(3);
		state.assets.addLazy(assetId, i);
		state.requests.addLazy(`PR-${digits}-001`, i);
		if (type !== 0) state.requests.addLazy(`PR-${digits}-002`, i);
		if (type !== 0 || status === 2) state.subscriptionAssets.addLazy(assetId, i);
		planned += type === 0 ? 1 : 2;
	}

	const slotRandom = createSlotRandom();
	function materializeSlot(i) {
		const rng = slotRandom.seed(Math.imul(seed + 1, 1000003) + Math.imul(i, 7919));
		const created = plan.created[i];
		const type = TYPES[plan.type[i]];
		const status = STATUSES[plan.status[i]];
		const product = products[plan.product[i]];
		const marketplace = marketplaces[plan.marketplace[i]];
		const customer = customers.length ? customers[i % customers.length] : undefined;
		const connections = connectionsOf.get(product.id);
		const connection = connections[plan.connection[i] ? connections.length - 1 : 0];
		const common = {
			product,
			marketplace,
			customer,
			connection,
			created,
			rng,
			assetId: plan.assetId[i],
			externalId: 100000 + i,
		};
		if (type === 'purchase') {
			const request = buildRequest({
				...common,
				type,
				status,
				emptyRequired: Boolean(plan.empty[i]) || status === 'inquiring',
				valueErrors: status === 'inquiring' ? INQUIRY : undefined,
			});
			finish(request, created);
			return;
		}
		const purchase = buildRequest({ ...common, type: 'purchase', status: 'approved' });
		finish(purchase, created);
		const later = Math.min(created + Math.round(step * 0.4) + 1000, ANCHOR - 1000);
		const follow = buildRequest({
			product,
			asset: purchase.asset,
			type,
			status,
			created: later,
			seq: 2,
			emptyRequired: Boolean(plan.empty[i]),
		});
		finish(follow, later);
	}
	for (const name of ['assets', 'requests', 'subscriptionAssets'])
		state[name].materialize = materializeSlot;

	function finish(request, created) {
		if (request.status === 'approved') approveSeeded(request);
		if (request.status === 'failed') request.reason = 'The customer domain could not be verified.';
		if (request.status !== 'pending' && request.status !== 'draft') {
			request.updated = connectDate(created + 3600000);
			request.asset.events.updated = { at: request.updated };
		}
		state.requests.set(request.id, request);
		settleAsset(request);
	}

	// ------------------------------------------------------------------ tier configs and requests
	const tierProducts = products.filter((p) => p.capabilities.tiers.configs);
	const tcForced = [
		['setup', 'pending', false],
		['setup', 'pending', true],
		['setup', 'inquiring', true],
		['setup', 'approved', false],
		['update', 'failed', false],
	];
	for (let i = 0; i < counts.tierConfigs && tierProducts.length && resellers.length; i++) {
		const product = tierProducts[i % tierProducts.length];
		const reseller = resellers[i % resellers.length];
		const marketplace = marketplaces[i % marketplaces.length];
		const connection = connectionsOf.get(product.id)[0];
		const created = start + (i + 1) * 9 * DAY;
		const [type, status, emptyRequired] =
			i < tcForced.length
				? tcForced[i]
				: [
						prng.pick(['setup', 'update']),
						prng.weighted([
							['pending', 40],
							['approved', 45],
							['failed', 15],
						]),
						false,
					];
		const tierParams = state.parameters.get(product.id).filter((p) => p.scope === 'tier1');
		const config = {
			id: ids.tierConfig(),
			name: `${reseller.name} configuration for ${product.name}`,
			account: { id: reseller.id, ...reseller.tierRef, external_uid: reseller.external_uid },
			product: { id: product.id, icon: product.icon, name: product.name, status: product.status },
			tier_level: 1,
			connection: connectionRef.get(connection.id),
			events: { created: { at: connectDate(created) }, updated: { at: connectDate(created) } },
			params: [],
			template: null,
			open_request: null,
			status: status === 'approved' ? 'active' : 'processing',
			contract: contractOf.get(marketplace.id),
			marketplace: mpRef.get(marketplace.id),
		};
		const params = tierParams.map((definition) => {
			let value = '';
			if (definition.name === 'reseller_region') value = reseller.db;
			else if (!emptyRequired) value = `RS-${ids.digits(6)}`;
			return requestParam(
				definition,
				value,
				status === 'inquiring' && definition.constraints.required
					? 'Please provide your reseller identifier.'
					: '',
			);
		});
		config.params = params.map((p) => ({ ...p }));
		const tcr = {
			id: ids.tierConfigRequest(),
			type,
			status,
			configuration: config,
			parent_configuration: null,
			events: {
				created: { at: connectDate(created) },
				updated: { at: connectDate(created + (status === 'pending' ? 0 : 7200000)) },
			},
			params,
			assignee: null,
			template: null,
			activation: null,
			notes: '',
			reason: status === 'failed' ? 'Reseller could not be verified.' : '',
			environment: connection.type,
			marketplace: config.marketplace,
			contract: config.contract,
			tiers: { tier1: reseller.tierRef },
		};
		if (status === 'approved') {
			const [template] = templatesOf(product.id, 'tier1', 'fulfillment');
			tcr.template = {
				id: template.id,
				name: template.name,
				representation: renderTemplate(template.body, params),
			};
			config.template = { id: template.id, name: template.name };
		}
		if (status === 'pending' || status === 'inquiring') config.open_request = { id: tcr.id };
		state.tierConfigs.set(config.id, config);
		state.tierConfigRequests.set(tcr.id, tcr);
	}

	// ------------------------------------------------------------------ tier account requests
	for (let i = 0; i < counts.tierAccountRequests && customers.length; i++) {
		const account = customers[(i * 3) % customers.length];
		const product = products[i % products.length];
		const created = start + (i + 2) * 11 * DAY;
		const status =
			i === 0 || i === 1
				? 'pending'
				: i === 2
					? 'accepted'
					: prng.pick(['pending', 'accepted', 'ignored']);
		const tar = {
			id: `TAR-${account.id.slice(3)}-${String(i + 1).padStart(3, '0')}`,
			type: 'update',
			status,
			account: {
				id: account.id,
				version: 2,
				db: account.db,
				name: account.name,
				type: account.type,
				external_id: account.external_id,
				external_uid: account.external_uid,
				parent: account.parent,
				owner: account.owner,
				scopes: account.scopes,
				hub: account.hub,
				tax_id: account.tax_id,
				contact_info: account.contact_info,
				events: account.events,
				environment: account.environment,
			},
			vendor: vendorRef,
			provider: providerRef,
			product: { id: product.id, icon: product.icon, name: product.name, status: product.status },
			reason: status === 'ignored' ? 'Not relevant for this product.' : null,
			events: {
				created: { at: connectDate(created) },
				updated: { at: connectDate(created + (status === 'pending' ? 0 : DAY)) },
			},
		};
		state.tierAccountRequests.set(tar.id, tar);
	}

	// ------------------------------------------------------------------ usage files and records
	const usageProducts = products.filter((p) => p.capabilities.ppu);
	const ufStatuses = ['draft', 'ready', 'pending', 'accepted', 'closed', 'invalid'];
	for (let i = 0; i < counts.usageFiles && usageProducts.length; i++) {
		const product = usageProducts[i % usageProducts.length];
		const marketplace = marketplaces[i % marketplaces.length];
		const status = i < ufStatuses.length ? ufStatuses[i] : prng.pick(ufStatuses);
		const periodStart = Date.UTC(2025, i % 5, 1);
		const periodEnd = Date.UTC(2025, (i % 5) + 1, 0);
		const created = periodEnd + DAY + i * 3600000;
		const uf = meta.buildUsageFile({
			product,
			contract: state.contracts.get(contractOf.get(marketplace.id).id),
			name: `Usage ${isoDay(periodStart).slice(0, 7)} ${product.name}`,
			description: `Monthly usage of ${product.name}`,
			period: { from: isoDay(periodStart), to: isoDay(periodEnd) },
			currency: marketplace.currency,
			created,
		});
		uf.status = status;
		if (status === 'invalid') {
			uf.error_detail = 'Missing required columns: quantity.';
			uf.events.uploaded = { at: connectDate(created + 600000), by: actor };
		} else if (status !== 'draft') {
			const assets = [];
			for (const asset of state.assets.values()) {
				if (asset.product.id === product.id && asset.status === 'active') assets.push(asset);
				if (assets.length === 4) break;
			}
			const ppuItems = state.items.get(product.id).filter((it) => it.type === 'PPU');
			assets.forEach((asset, n) => {
				meta.addUsageRecord(uf, {
					asset,
					item: ppuItems[n % ppuItems.length],
					quantity: prng.int(1, 500),
					amount: product.capabilities.ppu.schema === 'QT' ? null : prng.int(10, 1000) / 10,
					start: periodStart,
					end: periodEnd + DAY - 1000,
					recordStatus: {
						ready: 'valid',
						pending: 'valid',
						accepted: 'approved',
						closed: 'closed',
					}[status],
				});
			});
			uf.events.uploaded = { at: connectDate(created + 600000), by: actor };
			if (['pending', 'accepted', 'closed'].includes(status))
				uf.events.submitted = { at: connectDate(created + 3600000), by: actor };
			if (['accepted', 'closed'].includes(status)) {
				uf.events.accepted = { at: connectDate(created + 7200000), by: actor };
				uf.acceptance_note = 'Usage verified.';
			}
			if (status === 'closed') uf.events.closed = { at: connectDate(created + 9000000), by: actor };
			meta.recountUsageFile(uf);
		}
		state.usageFiles.set(uf.id, uf);
	}

	// ------------------------------------------------------------------ webhooks
	for (let i = 0; i < counts.webhooks && products.length; i++) {
		const webhook = meta.buildWebhook(
			{
				label: `Seeded webhook ${i + 1}`,
				description: 'Registered by an older integration',
				product_id: products[0].id,
				object_class: 'fulfillment_request',
				external_url: `https://integrations.example/connect/hook-${i + 1}`,
				jwt_secret: `JWT-${ids.uuid()}`,
				active: false,
				http_method: 'POST',
				data: {},
				headers: { 'Content-Type': 'application/json' },
			},
			start + (i + 1) * DAY,
		);
		state.webhooks.set(webhook.id, webhook);
	}

	return { state, ids, prng, meta, counts };
}

/**
 * Builders that need `state`/`ids` and are used by the seed and by the fake's handlers
 * (meta.buildUsageFile, addUsageRecord, recordsOf, recountUsageFile, buildWebhook).
 */
function attachBuilders(meta, state, ids, apiUrlRef) {
	meta.buildUsageFile = ({
		product,
		contract,
		name,
		description = '',
		note = '',
		period,
		currency,
		external_id: externalId = '',
		created,
	}) => {
		const marketplace = state.marketplaces.get(contract.marketplace.id);
		const id = ids.usageFile(created);
		return {
			id,
			name,
			description,
			note,
			status: 'draft',
			schema: product.capabilities.ppu ? product.capabilities.ppu.schema.toLowerCase() : 'qt',
			currency,
			period: { from: period.from, to: period.to },
			product: { id: product.id, name: product.name, icon: product.icon },
			contract: { id: contract.id, name: contract.name },
			marketplace: { id: marketplace.id, name: marketplace.name, icon: marketplace.icon },
			vendor: { id: meta.vendor.id, name: meta.vendor.name, icon: meta.vendor.icon },
			provider: { id: meta.provider.id, name: meta.provider.name, icon: meta.provider.icon },
			environment: 'production',
			external_id: externalId,
			error_detail: null,
			acceptance_note: '',
			rejection_note: '',
			stats: { uploaded: 0, validated: 0, pending: 0, accepted: 0, closed: 0 },
			records: { valid: 0, invalid: 0, closed: 0 },
			events: { created: { at: connectDate(created), by: meta.actor } },
			usage_file_uri: '',
			processed_file_uri: '',
			start_datetime_utc: `${period.from}T00:00:00+00:00`,
			end_datetime_utc: `${period.to}T23:59:59+00:00`,
		};
	};

	meta.addUsageRecord = (
		uf,
		{
			asset,
			item,
			quantity,
			amount,
			start,
			end,
			recordStatus = 'valid',
			category = 'generic_category',
			tier = null,
			recordNote = '',
		},
	) => {
		const seq = (uf.recordCount || 0) + 1;
		Object.defineProperty(uf, 'recordCount', {
			enumerable: false,
			writable: true,
			configurable: true,
			value: seq,
		});
		const record = {
			id: `UR-${uf.id.slice(3)}-${String(seq).padStart(4, '0')}`,
			start_date: connectDate(start),
			end_date: connectDate(end),
			product_id: uf.product.id,
			external_billing_id: '',
			external_billing_note: '',
			item: {
				id: item.id,
				local_id: item.local_id,
				name: item.name,
				unit: item.unit.name,
				mpn: item.mpn,
				precision: item.precision,
				type: item.type,
			},
			asset: { id: asset.id, external_id: asset.external_id, external_uid: asset.external_uid },
			category,
			tier,
			amount: amount === undefined ? null : amount,
			multiplier: 1,
			usage: quantity,
			status: recordStatus,
			closed_at: null,
			closed_by: null,
			params: recordNote ? [{ parameter_name: 'record_note', parameter_value: recordNote }] : [],
			item_id: item.id,
			asset_id: asset.id,
			usagefile: { id: uf.id, name: uf.name, schema: uf.schema, currency: uf.currency },
			asset_external_id: asset.external_id,
			asset_external_uid: asset.external_uid,
		};
		state.usageRecords.set(record.id, record);
		return record;
	};

	meta.recordsOf = (uf) => {
		const prefix = `UR-${uf.id.slice(3)}-`;
		const out = [];
		for (const [id, record] of state.usageRecords) if (id.startsWith(prefix)) out.push(record);
		return out;
	};

	meta.recountUsageFile = (uf) => {
		const records = meta.recordsOf(uf);
		const by = (s) => records.filter((r) => r.status === s).length;
		uf.records = {
			valid: by('valid') + by('approved'),
			invalid: by('invalid'),
			closed: by('closed'),
		};
		uf.stats = {
			uploaded: records.length,
			validated: by('valid'),
			pending: uf.status === 'pending' ? records.length : 0,
			accepted: by('approved'),
			closed: by('closed'),
		};
		if (records.length) {
			uf.usage_file_uri = `/files/usage/${uf.id}/usage_file.xlsx`;
			uf.processed_file_uri = `/files/usage/${uf.id}/processed.xlsx`;
		}
	};

	meta.buildWebhook = (body, createdMs) => {
		const product = state.products.get(body.product_id);
		const at = connectDate(createdMs);
		return {
			id: ids.webhook(),
			type: body.type || 'event',
			object_class: body.object_class,
			label: body.label,
			active: body.active,
			external_url: body.external_url,
			jwt_secret: body.jwt_secret,
			description: body.description,
			http_method: body.http_method || 'POST',
			product: { id: product.id, name: product.name, icon: product.icon },
			data: body.data || {},
			headers: body.headers || {},
			api_url: apiUrlRef.value,
			created_at: at,
			created_by: { id: meta.actor.id, name: meta.actor.name },
			modified_at: at,
			modified_by: { id: meta.actor.id, name: meta.actor.name },
			account: { id: meta.vendor.id, name: meta.vendor.name },
			earliest_possible_trigger: null,
			stats: {
				events: 0,
				triggers: 0,
				success_triggers: 0,
				failure_triggers: 0,
				failure_since_last_success: 0,
			},
			last_event: null,
			last_success: null,
			last_failure: null,
		};
	};
}

module.exports = {
	ANCHOR,
	DAY,
	DEFAULT_COUNTS,
	attachBuilders,
	connectDate,
	createConnectState,
	isoDay,
	renderTemplate,
	requestParam,
};
