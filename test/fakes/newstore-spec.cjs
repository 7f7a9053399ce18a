'use strict';

/**
 * The OpenAPI 3 document the fake NewStore server (newstore.cjs) validates requests against.
 *
 * NewStore publishes a Swagger 2.0 document (shared/specs/newstore/newstore-api-full.swagger2.json,
 * the authority); openapi-backend needs OpenAPI 3, so swagger2ToOpenApi3() converts it in-process:
 * definitions -> components.schemas (with $ref rewrite), `in: body` -> requestBody, other
 * parameters get a `schema`, consumes/produces -> content types, securityDefinitions ->
 * securitySchemes. Only the operations the fake serves are kept (SERVED_OPERATIONS), plus the
 * schemas they reach. applyErrata() then patches the spec's documented and found defects.
 *
 * Endpoints that are NOT in NewStore's published spec (order notes, event-stream integrations,
 * POST /v0/availabilities, customer profiles v1, the Keycloak token endpoint) are hand-written
 * OpenAPI 3 fragments (HAND_WRITTEN below), each marked with `x-source` naming the reference
 * section it was derived from.
 *
 * Every operation carries `x-route` (the fake's handler name). The v2 customer-profile operations
 * are mounted twice, at /customer/profiles… (spec) and /api/v1/customer/profiles… (live prefix
 * unconfirmed, reference §7); the copies get an "api-v1:" operationId prefix.
 */

const path = require('node:path');
const { readSpecJson } = require('./common.cjs');

/** Spec operations the fake serves: path -> { method: x-route }. */
const SERVED_OPERATIONS = {
	'/v0/d/fulfill_order': { post: 'injectOrder' },
	'/v0/orders': { get: 'listOrders' },
	'/v0/orders/{id}': { get: 'getOrder' },
	'/v0/fulfillment_requests/{order_uuid}': { get: 'listFulfillmentRequests' },
	'/v0/stock/insights': { get: 'stockInsights' },
	'/customer/profiles': { get: 'v2.listProfiles', post: 'v2.createProfile' },
	'/customer/profiles/{profile_id}': {
		get: 'v2.getProfile',
		patch: 'v2.patchProfile',
		post: 'v2.deleteProfile',
	},
	'/customer/profiles/{profile_id}/addresses': {
		get: 'v2.listAddresses',
		post: 'v2.createAddress',
	},
	'/customer/profiles/{profile_id}/addresses/{address_id}': {
		get: 'v2.getAddress',
		patch: 'v2.patchAddress',
		delete: 'v2.deleteAddress',
	},
};

/** Second mount of the v2 customer-profile paths (reference §7: live prefix unconfirmed). */
const V2_ALIAS_PREFIX = '/api/v1';

const METHODS = ['get', 'put', 'post', 'delete', 'options', 'head', 'patch'];

// ---------------------------------------------------------------------------------------------
// Swagger 2.0 -> OpenAPI 3.0

const rewriteRef = (ref) => ref.replace(/^#\/definitions\//, '#/components/schemas/');

/**
 * Convert one Swagger 2.0 schema (deep copy). Besides the $ref rewrite:
 * - `x-nullable: true` -> `nullable: true`;
 * - draft-4 boolean `exclusiveMinimum`/`exclusiveMaximum` -> the numeric (draft-07) form, because
 *   openapi-backend hands schemas to Ajv 8 unchanged and Ajv rejects the boolean form;
 * - `discriminator: "name"` -> `{ propertyName: "name" }`; `type: file` -> binary string.
 */
function convertSchema(node) {
	if (Array.isArray(node)) return node.map(convertSchema);
	if (!node || typeof node !== 'object') return node;
	const out = {};
	for (const [key, value] of Object.entries(node)) {
		if (key === '$ref' && typeof value === 'string') out.$ref = rewriteRef(value);
		else if (key === 'x-nullable') {
			if (value === true) out.nullable = true;
		} else if (key === 'properties' || key === 'definitions' || key === 'patternProperties') {
			out[key] = Object.fromEntries(
				Object.entries(value || {}).map(([name, schema]) => [name, convertSchema(schema)]),
			);
		} else if (key === 'discriminator' && typeof value === 'string') {
			out.discriminator = { propertyName: value };
		} else if (key === 'example' || key === 'description' || key === 'title') {
			out[key] = value; // annotations: copied as they are
		} else out[key] = convertSchema(value);
	}
	for (const [flag, bound] of [
		['exclusiveMinimum', 'minimum'],
		['exclusiveMaximum', 'maximum'],
	]) {
		if (out[flag] === true && typeof out[bound] === 'number') {
			out[flag] = out[bound];
			delete out[bound];
		} else if (typeof out[flag] === 'boolean') delete out[flag];
	}
	if (out.type === 'file') {
		out.type = 'string';
		out.format = 'binary';
	}
	return out;
}

const PARAM_SCHEMA_KEYS = [
	'type',
	'format',
	'items',
	'default',
	'maximum',
	'exclusiveMaximum',
	'minimum',
	'exclusiveMinimum',
	'maxLength',
	'minLength',
	'pattern',
	'maxItems',
	'minItems',
	'uniqueItems',
	'enum',
	'multipleOf',
];

/** Non-body parameter: the Swagger type keywords move into `schema`. */
function convertParameter(param) {
	const out = { name: param.name, in: param.in };
	if (param.description) out.description = param.description;
	if (param.required || param.in === 'path') out.required = true;
	if (param.allowEmptyValue) out.allowEmptyValue = true;
	const schema = {};
	for (const key of PARAM_SCHEMA_KEYS) if (key in param) schema[key] = param[key];
	if (schema.items) schema.items = convertParameter({ ...schema.items, name: '', in: '' }).schema;
	out.schema = convertSchema(schema);
	if (param.type === 'array') {
		const format = param.collectionFormat || 'csv';
		if (format === 'multi') Object.assign(out, { style: 'form', explode: true });
		else if (format === 'csv') Object.assign(out, { style: 'form', explode: false });
		else if (format === 'ssv') out.style = 'spaceDelimited';
		else if (format === 'pipes') out.style = 'pipeDelimited';
	}
	return out;
}

/**
 * OpenAPI 3: header parameters named Accept, Content-Type or Authorization "SHALL be ignored"
 * (they are described by content types and security). NewStore declares `Content-Type` with
 * `enum: [application/json]` on every write and `Accept` on GET /v0/orders/{id}; dropped here.
 */
const IGNORED_HEADERS = new Set(['accept', 'content-type', 'authorization']);

function convertOperation(op, swagger) {
	const consumes = op.consumes || swagger.consumes || ['application/json'];
	const produces = op.produces || swagger.produces || ['application/json'];
	const out = {};
	for (const key of ['summary', 'description', 'operationId', 'tags', 'deprecated', 'security']) {
		if (op[key] !== undefined) out[key] = op[key];
	}
	for (const [key, value] of Object.entries(op)) if (key.startsWith('x-')) out[key] = value;

	const params = (op.parameters || []).filter(
		(p) => !(p.in === 'header' && IGNORED_HEADERS.has(String(p.name).toLowerCase())),
	);
	out.parameters = params
		.filter((p) => p.in !== 'body' && p.in !== 'formData')
		.map(convertParameter);
	const body = params.find((p) => p.in === 'body');
	const form = params.filter((p) => p.in === 'formData');
	if (body) {
		const schema = convertSchema(body.schema || {});
		out.requestBody = {
			required: Boolean(body.required),
			content: Object.fromEntries(consumes.map((type) => [type, { schema }])),
		};
		if (body.description) out.requestBody.description = body.description;
	} else if (form.length) {
		const type = consumes.includes('multipart/form-data')
			? 'multipart/form-data'
			: 'application/x-www-form-urlencoded';
		const properties = {};
		const required = [];
		for (const p of form) {
			properties[p.name] = convertParameter(p).schema;
			if (p.required) required.push(p.name);
		}
		out.requestBody = {
			required: required.length > 0,
			content: { [type]: { schema: { type: 'object', properties, required } } },
		};
	}
	out.responses = {};
	for (const [status, response] of Object.entries(op.responses || {})) {
		const converted = { description: response.description || '' };
		if (response.schema) {
			const schema = convertSchema(response.schema);
			converted.content = Object.fromEntries(produces.map((type) => [type, { schema }]));
		}
		if (response.headers && Object.keys(response.headers).length) {
			converted.headers = Object.fromEntries(
				Object.entries(response.headers).map(([name, header]) => [
					name,
					{ schema: convertParameter({ ...header, name, in: 'header' }).schema },
				]),
			);
		}
		out.responses[status] = converted;
	}
	return out;
}

/**
 * Convert a Swagger 2.0 document to OpenAPI 3.0.3, keeping only the given operations
 * ({ path: { method: x-route } }) and every schema they reach.
 */
function swagger2ToOpenApi3(swagger, operations) {
	const paths = {};
	for (const [route, methods] of Object.entries(operations)) {
		const item = swagger.paths[route];
		if (!item) throw new Error(`${route} is not in the NewStore spec`);
		const shared = item.parameters || [];
		paths[route] = {};
		for (const [method, xRoute] of Object.entries(methods)) {
			const op = item[method];
			if (!op) throw new Error(`${method.toUpperCase()} ${route} is not in the NewStore spec`);
			const merged = { ...op, parameters: mergeParameters(shared, op.parameters || []) };
			paths[route][method] = { ...convertOperation(merged, swagger), 'x-route': xRoute };
		}
	}
	const securitySchemes = {};
	for (const [name, def] of Object.entries(swagger.securityDefinitions || {})) {
		if (def.type === 'oauth2') {
			const flowName = {
				application: 'clientCredentials',
				password: 'password',
				implicit: 'implicit',
				accessCode: 'authorizationCode',
			}[def.flow];
			const flow = { scopes: def.scopes || {} };
			if (def.tokenUrl) flow.tokenUrl = def.tokenUrl;
			if (def.authorizationUrl) flow.authorizationUrl = def.authorizationUrl;
			securitySchemes[name] = { type: 'oauth2', flows: { [flowName]: flow } };
		} else if (def.type === 'basic') securitySchemes[name] = { type: 'http', scheme: 'basic' };
		else securitySchemes[name] = { ...def };
	}
	const schemas = Object.fromEntries(
		Object.entries(swagger.definitions || {}).map(([name, schema]) => [
			name,
			convertSchema(schema),
		]),
	);
	return {
		openapi: '3.0.3',
		info: { ...swagger.info },
		servers: [{ url: swagger.basePath || '/' }],
		paths,
		components: { schemas, securitySchemes },
		security: swagger.security || [],
	};
}

function mergeParameters(shared, own) {
	const key = (p) => `${p.in}:${p.name}`;
	const ownKeys = new Set(own.map(key));
	return [...shared.filter((p) => !ownKeys.has(key(p))), ...own];
}

/** Drop every component schema that no path (or kept schema) references. */
function pruneSchemas(doc) {
	const keep = new Set();
	const visit = (node) => {
		if (Array.isArray(node)) return node.forEach(visit);
		if (!node || typeof node !== 'object') return;
		for (const [key, value] of Object.entries(node)) {
			if (key === '$ref' && typeof value === 'string') {
				const name = value.replace('#/components/schemas/', '');
				if (!keep.has(name) && doc.components.schemas[name]) {
					keep.add(name);
					visit(doc.components.schemas[name]);
				}
			} else visit(value);
		}
	};
	visit(doc.paths);
	doc.components.schemas = Object.fromEntries(
		Object.entries(doc.components.schemas).filter(([name]) => keep.has(name)),
	);
	return doc;
}

// ---------------------------------------------------------------------------------------------
// Errata

/**
 * Patch the NewStore spec's defects (shared/specs/README.md "Known defects — NewStore specs",
 * plus the ones found while building this fake). Nothing else is changed.
 *
 * (1) [README] InjectedOrderRequest.shipments items schema is `{}`. The spec nevertheless defines
 *     the shipment schemas, unreferenced: InjectedOrderShipment -> InjectedOrderShipmentItem ->
 *     InjectedOrderShipmentItemPrice -> InjectedOrderItemTaxLine. Link shipments[] to
 *     InjectedOrderShipment so items are validated with NewStore's own field list (which matches
 *     reference §6.1). InjectedOrderShipment.shipping_option is also `{}` in the spec (it is one of
 *     InjectedOrderShippingOption / InjectedOrderShippingOption1, service level vs offer token):
 *     it stays unconstrained in the schema and the fake checks it in code (checkShipments() in
 *     newstore.cjs), which also checks tax `rate` <= 1 (the spec only says minimum 0; its
 *     description says "ratio between 0 and 1").
 * (2) [README] FulfillmentRequest items (definition Item8): `carrier` and `tracking_code` are
 *     required strings but "null until shipment data exists" -> nullable. (Responses only.)
 * (3) [found] `type: object` next to `allOf: [{$ref: <string enum>}]` (e.g.
 *     InjectedOrderRequest.currency, .price_method, InjectedOrderPayment.type, FulfillmentRequest
 *     .status, every SalesOrder* enum): no string can satisfy both, so every valid order injection
 *     would fail with "currency must be object". The `type: object` is dropped wherever the allOf
 *     target is not an object schema.
 * (4) [found] GET /v0/orders declares only SalesOrderListResponse ({orders}) although its text says
 *     the version=2 Accept header returns a paginated list; the spec defines that shape as
 *     SalesOrderListResponseV2 ({orders: SalesOrderV2[], pagination_info}) without referencing
 *     it. Added as the `application/x.newstore.orders+json;version=2` response content.
 * (5) [found] InjectedOrderDiscountInfo(1) declare a property `description` whose schema is the
 *     string "[object Object]" (a generator artefact, not a schema). Not reachable from the served
 *     operations, so pruned rather than patched; listed for completeness.
 *
 * Not errata, but validator settings: `multipleOf: 0.01` on prices needs Ajv's
 * multipleOfPrecision (19.99 / 0.01 is 1998.9999999999998 in floating point); newstore.cjs passes
 * { multipleOfPrecision: 9 }. Dropped `Content-Type`/`Accept` header parameters: see
 * IGNORED_HEADERS.
 */
function applyErrata(doc) {
	const schemas = doc.components.schemas;
	const ref = (name) => ({ $ref: `#/components/schemas/${name}` });

	// (1)
	schemas.InjectedOrderRequest.properties.shipments.items = ref('InjectedOrderShipment');

	// (2)
	for (const field of ['carrier', 'tracking_code']) schemas.Item8.properties[field].nullable = true;

	// (3)
	const isObjectSchema = (schema) =>
		schema && (schema.type === 'object' || schema.properties || schema.additionalProperties);
	const visit = (node) => {
		if (Array.isArray(node)) return node.forEach(visit);
		if (!node || typeof node !== 'object') return;
		if (node.type === 'object' && Array.isArray(node.allOf) && !node.properties) {
			const target = node.allOf.find((part) => part && part.$ref);
			const resolved = target && schemas[target.$ref.replace('#/components/schemas/', '')];
			if (resolved && !isObjectSchema(resolved)) delete node.type;
		}
		Object.values(node).forEach(visit);
	};
	visit(schemas);
	visit(doc.paths);

	// (4)
	const listOrders = doc.paths['/v0/orders'].get.responses['200'];
	listOrders.content['application/x.newstore.orders+json;version=2'] = {
		schema: ref('SalesOrderListResponseV2'),
	};
	return doc;
}

// ---------------------------------------------------------------------------------------------
// Hand-written fragments for endpoints that are not in the published spec

const jsonBody = (schema, required = true) => ({
	required,
	content: { 'application/json': { schema } },
});
const jsonResponse = (description, schema) => ({
	description,
	content: { 'application/json': { schema } },
});
const pathParam = (name) => ({ name, in: 'path', required: true, schema: { type: 'string' } });
const stringLen = (minLength, maxLength) => ({ type: 'string', minLength, maxLength });

/** Components used by the hand-written fragments (prefixed "Fake" to stay clear of the spec's). */
const HAND_WRITTEN_SCHEMAS = {
	// not in NewStore's published spec; from reference/newstore.md §2.1 (Keycloak client credentials)
	FakeTokenRequest: {
		type: 'object',
		required: ['grant_type'],
		properties: {
			grant_type: { type: 'string' },
			client_id: { type: 'string' },
			client_secret: { type: 'string' },
			scope: { type: 'string' },
		},
	},
	FakeTokenResponse: {
		type: 'object',
		required: ['access_token', 'expires_in', 'token_type'],
		properties: {
			access_token: { type: 'string' },
			expires_in: { type: 'integer' },
			token_type: { type: 'string' },
			scope: { type: 'string' },
			'not-before-policy': { type: 'integer' },
		},
	},
	// not in NewStore's published spec; from reference/newstore.md §5.2 (Order Notes API 0.1.0)
	FakeNoteCreate: {
		type: 'object',
		required: ['text', 'source', 'tags'],
		properties: {
			text: stringLen(1, 4000),
			source: stringLen(1, 256),
			source_type: { type: 'string', enum: ['user', 'system', 'integration', 'app'] },
			tags: { type: 'array', items: stringLen(1, 128) },
		},
	},
	FakeNotePatch: {
		type: 'object',
		minProperties: 1,
		properties: {
			text: stringLen(1, 4000),
			source: stringLen(1, 256),
			source_type: { type: 'string', enum: ['user', 'system', 'integration', 'app'] },
			tags: { type: 'array', items: stringLen(1, 128) },
		},
	},
	FakeNote: {
		type: 'object',
		required: ['id', 'order_id', 'text', 'source', 'tags', 'created_at', 'updated_at'],
		properties: {
			id: { type: 'string' },
			order_id: { type: 'string' },
			item_id: { type: 'string' },
			text: { type: 'string' },
			source: { type: 'string' },
			source_type: { type: 'string' },
			tags: { type: 'array', items: { type: 'string' } },
			created_at: { type: 'string' },
			updated_at: { type: 'string' },
		},
	},
	FakeNoteList: {
		type: 'object',
		required: ['notes'],
		properties: { notes: { type: 'array', items: { $ref: '#/components/schemas/FakeNote' } } },
	},
	// not in NewStore's published spec; from reference/newstore.md §5.5 (observed by third parties)
	FakeAvailabilityRequest: {
		type: 'object',
		required: ['atp_keys'],
		properties: {
			atp_keys: {
				type: 'array',
				minItems: 1,
				maxItems: 500,
				items: {
					type: 'object',
					required: ['product_id', 'fulfillment_node_id'],
					properties: {
						product_id: stringLen(1, 256),
						fulfillment_node_id: stringLen(1, 256),
					},
				},
			},
		},
	},
	FakeAvailabilityResponse: {
		type: 'object',
		required: ['items'],
		properties: {
			items: {
				type: 'array',
				items: {
					type: 'object',
					required: ['product_id', 'fulfillment_node_id', 'atp'],
					properties: {
						product_id: { type: 'string' },
						fulfillment_node_id: { type: 'string' },
						atp: { type: 'integer' },
					},
				},
			},
		},
	},
	// not in NewStore's published spec; from reference/newstore.md §5.9 and §8 (event stream)
	FakeIntegrationCreate: {
		type: 'object',
		required: ['id', 'integration_type'],
		properties: {
			id: stringLen(1, 256),
			integration_type: { type: 'string', enum: ['permanent', 'temporary'] },
			starts_at: { type: 'string', format: 'date-time' },
			ends_at: { type: 'string', format: 'date-time' },
			callback_parameters: {
				type: 'object',
				required: ['callback_url'],
				properties: {
					callback_url: { type: 'string', minLength: 1, pattern: '^https?://' },
					api_key: { type: 'string', minLength: 1 },
				},
			},
			s3_parameters: { type: 'object' },
			filter_conditions: { type: 'object' },
		},
		anyOf: [{ required: ['callback_parameters'] }, { required: ['s3_parameters'] }],
	},
	FakeIntegration: {
		type: 'object',
		required: ['id', 'status', 'integration_type'],
		properties: {
			id: { type: 'string' },
			status: { type: 'string', enum: ['running', 'stopped'] },
			integration_type: { type: 'string', enum: ['permanent', 'temporary'] },
			starts_at: { type: 'string' },
			ends_at: { type: 'string' },
			callback_parameters: { type: 'object' },
			s3_parameters: { type: 'object' },
			filter_conditions: { type: 'object' },
			created_at: { type: 'string' },
		},
	},
	FakeIntegrationList: {
		type: 'object',
		required: ['integrations'],
		properties: {
			integrations: { type: 'array', items: { $ref: '#/components/schemas/FakeIntegration' } },
		},
	},
	// not in NewStore's published spec; from reference/newstore.md §7 (customer profiles v1)
	FakeProfileV1Create: {
		type: 'object',
		required: ['email'],
		properties: {
			email: stringLen(1, 256),
			full_name: { type: 'string', maxLength: 256 },
			phone_number: { type: 'string', pattern: '^\\+[1-9][0-9]{1,14}$' },
			store_id: { type: 'string' },
			created_by: { type: 'string' },
			extended_attributes: {
				type: 'object',
				additionalProperties: { $ref: '#/components/schemas/ExtendedAttributeModel' },
			},
			first_name: { type: 'string' },
			last_name: { type: 'string' },
		},
	},
	FakeProfileV1Update: {
		type: 'object',
		minProperties: 1,
		properties: {
			email: stringLen(1, 256),
			full_name: { type: 'string', maxLength: 256 },
			phone_number: { type: 'string', pattern: '^\\+[1-9][0-9]{1,14}$' },
			store_id: { type: 'string' },
			created_by: { type: 'string' },
			extended_attributes: {
				type: 'object',
				additionalProperties: { $ref: '#/components/schemas/ExtendedAttributeModel' },
			},
			first_name: { type: 'string' },
			last_name: { type: 'string' },
		},
	},
	FakeProfileV1: {
		type: 'object',
		required: ['id', 'email', 'full_name', 'extended_attributes', 'created_at', 'updated_at'],
		properties: {
			id: { type: 'string' },
			display_id: { type: 'string' },
			email: { type: 'string' },
			full_name: { type: 'string' },
			phone_number: { type: 'string' },
			store_id: { type: 'string' },
			created_by: { type: 'string' },
			extended_attributes: {
				type: 'object',
				additionalProperties: { $ref: '#/components/schemas/ExtendedAttributeModel' },
			},
			created_at: { type: 'string', format: 'date-time' },
			updated_at: { type: 'string', format: 'date-time' },
		},
	},
	FakeProfileV1List: {
		type: 'object',
		required: ['profiles', 'pagination_info'],
		properties: {
			profiles: { type: 'array', items: { $ref: '#/components/schemas/FakeProfileV1' } },
			pagination_info: { $ref: '#/components/schemas/PaginationInfo' },
		},
	},
};

const errorResponse = { description: 'Error', content: { 'application/json': { schema: {} } } };
const ref = (name) => ({ $ref: `#/components/schemas/${name}` });

/** Hand-written paths: x-source names where each fragment comes from. */
function handWrittenPaths() {
	const notes = {
		'x-source':
			"not in NewStore's published spec; from reference/newstore.md §5.2 (Order Notes API 0.1.0)",
	};
	const eventStream = {
		'x-source':
			"not in NewStore's published spec; from reference/newstore.md §5.9 (event stream configuration)",
	};
	const v1 = {
		'x-source':
			"not in NewStore's published spec; from reference/newstore.md §7 (customer profile v1, path unconfirmed)",
	};
	const listParams = [
		{ name: 'q', in: 'query', schema: { type: 'string' } },
		{ name: 'sort', in: 'query', schema: { type: 'string' } },
		{ name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, default: 0 } },
		{
			name: 'count',
			in: 'query',
			schema: { type: 'integer', minimum: 1, maximum: 500, default: 10 },
		},
	];
	const addressParams = [
		{ name: 'offset', in: 'query', schema: { type: 'integer', minimum: 0, default: 0 } },
		{
			name: 'count',
			in: 'query',
			schema: { type: 'integer', minimum: 1, maximum: 1000, default: 10 },
		},
	];
	const errors = { 400: errorResponse, 404: errorResponse };
	return {
		// not in NewStore's published spec; from reference/newstore.md §2.1 (Keycloak token endpoint)
		'/auth/realms/{realm}/protocol/openid-connect/token': {
			post: {
				'x-source':
					"not in NewStore's published spec; from reference/newstore.md §2.1 (Keycloak client credentials)",
				'x-route': 'token',
				operationId: 'keycloakToken',
				parameters: [pathParam('realm')],
				requestBody: {
					required: true,
					content: { 'application/x-www-form-urlencoded': { schema: ref('FakeTokenRequest') } },
				},
				responses: {
					200: jsonResponse('Token', ref('FakeTokenResponse')),
					400: errorResponse,
					401: errorResponse,
					404: errorResponse,
				},
			},
		},
		// not in NewStore's published spec; from reference/newstore.md §5.2
		'/v0/d/orders/{order_uuid}/notes': {
			get: {
				...notes,
				'x-route': 'listNotes',
				operationId: 'fakeListOrderNotes',
				parameters: [pathParam('order_uuid')],
				responses: { 200: jsonResponse('Notes, newest first', ref('FakeNoteList')), ...errors },
			},
			post: {
				...notes,
				'x-route': 'createNote',
				operationId: 'fakeCreateOrderNote',
				parameters: [pathParam('order_uuid')],
				requestBody: jsonBody(ref('FakeNoteCreate')),
				responses: { 201: jsonResponse('Note', ref('FakeNote')), ...errors },
			},
		},
		'/v0/d/orders/{order_uuid}/items/{item_uuid}/notes': {
			post: {
				...notes,
				'x-route': 'createItemNote',
				operationId: 'fakeCreateItemNote',
				parameters: [pathParam('order_uuid'), pathParam('item_uuid')],
				requestBody: jsonBody(ref('FakeNoteCreate')),
				responses: { 201: jsonResponse('Note', ref('FakeNote')), ...errors },
			},
		},
		'/v0/d/orders/{order_uuid}/notes/{note_uuid}': {
			patch: {
				...notes,
				'x-route': 'patchNote',
				operationId: 'fakePatchOrderNote',
				parameters: [pathParam('order_uuid'), pathParam('note_uuid')],
				requestBody: jsonBody(ref('FakeNotePatch')),
				responses: { 200: jsonResponse('Note', ref('FakeNote')), ...errors },
			},
			delete: {
				...notes,
				'x-route': 'deleteNote',
				operationId: 'fakeDeleteOrderNote',
				parameters: [pathParam('order_uuid'), pathParam('note_uuid')],
				responses: { 204: { description: 'Deleted' }, ...errors },
			},
		},
		// not in NewStore's published spec; from reference/newstore.md §5.5 (hotgluexyz/tap-newstore)
		'/v0/availabilities': {
			post: {
				'x-source':
					"not in NewStore's published spec; from reference/newstore.md §5.5 (observed by third parties)",
				'x-route': 'availabilities',
				operationId: 'fakeAvailabilities',
				requestBody: jsonBody(ref('FakeAvailabilityRequest')),
				responses: {
					200: jsonResponse('ATP', ref('FakeAvailabilityResponse')),
					400: errorResponse,
				},
			},
		},
		// not in NewStore's published spec; from reference/newstore.md §5.9
		'/api/v1/org/integrations/eventstream': {
			get: {
				...eventStream,
				'x-route': 'es.list',
				operationId: 'fakeListIntegrations',
				responses: { 200: jsonResponse('Integrations', ref('FakeIntegrationList')) },
			},
			post: {
				...eventStream,
				'x-route': 'es.create',
				operationId: 'fakeRegisterIntegration',
				requestBody: jsonBody(ref('FakeIntegrationCreate')),
				responses: {
					201: jsonResponse('Registered and started', ref('FakeIntegration')),
					400: errorResponse,
					409: errorResponse,
				},
			},
		},
		'/api/v1/org/integrations/eventstream/{id}': {
			get: {
				...eventStream,
				'x-route': 'es.get',
				operationId: 'fakeGetIntegration',
				parameters: [pathParam('id')],
				responses: { 200: jsonResponse('Integration', ref('FakeIntegration')), 404: errorResponse },
			},
			delete: {
				...eventStream,
				'x-route': 'es.delete',
				operationId: 'fakeDeleteIntegration',
				parameters: [pathParam('id')],
				responses: { 204: { description: 'Deleted' }, 404: errorResponse },
			},
		},
		'/api/v1/org/integrations/eventstream/{id}/_start': {
			post: {
				...eventStream,
				'x-route': 'es.start',
				operationId: 'fakeStartIntegration',
				parameters: [pathParam('id')],
				requestBody: jsonBody({ type: 'object' }, false),
				responses: { 200: jsonResponse('Integration', ref('FakeIntegration')), 404: errorResponse },
			},
		},
		'/api/v1/org/integrations/eventstream/{id}/_stop': {
			post: {
				...eventStream,
				'x-route': 'es.stop',
				operationId: 'fakeStopIntegration',
				parameters: [pathParam('id')],
				requestBody: jsonBody({ type: 'object' }, false),
				responses: { 200: jsonResponse('Integration', ref('FakeIntegration')), 404: errorResponse },
			},
		},
		// not in NewStore's published spec; from reference/newstore.md §7 (v1 path unconfirmed)
		'/v1/customer/profiles': {
			get: {
				...v1,
				'x-route': 'v1.listProfiles',
				operationId: 'fakeV1ListProfiles',
				parameters: listParams,
				responses: { 200: jsonResponse('Profiles', ref('FakeProfileV1List')), 400: errorResponse },
			},
			post: {
				...v1,
				'x-route': 'v1.createProfile',
				operationId: 'fakeV1CreateProfile',
				requestBody: jsonBody(ref('FakeProfileV1Create')),
				responses: {
					200: jsonResponse('Existing profile', ref('FakeProfileV1')),
					201: jsonResponse('Created profile', ref('FakeProfileV1')),
					400: errorResponse,
				},
			},
		},
		'/v1/customer/profiles/{profile_id}': {
			get: {
				...v1,
				'x-route': 'v1.getProfile',
				operationId: 'fakeV1GetProfile',
				parameters: [pathParam('profile_id')],
				responses: { 200: jsonResponse('Profile', ref('FakeProfileV1')), ...errors },
			},
			patch: {
				...v1,
				'x-route': 'v1.patchProfile',
				operationId: 'fakeV1PatchProfile',
				parameters: [pathParam('profile_id')],
				requestBody: jsonBody(ref('FakeProfileV1Update')),
				responses: { 200: jsonResponse('Profile', ref('FakeProfileV1')), ...errors },
			},
		},
		'/v1/customer/profiles/{profile_id}/addresses': {
			get: {
				...v1,
				'x-route': 'v1.listAddresses',
				operationId: 'fakeV1ListAddresses',
				parameters: [pathParam('profile_id'), ...addressParams],
				responses: { 200: jsonResponse('Addresses', ref('ListAddressesResponse')), ...errors },
			},
			post: {
				...v1,
				'x-route': 'v1.createAddress',
				operationId: 'fakeV1CreateAddress',
				parameters: [pathParam('profile_id')],
				requestBody: jsonBody(ref('AddressModel')),
				responses: {
					200: jsonResponse('Existing address', ref('AddressResponse')),
					201: jsonResponse('Created address', ref('AddressResponse')),
					...errors,
				},
			},
		},
		'/v1/customer/profiles/{profile_id}/addresses/{address_id}': {
			get: {
				...v1,
				'x-route': 'v1.getAddress',
				operationId: 'fakeV1GetAddress',
				parameters: [pathParam('profile_id'), pathParam('address_id')],
				responses: { 200: jsonResponse('Address', ref('AddressResponse')), ...errors },
			},
			patch: {
				...v1,
				'x-route': 'v1.patchAddress',
				operationId: 'fakeV1PatchAddress',
				parameters: [pathParam('profile_id'), pathParam('address_id')],
				// v1 has no optimistic lock: the v2 body without the required last_updated_at
				requestBody: jsonBody({ ...addressPatchSchema(), minProperties: 1 }),
				responses: { 200: jsonResponse('Address', ref('AddressResponse')), ...errors },
			},
			delete: {
				...v1,
				'x-route': 'v1.deleteAddress',
				operationId: 'fakeV1DeleteAddress',
				parameters: [pathParam('profile_id'), pathParam('address_id')],
				responses: { 204: { description: 'Deleted' }, ...errors },
			},
		},
	};
}

function addressPatchSchema() {
	const props = {};
	for (const name of [
		'address_line_1',
		'address_line_2',
		'city',
		'company_name',
		'contact_phone',
		'country_code',
		'full_name',
		'state',
		'zip_code',
		'last_updated_at',
	])
		props[name] = { type: 'string' };
	return { type: 'object', properties: props };
}

// ---------------------------------------------------------------------------------------------
// The assembled document

let swaggerCache = null;
let builtCache = null;

/** The published Swagger 2.0 document (parsed once per process; do not mutate). */
function loadNewStoreSwagger() {
	if (!swaggerCache) swaggerCache = readSpecJson('newstore', 'newstore-api-full.swagger2.json');
	return swaggerCache;
}

/**
 * The OpenAPI 3 document the fake validates against: converted spec operations with errata, the
 * /api/v1 mount of the v2 profile paths, and the hand-written fragments. A fresh deep copy on every
 * call (openapi-backend dereferences it in place).
 */
function buildNewStoreDefinition() {
	if (!builtCache) {
		// errata first: they link schemas the spec defines but never references
		const doc = applyErrata(swagger2ToOpenApi3(loadNewStoreSwagger(), SERVED_OPERATIONS));
		// v2 profiles also under /api/v1/customer/profiles…
		for (const [route, item] of Object.entries({ ...doc.paths })) {
			if (!route.startsWith('/customer/profiles')) continue;
			const copy = structuredClone(item);
			for (const method of METHODS) {
				if (copy[method]) copy[method].operationId = `api-v1:${copy[method].operationId}`;
			}
			doc.paths[`${V2_ALIAS_PREFIX}${route}`] = copy;
		}
		Object.assign(doc.paths, handWrittenPaths());
		Object.assign(doc.components.schemas, HAND_WRITTEN_SCHEMAS);
		pruneSchemas(doc);
		builtCache = doc;
	}
	return structuredClone(builtCache);
}

/**
 * Response-shape checker for tests: validate(schemaName, value) -> error strings, against the
 * (errata-patched) component schemas. Uses the Ajv that openapi-backend depends on.
 */
function createSchemaChecker() {
	// openapi-backend's own Ajv 8 (the top-level node_modules/ajv may be an older major)
	const Ajv = require(
		require.resolve('ajv', { paths: [path.dirname(require.resolve('openapi-backend'))] }),
	).default;
	const doc = buildNewStoreDefinition();
	const ajv = new Ajv({ strict: false, allErrors: true, multipleOfPrecision: 9 });
	for (const format of ['int32', 'int64', 'double', 'float', 'date-time', 'date', 'uuid', 'email'])
		ajv.addFormat(format, true);
	ajv.addSchema({ components: doc.components }, 'newstore');
	const compiled = new Map();
	return {
		validate(schemaName, value) {
			if (!compiled.has(schemaName)) {
				compiled.set(
					schemaName,
					ajv.compile({ $ref: `newstore#/components/schemas/${schemaName}` }),
				);
			}
			const check = compiled.get(schemaName);
			return check(value)
				? []
				: check.errors.map((e) => `${e.instancePath || '(root)'} ${e.message}`);
		},
	};
}

module.exports = {
	HAND_WRITTEN_SCHEMAS,
	SERVED_OPERATIONS,
	V2_ALIAS_PREFIX,
	applyErrata,
	buildNewStoreDefinition,
	createSchemaChecker,
	handWrittenPaths,
	loadNewStoreSwagger,
	swagger2ToOpenApi3,
};
