'use strict';
// Unit tests of the NewStore order injection validator (a port of the connector's RuleSet plus the
// limits it forgot) and of the quantity expansion the node's form uses. Pure modules, no n8n.
const test = require('node:test');
const assert = require('node:assert/strict');
const fc = require('fast-check');

const { validateInjectedOrder, minorUnits } = require('../../dist/nodes/NewStore/injection/validate.js');
const { expandQuantities, checkQuantity, MAX_QUANTITY } = require('../../dist/nodes/NewStore/injection/expand.js');
const { CURRENCIES } = require('../../dist/nodes/NewStore/injection/currencies.js');
const { COUNTRIES } = require('../../dist/nodes/NewStore/injection/countries.js');

const taxLines = (base) => [
	{ amount: +(base * 0.0475).toFixed(2), rate: 0.0475, name: 'NC STATE TAX', country_code: 'US' },
	{ amount: +(base * 0.02).toFixed(2), rate: 0.02, name: 'NC COUNTY TAX' },
];

const item = (id, product, price) => ({
	external_item_id: id,
	product_id: product,
	price: {
		item_price: price,
		item_list_price: price,
		item_tax_lines: taxLines(price),
		item_discount_info: [
			{
				type: 'percentage',
				original_value: 30,
				price_adjustment: 19.2,
				discount_ref: 'SALE30',
				coupon_code: '',
				description: '',
			},
		],
		item_order_discount_info: [
			{ type: 'fixed', original_value: 5, price_adjustment: 1.25, discount_ref: 'ORDER5', coupon_code: 'WELCOME5' },
		],
		pricebook: 'default',
	},
	extended_attributes: [
		{ name: 'is_gift_card', value: 'False' },
		{ name: 'requires_shipping', value: 'True' },
	],
	gift_wrapping: false,
});

const address = {
	first_name: 'Jason',
	last_name: 'Juke',
	country: 'US',
	zip_code: '27587',
	city: 'Georgetown',
	state: 'CO',
	address_line_1: '5508 Via Lombardia Plz',
	address_line_2: '',
	phone: '(999) 999-9999',
};

/** Shaped like the connector's valid fixture, with a second shipment and the fields it lacks. */
const VALID = {
	shop: 'storefront-catalog-en',
	shop_locale: 'en-US',
	external_id: '9999999',
	channel_type: 'web',
	channel_name: 'USC',
	currency: 'USD',
	customer_name: 'Jason Juke',
	customer_email: 'JasonJuke@fakemail.com',
	customer_language: 'en',
	customer_locale: 'EN-US',
	external_customer_id: '123456789',
	placed_at: '2023-12-06T18:27:18-05:00',
	price_method: 'tax_excluded',
	is_preconfirmed: true,
	is_historical: false,
	shipping_address: { ...address },
	billing_address: { ...address },
	shipments: [
		{
			items: [item('40240461643845', 'MWU2302-WRK-XL', 64), item('40383447171141', 'MWU2322-MIB-XL', 59)],
			shipping_option: {
				service_level_identifier: 'FedEx - Home Delivery',
				price: 0,
				tax: 0,
				discount_info: [{ type: 'fixed', original_value: 4.99, price_adjustment: 4.99, discount_ref: 'FREESHIP' }],
				routing_strategy: { strategy: 'external' },
			},
		},
		{
			items: [
				item('40022269657157', 'MWS2322-GSG-XL', 64),
				{ ...item('40022269657158', 'GIFTBOX', 5), addon_parent_external_item_id: '40022269657157' },
			],
			shipping_option: { shipping_offer_token: 'eyJ0b2tlbiI6dHJ1ZX0', price: 7.5, tax: 0.6 },
		},
	],
	payments: [
		{
			processor: 'shopify',
			correlation_ref: '6507745869893',
			type: 'captured',
			amount: 140.4,
			method: 'credit_card',
			processed_at: '2023-12-06T18:27:16-05:00',
			metadata: { avs_result_code: 'Y', cvv_result_code: 'M', buyer_action_info: '' },
		},
		{
			processor: 'gift_card',
			correlation_ref: 'GC-1',
			type: 'authorized',
			amount: 20,
			method: 'gift_card',
			wallet: 'Direct',
			processed_at: '2023-12-06T23:27:16.123Z',
		},
	],
	extended_attributes: [
		{ name: 'external_order_id', value: '1829017' },
		{ name: 'order_memo', value: '' },
	],
	notification_blacklist: ['shipment_dispatched', 'order_cancelled'],
	ip_address: '127.0.0.1',
};

const clone = (value) => JSON.parse(JSON.stringify(value));

/** Problems of the valid payload after `mutate` changed a deep copy of it. */
function problemsAfter(mutate) {
	const payload = clone(VALID);
	mutate(payload);
	return validateInjectedOrder(payload);
}

/** Asserts exactly one problem, at `path`, whose message matches `message`. */
function expectOnly(problems, path, message) {
	assert.equal(problems.length, 1, `expected one problem at ${path}, got ${JSON.stringify(problems)}`);
	assert.equal(problems[0].path, path);
	assert.match(problems[0].message, message);
}

function expectFails(mutate, path, message) {
	expectOnly(problemsAfter(mutate), path, message);
}

const long = (n) => 'x'.repeat(n);

test('the full valid payload (two shipments, tax lines, discounts, payments, addresses, attributes) passes', () => {
	assert.deepEqual(validateInjectedOrder(VALID), []);
});

test('a payload that is not an object', () => {
	for (const value of [null, undefined, 'order', 42, [VALID]]) {
		assert.deepEqual(validateInjectedOrder(value), [{ path: '', message: 'must be an object' }]);
	}
});

test('required keys of the order are reported by path', () => {
	for (const key of ['external_id', 'shop', 'shop_locale', 'channel_type', 'channel_name', 'currency', 'shipments']) {
		expectFails((p) => delete p[key], key, /^is required$/);
	}
	expectFails((p) => (p.currency = undefined), 'currency', /^is required$/);
});

test('order strings: type and length limits', () => {
	expectFails((p) => (p.external_id = 9999999), 'external_id', /must be a string/);
	expectFails((p) => (p.external_id = long(65)), 'external_id', /^must be at most 64 characters$/);
	assert.deepEqual(
		problemsAfter((p) => (p.external_id = long(64))),
		[],
	);
	expectFails((p) => (p.shop = long(129)), 'shop', /at most 128 characters/);
	expectFails((p) => (p.channel_name = long(65)), 'channel_name', /at most 64 characters/);
	expectFails((p) => (p.store_id = long(257)), 'store_id', /at most 256 characters/);
	expectFails((p) => (p.associate_id = long(257)), 'associate_id', /at most 256 characters/);
	expectFails((p) => (p.customer_name = long(129)), 'customer_name', /at most 128 characters/);
	expectFails((p) => (p.external_customer_id = long(65)), 'external_customer_id', /at most 64 characters/);
	expectFails((p) => (p.shop_locale = `en-${long(130)}`), 'shop_locale', /at most 128 characters/);
	expectFails((p) => (p.ip_address = 127001), 'ip_address', /must be a string/);
	// Characters, not UTF-16 units.
	assert.deepEqual(
		problemsAfter((p) => (p.external_id = '😀'.repeat(64))),
		[],
	);
});

test('enums name their allowed values', () => {
	expectFails((p) => (p.channel_type = 'pos'), 'channel_type', /^must be one of web, mobile, store$/);
	expectFails((p) => (p.channel_type = 'WEB'), 'channel_type', /must be one of web, mobile, store/);
	expectFails((p) => (p.price_method = 'gross'), 'price_method', /^must be one of tax_included, tax_excluded$/);
	expectFails((p) => (p.payments[1].type = 'pending'), 'payments[1].type', /^must be one of authorized, captured$/);
	expectFails(
		(p) => (p.shipments[0].items[1].price.item_discount_info[0].type = 'bogo'),
		'shipments[0].items[1].price.item_discount_info[0].type',
		/^must be one of fixed, percentage$/,
	);
});

test('currency: the spec enum, exact case', () => {
	assert.equal(CURRENCIES.length, 179);
	assert.deepEqual([...CURRENCIES], [...CURRENCIES].sort());
	expectFails((p) => (p.currency = 'usd'), 'currency', /^must be an ISO 4217 currency code such as USD$/);
	expectFails((p) => (p.currency = 'XYZ'), 'currency', /ISO 4217/);
	expectFails((p) => (p.currency = 840), 'currency', /ISO 4217/);
	assert.deepEqual(
		problemsAfter((p) => (p.currency = 'EUR')),
		[],
	);
});

test('shop_locale is an RFC 5646 tag, customer_language ISO 639-1, customer_email an address', () => {
	for (const ok of ['en', 'en-US', 'de-DE', 'zh-Hant-TW', 'es-419', 'sr-Latn-RS', 'de-CH-1996', 'en-US-x-twain']) {
		assert.deepEqual(
			problemsAfter((p) => (p.shop_locale = ok)),
			[],
			ok,
		);
	}
	for (const bad of ['en_US', 'en-U', 'englishlanguage', '12', 'e', 'en-', '-US', 'en US', 'en-US-']) {
		expectFails((p) => (p.shop_locale = bad), 'shop_locale', /^must be an RFC 5646 language tag such as en-US$/);
	}
	expectFails((p) => (p.customer_language = 'eng'), 'customer_language', /^must be an ISO 639-1 two-letter language code/);
	expectFails((p) => (p.customer_language = 'e1'), 'customer_language', /ISO 639-1/);
	expectFails((p) => (p.customer_email = 'jason.fakemail.com'), 'customer_email', /^must be an email address/);
	expectFails((p) => (p.customer_email = 'jason@fakemail'), 'customer_email', /email address/);
	expectFails((p) => (p.customer_email = `${long(60)}@x.com`), 'customer_email', /^must be at most 64 characters$/);
});

test('placed_at and processed_at are strict RFC 3339 date-times', () => {
	for (const ok of [
		'2024-05-01T10:00:00Z',
		'2024-05-01T10:00:00.5+02:00',
		'2024-02-29T23:59:59-05:30',
		'2023-12-06T18:27:18.123456Z',
	]) {
		assert.deepEqual(
			problemsAfter((p) => (p.placed_at = ok)),
			[],
			ok,
		);
	}
	const bad = [
		'2024-05-01 10:00:00Z',
		'2024-05-01T10:00:00',
		'2024-05-01',
		'2024-05-01T10:00Z',
		'2024-05-01T10:00:00+0200',
		'2024-05-01t10:00:00z',
		'2023-02-29T10:00:00Z',
		'2024-13-01T10:00:00Z',
		'2024-05-01T24:00:00Z',
		'2024-05-01T10:00:00+24:00',
		'Wed, 01 May 2024 10:00:00 GMT',
	];
	for (const value of bad) {
		expectFails((p) => (p.placed_at = value), 'placed_at', /^must be an RFC 3339 date-time such as 2024-05-01T10:00:00Z$/);
	}
	expectFails((p) => (p.payments[1].processed_at = 1701905236000), 'payments[1].processed_at', /RFC 3339/);
});

test('booleans and lists of strings', () => {
	for (const key of ['is_preconfirmed', 'is_fulfilled', 'is_offline', 'is_historical']) {
		expectFails((p) => (p[key] = 'true'), key, /^must be true or false$/);
	}
	expectFails((p) => (p.shipments[0].items[0].gift_wrapping = 'yes'), 'shipments[0].items[0].gift_wrapping', /true or false/);
	expectFails((p) => (p.notification_blacklist = 'order_cancelled'), 'notification_blacklist', /^must be a list$/);
	expectFails((p) => p.notification_blacklist.push(7), 'notification_blacklist[2]', /must be a string/);
});

test('only one shipment may name a service level', () => {
	expectFails(
		(p) => (p.shipments[1].shipping_option = { ...p.shipments[1].shipping_option, service_level_identifier: 'GROUND' }),
		'shipments[1].shipping_option.service_level_identifier',
		/only one shipment may name a service level/,
	);
});

test('shipments: 1 to 10, each with items and a shipping option', () => {
	expectFails((p) => (p.shipments = []), 'shipments', /^must have at least 1 entry$/);
	expectFails(
		(p) => (p.shipments = Array.from({ length: 11 }, (_, i) => (i === 0 ? clone(VALID.shipments[0]) : { ...clone(VALID.shipments[0]), shipping_option: clone(VALID.shipments[1].shipping_option) }))),
		'shipments',
		/^must have at most 10 entries$/,
	);
	assert.deepEqual(
		problemsAfter((p) => (p.shipments = Array.from({ length: 10 }, (_, i) => (i === 0 ? clone(VALID.shipments[0]) : { ...clone(VALID.shipments[0]), shipping_option: clone(VALID.shipments[1].shipping_option) })))),
		[],
	);
	expectFails((p) => (p.shipments = null), 'shipments', /must be a list/);
	expectFails((p) => (p.shipments = { items: [] }), 'shipments', /must be a list/);
	expectFails((p) => (p.shipments[1] = 'parcel'), 'shipments[1]', /^must be an object$/);
	expectFails((p) => delete p.shipments[1].items, 'shipments[1].items', /^is required$/);
	expectFails((p) => delete p.shipments[0].shipping_option, 'shipments[0].shipping_option', /^is required$/);
	expectFails((p) => (p.shipments[0].items = {}), 'shipments[0].items', /must be a list/);
	expectFails((p) => (p.shipments[0].items[1] = null), 'shipments[0].items[1]', /must be an object/);
});

test('items and prices', () => {
	for (const key of ['external_item_id', 'product_id', 'price']) {
		expectFails((p) => delete p.shipments[0].items[1][key], `shipments[0].items[1].${key}`, /^is required$/);
	}
	expectFails(
		(p) => (p.shipments[0].items[0].external_item_id = long(65)),
		'shipments[0].items[0].external_item_id',
		/at most 64/,
	);
	expectFails((p) => (p.shipments[0].items[0].product_id = long(65)), 'shipments[0].items[0].product_id', /at most 64/);
	expectFails((p) => (p.shipments[0].items[0].price = 64), 'shipments[0].items[0].price', /^must be an object$/);
	for (const key of ['item_price', 'item_list_price', 'item_tax_lines']) {
		expectFails((p) => delete p.shipments[1].items[0].price[key], `shipments[1].items[0].price.${key}`, /^is required$/);
	}
	expectFails((p) => (p.shipments[0].items[0].price.pricebook = long(65)), 'shipments[0].items[0].price.pricebook', /at most 64/);
	expectFails((p) => (p.shipments[0].items[0].price.group_ref = long(65)), 'shipments[0].items[0].price.group_ref', /at most 64/);
	expectFails(
		(p) => (p.shipments[0].items[0].extended_attributes[1].value = long(8193)),
		'shipments[0].items[0].extended_attributes[1].value',
		/at most 8192 characters/,
	);
});

test("numbers reject numeric strings and booleans (the connector's invalid fixture case)", () => {
	expectFails(
		(p) => (p.shipments[0].items[0].price.item_price = '64'),
		'shipments[0].items[0].price.item_price',
		/^must be a number \(not a string\)$/,
	);
	expectFails(
		(p) => (p.shipments[0].items[0].price.item_list_price = true),
		'shipments[0].items[0].price.item_list_price',
		/^must be a number \(not true or false\)$/,
	);
	expectFails((p) => (p.payments[0].amount = '140.40'), 'payments[0].amount', /not a string/);
	expectFails((p) => (p.shipments[0].shipping_option.tax = true), 'shipments[0].shipping_option.tax', /not true or false/);
	expectFails(
		(p) => (p.shipments[0].items[0].price.item_tax_lines[0].rate = '0.0475'),
		'shipments[0].items[0].price.item_tax_lines[0].rate',
		/not a string/,
	);
	expectFails(
		(p) => (p.shipments[0].items[0].price.item_price = { value: 64 }),
		'shipments[0].items[0].price.item_price',
		/^must be a number$/,
	);
	const problems = validateInjectedOrder({
		...clone(VALID),
		shipments: [{ ...clone(VALID.shipments[0]), shipping_option: { service_level_identifier: 'x', price: NaN, tax: Infinity } }],
	});
	assert.deepEqual(
		problems.map((p) => p.path),
		['shipments[0].shipping_option.price', 'shipments[0].shipping_option.tax'],
	);
	assert.match(problems[0].message, /finite number/);
});

test('tax lines: required keys, rate any number in [0, 1], country_code at most 2', () => {
	const at = 'shipments[0].items[1].price.item_tax_lines[1]';
	for (const key of ['amount', 'rate', 'name']) {
		expectFails((p) => delete p.shipments[0].items[1].price.item_tax_lines[1][key], `${at}.${key}`, /^is required$/);
	}
	for (const rate of [1, 0.5, 0.0475]) {
		assert.deepEqual(
			problemsAfter((p) => (p.shipments[0].items[1].price.item_tax_lines[1].rate = rate)),
			[],
			String(rate),
		);
	}
	for (const rate of [1.01, -0.1, 20]) {
		expectFails((p) => (p.shipments[0].items[1].price.item_tax_lines[1].rate = rate), `${at}.rate`, /^must be between 0 and 1$/);
	}
	expectFails(
		(p) => (p.shipments[0].items[1].price.item_tax_lines[0].country_code = 'USA'),
		'shipments[0].items[1].price.item_tax_lines[0].country_code',
		/at most 2 characters/,
	);
	expectFails(
		(p) => (p.shipments[0].items[1].price.item_tax_lines[0].name = 5),
		'shipments[0].items[1].price.item_tax_lines[0].name',
		/must be a string/,
	);
});

test('discounts are validated in item_discount_info, item_order_discount_info and shipping_option.discount_info', () => {
	const places = [
		['shipments[0].items[0].price.item_discount_info[0]', (p) => p.shipments[0].items[0].price.item_discount_info[0]],
		['shipments[1].items[0].price.item_order_discount_info[0]', (p) => p.shipments[1].items[0].price.item_order_discount_info[0]],
		['shipments[0].shipping_option.discount_info[0]', (p) => p.shipments[0].shipping_option.discount_info[0]],
	];
	for (const [at, get] of places) {
		for (const key of ['discount_ref', 'type', 'original_value', 'price_adjustment']) {
			expectFails((p) => delete get(p)[key], `${at}.${key}`, /^is required$/);
		}
		expectFails((p) => (get(p).type = 'amount'), `${at}.type`, /one of fixed, percentage/);
		expectFails((p) => (get(p).original_value = -1), `${at}.original_value`, /^must be at least 0$/);
		expectFails((p) => (get(p).price_adjustment = -0.5), `${at}.price_adjustment`, /^must be at least 0$/);
		expectFails((p) => (get(p).discount_ref = long(257)), `${at}.discount_ref`, /at most 256 characters/);
		expectFails((p) => (get(p).coupon_code = long(65)), `${at}.coupon_code`, /at most 64 characters/);
		expectFails((p) => (get(p).description = long(1025)), `${at}.description`, /at most 1024 characters/);
	}
	expectFails(
		(p) => (p.shipments[0].shipping_option.discount_info = {}),
		'shipments[0].shipping_option.discount_info',
		/must be a list/,
	);
});

test('shipping option: service level or offer token, price and tax at least 0, routing strategy', () => {
	const at = 'shipments[0].shipping_option';
	expectFails(
		(p) => delete p.shipments[0].shipping_option.service_level_identifier,
		`${at}.service_level_identifier`,
		/^is required \(or shipping_offer_token\)$/,
	);
	assert.deepEqual(
		problemsAfter((p) => (p.shipments[0].shipping_option.shipping_offer_token = 'tok')),
		[],
	);
	expectFails(
		(p) => (p.shipments[0].shipping_option.service_level_identifier = long(65)),
		`${at}.service_level_identifier`,
		/at most 64 characters/,
	);
	expectFails(
		(p) => delete p.shipments[1].shipping_option.shipping_offer_token,
		'shipments[1].shipping_option.service_level_identifier',
		/shipping_offer_token/,
	);
	for (const key of ['price', 'tax']) {
		expectFails((p) => delete p.shipments[0].shipping_option[key], `${at}.${key}`, /^is required$/);
		expectFails((p) => (p.shipments[0].shipping_option[key] = -1), `${at}.${key}`, /^must be at least 0$/);
	}
	expectFails((p) => (p.shipments[0].shipping_option.routing_strategy = {}), `${at}.routing_strategy.strategy`, /^is required$/);
	expectFails(
		(p) => (p.shipments[0].shipping_option.routing_strategy = 'external'),
		`${at}.routing_strategy`,
		/must be an object/,
	);
	expectFails((p) => (p.shipments[0].shipping_option.carrier = 7), `${at}.carrier`, /must be a string/);
});

test('payments: at most 40, required keys, limits, unique correlation_ref, metadata at most 100 keys', () => {
	const many = (n) => (p) =>
		(p.payments = Array.from({ length: n }, (_, i) => ({ ...clone(VALID.payments[1]), correlation_ref: `GC-${i}` })));
	assert.deepEqual(problemsAfter(many(40)), []);
	expectFails(many(41), 'payments', /^must have at most 40 entries$/);
	for (const key of ['type', 'amount', 'method', 'processed_at', 'processor', 'correlation_ref']) {
		expectFails((p) => delete p.payments[1][key], `payments[1].${key}`, /^is required$/);
	}
	expectFails((p) => (p.payments[0].amount = -5), 'payments[0].amount', /^must be greater than 0$/);
	expectFails((p) => (p.payments[0].method = long(65)), 'payments[0].method', /at most 64 characters/);
	expectFails((p) => (p.payments[0].processor = long(33)), 'payments[0].processor', /at most 32 characters/);
	expectFails((p) => (p.payments[0].correlation_ref = long(129)), 'payments[0].correlation_ref', /at most 128 characters/);
	expectFails((p) => (p.payments[1].wallet = long(65)), 'payments[1].wallet', /at most 64 characters/);
	expectFails(
		(p) => (p.payments[1].correlation_ref = '6507745869893'),
		'payments[1].correlation_ref',
		/^must be unique within the order \(payments\[0\] has the same\)$/,
	);
	const metadata = Object.fromEntries(Array.from({ length: 101 }, (_, i) => [`k${i}`, i]));
	expectFails((p) => (p.payments[0].metadata = metadata), 'payments[0].metadata', /^must have at most 100 keys$/);
	delete metadata.k0;
	assert.deepEqual(
		problemsAfter((p) => (p.payments[0].metadata = metadata)),
		[],
	);
	expectFails((p) => (p.payments[0].metadata = ['a']), 'payments[0].metadata', /must be an object/);
	expectFails((p) => (p.payments = [clone(VALID.payments[0]), 'cash']), 'payments[1]', /must be an object/);
});

test('extended attributes: at most 100, name 1–100, value at most 8192', () => {
	const many = (n) => (p) => (p.extended_attributes = Array.from({ length: n }, (_, i) => ({ name: `a${i}`, value: 'v' })));
	assert.deepEqual(problemsAfter(many(100)), []);
	expectFails(many(101), 'extended_attributes', /^must have at most 100 entries$/);
	expectFails((p) => delete p.extended_attributes[1].name, 'extended_attributes[1].name', /^is required$/);
	expectFails((p) => delete p.extended_attributes[0].value, 'extended_attributes[0].value', /^is required$/);
	expectFails((p) => (p.extended_attributes[0].name = long(101)), 'extended_attributes[0].name', /at most 100 characters/);
	expectFails((p) => (p.extended_attributes[0].value = long(8193)), 'extended_attributes[0].value', /at most 8192 characters/);
	expectFails((p) => (p.extended_attributes[0].value = 1), 'extended_attributes[0].value', /must be a string/);
});

test('addresses: address_line_1 and a real ISO 3166-1 alpha-2 country, lengths', () => {
	assert.equal(COUNTRIES.length, 249);
	for (const which of ['shipping_address', 'billing_address']) {
		expectFails((p) => delete p[which].address_line_1, `${which}.address_line_1`, /^is required$/);
		expectFails((p) => delete p[which].country, `${which}.country`, /^is required$/);
		for (const bad of ['XX', 'UK', 'us', 'USA', 'EU']) {
			expectFails((p) => (p[which].country = bad), `${which}.country`, /^must be an ISO 3166-1 alpha-2 country code such as US$/);
		}
		expectFails((p) => (p[which].address_line_1 = long(129)), `${which}.address_line_1`, /at most 128 characters/);
	}
	const limits = {
		address_line_2: 256,
		first_name: 64,
		last_name: 64,
		city: 64,
		state: 32,
		zip_code: 32,
		phone: 128,
		title: 32,
		suffix: 32,
		salutation: 32,
	};
	for (const [key, max] of Object.entries(limits)) {
		assert.deepEqual(
			problemsAfter((p) => (p.billing_address[key] = long(max))),
			[],
			key,
		);
		expectFails(
			(p) => (p.billing_address[key] = long(max + 1)),
			`billing_address.${key}`,
			new RegExp(`^must be at most ${max} characters$`),
		);
	}
	expectFails((p) => (p.shipping_address = 'Main St'), 'shipping_address', /must be an object/);
	for (const ok of ['DE', 'GB', 'AX', 'SS', 'CW']) {
		assert.deepEqual(
			problemsAfter((p) => (p.shipping_address.country = ok)),
			[],
			ok,
		);
	}
});

test("monetary values respect the currency's decimal places", () => {
	assert.equal(minorUnits('USD'), 2);
	assert.equal(minorUnits('JPY'), 0);
	assert.equal(minorUnits('KWD'), 3);
	assert.equal(minorUnits('HUF'), 2);
	assert.equal(minorUnits('XAU'), undefined);
	expectFails(
		(p) => (p.shipments[0].items[0].price.item_price = 64.005),
		'shipments[0].items[0].price.item_price',
		/^must have at most 2 decimal places for USD$/,
	);
	expectFails((p) => (p.payments[0].amount = 0.1 + 0.2), 'payments[0].amount', /at most 2 decimal places for USD/);
	expectFails(
		(p) => (p.shipments[0].items[0].price.item_tax_lines[0].amount = 1e-7),
		'shipments[0].items[0].price.item_tax_lines[0].amount',
		/decimal places/,
	);
	expectFails((p) => (p.shipments[1].shipping_option.tax = 0.333), 'shipments[1].shipping_option.tax', /decimal places for USD/);
	// JPY: whole numbers; the connector-style fixture uses 19.2 / 4.99 etc, so most amounts fail.
	const jpy = problemsAfter((p) => (p.currency = 'JPY'));
	assert.ok(jpy.length > 5);
	assert.ok(
		jpy.every((p) => p.message === 'must be a whole number for JPY'),
		JSON.stringify(jpy),
	);
	assert.ok(jpy.some((p) => p.path === 'payments[0].amount'));
	// A percentage discount's original value is not money: 30 (%) with 19.2 adjustment reports only the adjustment.
	assert.ok(!jpy.some((p) => p.path.endsWith('item_discount_info[0].original_value')));
	assert.ok(
		jpy.some((p) => p.path === 'shipments[0].shipping_option.discount_info[0].original_value'),
		'fixed discount original value is money',
	);
	// BHD: three places.
	const bhd = (value) =>
		problemsAfter((p) => {
			p.currency = 'BHD';
			p.payments[1].amount = value;
		}).filter((x) => x.path === 'payments[1].amount');
	assert.deepEqual(bhd(1.234), []);
	assert.match(bhd(1.2345)[0].message, /^must have at most 3 decimal places for BHD$/);
	// Not checked for currencies without minor units.
	assert.deepEqual(
		problemsAfter((p) => {
			p.currency = 'XAU';
			p.payments[1].amount = 0.12345;
		}),
		[],
	);
});

test('add-on links: parent in the same shipment, not itself an add-on, ids unique', () => {
	expectFails(
		(p) => (p.shipments[1].items[1].addon_parent_external_item_id = '40240461643845'),
		'shipments[1].items[1].addon_parent_external_item_id',
		/same shipment/,
	);
	expectFails(
		(p) =>
			p.shipments[1].items.push({
				...clone(p.shipments[1].items[1]),
				external_item_id: 'RIBBON',
				addon_parent_external_item_id: '40022269657158',
			}),
		'shipments[1].items[2].addon_parent_external_item_id',
		/not itself an add-on/,
	);
	expectFails(
		(p) => p.shipments[1].items.push(clone(p.shipments[1].items[0])),
		'shipments[1].items[2].external_item_id',
		/unique within the order/,
	);
	// Repeated ids outside add-on links are one entry per unit, and allowed.
	assert.deepEqual(
		problemsAfter((p) => p.shipments[0].items.push(clone(p.shipments[0].items[0]))),
		[],
	);
});

test('falsy values skip every rule but "required" (connector semantics)', () => {
	const falsy = [0, '', [], null, false];
	const paths = [
		(p, v) => (p.shipments[0].items[0].price.item_price = v),
		(p, v) => (p.shipments[0].shipping_option.price = v),
		(p, v) => (p.external_id = v),
		(p, v) => (p.currency = v),
		(p, v) => (p.customer_email = v),
		(p, v) => (p.shipping_address.country = v),
		(p, v) => (p.payments[0].metadata = v),
		(p, v) => (p.payments[0].amount = v),
		(p, v) => (p.shipments[0].items[0].price.item_tax_lines = v),
		(p, v) => (p.shipments[0].items[0].price.item_discount_info = v),
		(p, v) => (p.placed_at = v),
		(p, v) => (p.channel_type = v),
		(p, v) => (p.shipments[0].shipping_option.routing_strategy = v),
	];
	for (const set of paths) {
		for (const value of falsy) {
			assert.deepEqual(
				problemsAfter((p) => set(p, value)),
				[],
				`${set} = ${JSON.stringify(value)}`,
			);
		}
	}
	// The exception: shipments' 1–10 limit is checked even on [].
	expectFails((p) => (p.shipments = []), 'shipments', /at least 1 entry/);
	// {} is not falsy: an empty object is validated.
	expectFails(
		(p) => (p.shipments[0].shipping_option.routing_strategy = {}),
		'shipments[0].shipping_option.routing_strategy.strategy',
		/is required/,
	);
});

test('several problems are reported at once, each at its own path', () => {
	const problems = problemsAfter((p) => {
		delete p.shop;
		p.channel_type = 'kiosk';
		p.currency = 'usd';
		p.shipments[1].items[0].price.item_tax_lines[0].rate = 4.75;
		p.shipments[0].items[1].price.item_price = '59';
		p.payments[1].processed_at = '2023-12-06';
		p.billing_address.country = 'USA';
		p.extended_attributes[1].name = long(101);
	});
	assert.deepEqual(problems.map((p) => p.path).sort(), [
		'billing_address.country',
		'channel_type',
		'currency',
		'extended_attributes[1].name',
		'payments[1].processed_at',
		'shipments[0].items[1].price.item_price',
		'shipments[1].items[0].price.item_tax_lines[0].rate',
		'shop',
	]);
	for (const p of problems) assert.ok(typeof p.message === 'string' && p.message.length > 0 && p.message.length < 80, p.message);
});

test('checkQuantity and expandQuantities: one entry per unit, deep copies, problems instead of throws', () => {
	assert.equal(checkQuantity(1, 'q'), undefined);
	assert.equal(checkQuantity(undefined, 'q'), undefined);
	assert.equal(checkQuantity(null, 'q'), undefined);
	for (const bad of [0, -1, 1.5, '2', true, NaN, Infinity, {}]) {
		assert.deepEqual(
			checkQuantity(bad, 'items[0].quantity'),
			{ path: 'items[0].quantity', message: 'must be a whole number of at least 1' },
			String(bad),
		);
	}
	assert.match(checkQuantity(MAX_QUANTITY + 1, 'q').message, /at most/);

	const source = [
		{
			external_item_id: 'A',
			product_id: 'P1',
			quantity: 3,
			price: { item_price: 10, item_tax_lines: [{ amount: 1, rate: 0.1, name: 'T' }] },
		},
		{ external_item_id: 'B', product_id: 'P2', price: { item_price: 5 } },
		{ external_item_id: 'C', product_id: 'P3', quantity: 1.5, price: { item_price: 1 } },
		{ external_item_id: 'D', product_id: 'P4', quantity: 0, price: { item_price: 1 } },
	];
	const before = clone(source);
	const { items, problems } = expandQuantities(source, 'shipments[0].items');
	assert.deepEqual(source, before, 'input untouched');
	assert.deepEqual(
		items.map((i) => i.external_item_id),
		['A', 'A', 'A', 'B', 'C', 'D'],
	);
	assert.ok(items.every((i) => !('quantity' in i)));
	items[0].price.item_tax_lines[0].amount = 99;
	assert.equal(items[1].price.item_tax_lines[0].amount, 1, 'copies are deep');
	assert.equal(source[0].price.item_tax_lines[0].amount, 1);
	assert.deepEqual(
		problems.map((p) => p.path),
		['shipments[0].items[2].quantity', 'shipments[0].items[3].quantity'],
	);
	assert.deepEqual(expandQuantities([]), { items: [], problems: [] });
	assert.deepEqual(expandQuantities([{ a: 1, quantity: 2 }]).items, [{ a: 1 }, { a: 1 }]);

	// Expanded items of the valid payload stay valid.
	const payload = clone(VALID);
	payload.shipments[0].items[0].quantity = 2;
	const expanded = expandQuantities(payload.shipments[0].items, 'shipments[0].items');
	payload.shipments[0].items = expanded.items;
	assert.deepEqual(expanded.problems, []);
	assert.equal(payload.shipments[0].items.length, 3);
	assert.deepEqual(validateInjectedOrder(payload), []);
});

// ---- property test ----

const chars = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789 -_.'.split(''));
const str = (min, max) => fc.string({ minLength: min, maxLength: max, unit: chars });
const currencyArb = fc.constantFrom('USD', 'EUR', 'GBP', 'JPY', 'KWD', 'BHD', 'CHF', 'SEK');
const countryArb = fc.constantFrom(...COUNTRIES);
const dateTimeArb = fc
	.tuple(
		fc.date({ min: new Date('2000-01-01T00:00:00Z'), max: new Date('2099-12-31T23:59:59Z'), noInvalidDate: true }),
		fc.constantFrom('Z', '+02:00', '-05:30', '+00:00'),
		fc.boolean(),
	)
	.map(([date, zone, millis]) => {
		const iso = date.toISOString();
		return (millis ? iso.slice(0, 23) : iso.slice(0, 19)) + zone;
	});
/** A non-negative amount with the currency's decimal places. */
const money = (currency, max = 100000) => {
	const scale = 10 ** minorUnits(currency);
	return fc.integer({ min: 0, max: max * scale }).map((n) => n / scale);
};
const positiveMoney = (currency) => money(currency).map((v) => v || 1);

const extAttrArb = fc.record({ name: str(1, 100), value: str(0, 200) });
const addressArb = fc.record(
	{
		address_line_1: str(1, 128),
		country: countryArb,
		address_line_2: str(0, 256),
		city: str(0, 64),
		state: str(0, 32),
		zip_code: str(0, 32),
		phone: str(0, 128),
		first_name: str(0, 64),
	},
	{ requiredKeys: ['address_line_1', 'country'] },
);
const discountArb = (currency) =>
	fc.oneof(
		fc.record(
			{
				discount_ref: str(0, 256),
				type: fc.constant('fixed'),
				original_value: money(currency, 100),
				price_adjustment: money(currency, 100),
				coupon_code: str(0, 64),
			},
			{ requiredKeys: ['discount_ref', 'type', 'original_value', 'price_adjustment'] },
		),
		fc.record(
			{
				discount_ref: str(0, 256),
				type: fc.constant('percentage'),
				original_value: fc.integer({ min: 0, max: 100 }),
				price_adjustment: money(currency, 100),
				description: str(0, 1024),
			},
			{ requiredKeys: ['discount_ref', 'type', 'original_value', 'price_adjustment'] },
		),
	);
const taxLineArb = (currency) =>
	fc.record(
		{
			amount: money(currency, 1000),
			rate: fc.double({ min: 0, max: 1, noNaN: true }),
			name: str(0, 40),
			country_code: str(0, 2),
		},
		{ requiredKeys: ['amount', 'rate', 'name'] },
	);
const itemArb = (currency) =>
	fc.record(
		{
			external_item_id: str(1, 64),
			product_id: str(1, 64),
			price: fc.record(
				{
					item_price: money(currency),
					item_list_price: money(currency),
					item_tax_lines: fc.array(taxLineArb(currency), { maxLength: 3 }),
					item_discount_info: fc.array(discountArb(currency), { maxLength: 2 }),
					item_order_discount_info: fc.array(discountArb(currency), { maxLength: 2 }),
					pricebook: str(0, 64),
				},
				{ requiredKeys: ['item_price', 'item_list_price', 'item_tax_lines'] },
			),
			extended_attributes: fc.array(extAttrArb, { maxLength: 3 }),
			gift_wrapping: fc.boolean(),
		},
		{ requiredKeys: ['external_item_id', 'product_id', 'price'] },
	);
const shippingOptionArb = (currency) =>
	fc
		.tuple(
			fc.record(
				{
					price: money(currency, 100),
					tax: money(currency, 100),
					discount_info: fc.array(discountArb(currency), { maxLength: 2 }),
					routing_strategy: fc.record({ strategy: fc.constantFrom('external', 'default', '') }),
					carrier: str(0, 20),
				},
				{ requiredKeys: ['price', 'tax'] },
			),
			fc.constantFrom('level', 'token', 'both'),
			str(1, 64),
		)
		.map(([option, how, id]) => ({
			...option,
			...(how !== 'token' ? { service_level_identifier: id } : {}),
			...(how !== 'level' ? { shipping_offer_token: `tok-${id}` } : {}),
		}));
const paymentArb = (currency) =>
	fc.record(
		{
			type: fc.constantFrom('authorized', 'captured'),
			amount: positiveMoney(currency),
			method: str(1, 64),
			processor: str(1, 32),
			processed_at: dateTimeArb,
			correlation_ref: str(1, 100),
			wallet: str(1, 64),
			metadata: fc.dictionary(str(1, 10), str(0, 10), { maxKeys: 100 }),
		},
		{ requiredKeys: ['type', 'amount', 'method', 'processor', 'processed_at', 'correlation_ref'] },
	);

const emailArb = fc
	.tuple(fc.stringMatching(/^[a-z0-9._+-]{1,20}$/), fc.stringMatching(/^[a-z0-9-]{1,15}$/), fc.constantFrom('com', 'de', 'co.uk'))
	.map(([local, domain, tld]) => `${local}@${domain}.${tld}`);

const orderArb = currencyArb.chain((currency) =>
	fc
		.record(
			{
				external_id: str(1, 64),
				shop: str(1, 128),
				shop_locale: fc.constantFrom('en', 'en-US', 'de-DE', 'fr-CA', 'zh-Hant-TW', 'es-419'),
				channel_type: fc.constantFrom('web', 'mobile', 'store'),
				channel_name: str(1, 64),
				currency: fc.constant(currency),
				shipments: fc
					.array(
						fc.record({ items: fc.array(itemArb(currency), { maxLength: 4 }), shipping_option: shippingOptionArb(currency) }),
						{ minLength: 1, maxLength: 10 },
					)
					// Only one shipment may name a service level: the others carry offer tokens.
					.map((list) =>
						list.map((s, i) => {
							if (i === 0 || !('service_level_identifier' in s.shipping_option)) return s;
							const { service_level_identifier: _level, ...rest } = s.shipping_option;
							return { ...s, shipping_option: { ...rest, shipping_offer_token: `token-${i}` } };
						}),
					),
				store_id: str(0, 256),
				customer_name: str(1, 128),
				customer_email: emailArb,
				customer_language: fc.constantFrom('en', 'de', 'fr', 'ja'),
				placed_at: dateTimeArb,
				price_method: fc.constantFrom('tax_included', 'tax_excluded'),
				is_preconfirmed: fc.boolean(),
				notification_blacklist: fc.array(str(0, 30), { maxLength: 3 }),
				payments: fc.array(paymentArb(currency), { maxLength: 5 }),
				extended_attributes: fc.array(extAttrArb, { maxLength: 10 }),
				shipping_address: addressArb,
				billing_address: addressArb,
			},
			{ requiredKeys: ['external_id', 'shop', 'shop_locale', 'channel_type', 'channel_name', 'currency', 'shipments'] },
		)
		// correlation_ref must be unique within the order (a new value: generated ones are reused while shrinking).
		.map((order) =>
			order.payments
				? { ...order, payments: order.payments.map((p, i) => ({ ...p, correlation_ref: `${i}-${p.correlation_ref}` })) }
				: order,
		),
);

const REQUIRED = {
	order: ['external_id', 'shop', 'shop_locale', 'channel_type', 'channel_name', 'currency', 'shipments'],
	address: ['address_line_1', 'country'],
	shipment: ['items', 'shipping_option'],
	item: ['external_item_id', 'product_id', 'price'],
	price: ['item_price', 'item_list_price', 'item_tax_lines'],
	taxLine: ['amount', 'rate', 'name'],
	discount: ['discount_ref', 'type', 'original_value', 'price_adjustment'],
	shippingOption: ['price', 'tax'],
	routing: ['strategy'],
	payment: ['type', 'amount', 'method', 'processed_at', 'processor', 'correlation_ref'],
	extAttr: ['name', 'value'],
};

/** Every required key present in an order, as [parent path segments, key]. */
function requiredKeys(order) {
	const out = [];
	const add = (segments, kind, value) => {
		if (!value || typeof value !== 'object') return;
		for (const key of REQUIRED[kind]) if (key in value) out.push([segments, key]);
	};
	const each = (segments, list, kind, visit) =>
		(Array.isArray(list) ? list : []).forEach((v, i) => {
			add([...segments, i], kind, v);
			visit?.([...segments, i], v);
		});
	add([], 'order', order);
	for (const which of ['shipping_address', 'billing_address']) add([which], 'address', order[which]);
	each(['payments'], order.payments, 'payment');
	each(['extended_attributes'], order.extended_attributes, 'extAttr');
	each(['shipments'], order.shipments, 'shipment', (s, shipment) => {
		const option = shipment.shipping_option;
		add([...s, 'shipping_option'], 'shippingOption', option);
		if (!('shipping_offer_token' in option)) out.push([[...s, 'shipping_option'], 'service_level_identifier']);
		if (option.routing_strategy) add([...s, 'shipping_option', 'routing_strategy'], 'routing', option.routing_strategy);
		each([...s, 'shipping_option', 'discount_info'], option.discount_info, 'discount');
		each([...s, 'items'], shipment.items, 'item', (it, item) => {
			add([...it, 'price'], 'price', item.price);
			each([...it, 'price', 'item_tax_lines'], item.price.item_tax_lines, 'taxLine');
			each([...it, 'price', 'item_discount_info'], item.price.item_discount_info, 'discount');
			each([...it, 'price', 'item_order_discount_info'], item.price.item_order_discount_info, 'discount');
			each([...it, 'extended_attributes'], item.extended_attributes, 'extAttr');
		});
	});
	return out;
}

const pathString = (segments, key) =>
	[...segments, key].reduce((acc, s) => (typeof s === 'number' ? `${acc}[${s}]` : acc ? `${acc}.${s}` : s), '');

test('property: generated valid payloads pass; removing any one required key is reported at that key', () => {
	fc.assert(
		fc.property(orderArb, fc.nat(), (order, pick) => {
			assert.deepEqual(validateInjectedOrder(order), []);
			const keys = requiredKeys(order);
			const [segments, key] = keys[pick % keys.length];
			const mutated = clone(order);
			const parent = segments.reduce((acc, s) => acc[s], mutated);
			delete parent[key];
			const path = pathString(segments, key);
			const problems = validateInjectedOrder(mutated);
			assert.ok(
				problems.some((p) => p.path === path && p.path.endsWith(key) && /^is required/.test(p.message)),
				`removing ${path}: ${JSON.stringify(problems)}`,
			);
		}),
		{ numRuns: 300 },
	);
});
