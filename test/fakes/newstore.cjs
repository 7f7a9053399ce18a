'use strict';

/**
 * Stateful fake of the NewStore APIs this package uses, for integration tests. Behaviour follows
 * shared/reference/newstore.md (§2–§8); every request is validated against NewStore's published
 * spec (Swagger 2.0, converted to OpenAPI 3 with errata in newstore-spec.cjs) or, for endpoints
 * the spec lacks, against hand-written fragments derived from the reference. A non-conforming
 * request is recorded in fake.violations (and on its log entry as `violations`) and answered like
 * NewStore: 400 {"error_code":"bad_request","message":…} on /v0 and the other legacy paths,
 * application/problem+json on the developer-portal /customer/… paths.
 *
 *   const fake = await startFakeNewStore({ seed: 1 });
 *   fake.url       // http://127.0.0.1:PORT  (API host: {tenant}.p.newstore.net)
 *   fake.tokenUrl  // `${url}/auth/realms/${tenant}/protocol/openid-connect/token`
 *
 * Served:
 *   POST {tokenUrl}                                    Keycloak client credentials (form; body or Basic)
 *   POST /v0/d/fulfill_order                           order injection, idempotent on external_id
 *   GET  /v0/orders/{id}?id_type=internal|external     SalesOrderDetailResponse
 *   GET  /v0/orders?customer_id=…                      {orders} / version=2: {orders, pagination_info}
 *   GET  /v0/fulfillment_requests/{order_uuid}         {fulfillment_requests}
 *   GET  /v0/stock/insights?product_id&fulfillment_node_id
 *   POST /v0/availabilities                            {items:[{product_id, fulfillment_node_id, atp}]}
 *   GET|POST /v0/d/orders/{order_uuid}/notes, POST …/items/{item_uuid}/notes,
 *   PATCH|DELETE /v0/d/orders/{order_uuid}/notes/{note_uuid}
 *   /customer/profiles…  and  /api/v1/customer/profiles…   customer profiles v2 (+ addresses)
 *   /v1/customer/profiles…                             customer profiles v1 (same store, v1 shape)
 *   /api/v1/org/integrations/eventstream…              event-stream integrations
 *
 * Test controls: inject(rule) (common.cjs semantics; `afterHandler: true` fails after the request
 * was processed), expireTokens(), blockIp(ms), emit(name, payload), reset(), close(), and the
 * mutable fake.rateLimit (calls per second), fake.latencyMs, fake.profileCeiling.
 */

const crypto = require('node:crypto');
const http = require('node:http');
const { isDeepStrictEqual } = require('node:util');
const {
	HttpError,
	createRateLimiter,
	createSpecValidator,
	mediaType,
	startFakeServer,
} = require('./common.cjs');
const { buildNewStoreDefinition } = require('./newstore-spec.cjs');
const {
	createClock,
	emptyState,
	goTime,
	isoMs,
	materializeOrder,
	nsId,
	seedNewStoreState,
	stockKey,
	storeOrder,
} = require('./newstore-seed.cjs');

const ORDERS_V2_TYPE = 'application/x.newstore.orders+json;version=2';
const ORDERS_V2_RE = /application\/x\.newstore\.orders\+json\s*;\s*version\s*=\s*"?2"?/i;
const IP_BLOCK_BODY = '<html><body><h1>403 Forbidden</h1></body></html>';
const E164 = /^\+[1-9]\d{1,14}$/;
const LEGACY_SCOPE = 'profile email';
const PROFILE_FIELDS = [
	'email',
	'first_name',
	'last_name',
	'full_name',
	'phone_number',
	'store_id',
	'created_by',
];
const ADDRESS_FIELDS = [
	'full_name',
	'company_name',
	'address_line_1',
	'address_line_2',
	'city',
	'state',
	'zip_code',
	'country_code',
	'contact_phone',
];
const PROFILE_SORT_FIELDS = [
	'created_at',
	'updated_at',
	'email',
	'full_name',
	'first_name',
	'last_name',
	'display_id',
	'phone_number',
];
const MAX_ADDRESSES = 1000;
const ERROR_CODES = {
	400: 'bad_request',
	401: 'unauthorized',
	403: 'forbidden',
	404: 'not_found',
	409: 'conflict',
	415: 'unsupported_media_type',
	422: 'unprocessable_entity',
	429: 'too_many_requests',
	500: 'internal_server_error',
	502: 'bad_gateway',
	503: 'service_unavailable',
	504: 'gateway_timeout',
};

// ---------------------------------------------------------------------------------------------
// Error bodies

/** Developer-portal paths answer application/problem+json. */
const isPortalPath = (path) => /^(\/api\/v1)?\/customer\//.test(path);
const isTokenPath = (path) => /^\/auth\/realms\/[^/]+\/protocol\/openid-connect\/token$/.test(path);
const requestId = () => crypto.randomBytes(8).toString('hex');

function problemBody(status, detail, code) {
	const title = http.STATUS_CODES[status] || 'Error';
	return {
		type: `https://docs.newstore.com/problems/${title.toLowerCase().replace(/[^a-z]+/g, '-')}`,
		title,
		status,
		detail,
		...(code && { error_code: code }),
		request_id: requestId(),
	};
}

/** { body, headers } of a NewStore error for this path. */
function errorFor(path, status, code, message) {
	if (isPortalPath(path)) {
		return {
			body: problemBody(status, message, code),
			headers: { 'content-type': 'application/problem+json' },
		};
	}
	return {
		body: { error_code: code, message, request_id: requestId() },
		headers: { 'content-type': 'application/json' },
	};
}

function fail(ctx, status, code, message, extraHeaders = {}) {
	const { body, headers } = errorFor(ctx.path, status, code || ERROR_CODES[status], message);
	return new HttpError(status, body, { ...headers, ...extraHeaders });
}

const ok = (body, headers) => ({ status: 200, body, headers });
const created = (body) => ({ status: 201, body });
const noContent = () => ({ status: 204 });

/** Ajv messages in NewStore's words where it has its own ("Query param 'customer_id' is required."). */
function legacyMessage(error) {
	const m = /^query must have required property '([^']+)'$/.exec(error);
	return m ? `Query param '${m[1]}' is required.` : error;
}

// ---------------------------------------------------------------------------------------------
// Order injection: checks the spec cannot express (reference §6.1, spec 400 descriptions)

/**
 * Shipment checks beyond the (errata-patched) schema. Returns null or { code, messages }.
 * - shipping_option: service_level_identifier (1–64) or shipping_offer_token (1–8192), not both;
 *   price and tax numbers >= 0; routing_strategy.strategy; prerouted/external need
 *   fulfillment_node_id; discount_info at most 1 entry.
 * - item tax line rate within [0, 1] ("ratio between 0 and 1, not percentage").
 * - invalid_shipments: more than one service-level shipping option, or mixed option types.
 * - add-ons: addon_invalid_parent_item / addon_duplicate_external_item_id.
 */
function checkShipments(payload) {
	const messages = [];
	const shipments = payload.shipments || [];
	const isNumber = (v) => typeof v === 'number' && Number.isFinite(v);
	let serviceLevels = 0;
	let offerTokens = 0;
	shipments.forEach((shipment, s) => {
		const at = `body/shipments/${s}/shipping_option`;
		const option = shipment.shipping_option;
		if (!option || typeof option !== 'object' || Array.isArray(option)) {
			messages.push(`${at} must be object`);
			return;
		}
		const sli = option.service_level_identifier;
		const token = option.shipping_offer_token;
		if (sli !== undefined && (typeof sli !== 'string' || sli.length < 1 || sli.length > 64))
			messages.push(`${at}/service_level_identifier must be a string of 1 to 64 characters`);
		if (
			token !== undefined &&
			(typeof token !== 'string' || token.length < 1 || token.length > 8192)
		)
			messages.push(`${at}/shipping_offer_token must be a string of 1 to 8192 characters`);
		if (sli === undefined && token === undefined)
			messages.push(
				`${at} must have property 'service_level_identifier' or 'shipping_offer_token'`,
			);
		if (sli !== undefined && token !== undefined)
			messages.push(
				`${at} must not have both 'service_level_identifier' and 'shipping_offer_token'`,
			);
		if (sli !== undefined) serviceLevels++;
		if (token !== undefined) offerTokens++;
		for (const field of ['price', 'tax']) {
			if (!(field in option)) messages.push(`${at} must have required property '${field}'`);
			else if (!isNumber(option[field]) || option[field] < 0)
				messages.push(`${at}/${field} must be a number >= 0`);
		}
		if (option.discount_info !== undefined) {
			if (!Array.isArray(option.discount_info) || option.discount_info.length > 1)
				messages.push(`${at}/discount_info must be an array of at most 1 item`);
		}
		const routing = option.routing_strategy;
		if (routing !== undefined) {
			if (!routing || typeof routing !== 'object' || typeof routing.strategy !== 'string')
				messages.push(`${at}/routing_strategy must have required property 'strategy'`);
			else if (
				['prerouted', 'external'].includes(routing.strategy) &&
				(typeof routing.fulfillment_node_id !== 'string' || !routing.fulfillment_node_id)
			)
				messages.push(`${at}/routing_strategy must have required property 'fulfillment_node_id'`);
		}
		(shipment.items || []).forEach((item, i) => {
			const lines = (item && item.price && item.price.item_tax_lines) || [];
			lines.forEach((line, l) => {
				if (line && isNumber(line.rate) && line.rate > 1)
					messages.push(
						`body/shipments/${s}/items/${i}/price/item_tax_lines/${l}/rate must be a ratio between 0 and 1`,
					);
			});
		});
	});
	if (messages.length) return { code: 'bad_request', messages };
	if (serviceLevels > 1)
		return {
			code: 'invalid_shipments',
			messages: ['Multiple shipping options identified by service level identifiers are provided'],
		};
	if (serviceLevels && offerTokens)
		return {
			code: 'invalid_shipments',
			messages: [
				'Mixed shipping option types (service level identifiers and shipping offer tokens) are provided',
			],
		};

	// add-ons
	const allItems = shipments.flatMap((shipment, s) =>
		(shipment.items || []).map((item) => ({ ...item, shipment: s })),
	);
	const involved = new Set();
	for (const item of allItems) {
		const parentId = item.addon_parent_external_item_id;
		if (parentId === undefined) continue;
		const parent = allItems.find(
			(p) => p.external_item_id === parentId && p.shipment === item.shipment && p !== item,
		);
		if (!parent || parentId === item.external_item_id || parent.addon_parent_external_item_id) {
			return {
				code: 'addon_invalid_parent_item',
				messages: [
					`Item '${item.external_item_id}' references '${parentId}', which is not a non-add-on item of the same shipment`,
				],
			};
		}
		involved.add(item.external_item_id).add(parentId);
	}
	for (const id of involved) {
		if (allItems.filter((item) => item.external_item_id === id).length > 1) {
			return {
				code: 'addon_duplicate_external_item_id',
				messages: [
					`external_item_id '${id}' of an add-on or its parent is not unique across the order`,
				],
			};
		}
	}
	return null;
}

// ---------------------------------------------------------------------------------------------
// Wire shapes

const compact = (object) =>
	Object.fromEntries(Object.entries(object).filter(([, v]) => v !== undefined && v !== null));

function salesAddress(address) {
	if (!address) return undefined;
	const { country, ...rest } = address;
	return compact({ ...rest, country_code: country });
}

function productAttributes(item) {
	return compact({ name: item.product_name, color: item.product_color, size: item.product_size });
}

function fulfillmentType(order) {
	const inStore = order.items.filter((item) => item.in_store).length;
	if (inStore === 0) return 'traditional';
	return inStore === order.items.length ? 'in_store_purchase' : 'multiple';
}

const channelType = (order) => (order.channel_type === 'store' ? 'store' : 'web');
const taxMethod = (order) =>
	order.price_method === 'tax_included' ? 'vat_included' : 'vat_excluded';
const placedAt = (order, utc) => (utc ? new Date(order.placed_at).toISOString() : order.placed_at);

function itemDiscounts(item) {
	return item.discounts.map((d) =>
		compact({
			level: d.level,
			type: d.type === 'percentage' ? 'percentage' : 'fixed',
			value: Number(d.original_value) || 0,
			price_adjustment: Number(d.price_adjustment) || 0,
			coupon_code: d.coupon_code,
			reason: d.discount_ref,
		}),
	);
}

/** SalesOrderDetailResponse. Per the spec, `id` is the external id and `origin_id` the NewStore UUID. */
function orderDetail(order, utc) {
	return compact({
		id: order.external_id,
		origin: 'newstore',
		origin_id: order.id,
		catalog: order.shop,
		channel_type: channelType(order),
		currency: order.currency,
		customer: compact(order.customer),
		billing_address: salesAddress(order.billing_address),
		shipping_address: salesAddress(order.shipping_address),
		extended_attributes: order.extended_attributes,
		fulfillment_type: fulfillmentType(order),
		fulfillments: order.shipments.map((shipment) => ({
			item_ids: order.items.filter((i) => i.shipment_index === shipment.index).map((i) => i.id),
			origin: {},
		})),
		is_offline: order.is_offline,
		items: order.items.map((item) =>
			compact({
				id: item.id,
				origin_id: item.id,
				product_id: item.product_id,
				status: item.status,
				price: item.price,
				price_catalog: item.list_price,
				product_attributes: productAttributes(item),
				external_identifier: {},
				fulfillment_group_type: item.in_store ? 'IN_STORE_HANDOVER' : 'SHIPPING',
				shipping_method: item.service_level,
				tax_lines: item.tax_lines,
				discounts: itemDiscounts(item),
				extended_attributes: item.extended_attributes,
				addon_parent_item_id: item.addon_parent_item_id,
			}),
		),
		notification_blacklist: order.notification_blacklist,
		payment_history: [], // "empty if a NewStore internal order is requested"
		placed_at: placedAt(order, utc),
		shipments: order.shipments.map((shipment) => ({
			id: shipment.id,
			price: shipment.price,
			tax_lines: [],
		})),
		shop_locale: order.shop_locale,
		status: order.status,
		store_id: order.store_id,
		tax_exempt: false,
		tax_method: taxMethod(order),
		totals: order.totals,
	});
}

/** SalesOrder (GET /v0/orders with application/json). */
function orderSummaryV1(order) {
	return {
		catalog: order.shop,
		channel_type: channelType(order),
		currency: order.currency,
		fulfillment_type: fulfillmentType(order),
		id: order.external_id,
		items: order.items.map((item) => ({
			external_identifier: {},
			id: item.id,
			origin_id: item.id,
			price: item.price,
			product_attributes: productAttributes(item),
			status: item.status,
		})),
		origin: 'newstore',
		origin_id: order.id,
		placed_at: placedAt(order, false),
		status: order.status,
	};
}

/** SalesOrderV2 (GET /v0/orders with the version=2 media type). */
function orderSummaryV2(order) {
	return compact({
		channel: { id: order.channel_name, type: channelType(order) },
		currency: order.currency,
		customer: compact(order.customer),
		extended_attributes: order.extended_attributes,
		fulfillment_type: fulfillmentType(order),
		id: order.external_id,
		is_historical: order.is_historical,
		is_offline: order.is_offline,
		items: order.items.map((item) => ({
			extended_attributes: item.extended_attributes,
			external_identifier: {},
			id: item.id,
			price: item.price,
			product_attributes: productAttributes(item),
			product_id: item.product_id,
			status: item.status,
		})),
		origin: 'newstore',
		origin_id: order.id,
		placed_at: placedAt(order, true),
		shipping_address: salesAddress(order.shipping_address),
		shop: { id: order.shop, locale: order.shop_locale },
		status: order.status,
		tax_information: { is_exempt: false, method: taxMethod(order) },
		totals: order.totals,
	});
}

function publicNote(note) {
	return compact({
		id: note.id,
		order_id: note.order_id,
		item_id: note.item_id,
		text: note.text,
		source: note.source,
		source_type: note.source_type,
		tags: note.tags,
		created_at: note.created_at,
		updated_at: note.updated_at,
	});
}

const publicProfileV2 = (p) => ({
	id: p.id,
	display_id: p.display_id,
	email: p.email,
	first_name: p.first_name,
	last_name: p.last_name,
	full_name: p.full_name,
	phone_number: p.phone_number,
	store_id: p.store_id,
	created_by: p.created_by,
	extended_attributes: p.extended_attributes,
	created_at: p.created_at,
	updated_at: p.updated_at,
});

const publicProfileV1 = (p) => ({
	id: p.id,
	display_id: p.display_id,
	email: p.email,
	full_name: p.full_name,
	phone_number: p.phone_number,
	store_id: p.store_id,
	created_by: p.created_by,
	extended_attributes: p.extended_attributes,
	created_at: p.created_at,
	updated_at: p.updated_at,
});

function publicIntegration(integration) {
	return compact({
		id: integration.id,
		status: integration.status,
		integration_type: integration.integration_type,
		starts_at: integration.starts_at,
		ends_at: integration.ends_at,
		callback_parameters: integration.callback_parameters && { ...integration.callback_parameters },
		s3_parameters: integration.s3_parameters,
		filter_conditions: integration.filter_conditions,
		created_at: integration.created_at,
	});
}

// ---------------------------------------------------------------------------------------------
// The fake

/**
 * @param {object} [options]
 * @param {number} [options.port=0]
 * @param {string} [options.tenant='acme']       Keycloak realm; other realms answer 404
 * @param {number} [options.seed=1]
 * @param {number} [options.profiles=30]         seeded customer profiles
 * @param {Object<string,{secret:string, scopes:string[]|null}>} [options.clients]
 *   API clients; scopes null = "Support Legacy APIs" (no scope checks). Default
 *   { 'ns-client': { secret: 'ns-secret', scopes: null } }.
 * @param {number} [options.tokenTtlSeconds=3600]
 * @param {number|null} [options.rateLimit=null] tenant-wide calls per second (429, Retry-After: 1)
 * @param {number} [options.latencyMs=0]
 * @param {number} [options.maxLog=Infinity]
 * @param {number} [options.profileCeiling=10000] profile search window (offset + count)
 * @param {number} [options.maxIntegrations=25]
 * @param {number} [options.deliveryTimeoutMs=5000] emit() per-delivery timeout
 */
async function startFakeNewStore(options = {}) {
	const opts = {
		port: 0,
		tenant: 'acme',
		seed: 1,
		profiles: 30,
		clients: { 'ns-client': { secret: 'ns-secret', scopes: null } },
		tokenTtlSeconds: 3600,
		rateLimit: null,
		latencyMs: 0,
		maxLog: Infinity,
		profileCeiling: 10000,
		maxIntegrations: 25,
		deliveryTimeoutMs: 5000,
		...options,
	};

	const validator = await createSpecValidator({
		definition: buildNewStoreDefinition(),
		apiRoot: '/',
		ajvOpts: { multipleOfPrecision: 9 },
	});

	const state = emptyState(opts.tenant);
	const clock = createClock();
	const limiter = createRateLimiter();
	let ids = null;
	let blockedUntil = 0;
	let resetTokens = false;
	let fake; // assigned below; handlers only run after the server started

	function seed() {
		for (const [key, value] of Object.entries(state)) {
			if ((key === 'tokens' || key === 'issuedTokens') && !resetTokens) continue; // auth survives
			if (value instanceof Map) value.clear();
			else if (Array.isArray(value)) value.length = 0;
			else if (typeof value === 'number') state[key] = 0;
		}
		clock.reset();
		({ ids } = seedNewStoreState(state, { seed: opts.seed, profiles: opts.profiles, clock }));
	}
	seed();

	const recordViolation = (ctx, errors) => {
		fake.violations.push({ method: ctx.method, path: ctx.path, errors });
		ctx.entry.violations = (ctx.entry.violations || []).concat(errors);
	};

	// ------------------------------------------------------------------------------ token endpoint

	function tokenEndpoint(ctx, form, validation) {
		if (ctx.params.realm !== opts.tenant)
			return { status: 404, body: { error: 'Realm does not exist' } };
		if (validation.errors.length) {
			return {
				status: 400,
				body: { error: 'invalid_request', error_description: validation.errors.join('; ') },
			};
		}
		if (form.grant_type !== 'client_credentials') {
			return {
				status: 400,
				body: { error: 'unsupported_grant_type', error_description: 'Unsupported grant_type' },
			};
		}
		let clientId = form.client_id;
		let secret = form.client_secret;
		const basic = /^Basic\s+(\S+)$/i.exec(ctx.headers.authorization || '');
		if (basic) {
			const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
			const colon = decoded.indexOf(':');
			clientId = decodeURIComponent(decoded.slice(0, colon));
			secret = decodeURIComponent(decoded.slice(colon + 1));
		}
		const client = clientId !== undefined && opts.clients[clientId];
		if (!client || client.secret !== secret) {
			return {
				status: 401,
				body: {
					error: 'invalid_client',
					error_description: 'Invalid client or Invalid client credentials',
				},
			};
		}
		const requested = String(form.scope || '')
			.split(/\s+/)
			.filter(Boolean);
		let scopes = null;
		if (client.scopes) {
			const unknown = requested.filter((scope) => !client.scopes.includes(scope));
			if (unknown.length) {
				return {
					status: 400,
					body: {
						error: 'invalid_scope',
						error_description: `Invalid scopes: ${requested.join(' ')}`,
					},
				};
			}
			scopes = requested.length ? requested : [...client.scopes];
		}
		const token = crypto.randomBytes(24).toString('base64url');
		state.tokens.set(token, {
			clientId,
			scopes,
			expiresAt: Date.now() + opts.tokenTtlSeconds * 1000,
		});
		state.issuedTokens.push(token);
		state.tokenRequests++;
		return ok({
			access_token: token,
			expires_in: opts.tokenTtlSeconds,
			refresh_expires_in: 0,
			token_type: 'Bearer',
			'not-before-policy': 0,
			scope: scopes ? scopes.join(' ') : LEGACY_SCOPE,
		});
	}

	// ------------------------------------------------------------------------------ auth, limits

	function authenticate(ctx) {
		const header = ctx.headers.authorization;
		if (!header) {
			throw new HttpError(
				401,
				{
					type: 'https://docs.newstore.com/problems/unauthorized',
					title: 'Unauthorized',
					status: 401,
					detail: 'The access token is missing, expired, or invalid.',
				},
				{
					'content-type': 'application/problem+json',
					'www-authenticate': `Bearer realm="${opts.tenant}"`,
				},
			);
		}
		const match = /^Bearer\s+(\S+)\s*$/i.exec(header);
		const token = match && state.tokens.get(match[1]);
		if (!token || token.expiresAt <= Date.now()) {
			throw fail(ctx, 403, 'forbidden', 'The access token is expired or invalid.');
		}
		return token;
	}

	function checkScopes(ctx, operation, token) {
		if (!token.scopes) return; // "Support Legacy APIs" client: no scope checks
		const required = ((operation.security || [])[0] || {}).oauth || [];
		const missing = required.find((scope) => !token.scopes.includes(scope));
		if (missing) {
			throw fail(
				ctx,
				403,
				'forbidden',
				`The access token does not grant the required '${missing}' scope`,
			);
		}
	}

	function rateLimit(ctx) {
		if (!fake.rateLimit) return;
		const verdict = limiter.take({ limit: fake.rateLimit, windowMs: 1000 });
		if (!verdict.allowed) {
			throw fail(
				ctx,
				429,
				'too_many_requests',
				`Rate limit exceeded: at most ${fake.rateLimit} calls per second`,
				{ 'retry-after': '1' },
			);
		}
	}

	// ------------------------------------------------------------------------------ lookups

	const intQuery = (ctx, name, fallback) =>
		ctx.query[name] === undefined || ctx.query[name] === '' ? fallback : Number(ctx.query[name]);

	function orderOf(ctx) {
		const order = state.orders.get(ctx.params.order_uuid);
		if (!order) throw fail(ctx, 404, 'not_found', `Order '${ctx.params.order_uuid}' not found`);
		return order;
	}

	function noteOf(ctx, order) {
		const note = state.notes.get(ctx.params.note_uuid);
		if (!note || note.order_id !== order.id)
			throw fail(ctx, 404, 'not_found', `Note '${ctx.params.note_uuid}' not found`);
		return note;
	}

	function profileOf(ctx) {
		const profile = state.profiles.get(ctx.params.profile_id);
		if (!profile) throw fail(ctx, 404, 'not_found', `Profile '${ctx.params.profile_id}' not found`);
		return profile;
	}

	function addressOf(ctx, profile) {
		const address = state.addresses.get(profile.id).find((a) => a.id === ctx.params.address_id);
		if (!address) throw fail(ctx, 404, 'not_found', `Address '${ctx.params.address_id}' not found`);
		return address;
	}

	const findProfileByEmail = (email) => {
		const wanted = String(email).trim().toLowerCase();
		for (const profile of state.profiles.values())
			if (profile.email.toLowerCase() === wanted) return profile;
		return null;
	};

	function customerIdFor(payload) {
		if (payload.customer_email) {
			const profile = findProfileByEmail(payload.customer_email);
			if (profile) return profile.id;
			const wanted = payload.customer_email.toLowerCase();
			for (const customer of state.customers.values()) {
				if (customer.email && customer.email.toLowerCase() === wanted) return customer.id;
			}
		}
		return ids.uuid();
	}

	const nowMs = (after) => clock.ms(Math.max(Date.now(), after ? Date.parse(after) + 1 : 0));

	// ------------------------------------------------------------------------------ orders

	const orderRoutes = {
		injectOrder(ctx) {
			const payload = ctx.body;
			const problem = checkShipments(payload);
			if (problem) {
				recordViolation(ctx, problem.messages);
				throw fail(ctx, 400, problem.code, problem.messages.join('; '));
			}
			const existing = state.injections.get(payload.external_id);
			if (existing) {
				if (isDeepStrictEqual(existing.payload, payload)) {
					existing.count++;
					return ok(existing.response);
				}
				throw fail(
					ctx,
					400,
					'same_order_injection_with_different_data',
					`An order with external_id '${payload.external_id}' was already injected with different data`,
				);
			}
			const createdMs = nowMs();
			const built = materializeOrder(payload, {
				ids,
				createdMs,
				customerId: customerIdFor(payload),
			});
			storeOrder(state, payload, built, createdMs);
			return ok(built.response);
		},

		getOrder(ctx) {
			const idType = ctx.query.id_type;
			if (idType !== 'internal' && idType !== 'external') {
				throw fail(
					ctx,
					400,
					'bad_request',
					"Query param 'id_type' must be 'internal' or 'external'.",
				);
			}
			const id = ctx.params.id;
			const order =
				idType === 'internal'
					? state.orders.get(id)
					: state.orders.get(state.ordersByExternalId.get(id));
			if (!order) {
				throw fail(ctx, 404, 'order_not_found', `Order '${id}' (id_type ${idType}) was not found.`);
			}
			const v2 = ORDERS_V2_RE.test(ctx.headers.accept || '');
			return ok(orderDetail(order, v2), {
				'content-type': v2 ? ORDERS_V2_TYPE : 'application/json',
			});
		},

		listOrders(ctx) {
			const customerId = ctx.query.customer_id;
			const v2 = ORDERS_V2_RE.test(ctx.headers.accept || '');
			const orders = [...state.orders.values()]
				.filter((order) => order.customer.id === customerId)
				.sort(
					(a, b) => Date.parse(b.placed_at) - Date.parse(a.placed_at) || (a.id < b.id ? -1 : 1),
				);
			if (!v2) {
				const known = state.customers.has(customerId) || state.profiles.has(customerId);
				if (!known)
					throw fail(ctx, 404, 'customer_not_found', `Customer '${customerId}' not found.`);
				return ok({ orders: orders.map(orderSummaryV1) }); // paging ignored without version=2
			}
			const offset = intQuery(ctx, 'offset', 0);
			const count = intQuery(ctx, 'count', 10);
			const page = orders.slice(offset, offset + count);
			return ok(
				{
					orders: page.map(orderSummaryV2),
					pagination_info: { count: page.length, offset, total: orders.length },
				},
				{ 'content-type': ORDERS_V2_TYPE },
			);
		},

		listFulfillmentRequests(ctx) {
			return ok({
				fulfillment_requests: state.fulfillmentRequests.get(ctx.params.order_uuid) || [],
			});
		},

		stockInsights(ctx) {
			const { product_id: productId, fulfillment_node_id: nodeId } = ctx.query;
			const entry = state.stock.get(stockKey(productId, nodeId));
			return ok({
				product_id: productId,
				fulfillment_node_id: nodeId,
				allocations: entry ? entry.allocations.slice(0, 1000) : [],
				reservations: entry ? entry.reservations.slice(0, 1000) : [],
				future_allocations: entry ? entry.future_allocations.slice(0, 1000) : [],
			});
		},

		availabilities(ctx) {
			return ok({
				items: ctx.body.atp_keys.map((key) => {
					const entry = state.stock.get(stockKey(key.product_id, key.fulfillment_node_id));
					return {
						product_id: key.product_id,
						fulfillment_node_id: key.fulfillment_node_id,
						atp: entry ? entry.atp : 0,
					};
				}),
			});
		},
	};

	// ------------------------------------------------------------------------------ order notes

	function addNote(order, itemId, body) {
		const micros = clock.micros();
		const note = {
			id: ids.uuid(),
			order_id: order.id,
			...(itemId && { item_id: itemId }),
			text: body.text,
			source: body.source,
			source_type: body.source_type,
			tags: [...body.tags],
			created_at: goTime(micros),
			updated_at: goTime(micros),
			_micros: micros,
		};
		state.notes.set(note.id, note);
		return note;
	}

	const noteRoutes = {
		listNotes(ctx) {
			const order = orderOf(ctx);
			const notes = [...state.notes.values()]
				.filter((note) => note.order_id === order.id)
				.sort((a, b) => b._micros - a._micros);
			return ok({ notes: notes.map(publicNote) });
		},
		createNote(ctx) {
			return created(publicNote(addNote(orderOf(ctx), null, ctx.body)));
		},
		createItemNote(ctx) {
			const order = orderOf(ctx);
			const item = order.items.find((i) => i.id === ctx.params.item_uuid);
			if (!item)
				throw fail(
					ctx,
					404,
					'not_found',
					`Item '${ctx.params.item_uuid}' not found in order '${order.id}'`,
				);
			return created(publicNote(addNote(order, item.id, ctx.body)));
		},
		patchNote(ctx) {
			const note = noteOf(ctx, orderOf(ctx));
			for (const key of ['text', 'source', 'source_type', 'tags']) {
				if (key in ctx.body) note[key] = key === 'tags' ? [...ctx.body.tags] : ctx.body[key];
			}
			note.updated_at = goTime(clock.micros());
			return ok(publicNote(note));
		},
		deleteNote(ctx) {
			const note = noteOf(ctx, orderOf(ctx));
			state.notes.delete(note.id);
			return noContent();
		},
	};

	// ------------------------------------------------------------------------------ customer profiles

	function listProfiles(ctx, project) {
		const offset = intQuery(ctx, 'offset', 0);
		const count = intQuery(ctx, 'count', 10);
		if (offset + count > fake.profileCeiling) {
			throw fail(
				ctx,
				400,
				'bad_request',
				`The profile search is limited to ${fake.profileCeiling} results: offset + count must not exceed ${fake.profileCeiling}`,
			);
		}
		let [field, direction] = ['created_at', 'desc'];
		if (ctx.query.sort) {
			[field, direction = 'asc'] = String(ctx.query.sort).split('|');
			if (!PROFILE_SORT_FIELDS.includes(field) || !['asc', 'desc'].includes(direction)) {
				throw fail(
					ctx,
					400,
					'bad_request',
					`Invalid sort '${ctx.query.sort}': use <field>|asc or <field>|desc with field one of ${PROFILE_SORT_FIELDS.join(', ')}`,
				);
			}
		}
		let profiles = [...state.profiles.values()];
		const q = ctx.query.q !== undefined ? String(ctx.query.q).trim() : '';
		if (q) {
			const needle = q.toLowerCase();
			profiles = profiles.filter(
				(p) =>
					p.id === q ||
					p.display_id === q ||
					[p.email, p.full_name, p.phone_number].some((v) => v && v.toLowerCase().includes(needle)),
			);
		}
		const sign = direction === 'desc' ? -1 : 1;
		profiles.sort((a, b) => {
			const x = String(a[field] || '').toLowerCase();
			const y = String(b[field] || '').toLowerCase();
			return (x < y ? -1 : x > y ? 1 : 0) * sign || (a.id < b.id ? -1 : 1);
		});
		const page = profiles.slice(offset, offset + count);
		return ok({
			profiles: page.map(project),
			pagination_info: { count: page.length, offset, total: profiles.length },
		});
	}

	function checkPhone(ctx, phone, status) {
		if (phone !== undefined && phone !== '' && !E164.test(phone))
			throw fail(
				ctx,
				status,
				status === 422 ? 'unprocessable_entity' : 'bad_request',
				'phone_number must be in E.164 format',
			);
	}

	function checkEmailFree(ctx, email, self) {
		if (email === undefined) return;
		const other = findProfileByEmail(email);
		if (other && other !== self)
			throw fail(ctx, 409, 'conflict', `Another profile already uses the email '${email}'`);
	}

	function createProfileRecord(body) {
		const ms = nowMs();
		let displayNumber = 100001;
		for (const p of state.profiles.values()) {
			const n = Number(String(p.display_id).replace(/^\D+/, ''));
			if (n >= displayNumber) displayNumber = n + 1;
		}
		const profile = {
			id: nsId(ids, ms),
			display_id: `C${String(displayNumber).padStart(7, '0')}`,
			email: body.email.trim(),
			first_name: body.first_name || '',
			last_name: body.last_name || '',
			full_name:
				body.full_name !== undefined
					? body.full_name
					: [body.first_name, body.last_name].filter(Boolean).join(' '),
			phone_number: body.phone_number || '',
			store_id: body.store_id || '',
			created_by: body.created_by || '',
			extended_attributes: structuredClone(body.extended_attributes || {}),
			created_at: isoMs(ms),
			updated_at: isoMs(ms),
		};
		state.profiles.set(profile.id, profile);
		state.addresses.set(profile.id, []);
		return profile;
	}

	function applyProfileChanges(profile, body) {
		for (const field of PROFILE_FIELDS) if (body[field] !== undefined) profile[field] = body[field];
		if (
			body.full_name === undefined &&
			(body.first_name !== undefined || body.last_name !== undefined)
		) {
			profile.full_name = [profile.first_name, profile.last_name].filter(Boolean).join(' ');
		}
		if (body.extended_attributes !== undefined)
			profile.extended_attributes = structuredClone(body.extended_attributes); // replaces the map
		profile.updated_at = isoMs(nowMs(profile.updated_at));
	}

	const bothNameStyles = (body) =>
		(body.first_name !== undefined || body.last_name !== undefined) && body.full_name !== undefined;

	const addressView = (address) => ({ ...address });

	function addressRoutes(prefix, { lock }) {
		return {
			[`${prefix}.listAddresses`](ctx) {
				const list = state.addresses.get(profileOf(ctx).id);
				const offset = intQuery(ctx, 'offset', 0);
				const count = intQuery(ctx, 'count', 10);
				const page = list.slice(offset, offset + count);
				return ok({
					addresses: page.map(addressView),
					pagination_info: { count: page.length, offset, total: list.length },
				});
			},
			[`${prefix}.createAddress`](ctx) {
				const profile = profileOf(ctx);
				const list = state.addresses.get(profile.id);
				const wanted = Object.fromEntries(ADDRESS_FIELDS.map((f) => [f, ctx.body[f] || '']));
				const same = list.find((a) => ADDRESS_FIELDS.every((f) => (a[f] || '') === wanted[f]));
				if (same) return ok(addressView(same)); // existing address: 200
				const ms = nowMs();
				const address = {
					id: nsId(ids, ms),
					...wanted,
					created_at: isoMs(ms),
					updated_at: isoMs(ms),
				};
				list.push(address);
				if (list.length > MAX_ADDRESSES) list.shift(); // the oldest is replaced
				return created(addressView(address));
			},
			[`${prefix}.getAddress`](ctx) {
				return ok(addressView(addressOf(ctx, profileOf(ctx))));
			},
			[`${prefix}.patchAddress`](ctx) {
				const address = addressOf(ctx, profileOf(ctx));
				if (lock && Date.parse(ctx.body.last_updated_at) !== Date.parse(address.updated_at)) {
					throw fail(ctx, 409, 'conflict', 'The address was changed since last_updated_at');
				}
				for (const field of ADDRESS_FIELDS)
					if (ctx.body[field] !== undefined) address[field] = ctx.body[field];
				address.updated_at = isoMs(nowMs(address.updated_at));
				return ok(addressView(address));
			},
			[`${prefix}.deleteAddress`](ctx) {
				const profile = profileOf(ctx);
				const address = addressOf(ctx, profile);
				state.addresses.set(
					profile.id,
					state.addresses.get(profile.id).filter((a) => a !== address),
				);
				return noContent();
			},
		};
	}

	const profileV2Routes = {
		'v2.listProfiles': (ctx) => listProfiles(ctx, publicProfileV2),

		'v2.createProfile'(ctx) {
			const body = ctx.body;
			if (bothNameStyles(body)) {
				throw fail(
					ctx,
					400,
					'bad_request',
					'Use either first_name and last_name or full_name, not both',
				);
			}
			checkPhone(ctx, body.phone_number, 422);
			if (!String(body.email).includes('@'))
				throw fail(ctx, 422, 'unprocessable_entity', 'email is invalid');
			const existing = findProfileByEmail(body.email);
			// get-or-create: always 201, an existing profile is returned unchanged
			return created(publicProfileV2(existing || createProfileRecord(body)));
		},

		'v2.getProfile': (ctx) => ok(publicProfileV2(profileOf(ctx))),

		'v2.patchProfile'(ctx) {
			const profile = profileOf(ctx);
			const body = ctx.body;
			if (Date.parse(body.last_updated_at) !== Date.parse(profile.updated_at)) {
				throw fail(ctx, 409, 'conflict', 'The profile was changed since last_updated_at');
			}
			if (bothNameStyles(body)) {
				throw fail(
					ctx,
					400,
					'bad_request',
					'Use either first_name and last_name or full_name, not both',
				);
			}
			checkPhone(ctx, body.phone_number, 422);
			checkEmailFree(ctx, body.email, profile);
			applyProfileChanges(profile, body);
			return ok(publicProfileV2(profile));
		},

		'v2.deleteProfile'(ctx) {
			const profile = profileOf(ctx);
			if (ctx.body.operation !== 'delete')
				throw fail(ctx, 400, 'bad_request', "operation must be 'delete'");
			if (profile.deletion_requested_at)
				throw fail(ctx, 409, 'conflict', 'Deletion was already requested for this profile');
			profile.deletion_requested_at = isoMs(nowMs());
			return { status: 202 };
		},

		...addressRoutes('v2', { lock: true }),
	};

	const profileV1Routes = {
		'v1.listProfiles': (ctx) => listProfiles(ctx, publicProfileV1),

		'v1.createProfile'(ctx) {
			const body = ctx.body;
			if (body.first_name !== undefined || body.last_name !== undefined) {
				throw fail(
					ctx,
					400,
					'bad_request',
					'first_name and last_name are not supported in version 1.0.0; use full_name',
				);
			}
			const existing = findProfileByEmail(body.email);
			if (existing) return ok(publicProfileV1(existing)); // get-or-create: 200 for an existing one
			return created(publicProfileV1(createProfileRecord(body)));
		},

		'v1.getProfile': (ctx) => ok(publicProfileV1(profileOf(ctx))),

		'v1.patchProfile'(ctx) {
			const profile = profileOf(ctx);
			const body = ctx.body;
			if (body.first_name !== undefined || body.last_name !== undefined) {
				throw fail(
					ctx,
					400,
					'bad_request',
					'first_name and last_name are not supported in version 1.0.0; use full_name',
				);
			}
			checkEmailFree(ctx, body.email, profile);
			applyProfileChanges(profile, body); // no optimistic lock in v1
			return ok(publicProfileV1(profile));
		},

		...addressRoutes('v1', { lock: false }),
	};

	// ------------------------------------------------------------------------------ event stream

	function integrationOf(ctx) {
		const integration = state.integrations.get(ctx.params.id);
		if (!integration) throw fail(ctx, 404, 'not_found', `Integration '${ctx.params.id}' not found`);
		return integration;
	}

	const eventStreamRoutes = {
		'es.list': () => ok({ integrations: [...state.integrations.values()].map(publicIntegration) }),

		'es.create'(ctx) {
			const body = ctx.body;
			if (state.integrations.has(body.id))
				throw fail(ctx, 409, 'conflict', `Integration '${body.id}' already exists`);
			if (state.integrations.size >= opts.maxIntegrations) {
				throw fail(
					ctx,
					409,
					'integration_limit_reached',
					`At most ${opts.maxIntegrations} integrations can be registered (including temporary and stopped integrations)`,
				);
			}
			const integration = {
				id: body.id,
				status: 'running', // registering starts it
				integration_type: body.ends_at ? 'temporary' : body.integration_type,
				starts_at: body.starts_at,
				ends_at: body.ends_at,
				callback_parameters: body.callback_parameters && { ...body.callback_parameters },
				s3_parameters: body.s3_parameters,
				filter_conditions: body.filter_conditions,
				created_at: isoMs(nowMs()),
			};
			state.integrations.set(integration.id, integration);
			return created(publicIntegration(integration));
		},

		'es.get': (ctx) => ok(publicIntegration(integrationOf(ctx))),

		'es.start'(ctx) {
			const integration = integrationOf(ctx);
			integration.status = 'running';
			return ok(publicIntegration(integration));
		},

		'es.stop'(ctx) {
			const integration = integrationOf(ctx);
			integration.status = 'stopped';
			return ok(publicIntegration(integration));
		},

		'es.delete'(ctx) {
			state.integrations.delete(integrationOf(ctx).id);
			return noContent();
		},
	};

	const routes = {
		...orderRoutes,
		...noteRoutes,
		...profileV2Routes,
		...profileV1Routes,
		...eventStreamRoutes,
	};

	// ------------------------------------------------------------------------------ pipeline

	async function handle(ctx) {
		if (Date.now() < blockedUntil) {
			// old per-IP limit: 403 with a non-JSON body for every request (reference §3.1)
			return { status: 403, body: IP_BLOCK_BODY, headers: { 'content-type': 'text/html' } };
		}
		let body = ctx.body;
		if (mediaType(ctx.headers) === 'application/x-www-form-urlencoded') {
			body = Object.fromEntries(new URLSearchParams(ctx.rawBody));
			ctx.entry.body = body;
		}
		const validation = validator.validate({
			method: ctx.method,
			path: ctx.path,
			query: ctx.query,
			headers: ctx.headers,
			body,
			rawBody: ctx.rawBody,
		});
		if (validation.errors.length) recordViolation(ctx, validation.errors);
		const operation = validation.operation;
		const route = operation && operation['x-route'];
		if (route === 'token')
			return tokenEndpoint({ ...ctx, params: validation.params }, body || {}, validation);

		rateLimit(ctx);
		const token = authenticate(ctx);
		if (!operation) throw fail(ctx, 404, 'not_found', `No endpoint ${ctx.method} ${ctx.path}`);
		checkScopes(ctx, operation, token);
		if (validation.errors.length) {
			const message = isPortalPath(ctx.path)
				? validation.errors.join('; ')
				: validation.errors.map(legacyMessage).join('; ');
			throw fail(ctx, validation.status, ERROR_CODES[validation.status] || 'bad_request', message);
		}
		return routes[route]({
			...ctx,
			body,
			params: validation.params,
			query: validation.query,
			token,
			operation,
		});
	}

	fake = await startFakeServer({
		handle,
		latencyMs: opts.latencyMs,
		port: opts.port,
		maxLog: opts.maxLog,
		errorBody(status, entry) {
			if (isTokenPath(entry.path))
				return { error: 'server_error', error_description: http.STATUS_CODES[status] || 'Error' };
			const code = ERROR_CODES[status] || 'error';
			const message = http.STATUS_CODES[status] || 'Error';
			return isPortalPath(entry.path)
				? problemBody(status, message, code)
				: { error_code: code, message, request_id: requestId() };
		},
		onReset() {
			limiter.reset();
			blockedUntil = 0;
			seed();
			resetTokens = false;
		},
	});

	const baseReset = fake.reset;
	Object.assign(fake, {
		tenant: opts.tenant,
		tokenUrl: `${fake.url}/auth/realms/${opts.tenant}/protocol/openid-connect/token`,
		/** Live state (see newstore-seed.cjs emptyState()). */
		state,
		/** Every request: { method, path, query, headers, body, status, ts, violations?, dropped? }. */
		log: fake.requests,
		rateLimit: opts.rateLimit,
		profileCeiling: opts.profileCeiling,
		/** Make every issued token expired: the next API call with one of them answers 403. */
		expireTokens() {
			for (const token of state.tokens.values()) token.expiresAt = 0;
		},
		/** Per-IP block: every request answers 403 text/html for `ms` (0 lifts it). */
		blockIp(ms = 300000) {
			blockedUntil = ms > 0 ? Date.now() + ms : 0;
		},
		/**
		 * Deliver an event-stream event to every running webhook integration. Resolves to
		 * [{ integrationId, status, error? }] (status null when the callback was unreachable).
		 */
		async emit(name, payload = {}) {
			const targets = [...state.integrations.values()].filter(
				(i) =>
					i.status === 'running' && i.callback_parameters && i.callback_parameters.callback_url,
			);
			const publishedAt = new Date().toISOString();
			return Promise.all(
				targets.map(async (integration) => {
					const { callback_url: url, api_key: apiKey } = integration.callback_parameters;
					const body = { tenant: opts.tenant, name, published_at: publishedAt, payload };
					const headers = { 'content-type': 'application/json' };
					if (apiKey) headers.authorization = `Bearer ${apiKey}`;
					const record = {
						integrationId: integration.id,
						name,
						url,
						headers,
						body,
						status: null,
						error: null,
						ts: Date.now(),
					};
					try {
						const response = await fetch(url, {
							method: 'POST',
							headers,
							body: JSON.stringify(body),
							signal: AbortSignal.timeout(opts.deliveryTimeoutMs),
						});
						record.status = response.status;
						record.responseBody = await response.text();
					} catch (error) {
						record.error = error.message;
					}
					state.deliveries.push(record);
					return {
						integrationId: integration.id,
						status: record.status,
						...(record.error && { error: record.error }),
					};
				}),
			);
		},
		/**
		 * Back to the seeded state: log, violations, injections, deliveries, rate limiter and IP block
		 * cleared, data re-seeded. Issued tokens stay valid unless reset({ tokens: true }).
		 */
		reset({ tokens = false } = {}) {
			resetTokens = tokens;
			baseReset();
		},
	});
	return fake;
}

module.exports = { startFakeNewStore, checkShipments, orderDetail, ERROR_CODES };
