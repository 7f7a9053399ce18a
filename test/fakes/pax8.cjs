'use strict';

/**
 * Stateful fake of the Pax8 APIs for integration tests:
 *   POST /v1/token     (authentication spec)
 *   /v1/...            (partner endpoints v1, all 29 operations)
 *   /api/v2/webhooks...(webhooks API v2, all 15 operations; see pax8-webhooks.cjs)
 *
 * Every request is validated against Pax8's published OpenAPI documents before it is handled; a
 * non-conforming request is recorded in fake.violations and answered with 400 (415 for a wrong
 * Content-Type, 404 for an unknown path). Behaviour follows shared/reference/pax8.md, including
 * the wire quirks of its section 8.
 *
 *   const fake = await startFakePax8({ clientId, clientSecret, seed: 1 });
 *   fake.url  // http://127.0.0.1:PORT ; partner API at url + '/v1', webhooks at url + '/api/v2'
 */

const crypto = require('node:crypto');
const http = require('node:http');
const {
	HttpError,
	UUID_RE,
	createPrng,
	createRateLimiter,
	createSpecValidator,
	readSpecJson,
	sortItems,
	startFakeServer,
} = require('./common.cjs');
const {
	COMMITMENT_MONTHS,
	DAY,
	TERM_MONTHS,
	createPax8State,
	isoDate,
	isoDateTime,
	makeContact,
	offsetDateTime,
	pricingFor,
	ratesFor,
} = require('./pax8-seed.cjs');
const { createWebhookApi } = require('./pax8-webhooks.cjs');

const ERROR_TYPES = {
	400: 'BAD_REQUEST',
	401: 'UNAUTHORIZED',
	403: 'FORBIDDEN',
	404: 'NOT_FOUND',
	405: 'METHOD_NOT_ALLOWED',
	408: 'REQUEST_TIMEOUT',
	409: 'CONFLICT',
	415: 'UNSUPPORTED_MEDIA_TYPE',
	422: 'UNPROCESSABLE_ENTITY',
	429: 'TOO_MANY_REQUESTS',
	500: 'INTERNAL_SERVER_ERROR',
	502: 'BAD_GATEWAY',
	503: 'SERVICE_UNAVAILABLE',
	504: 'GATEWAY_TIMEOUT',
};
const CONTACT_TYPES = ['Admin', 'Billing', 'Technical'];
const MAX_PAGE_SIZE = 200;

// ---------------------------------------------------------------------------------------------
// Spec errata

/**
 * Patch the documented defects of the partner spec (shared/specs/README.md) that make correct
 * requests fail validation. Nothing else is patched. Not needed, so not applied: Pricing.rates
 * lacking `type: array` and Page fields without types only concern responses, which the fake does
 * not validate.
 */
function applyErrata(spec) {
	const operations = Object.values(spec.paths).flatMap((item) => Object.values(item));

	// (1) sort: the enums list bare field names (subscriptions: "field,dir" pairs) while every
	//     description documents "fieldName,direction": accept a listed field plus optional direction.
	for (const operation of operations) {
		for (const param of operation.parameters || []) {
			if (param.in === 'query' && param.name === 'sort' && param.schema && param.schema.enum) {
				const fields = [...new Set(param.schema.enum.map((v) => v.replace(/,(asc|desc)$/, '')))];
				param.schema = { type: 'string', pattern: `^(${fields.join('|')})(,(asc|desc))?$` };
			}
		}
	}

	// (2) CreateLineItem.required lists companyId, which is not a property of a line item.
	const lineItem = spec.components.schemas.CreateLineItem;
	lineItem.required = (lineItem.required || []).filter((name) => name !== 'companyId');

	// (3) Usage lines are paged on the wire, but the operation declares no page/size parameters.
	const usageLines = spec.paths['/usage-summaries/{usageSummaryId}/usage-lines'].get;
	const pageParams = spec.paths['/companies'].get.parameters.filter(
		(p) => p.name === 'page' || p.name === 'size',
	);
	for (const param of pageParams) {
		if (!usageLines.parameters.some((p) => p.in === 'query' && p.name === param.name)) {
			usageLines.parameters.push(structuredClone(param));
		}
	}
	return spec;
}

/**
 * Errata of the webhooks spec: (1) `GET /webhooks/{webhookId}/logs` declares `query` as a
 * *required object* (a server-side query DTO leaking into the document; no client can send an
 * object in a form-style query string). On the wire it is the optional text search that
 * `GET /webhooks` also has, so it is made an optional string.
 */
function applyWebhookErrata(spec) {
	const logs = spec.paths['/webhooks/{webhookId}/logs'].get;
	const query = logs.parameters.find((p) => p.in === 'query' && p.name === 'query');
	if (query) {
		query.required = false;
		query.schema = { type: 'string' };
	}
	return spec;
}

// ---------------------------------------------------------------------------------------------
// Request helpers shared by the partner and webhook handlers

/** Pax8 error body. Partner API instances carry the gateway prefix "/public" like the live API. */
function errorBody(status, message, path, details, type) {
	const body = {
		type: type || ERROR_TYPES[status] || 'ERROR',
		message,
		instance: path.startsWith('/v1/') ? `/public${path}` : path,
		status,
	};
	if (details && details.length) body.details = details;
	return body;
}

const fail = (ctx, status, message, details, type) =>
	new HttpError(status, errorBody(status, message, ctx.path, details, type));
const ok = (body) => ({ status: 200, body });
const noContent = () => ({ status: 204 });
const detail = (instance, message) => ({
	type: 'VALIDATION_ERROR',
	status: 422,
	message,
	instance,
});

/** Last value of a query parameter (repeated parameters are arrays). */
function qs(ctx, name) {
	const value = ctx.query[name];
	return Array.isArray(value) ? value[value.length - 1] : value;
}

function intQuery(ctx, name, fallback) {
	const value = qs(ctx, name);
	if (value === undefined || value === '') return fallback;
	if (!/^-?\d+$/.test(value)) {
		throw fail(
			ctx,
			400,
			`Failed to convert value of type 'java.lang.String' to required type 'int'; For input string: "${value}"`,
		);
	}
	return Number(value);
}

function dateQuery(ctx, name) {
	const value = qs(ctx, name);
	if (value !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(value)) {
		throw fail(
			ctx,
			400,
			`Failed to convert value "${value}" of parameter ${name} to LocalDate (expected yyyy-MM-dd)`,
		);
	}
	return value;
}

/** Path parameter that must be a UUID (Spring answers 400 when it cannot convert it). */
function uuidParam(ctx, name) {
	const value = ctx.params[name];
	if (!UUID_RE.test(value)) throw fail(ctx, 400, `Invalid UUID string: ${value}`);
	return value.toLowerCase();
}

function paging(ctx, maxSize = MAX_PAGE_SIZE) {
	const page = intQuery(ctx, 'page', 0);
	const size = intQuery(ctx, 'size', 10);
	if (page < 0) throw fail(ctx, 400, 'Page index must not be less than zero');
	if (size < 1 || size > maxSize)
		throw fail(ctx, 400, `Page size must be between 1 and ${maxSize}`);
	return { page, size };
}

/** Spring-style page: { content, page: { size, totalElements, totalPages, number } }. */
function pageOf(items, { page, size }, project) {
	const slice = items.slice(page * size, page * size + size);
	return {
		content: project ? slice.map(project) : slice,
		page: {
			size,
			totalElements: items.length,
			totalPages: Math.ceil(items.length / size),
			number: page,
		},
	};
}

/** Keep items passing the predicate of every query parameter present in the request. */
function where(ctx, items, predicates) {
	const active = [];
	for (const [name, test] of Object.entries(predicates)) {
		const value = qs(ctx, name);
		if (value !== undefined) active.push((item) => test(item, value));
	}
	return active.length ? items.filter((item) => active.every((test) => test(item))) : items;
}

/** "field,desc" (partner API) or "field:desc" (webhooks API) -> { field, descending } */
function parseSort(ctx, separator) {
	const value = qs(ctx, 'sort');
	if (!value) return null;
	const [field, direction = 'asc'] = value.split(separator).map((part) => part.trim());
	if (!/^(asc|desc)$/i.test(direction))
		throw fail(ctx, 400, `Invalid sort direction: ${direction}`);
	return { field, descending: direction.toLowerCase() === 'desc' };
}

const eqi = (a, b) =>
	a !== undefined && a !== null && String(a).toLowerCase() === String(b).toLowerCase();
const bool = (value) => value === 'true';
const ts = (value) => (value ? Date.parse(value) : null);
const nowOffset = () => offsetDateTime(Date.now());

// sort accessors per collection; sort fields are checked by the (patched) spec
const COMPANY_SORT = {
	name: (c) => c.name,
	city: (c) => c.address && c.address.city,
	country: (c) => c.address && c.address.country,
	stateOrProvince: (c) => c.address && c.address.stateOrProvince,
	postalCode: (c) => c.address && c.address.postalCode,
};
const PRODUCT_SORT = { name: (p) => p.name, vendor: (p) => p.vendorName };
const SUBSCRIPTION_SORT = {
	quantity: (s) => s.quantity,
	startDate: (s) => ts(s.startDate),
	endDate: (s) => ts(s.endDate),
	createdDate: (s) => ts(s.createdDate),
	billingStart: (s) => ts(s.billingStart),
	price: (s) => s.price,
};
const INVOICE_SORT = {
	invoiceDate: (i) => i.invoiceDate,
	dueDate: (i) => i.dueDate,
	status: (i) => i.status,
	partnerName: (i) => i.partnerName,
	total: (i) => i.total,
	balance: (i) => i.balance,
	carriedBalance: (i) => i.carriedBalance,
};
const USAGE_SUMMARY_SORT = {
	resourceGroup: (u) => u.resourceGroup,
	currentCharges: (u) => u.currentCharges,
	partnerTotal: (u) => u.partnerTotal,
};

// ---------------------------------------------------------------------------------------------
// The fake

/**
 * @param {object} [options]
 * @param {string} [options.clientId='cid']
 * @param {string} [options.clientSecret='secret']
 * @param {string} [options.audience='https://api.pax8.com']
 * @param {number} [options.tokenTtlSeconds=86400]
 * @param {number} [options.seed=1]
 * @param {object} [options.counts]  overrides of the seed counts (see pax8-seed.cjs DEFAULT_COUNTS)
 * @param {number} [options.latencyMs=0]
 * @param {{limit:number, windowMs:number, retryAfter?:boolean}|null} [options.rateLimit=null]
 */
async function startFakePax8(options = {}) {
	const opts = {
		clientId: 'cid',
		clientSecret: 'secret',
		audience: 'https://api.pax8.com',
		tokenTtlSeconds: 86400,
		seed: 1,
		counts: {},
		latencyMs: 0,
		rateLimit: null,
		...options,
	};

	const [partnerSpec, webhooksSpec, authSpec] = await Promise.all([
		createSpecValidator({
			definition: applyErrata(readSpecJson('pax8', 'pax8-partner-endpoints-v1.openapi.json')),
			apiRoot: '/v1',
		}),
		createSpecValidator({
			definition: applyWebhookErrata(readSpecJson('pax8', 'pax8-webhooks-api-v2.openapi.json')),
			apiRoot: '/api/v2',
		}),
		createSpecValidator({
			definition: readSpecJson('pax8', 'pax8-authentication.openapi.json'),
			apiRoot: '/v1',
		}),
	]);

	const { state, prng, webhookCount } = createPax8State({ seed: opts.seed, counts: opts.counts });
	// ids of objects created through the API: deterministic for a given sequence of requests
	const ids = createPrng(opts.seed + 0x9e3779b9);
	const tokens = new Map(); // token -> expiry (ms)
	const limiter = createRateLimiter();

	// Sorted views of the large collections, rebuilt only after a change.
	let version = 0;
	const orderedCache = new Map();
	const touch = () => {
		version++;
	};
	function ordered(name, map, sort, accessors) {
		const key = sort ? `${name}|${sort.field}|${sort.descending}` : name;
		const hit = orderedCache.get(key);
		if (hit && hit.version === version && hit.size === map.size) return hit.items;
		let items = Array.from(map.values());
		if (sort) items = sortItems(items, accessors[sort.field], sort.descending);
		orderedCache.set(key, { version, size: map.size, items });
		return items;
	}

	// ------------------------------------------------------------------------------ lookups

	function findCompany(ctx, id) {
		const company = state.companies.get(id);
		if (!company) throw fail(ctx, 404, `Company Not Found: ${id}`);
		return company;
	}
	const companyOf = (ctx) => findCompany(ctx, uuidParam(ctx, 'companyId'));

	function productOf(ctx) {
		const id = uuidParam(ctx, 'productId');
		const product = state.products.get(id);
		if (!product) throw fail(ctx, 404, `Product Not Found: ${id}`);
		return product;
	}

	function subscriptionOf(ctx) {
		const id = uuidParam(ctx, 'subscriptionId');
		const subscription = state.subscriptions.get(id);
		if (!subscription) throw fail(ctx, 404, `Subscription Not Found: ${id}`);
		return subscription;
	}

	function contactOf(ctx, company) {
		const id = uuidParam(ctx, 'contactId');
		const contact = state.contacts.get(company.id).find((c) => c.id === id);
		if (!contact) throw fail(ctx, 404, `Contact Not Found: ${id}`);
		return contact;
	}

	function usageSummaryOf(ctx) {
		const id = uuidParam(ctx, 'usageSummaryId');
		const summary = state.usageSummaries.get(id);
		if (!summary) throw fail(ctx, 404, `Usage Summary Not Found: ${id}`);
		return summary;
	}

	/** Company-scoped filters answer 403 for a company that is not the partner's. */
	function ownedCompanyFilter(ctx) {
		const companyId = qs(ctx, 'companyId');
		if (companyId !== undefined && !state.companies.has(companyId.toLowerCase())) {
			throw fail(ctx, 403, `Access denied for companyId ${companyId}`);
		}
	}

	function requireBody(ctx) {
		if (!ctx.body || typeof ctx.body !== 'object')
			throw fail(ctx, 400, 'Required request body is missing');
		return ctx.body;
	}

	// ------------------------------------------------------------------------------ companies & contacts

	/** A company is Active once Admin, Billing and Technical each have a primary contact. */
	function refreshCompanyStatus(company) {
		if (company.status === 'Deleted') return;
		const primaries = new Set();
		for (const contact of state.contacts.get(company.id)) {
			for (const t of contact.types) if (t.primary) primaries.add(t.type);
		}
		company.status = CONTACT_TYPES.every((t) => primaries.has(t)) ? 'Active' : 'Inactive';
	}

	/** Only one primary contact per type: a new primary demotes the previous one. */
	function claimPrimaries(company, contact) {
		const claimed = new Set(contact.types.filter((t) => t.primary).map((t) => t.type));
		for (const other of state.contacts.get(company.id)) {
			if (other === contact) continue;
			for (const t of other.types) if (claimed.has(t.type)) t.primary = false;
		}
	}

	function contactFromBody(body, company, id, createdDate) {
		return makeContact({
			id,
			firstName: body.firstName,
			lastName: body.lastName,
			email: body.email,
			phone: body.phone,
			types: body.types,
			createdDate,
			country: company.address && company.address.country,
		});
	}

	function addContact(company, body) {
		const contact = contactFromBody(body, company, ids.uuid(), isoDate(Date.now()));
		state.contacts.get(company.id).unshift(contact); // listed newest first
		claimPrimaries(company, contact);
		return contact;
	}

	const COMPANY_FIELDS = [
		'name',
		'address',
		'phone',
		'website',
		'externalId',
		'billOnBehalfOfEnabled',
		'selfServiceAllowed',
		'orderApprovalRequired',
	];

	// ------------------------------------------------------------------------------ orders

	function orderDetails(body, company) {
		const details = [];
		const lines = body.lineItems || [];
		if (!lines.length) details.push(detail('lineItems', 'An order needs at least one line item'));
		const numbers = new Map(lines.map((line) => [line.lineItemNumber, line]));
		const seen = new Set();
		lines.forEach((line, i) => {
			const at = `lineItems[${i}]`;
			if (seen.has(line.lineItemNumber))
				details.push(
					detail(`${at}.lineItemNumber`, `Duplicate lineItemNumber ${line.lineItemNumber}`),
				);
			seen.add(line.lineItemNumber);
			if (!Number.isInteger(line.quantity) || line.quantity < 1) {
				details.push(detail(`${at}.quantity`, 'Quantity must be a whole number greater than 0'));
			}
			const product = state.products.get(String(line.productId).toLowerCase());
			if (!product)
				return details.push(detail(`${at}.productId`, `Product Not Found: ${line.productId}`));
			const meta = state.productMeta.get(product.id);

			if (!meta.billingTerms.includes(line.billingTerm)) {
				details.push(
					detail(
						`${at}.billingTerm`,
						`Billing term ${line.billingTerm} is not available for ${product.name}; available: ${meta.billingTerms.join(', ')}`,
					),
				);
			}
			if (product.requiresCommitment && !line.commitmentTermId) {
				details.push(
					detail(
						`${at}.commitmentTermId`,
						`${product.name} requires a commitmentTermId (see GET /products/${product.id}/dependencies)`,
					),
				);
			} else if (line.commitmentTermId) {
				const commitment = meta.commitments.find(
					(c) => c.id === String(line.commitmentTermId).toLowerCase(),
				);
				if (!commitment) {
					details.push(
						detail(
							`${at}.commitmentTermId`,
							`Commitment term ${line.commitmentTermId} is not available for ${product.name}`,
						),
					);
				} else if (COMMITMENT_MONTHS[commitment.term] < (TERM_MONTHS[line.billingTerm] || 0)) {
					details.push(
						detail(
							`${at}.commitmentTermId`,
							`Commitment term ${commitment.term} is shorter than billing term ${line.billingTerm}`,
						),
					);
				}
			}

			const given = new Map((line.provisioningDetails || []).map((d) => [d.key, d.values || []]));
			for (const key of meta.requiredDetails) {
				const values = given.get(key) || [];
				if (!values.some((v) => String(v).trim())) {
					const label = meta.provisionDetails.find((d) => d.key === key).label;
					details.push(
						detail(`${at}.provisioningDetails`, `Missing provisioning detail "${key}" (${label})`),
					);
				}
			}
			for (const definition of meta.provisionDetails) {
				const values = given.get(definition.key);
				if (!values || !definition.possibleValues) continue;
				const valid =
					values.every((v) => definition.possibleValues.includes(v)) &&
					(definition.valueType !== 'Single-Value' || values.length === 1);
				if (!valid) {
					details.push(
						detail(
							`${at}.provisioningDetails`,
							`Invalid value for provisioning detail "${definition.key}"; allowed: ${definition.possibleValues.join(' | ')}`,
						),
					);
				}
			}

			if (line.parentLineItemNumber !== undefined) {
				const parentLine = numbers.get(line.parentLineItemNumber);
				if (!parentLine) {
					details.push(
						detail(
							`${at}.parentLineItemNumber`,
							`No line item number ${line.parentLineItemNumber} in this order`,
						),
					);
				} else if (parentLine.parentLineItemNumber !== undefined) {
					details.push(
						detail(
							`${at}.parentLineItemNumber`,
							`Line item ${line.parentLineItemNumber} is itself an add-on and cannot be a parent`,
						),
					);
				}
			}
			const parentSubscription =
				line.parentSubscriptionId &&
				state.subscriptions.get(String(line.parentSubscriptionId).toLowerCase());
			if (
				line.parentSubscriptionId &&
				(!parentSubscription || parentSubscription.companyId !== company.id)
			) {
				details.push(
					detail(
						`${at}.parentSubscriptionId`,
						`Subscription Not Found: ${line.parentSubscriptionId}`,
					),
				);
			}
			if (meta.requires.length) {
				const parentLine = numbers.get(line.parentLineItemNumber);
				const parentProductId = parentLine
					? String(parentLine.productId).toLowerCase()
					: parentSubscription && parentSubscription.productId;
				if (!meta.requires.includes(parentProductId)) {
					const names = meta.requires.map((id) => state.products.get(id).name).join(' or ');
					details.push(
						detail(
							`${at}`,
							`${product.name} is an add-on and requires a parent ${names} (parentLineItemNumber or parentSubscriptionId)`,
						),
					);
				}
			}
			if (line.provisionStartDate && Date.parse(line.provisionStartDate) > Date.now() + DAY) {
				details.push(
					detail(`${at}.provisionStartDate`, 'Scheduled (future-dated) orders are not supported'),
				);
			}
		});
		return details;
	}

	function priceFor(meta, billingTerm, quantity) {
		const rates = ratesFor(meta, billingTerm);
		return (
			rates.find(
				(r) =>
					quantity >= r.startQuantityRange &&
					(r.endQuantityRange === null || quantity <= r.endQuantityRange),
			) || rates[0]
		);
	}

	function createSubscription(company, line, parentSubscriptionId) {
		const product = state.products.get(String(line.productId).toLowerCase());
		const meta = state.productMeta.get(product.id);
		const now = Date.now();
		const start = line.provisionStartDate ? Date.parse(line.provisionStartDate) : now;
		const rate = priceFor(meta, line.billingTerm, line.quantity);
		const subscription = {
			id: ids.uuid(),
			companyId: company.id,
			productId: product.id,
			quantity: line.quantity,
			startDate: isoDateTime(start),
			endDate: null,
			createdDate: offsetDateTime(now),
			updatedDate: offsetDateTime(now),
			billingStart: isoDate(start),
			status: line.billingTerm === 'Trial' ? 'Trial' : 'Active',
			price: rate.suggestedRetailPrice,
			partnerCost: rate.partnerBuyRate,
			currencyCode: 'USD',
			productName: product.name,
			billingTerm: line.billingTerm,
		};
		if (parentSubscriptionId) subscription.parentSubscriptionId = parentSubscriptionId;
		if (product.vendorName === 'Microsoft') {
			subscription.vendorSubscriptionId = ids.uuid();
			subscription.vendorSkuId = product.vendorSku;
		}
		const commitment =
			line.commitmentTermId &&
			meta.commitments.find((c) => c.id === String(line.commitmentTermId).toLowerCase());
		if (commitment) {
			subscription.commitment = {
				id: commitment.id,
				term: commitment.term,
				endDate: isoDateTime(
					start + Math.round(COMMITMENT_MONTHS[commitment.term] * 30.4375) * DAY,
				),
			};
		}
		state.subscriptions.set(subscription.id, subscription);
		return subscription;
	}

	function orderLine(line, subscriptionId) {
		const out = { productId: String(line.productId).toLowerCase() };
		if (subscriptionId) out.subscriptionId = subscriptionId;
		if (line.commitmentTermId) out.commitmentTermId = line.commitmentTermId;
		out.provisionStartDate = line.provisionStartDate || isoDateTime(Date.now());
		out.billingTerm = line.billingTerm;
		out.quantity = line.quantity;
		return out;
	}

	// ------------------------------------------------------------------------------ subscriptions

	/** Apply a change and keep a history snapshot of every state the subscription had. */
	function changeSubscription(subscription, mutate) {
		let history = state.subscriptionHistory.get(subscription.id);
		if (!history)
			state.subscriptionHistory.set(subscription.id, (history = [structuredClone(subscription)]));
		mutate(subscription);
		subscription.updatedDate = nowOffset();
		history.push(structuredClone(subscription));
		touch();
	}

	const commitmentRunning = (s) =>
		Boolean(s.commitment && s.commitment.endDate && Date.parse(s.commitment.endDate) > Date.now());

	// ------------------------------------------------------------------------------ partner routes

	/** Handlers by operationId ("METHOD /path" where the spec has none). */
	const partnerRoutes = {
		findCompanies: (ctx) =>
			ok(
				pageOf(
					where(ctx, ordered('companies', state.companies, parseSort(ctx, ','), COMPANY_SORT), {
						city: (c, v) => eqi(c.address.city, v),
						country: (c, v) => eqi(c.address.country, v),
						stateOrProvince: (c, v) => eqi(c.address.stateOrProvince, v),
						postalCode: (c, v) => eqi(c.address.postalCode, v),
						status: (c, v) => c.status === v,
						selfServiceAllowed: (c, v) => c.selfServiceAllowed === bool(v),
						billOnBehalfOfEnabled: (c, v) => c.billOnBehalfOfEnabled === bool(v),
						orderApprovalRequired: (c, v) => c.orderApprovalRequired === bool(v),
					}),
					paging(ctx),
				),
			),

		'GET /companies/{companyId}': (ctx) => ok(companyOf(ctx)),

		createCompany(ctx) {
			const body = requireBody(ctx);
			if (!String(body.name).trim()) {
				throw fail(ctx, 422, 'Company validation failed', [
					detail('name', 'Company name must not be blank'),
				]);
			}
			const company = {
				id: ids.uuid(),
				name: body.name,
				address: { ...body.address },
				phone: body.phone,
				website: body.website,
				status: 'Inactive',
			};
			if (body.externalId !== undefined) company.externalId = body.externalId;
			company.selfServiceAllowed = body.selfServiceAllowed;
			company.billOnBehalfOfEnabled = body.billOnBehalfOfEnabled;
			company.orderApprovalRequired = body.orderApprovalRequired;
			company.updatedDate = nowOffset();
			state.companies.set(company.id, company);
			state.contacts.set(company.id, []);
			for (const contact of body.contacts || []) addContact(company, contact);
			refreshCompanyStatus(company);
			touch();
			return ok(company);
		},

		updateCompany(ctx) {
			const company = companyOf(ctx);
			const body = requireBody(ctx);
			const fields = COMPANY_FIELDS.filter((field) => body[field] !== undefined);
			if (!fields.length) {
				throw fail(ctx, 422, 'Company validation failed', [
					detail('body', `Provide at least one of: ${COMPANY_FIELDS.join(', ')}`),
				]);
			}
			for (const field of fields) {
				company[field] =
					field === 'address' ? { ...company.address, ...body.address } : body[field];
			}
			company.updatedDate = nowOffset();
			touch();
			return ok(company);
		},

		'GET /companies/{companyId}/contacts': (ctx) =>
			ok(pageOf(state.contacts.get(companyOf(ctx).id), paging(ctx))),

		'POST /companies/{companyId}/contacts'(ctx) {
			const company = companyOf(ctx);
			const contact = addContact(company, requireBody(ctx));
			refreshCompanyStatus(company);
			touch();
			return ok(contact);
		},

		'GET /companies/{companyId}/contacts/{contactId}': (ctx) => ok(contactOf(ctx, companyOf(ctx))),

		'PUT /companies/{companyId}/contacts/{contactId}'(ctx) {
			const company = companyOf(ctx);
			const contact = contactOf(ctx, company);
			// full replacement: id and createdDate are kept, everything else comes from the body
			Object.assign(
				contact,
				contactFromBody(requireBody(ctx), company, contact.id, contact.createdDate),
			);
			claimPrimaries(company, contact);
			refreshCompanyStatus(company);
			touch();
			return ok(contact);
		},

		'DELETE /companies/{companyId}/contacts/{contactId}'(ctx) {
			const company = companyOf(ctx);
			const contact = contactOf(ctx, company);
			state.contacts.set(
				company.id,
				state.contacts.get(company.id).filter((c) => c !== contact),
			);
			refreshCompanyStatus(company);
			touch();
			return noContent();
		},

		findAllProducts: (ctx) =>
			ok(
				pageOf(
					where(ctx, ordered('products', state.products, parseSort(ctx, ','), PRODUCT_SORT), {
						search: (p, v) =>
							[p.name, p.vendorName, p.sku, p.id].some((field) =>
								String(field).toLowerCase().includes(v.toLowerCase()),
							),
						vendorName: (p, v) => eqi(p.vendorName, v),
					}),
					paging(ctx),
				),
			),

		findProductByProductId(ctx) {
			const product = productOf(ctx);
			const { id, name, vendorName, shortDescription, ...rest } = product;
			const { description } = state.productMeta.get(product.id);
			return ok({ id, name, vendorName, shortDescription, description, ...rest });
		},

		findProvisionDetailsByProductId: (ctx) =>
			ok({ content: state.productMeta.get(productOf(ctx).id).provisionDetails }),

		findProductDependenciesByProductId(ctx) {
			const meta = state.productMeta.get(productOf(ctx).id);
			return ok({
				commitmentDependencies: meta.commitments,
				productDependencies: meta.requires.length
					? [{ name: 'Requires', products: meta.requires.map((id) => state.products.get(id)) }]
					: [],
			});
		},

		findPricingByProductId(ctx) {
			const product = productOf(ctx);
			const companyId = qs(ctx, 'companyId');
			// company-specific pricing: the partner gets a better buy rate for that company
			if (companyId !== undefined) findCompany(ctx, companyId.toLowerCase());
			return ok({
				content: pricingFor(product, state.productMeta.get(product.id), companyId ? 0.95 : 1),
			});
		},

		findOrders: (ctx) =>
			ok(
				pageOf(
					where(ctx, ordered('orders', state.orders), { companyId: (o, v) => eqi(o.companyId, v) }),
					paging(ctx),
				),
			),

		findOrdersByOrderId(ctx) {
			const id = uuidParam(ctx, 'orderId');
			const order = state.orders.get(id);
			if (!order) throw fail(ctx, 404, `Order Not Found: ${id}`);
			return ok(order);
		},

		createOrder(ctx) {
			const body = requireBody(ctx);
			const company = findCompany(ctx, String(body.companyId).toLowerCase());
			const details = orderDetails(body, company);
			if (details.length) throw fail(ctx, 422, 'Order validation failed', details);
			const header = {
				companyId: company.id,
				createdDate: isoDate(Date.now()),
				orderedBy: (body.orderedBy || 'Pax8 Partner').replace(/\s+/g, ''), // wire returns "Pax8Partner"
				orderedByUserId: state.partnerUserId,
				...(body.orderedByUserEmail && { orderedByUserEmail: body.orderedByUserEmail }),
				isScheduled: false,
			};
			if (qs(ctx, 'isMock') === 'true') {
				// validation only: an order-shaped answer, nothing stored, no ids
				return ok({ ...header, lineItems: body.lineItems.map((line) => orderLine(line)) });
			}
			// parents first so add-ons can point at the new parent subscription (parents are never add-ons)
			const created = new Map();
			const isAddOn = (line) => line.parentLineItemNumber !== undefined;
			for (const line of [
				...body.lineItems.filter((l) => !isAddOn(l)),
				...body.lineItems.filter(isAddOn),
			]) {
				const parent =
					line.parentLineItemNumber !== undefined
						? created.get(line.parentLineItemNumber).id
						: line.parentSubscriptionId;
				created.set(
					line.lineItemNumber,
					createSubscription(company, line, parent && String(parent).toLowerCase()),
				);
			}
			const order = {
				id: ids.uuid(),
				...header,
				lineItems: body.lineItems.map((line) => ({
					id: ids.uuid(),
					...orderLine(line, created.get(line.lineItemNumber).id),
				})),
			};
			state.orders.set(order.id, order);
			touch();
			return ok(order);
		},

		findSubscriptions(ctx) {
			ownedCompanyFilter(ctx);
			return ok(
				pageOf(
					where(
						ctx,
						ordered('subscriptions', state.subscriptions, parseSort(ctx, ','), SUBSCRIPTION_SORT),
						{
							status: (s, v) => s.status === v,
							billingTerm: (s, v) => s.billingTerm === v,
							companyId: (s, v) => eqi(s.companyId, v),
							productId: (s, v) => eqi(s.productId, v),
						},
					),
					paging(ctx),
				),
			);
		},

		findSubscriptionBySubscriptionId: (ctx) => ok(subscriptionOf(ctx)),

		updateSubscription(ctx) {
			const subscription = subscriptionOf(ctx);
			const body = requireBody(ctx);
			if (subscription.status === 'Cancelled')
				throw fail(ctx, 422, 'Cannot update a cancelled subscription');
			const meta = state.productMeta.get(subscription.productId);
			const details = [];
			if (body.quantity !== undefined && (!Number.isInteger(body.quantity) || body.quantity < 1)) {
				details.push(detail('quantity', 'Quantity must be a whole number greater than 0'));
			}
			if (body.billingTerm !== undefined && !meta.billingTerms.includes(body.billingTerm)) {
				details.push(
					detail(
						'billingTerm',
						`Billing term ${body.billingTerm} is not available; available: ${meta.billingTerms.join(', ')}`,
					),
				);
			}
			if (commitmentRunning(subscription)) {
				const commitment = meta.commitments.find((c) => c.id === subscription.commitment.id);
				if (
					body.quantity < subscription.quantity &&
					commitment &&
					!commitment.allowForQuantityDecrease
				) {
					details.push(
						detail('quantity', 'Quantity cannot be decreased during the commitment term'),
					);
				}
				if (body.billingTerm !== undefined && body.billingTerm !== subscription.billingTerm) {
					details.push(
						detail('billingTerm', 'Billing term cannot be changed during the commitment term'),
					);
				}
			}
			if (details.length) throw fail(ctx, 422, 'Subscription update failed', details);
			changeSubscription(subscription, (s) => {
				for (const field of ['price', 'partnerCost', 'currencyCode', 'billingTerm', 'quantity']) {
					if (body[field] !== undefined) s[field] = body[field];
				}
				if (body.startDate !== undefined) s.startDate = isoDateTime(Date.parse(body.startDate));
				if (body.endDate !== undefined) s.endDate = isoDateTime(Date.parse(body.endDate));
			});
			return ok(subscription);
		},

		'DELETE /subscriptions/{subscriptionId}'(ctx) {
			const subscription = subscriptionOf(ctx);
			if (subscription.status === 'Cancelled')
				throw fail(ctx, 422, 'Subscription is already cancelled');
			const cancelDate = qs(ctx, 'cancelDate');
			const at = cancelDate ? Date.parse(cancelDate) : Date.now();
			changeSubscription(subscription, (s) => {
				s.status = at > Date.now() ? 'PendingCancel' : 'Cancelled';
				s.endDate = isoDateTime(at);
			});
			return noContent();
		},

		findSubscriptionHistoryBySubscriptionId(ctx) {
			const subscription = subscriptionOf(ctx);
			const history = state.subscriptionHistory.get(subscription.id) || [subscription];
			return ok({ content: [...history].reverse() }); // newest first
		},

		findPartnerInvoices(ctx) {
			for (const name of ['invoiceDate', 'invoiceDateRangeStart', 'invoiceDateRangeEnd', 'dueDate'])
				dateQuery(ctx, name);
			return ok(
				pageOf(
					where(ctx, ordered('invoices', state.invoices, parseSort(ctx, ','), INVOICE_SORT), {
						status: (i, v) => i.status === v,
						invoiceDate: (i, v) => i.invoiceDate === v,
						invoiceDateRangeStart: (i, v) => i.invoiceDate >= v,
						invoiceDateRangeEnd: (i, v) => i.invoiceDate <= v,
						dueDate: (i, v) => i.dueDate === v,
						total: (i, v) => i.total === Number(v),
						balance: (i, v) => i.balance === Number(v),
						carriedBalance: (i, v) => i.carriedBalance === Number(v),
						companyId: (i, v) => eqi(i.companyId, v),
					}),
					paging(ctx),
				),
			);
		},

		getPartnerInvoice(ctx) {
			const id = uuidParam(ctx, 'invoiceId');
			const invoice = state.invoices.get(id);
			if (!invoice) throw fail(ctx, 404, `Invoice Not Found: ${id}`);
			return ok(invoice);
		},

		findPartnerInvoiceItems(ctx) {
			const id = uuidParam(ctx, 'invoiceId');
			if (!state.invoices.has(id)) throw fail(ctx, 404, `Invoice Not Found: ${id}`);
			return ok(pageOf(state.invoiceItems.get(id), paging(ctx)));
		},

		findPartnerDraftInvoiceItems(ctx) {
			const { page, size } = paging(ctx);
			ownedCompanyFilter(ctx);
			const items = state.draftItems[intQuery(ctx, 'monthOffset', 1)];
			return ok(
				pageOf(where(ctx, items, { companyId: (i, v) => eqi(i.companyId, v) }), { page, size }),
			);
		},

		findSubscriptionUsageSummaries(ctx) {
			const subscription = subscriptionOf(ctx);
			const sort = parseSort(ctx, ',');
			let items = [...state.usageSummaries.values()].filter(
				(u) => u.subscriptionId === subscription.id,
			);
			if (sort) items = sortItems(items, USAGE_SUMMARY_SORT[sort.field], sort.descending);
			items = where(ctx, items, {
				resourceGroup: (u, v) => eqi(u.resourceGroup, v),
				companyId: (u, v) => eqi(u.companyId, v),
			});
			// summaries listed through a subscription come without companyId (wire quirk)
			return ok(
				pageOf(items, paging(ctx), (summary) => {
					const listed = { ...summary };
					delete listed.companyId;
					return listed;
				}),
			);
		},

		findSubscriptionUsageSummary: (ctx) => ok(usageSummaryOf(ctx)),

		findUsageLines(ctx) {
			const summary = usageSummaryOf(ctx);
			dateQuery(ctx, 'usageDate');
			return ok(
				pageOf(
					where(ctx, state.usageLines.get(summary.id), {
						usageDate: (l, v) => l.usageDate === v,
						productId: (l, v) => eqi(l.productId, v),
					}),
					paging(ctx),
				),
			);
		},
	};

	// ------------------------------------------------------------------------------ request pipeline

	let fake; // assigned below; handlers only run after the server started
	const webhooks = createWebhookApi({
		state,
		prng,
		ids,
		getFake: () => fake,
		helpers: {
			fail,
			ok,
			noContent,
			qs,
			where,
			parseSort,
			paging,
			pageOf,
			uuidParam,
			eqi,
			bool,
			requireBody,
		},
	});
	webhooks.seed(webhookCount);
	const routes = { ...partnerRoutes, ...webhooks.routes };

	function tokenEndpoint(ctx, validation) {
		if (validation.errors.length) {
			return {
				status: validation.status,
				body: { error: 'invalid_request', error_description: validation.errors.join('; ') },
			};
		}
		const { client_id: clientId, client_secret: clientSecret, audience } = ctx.body;
		if (
			clientId !== opts.clientId ||
			clientSecret !== opts.clientSecret ||
			audience !== opts.audience
		) {
			return { status: 401, body: { error: 'access_denied', error_description: 'Unauthorized' } };
		}
		const token = `p8tok_${crypto.randomBytes(16).toString('hex')}`;
		tokens.set(token, Date.now() + opts.tokenTtlSeconds * 1000);
		fake.issuedTokens.push(token);
		fake.tokenRequests++;
		return ok({ access_token: token, expires_in: opts.tokenTtlSeconds, token_type: 'Bearer' });
	}

	function authenticate(ctx) {
		const match = /^Bearer\s+(\S+)$/i.exec(ctx.headers.authorization || '');
		if (!match) throw unauthorized(ctx, 'Full authentication is required to access this resource');
		const expiry = tokens.get(match[1]);
		if (!expiry || expiry <= Date.now())
			throw unauthorized(ctx, 'Access token is invalid or has expired');
	}
	const unauthorized = (ctx, message) =>
		new HttpError(401, errorBody(401, message, ctx.path), {
			'www-authenticate': 'Bearer error="invalid_token"',
		});

	function rateLimit(ctx) {
		if (!fake.rateLimit) return;
		const verdict = limiter.take(fake.rateLimit);
		if (!verdict.allowed) {
			const headers = fake.rateLimit.retryAfter
				? { 'retry-after': String(verdict.retryAfterSeconds) }
				: {};
			throw new HttpError(
				429,
				errorBody(429, 'Too many requests hit the API too quickly', ctx.path),
				headers,
			);
		}
	}

	async function handle(ctx) {
		const validator =
			ctx.path === '/v1/token'
				? authSpec
				: ctx.path.startsWith('/api/v2/')
					? webhooksSpec
					: ctx.path.startsWith('/v1/')
						? partnerSpec
						: null;
		const validation = validator
			? validator.validate({
					method: ctx.method,
					path: ctx.path,
					query: ctx.query,
					headers: ctx.headers,
					body: ctx.body,
					rawBody: ctx.rawBody,
				})
			: {
					operation: null,
					params: {},
					errors: [`${ctx.method} ${ctx.path} is not a Pax8 API path`],
					status: 404,
				};
		if (validation.errors.length)
			fake.violations.push({ method: ctx.method, path: ctx.path, errors: validation.errors });
		if (validator === authSpec) return tokenEndpoint(ctx, validation);

		rateLimit(ctx);
		authenticate(ctx);
		if (validation.errors.length) {
			// Pax8 documents 422 (not 400) for a monthOffset other than 0 or 1
			const status = validation.errors.every((e) => e.startsWith('query/monthOffset'))
				? 422
				: validation.status;
			const message =
				status === 404
					? `No endpoint ${ctx.method} ${ctx.path}`
					: `Request does not match the Pax8 API specification: ${validation.errors.join('; ')}`;
			throw fail(ctx, status, message);
		}
		return routes[validation.operation.operationId]({ ...ctx, params: validation.params });
	}

	fake = await startFakeServer({
		handle,
		latencyMs: opts.latencyMs,
		port: opts.port,
		maxLog: opts.maxLog,
		errorBody: (status, entry) =>
			entry.path === '/v1/token'
				? { error: 'server_error', error_description: http.STATUS_CODES[status] || 'Error' }
				: errorBody(status, http.STATUS_CODES[status] || 'Error', entry.path),
		onReset() {
			fake.deliveries.length = 0;
			limiter.reset();
		},
	});

	Object.assign(fake, {
		/** Live in-memory state (Maps keyed by id; see pax8-seed.cjs). */
		state,
		/** Successful token requests. */
		tokenRequests: 0,
		/** Every access token handed out (still listed after expireTokens()). */
		issuedTokens: [],
		rateLimit: opts.rateLimit,
		/** Webhook deliveries: { webhookId, topic, url, headers, body, ts, status, error }. */
		deliveries: [],
		/** When true, deliveries are POSTed to the webhook url; otherwise only recorded. */
		deliverTo: false,
		/** Invalidate every issued token: the next API call with one of them gets 401. */
		expireTokens() {
			tokens.clear();
		},
		/**
		 * Deliver an event to every active webhook subscribed to `topic` whose filters accept
		 * `action` (and conditions on payloadData). Resolves to the delivery records.
		 */
		emitEvent: (topic, action, payloadData) => webhooks.emitEvent(topic, action, payloadData),
		/** Call after editing fake.state directly so sorted list views are rebuilt. */
		touch,
	});
	return fake;
}

module.exports = { startFakePax8, applyErrata, applyWebhookErrata };
